// Opaque keyset cursors: the sort key of the last row plus its id as the tie-break.
// Clients must treat them as black boxes; the encoding may change. A cursor comes back from
// the caller, so it is validated like any input: a forged one whose value or id no column
// could hold is refused here, before it reaches a query, with one answer on every dialect.
import { and, type Column, eq, gt, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  DomainError,
  idSchema,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  priceCentsSchema,
  textSchema,
} from "@cartwheel/contracts";

/** What a cursor's sort value may be, per kind of sort column. */
export const cursorValues = {
  timestamp: z
    .number()
    .int()
    .min(MIN_TIMESTAMP_MS)
    .max(MAX_TIMESTAMP_MS)
    .transform((ms) => new Date(ms)),
  priceCents: priceCentsSchema,
  text: textSchema(200),
} as const;

export type CursorValueSchema = (typeof cursorValues)[keyof typeof cursorValues];

export function encodeCursor(kind: string, value: string | number, id: string): string {
  // `k` names the ordering the cursor belongs to, so it cannot be replayed against another.
  return Buffer.from(JSON.stringify({ k: kind, v: value, id })).toString("base64url");
}

export function decodeCursor<S extends CursorValueSchema>(
  kind: string,
  cursor: string,
  valueSchema: S,
): { value: z.output<S>; id: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    // Not JSON: the same answer as any other malformed cursor.
  }
  const envelope = z.object({ k: z.literal(kind), v: z.unknown(), id: idSchema }).safeParse(payload);
  const value = envelope.success ? valueSchema.safeParse(envelope.data.v) : undefined;
  if (envelope.success && value?.success) return { value: value.data as z.output<S>, id: envelope.data.id };
  throw new DomainError("invalid_cursor", "The cursor is invalid or belongs to another listing.", {});
}

/** Rows strictly after (value, id) in the given direction: `(col, id) > (v, id)` spelled portably. */
export function keysetAfter(column: Column, idColumn: Column, direction: "asc" | "desc", value: unknown, id: string) {
  const beyond = direction === "asc" ? gt : lt;
  return or(beyond(column, value), and(eq(column, value), beyond(idColumn, id))) as SQL;
}
