// When a failed delivery is tried again: exponential backoff from 5 s, capped at 6 h, so the
// last of WEBHOOK_MAX_ATTEMPTS lands about a day (≈25.6 h) after the first; then it is dead.
import { WEBHOOK_MAX_ATTEMPTS } from "@cartwheel/contracts/limits";

export { WEBHOOK_MAX_ATTEMPTS };
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * The wait in milliseconds after failed attempt number `attempt` (1-based), or null when that
 * was the last one. Delays: 5 s, 20 s, 80 s, … ×4, capped at 6 h.
 */
export function nextAttemptDelay(attempt: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError("attempt is a positive integer");
  if (attempt >= WEBHOOK_MAX_ATTEMPTS) return null;
  return Math.min(FIRST_DELAY_MS * 4 ** (attempt - 1), MAX_DELAY_MS);
}
