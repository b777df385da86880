// Value bounds shared by both dialects: the CHECK constraints of ./pg.ts and ./sqlite.ts,
// and the input schemas of @cartwheel/commerce, read them from here, so a bound the API
// promises is also one the database keeps, whichever write path comes near it.
import { sql } from "drizzle-orm";

/** The largest value of a 32-bit integer column (PostgreSQL `integer`). */
export const MAX_INT4 = 2_147_483_647;
/** Keeps every stock level, plus any single change to it, inside a 32-bit integer column. */
export const MAX_STOCK = 1_000_000_000;
/** Keeps a line total (at most 100 units) inside a 32-bit integer column. */
export const MAX_PRICE_CENTS = 100_000_000;

/** A bound spelled as an SQL literal: DDL takes no parameters. */
export const sqlBound = (value: number) => sql.raw(String(value));
