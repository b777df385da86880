/**
 * Calls with the same key while one is in flight share its answer. The live order streams
 * ask whether their caller may still be served before each batch, and every stream of one
 * session (a person's tabs, a dashboard's panels) asks at the same moment for the same event:
 * one lookup answers them all. Nothing is cached: the next call after it settles looks again.
 */
export function singleFlight<A, R>(run: (arg: A) => Promise<R>, keyOf: (arg: A) => string): (arg: A) => Promise<R> {
  const inFlight = new Map<string, Promise<R>>();
  return (arg) => {
    const key = keyOf(arg);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = run(arg).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
