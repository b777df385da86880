// The CHECK constraints of ./pg.ts and ./sqlite.ts keep the bounds the API promises
// (@cartwheel/contracts limits.ts), so a bound is also one the database keeps, whichever
// write path comes near it.
import { sql } from "drizzle-orm";

export { MAX_INT4, MAX_PRICE_CENTS, MAX_STOCK } from "@cartwheel/contracts/limits";

/** A bound spelled as an SQL literal: DDL takes no parameters. */
export const sqlBound = (value: number) => sql.raw(String(value));
