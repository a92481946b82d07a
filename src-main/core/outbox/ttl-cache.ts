/**
 * A value per key, read again once it is older than `ttlMs` (real time, not the injected clock:
 * this is about how often the store is asked, not about mail being due). While a batch goes
 * out, an account's settings are read once a second instead of once per message.
 */
export class TtlCache<K, V> {
  private readonly ttlMs: number;
  private readonly load: (key: K) => V;
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(ttlMs: number, load: (key: K) => V) {
    this.ttlMs = ttlMs;
    this.load = load;
  }

  /** The next get reads the key afresh (it changed). */
  forget(key: K): void {
    this.entries.delete(key);
  }

  get(key: K): V {
    const cached = this.entries.get(key);
    const at = performance.now();
    if (cached && at - cached.at < this.ttlMs) return cached.value;
    const value = this.load(key);
    this.entries.set(key, { value, at });
    return value;
  }
}
