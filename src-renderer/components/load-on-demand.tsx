import { Component, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';

type BoundaryProps = { what: string; onRetry: () => void; children: ReactNode };

/** Catches a part whose code could not be fetched, so only that part says so. */
class PartBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  private readonly retry = () => {
    this.props.onRetry();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="notice notice-error" role="alert">
        <p className="notice-title">{this.props.what} could not be opened</p>
        <p>
          Its part of Posthorn could not be loaded: <span className="mono">{error.message}</span>
        </p>
        <p className="notice-hint">
          Try again. If Posthorn was updated or restarted while this page was open, reload the page (Ctrl+R) instead.
          Nothing you saved is affected.
        </p>
        <div className="form-actions">
          <button type="button" className="button" onClick={this.retry}>
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
 * an open page), only this part shows what happened, with "Try again", which asks for the code
 * afresh; the view around it keeps working. React.lazy keeps a failed load, so a retry needs a
 * new one.
 */
export function loadOnDemand<P extends object>(load: () => Promise<ComponentType<P>>, what: string): ComponentType<P> {
  const fresh = () => lazy(async () => ({ default: await load() }));
  let Part = fresh();
  function OnDemand(props: P) {
    const [, setAttempt] = useState(0);
    const retry = () => {
      Part = fresh();
      setAttempt((n) => n + 1);
    };
    return (
      <PartBoundary what={what} onRetry={retry}>
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
