// The soak runs on PostgreSQL, in a database of its own created on a local server and
// dropped afterwards, so it never touches data it did not make.
import { randomBytes } from "node:crypto";
import pg from "pg";

/** BENCH_POSTGRES_URL, else the test server's TEST_DATABASE_URL, else the local default. */
export const benchPostgresServer = () =>
  process.env.BENCH_POSTGRES_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

async function asAdmin(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Creates `cw_bench_<time>_<random>` on `serverUrl`; `drop()` removes it (and any session left on it). */
export async function throwawayPostgres(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cw_bench_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await asAdmin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(serverUrl, `drop database if exists ${name} with (force)`) };
}
