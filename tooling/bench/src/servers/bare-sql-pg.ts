// Peer: bare node:http + a pg Pool (the server's pool size) running the SQL catalog.list runs
// on PostgreSQL and writing the same JSON. A named statement, so pg prepares it once per
// connection, as the server's prepared statements are.
import { createServer } from "node:http";
import pg from "pg";
import { CATALOG_LIMIT, type CatalogRow, catalogPageJson, FIRST_PAGE_COLUMNS } from "./catalog-page.ts";
import { exitOnSigterm, listenPort } from "./shared-http.ts";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const firstPage = {
  name: "bench_catalog_first_page",
  text: `select ${FIRST_PAGE_COLUMNS} from products where archived_at is null order by created_at desc, id desc limit $1`,
  values: [CATALOG_LIMIT + 1],
};

const server = createServer((request, response) => {
  const send = (status: number, body: string) => {
    response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    response.end(body);
  };
  if (request.url === "/health") return send(200, '{"status":"ok"}');
  pool.query<CatalogRow>(firstPage).then(
    (result) => send(200, catalogPageJson(result.rows)),
    (error: unknown) => send(500, JSON.stringify({ error: String(error) })),
  );
});
server.listen(listenPort(), "127.0.0.1");
exitOnSigterm(async () => {
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
});
