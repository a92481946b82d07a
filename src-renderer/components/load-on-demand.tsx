import { Component, createRef, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';

type BoundaryProps = {
  what: string;
  /** The code could not be loaded: the next try must ask for it afresh. */
  onFailed: () => void;
  onRetry: () => void;
  children: ReactNode;
};

/** Catches a part whose code could not be fetched, so only that part says so. */
class PartBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  private readonly notice = createRef<HTMLDivElement>();
  private readonly tryAgain = createRef<HTMLButtonElement>();
  /** Set by "Try again": if that fails too, the focus goes back to the button it left. */
  private retrying = false;

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(): void {
    this.props.onFailed();
  }

  override componentDidMount(): void {
    this.showNotice();
  }

  override componentDidUpdate(_props: BoundaryProps, before: { error: Error | null }): void {
    if (this.state.error && !before.error) this.showNotice();
  }

  private showNotice(): void {
    if (!this.state.error) return;
    // In sight at 900×600 too; Chromium 156 returns a Promise here.
    void this.notice.current?.scrollIntoView({ block: 'nearest' });
    if (this.retrying) this.tryAgain.current?.focus({ preventScroll: true });
    this.retrying = false;
  }

  private readonly retry = () => {
    this.retrying = true;
    this.props.onRetry();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div ref={this.notice} className="notice notice-error" role="alert">
        <p className="notice-title">{this.props.what} could not be opened</p>
        <p>
          Its part of Posthorn could not be loaded: <span className="mono">{error.message}</span>
        </p>
        <p className="notice-hint">
          Try again. If Posthorn was updated or restarted while this page was open, reload the page (Ctrl+R) instead.
          Nothing you saved is affected.
        </p>
        <div className="form-actions">
          <button ref={this.tryAgain} type="button" className="button" onClick={this.retry}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}

/**
 * A part of the page whose code loads when it is first shown (issue 22: the first view carries
 * only what it needs). If the code cannot be fetched (a network hiccup, or the app rebuilt under
 * an open page), only this part shows what happened, with "Try again"; the view around it keeps
 * working. React.lazy keeps a failed load, so after a failure the next showing (Try again, or
 * opening the part anew) asks for the code afresh.
 */
export function loadOnDemand<P extends object>(load: () => Promise<ComponentType<P>>, what: string): ComponentType<P> {
  const fresh = () => lazy(async () => ({ default: await load() }));
  let Part = fresh();
  function OnDemand(props: P) {
    const [, setAttempt] = useState(0);
    return (
      <PartBoundary
        what={what}
        onFailed={() => {
          Part = fresh();
        }}
        onRetry={() => setAttempt((n) => n + 1)}
      >
        <Suspense
          fallback={
            <p role="status" className="muted">
              Opening {what.toLowerCase()}…
            </p>
          }
        >
          <Part {...props} />
        </Suspense>
      </PartBoundary>
    );
  }
  return OnDemand;
}
