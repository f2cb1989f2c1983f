// The life of one console session, from login to logout. Every interval, observer and
// clean-up a view starts is registered here, so that logging out stops all of them and the
// session (its DOM, store and charts) can be garbage-collected: logging out and in again
// leaves nothing behind.

export class Lifetime {
  private readonly intervals = new Set<number>();
  private readonly cleanups: (() => void)[] = [];
  private ended = false;

  get disposed(): boolean {
    return this.ended;
  }

  /** window.setInterval for as long as the session lives. */
  every(fn: () => void, ms: number): void {
    if (this.ended) return;
    this.intervals.add(window.setInterval(fn, ms));
  }

  /** A ResizeObserver on `el`, disconnected when the session ends (or by the caller). */
  observeResize(el: Element, fn: ResizeObserverCallback): ResizeObserver {
    const observer = new ResizeObserver(fn);
    observer.observe(el);
    this.onDispose(() => observer.disconnect());
    return observer;
  }

  onDispose(fn: () => void): void {
    if (this.ended) fn();
    else this.cleanups.push(fn);
  }

  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    for (const id of this.intervals) window.clearInterval(id);
    this.intervals.clear();
    while (this.cleanups.length > 0) {
      const fn = this.cleanups.pop() as () => void;
      try {
        fn();
      } catch (exc) {
        console.error("clean-up failed", exc);
      }
    }
  }
}
