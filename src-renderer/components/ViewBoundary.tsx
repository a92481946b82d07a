import { Component, createRef, type ErrorInfo, type ReactNode } from 'react';
import type { PosthornApi } from '../api/types.ts';

type Props = {
  /** The view's name, as the person knows it ("Outbox", "Accounts"). */
  name: string;
  api: PosthornApi;
  children: ReactNode;
};

type State = { error: Error | null; attempt: number };

/**
 * Around each view: if it fails while drawing, only that view is replaced (the sidebar and the
 * other views keep working) by what happened and a "Reload view" button, and the error goes to
 * the app log (`app.reportError`, scrubbed of secrets there). Without it, one failing view
 * unmounted the whole app (issue 18).
 */
export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };
  private readonly heading = createRef<HTMLHeadingElement>();

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    const stack = `${error.stack ?? ''}\nComponent stack:${info.componentStack ?? ''}`.slice(0, 8000);
    void this.props.api['app.reportError']({
      view: this.props.name,
      message: String(error.message).slice(0, 2000),
      stack,
    });
  }

  // The person is told at once: the focus goes to the notice (it replaced what had the focus),
  // whether the view failed as it first appeared or later.
  override componentDidMount(): void {
    if (this.state.error) this.heading.current?.focus();
  }

  override componentDidUpdate(_props: Props, before: State): void {
    if (this.state.error && !before.error) this.heading.current?.focus();
  }

  private readonly reload = () => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));

  override render(): ReactNode {
    const { error, attempt } = this.state;
    if (!error)
      return (
        // A new key on reload draws the view afresh, with nothing kept from the failed one.
        <div key={attempt} className="view-boundary">
          {this.props.children}
        </div>
      );
    return (
      <section className="page view-failed" aria-labelledby="view-failed-title">
        <div className="notice notice-error" role="alert">
          <h1 id="view-failed-title" ref={this.heading} tabIndex={-1} className="notice-title">
            {this.props.name} stopped working
          </h1>
          <p>
            Something went wrong while showing it: <span className="mono">{error.message}</span>
          </p>
          <p className="notice-hint">
            Nothing you saved is lost. Reload the view; if it happens again, the details are in the app log (Help › Show
            Log Folder).
          </p>
          <div className="form-actions">
            <button type="button" className="button primary" onClick={this.reload}>
              Reload view
            </button>
          </div>
        </div>
      </section>
    );
  }
}
