// SQLite's busy_timeout waits for a lock by sleeping inside the call, which on our one
// connection blocks the event loop: one process holding the write lock (a migration, db:seed,
// a second server) would stall every request. So the connection runs with busy_timeout 0 and
// whoever meets SQLITE_BUSY waits here instead, on a timer, while other requests are served.
import { setTimeout as sleep } from "node:timers/promises";
import { TransactionRetryError } from "../query-errors.ts";

export interface BusyRetryPolicy {
  /** Give up after waiting this long in total. */
  maxWaitMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** A 5 s wait in all, as a busy_timeout of 5000 would allow, in steps that start small (locks are usually brief). */
const DEFAULT_BUSY_RETRY: BusyRetryPolicy = { maxWaitMs: 5000, firstDelayMs: 2, maxDelayMs: 100 };

/** SQLITE_BUSY and its extended codes: another connection holds the lock. */
export const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown } | null)?.code === "string" &&
  (error as { code: string }).code.startsWith("SQLITE_BUSY");

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, waiting asynchronously between tries
 * with doubling delays; after `maxWaitMs` it throws a TransactionRetryError (the API's 503).
 */
export async function retryWhileBusy<T>(
  attempt: () => T | Promise<T>,
  policy: BusyRetryPolicy = DEFAULT_BUSY_RETRY,
): Promise<T> {
  let waited = 0;
  for (let delay = policy.firstDelayMs; ; delay = Math.min(delay * 2, policy.maxDelayMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (waited >= policy.maxWaitMs) {
        throw new TransactionRetryError(
          `The database is locked by another connection (waited ${waited} ms); retry shortly.`,
          error,
        );
      }
      await sleep(delay);
      waited += delay;
    }
  }
}
