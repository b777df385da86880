// Peer (a): bare node:http + better-sqlite3 running the SQL catalog.list runs (first page,
// newest first, 20 items) and writing the same JSON, tRPC envelope and cursor included.
// No framework, validation or middleware: the limit for doing this work per request.
import { createServer } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { exitOnSigterm, listenPort, sqlitePath } from "./shared-http.ts";

interface Row {
  id: string;
  slug: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  stock: number;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

const LIMIT = 20;
const connection = new BetterSqlite3(sqlitePath(process.env.DATABASE_URL));
connection.pragma("journal_mode = WAL");
const firstPage = connection.prepare<[number], Row>(
  `select id, slug, name, description, price_cents, currency, stock, archived_at, created_at, updated_at
     from products where archived_at is null
     order by created_at desc, id desc limit ?`,
);
const iso = (ms: number) => new Date(ms).toISOString();

function catalogPage(): string {
  const rows = firstPage.all(LIMIT + 1);
  const items = rows.slice(0, LIMIT).map((row) => ({
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
  const last = rows.length > LIMIT ? rows[LIMIT - 1] : undefined;
  const nextCursor = last
    ? Buffer.from(JSON.stringify({ k: "products:newest", v: last.created_at, id: last.id })).toString("base64url")
    : null;
  return JSON.stringify({ result: { data: { items, nextCursor } } });
}

const server = createServer((request, response) => {
  const body = request.url === "/health" ? '{"status":"ok"}' : catalogPage();
  response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  response.end(body);
});
server.listen(listenPort(), "127.0.0.1");
exitOnSigterm(() => new Promise((resolve) => server.close(resolve)));
