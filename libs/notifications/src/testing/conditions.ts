/** Waits on what a test server received: `until` resolves once its condition holds, re-tested at each `check`. */
export class Conditions {
  private waiting: { predicate: () => boolean; resolve: () => void }[] = [];

  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ predicate, resolve }));
  }

  /** Call after each arrival: resolves the waits whose condition holds now. */
  check(): void {
    this.waiting = this.waiting.filter((w) => (w.predicate() ? (w.resolve(), false) : true));
  }
}
