import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import type { TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { isUnauthorized } from "./errors.ts";

interface Refresher {
  getAccessToken(): string | null;
  refresh(): Promise<boolean>;
}

/** Calls whose 401 means "wrong credentials", not "stale access token". */
const NO_RETRY = new Set(["auth.login", "auth.register", "auth.refresh", "auth.logout"]);

/**
 * When a call that carried an access token comes back 401 (expired, or revoked by the
 * server), refresh once and replay it. A second 401 is passed on as is, and a failed
 * refresh signs the user out (the store handles that), so there is never a retry loop.
 */
export function authRetryLink(auth: Refresher): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const sentWithToken = auth.getAccessToken() !== null;
        let subscription: Unsubscribable | null = null;
        let closed = false;
        subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            if (!sentWithToken || NO_RETRY.has(op.path) || !isUnauthorized(error)) {
              observer.error(error);
              return;
            }
            void auth.refresh().then((signedIn) => {
              if (closed) return;
              if (!signedIn) observer.error(error);
              else subscription = next(op).subscribe(observer);
            });
          },
        });
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}
