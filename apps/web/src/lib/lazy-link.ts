import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import { TRPCClientError, type OperationLink, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";

/**
 * A terminating link whose code is fetched on its first operation, so code that only some
 * pages use (the SSE subscription link and its EventSource) stays out of the initial bundle.
 */
export function lazyLink(load: () => Promise<TRPCLink<AppRouter>>): TRPCLink<AppRouter> {
  return (runtime) => {
    let loaded: Promise<OperationLink<AppRouter>> | null = null;
    return ({ op, next }) =>
      observable((observer) => {
        let inner: Unsubscribable | null = null;
        let closed = false;
        loaded ??= load().then((link) => link(runtime));
        loaded.then(
          (operationLink) => {
            if (!closed) inner = operationLink({ op, next }).subscribe(observer);
          },
          (error: unknown) => {
            // A failed chunk fetch (e.g. a deploy replaced it): let the next operation try again.
            loaded = null;
            if (!closed) observer.error(TRPCClientError.from(error as Error));
          },
        );
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      });
  };
}
