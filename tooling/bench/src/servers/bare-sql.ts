// Peer: bare node:http + better-sqlite3 running the SQL catalog.list runs (first page,
// newest first, 20 items) and writing the same JSON, tRPC envelope and cursor included.
// No framework, validation or middleware: the limit for doing this work per request.
import { createServer } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { CATALOG_LIMIT, type CatalogRow, catalogPageJson, FIRST_PAGE_COLUMNS } from "./catalog-page.ts";
import { exitOnSigterm, listenPort, sqlitePath } from "./shared-http.ts";

const connection = new BetterSqlite3(sqlitePath(process.env.DATABASE_URL));
connection.pragma("journal_mode = WAL");
const firstPage = connection.prepare<[number], CatalogRow>(
  `select ${FIRST_PAGE_COLUMNS} from products where archived_at is null order by created_at desc, id desc limit ?`,
);

const server = createServer((request, response) => {
  const body = request.url === "/health" ? '{"status":"ok"}' : catalogPageJson(firstPage.all(CATALOG_LIMIT + 1));
  response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  response.end(body);
});
server.listen(listenPort(), "127.0.0.1");
exitOnSigterm(() => new Promise((resolve) => server.close(resolve)));
