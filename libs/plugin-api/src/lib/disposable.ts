/** Something the host releases when a plugin is deactivated (VS Code's Disposable). */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Wraps a clean-up function as a Disposable; calling `dispose` twice runs it once. */
export function toDisposable(fn: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      return fn();
    },
  };
}
