/** The wire format has no transformer, so timestamps arrive as ISO strings; accept Dates too. */
export type Timestamp = string | Date;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function toDate(value: Timestamp): Date {
  return value instanceof Date ? value : new Date(value);
}

export function formatDateTime(value: Timestamp | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? "—" : dateTime.format(date);
}
