import type { AppEvent } from '../shared/contract.ts';

export type EventListener = (event: AppEvent) => void;

/** Fan-out of core events to every transport (IPC windows, SSE clients, tests). */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  }
}
