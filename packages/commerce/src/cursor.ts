// Opaque keyset cursors: the sort key of the last row plus its id as the tie-break.
// Clients must treat them as black boxes; the encoding may change.
import { and, type Column, eq, gt, lt, or, type SQL } from "drizzle-orm";
import { InvalidInputError } from "./errors.ts";

interface CursorPayload {
  /** Which ordering the cursor belongs to, so it cannot be replayed against another. */
  k: string;
  v: string | number;
  id: string;
}

export function encodeCursor(kind: string, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ k: kind, v: value, id } satisfies CursorPayload)).toString("base64url");
}

export function decodeCursor(kind: string, cursor: string): { value: string | number; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<CursorPayload>;
    const valueOk = typeof parsed.v === "string" || (typeof parsed.v === "number" && Number.isFinite(parsed.v));
    if (parsed.k === kind && valueOk && typeof parsed.id === "string" && parsed.v !== undefined) {
      return { value: parsed.v, id: parsed.id };
    }
  } catch {
    // Fall through: any malformed cursor gets the same answer.
  }
  throw new InvalidInputError("invalid_cursor", "The cursor is invalid or belongs to another listing.", {});
}

/** Rows strictly after (value, id) in the given direction: `(col, id) > (v, id)` spelled portably. */
export function keysetAfter(column: Column, idColumn: Column, direction: "asc" | "desc", value: unknown, id: string) {
  const beyond = direction === "asc" ? gt : lt;
  return or(beyond(column, value), and(eq(column, value), beyond(idColumn, id))) as SQL;
}
