// What both bare-SQL peers write for catalog.list's first page: the same JSON as the server,
// tRPC envelope and keyset cursor included, built by hand from the rows (no app code).

export interface CatalogRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  stock: number;
  /** Epoch milliseconds (SQLite) or a Date (pg). */
  archived_at: number | Date | null;
  created_at: number | Date;
  updated_at: number | Date;
}

export const CATALOG_LIMIT = 20;

/** Newest first, one row more than the page to know whether there is a next one. */
export const FIRST_PAGE_COLUMNS =
  "id, slug, name, description, price_cents, currency, stock, archived_at, created_at, updated_at";

const ms = (value: number | Date) => (typeof value === "number" ? value : value.getTime());
const iso = (value: number | Date) => new Date(ms(value)).toISOString();

export function catalogPageJson(rows: readonly CatalogRow[]): string {
  const items = rows.slice(0, CATALOG_LIMIT).map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    stock: row.stock,
    archivedAt: row.archived_at === null ? null : iso(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }));
  const last = rows.length > CATALOG_LIMIT ? rows[CATALOG_LIMIT - 1] : undefined;
  const nextCursor = last
    ? Buffer.from(JSON.stringify({ k: "products:newest", v: ms(last.created_at), id: last.id })).toString("base64url")
    : null;
  return JSON.stringify({ result: { data: { items, nextCursor } } });
}
