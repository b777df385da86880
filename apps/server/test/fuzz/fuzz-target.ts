// The server the fuzz attacks: the built bundle as production runs it (NODE_ENV=production,
// its own process, a real socket), on a fresh SQLite file or a throwaway PostgreSQL
// database, with a small catalog, one account per role and a few orders already placed.
import { sealUserRow } from "@cartwheel/pii";
import { piiOfEnv, testPiiEnv } from "@cartwheel/pii/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "@cartwheel/auth";
import { createCatalogService } from "@cartwheel/commerce";
import { MAX_PRICE_CENTS, MAX_STOCK } from "@cartwheel/contracts";
import { createDatabase, type Role } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import type { Caller } from "./http-arbitrary.ts";

/** One set of PII keys for every process of the file, as a deployment shares them. */
const PII_ENV = testPiiEnv();
const { pii, emailIndexKey } = piiOfEnv(PII_ENV);

export type FuzzBackend = "sqlite" | "postgres";

export interface Account {
  id: string;
  email: string;
  password: string;
}

export interface FuzzTarget {
  readonly url: string;
  readonly server: ServerProcess;
  /** How the process ended, if it did (it must not). */
  exit(): { code: number | null; signal: string | null } | null;
  readonly accounts: Record<Exclude<Caller, "anonymous">, Account>;
  readonly bounds: { maxBatch: number; maxBodyBytes: number };
  close(): Promise<void>;
}

const MAX_BATCH = 20;
const MAX_BODY_BYTES = 1024 * 1024;

async function databaseUrl(backend: FuzzBackend): Promise<{ url: string; drop: () => Promise<void> }> {
  if (backend === "postgres") return createThrowawayDatabaseUrl();
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-fuzz-"));
  return { url: `file:${join(dir, "fuzz.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Products at the edges of every bound: zero and capped stock, the top price, archived rows, odd names. */
async function seed(url: string): Promise<Record<Exclude<Caller, "anonymous">, Account>> {
  const database = await createDatabase(url, { migrate: true });
  try {
    const catalog = createCatalogService({ database, now: () => new Date() });
    const shapes = [
      { stock: 0, priceCents: 0 },
      { stock: 1, priceCents: 1 },
      { stock: MAX_STOCK, priceCents: MAX_PRICE_CENTS },
      { stock: MAX_STOCK - 3, priceCents: 999 },
      { stock: 50, priceCents: 1250, currency: "EUR" },
    ];
    const names = ["Widget", "Ünïcödé 😀 gadget", "100% _cotton_ \\ tee", "O'Brien's mug", "名前"];
    for (let i = 0; i < 40; i++) {
      const product = await catalog.create(
        { slug: `fuzz-item-${i}`, name: `${names[i % names.length]} ${i}`, ...shapes[i % shapes.length]! },
        null,
      );
      if (i % 9 === 8) await catalog.archive(product.id);
    }
    const accounts = {} as Record<Exclude<Caller, "anonymous">, Account>;
    for (const role of ["customer", "staff", "admin"] as const satisfies Role[]) {
      const account = { email: `fuzz-${role}@example.test`, password: `fuzz-${role}-password-long-enough` };
      const [row] = await database.db
        .insert(database.schema.users)
        .values({
          // Sealed and indexed as sign-up writes them: the server refuses to start beside unindexed accounts.
          ...sealUserRow(pii, emailIndexKey, { email: account.email, name: `Fuzz ${role}` }),
          passwordHash: await hashPassword(account.password),
          role,
        })
        .returning({ id: database.schema.users.id });
      accounts[role] = { ...account, id: row!.id };
    }
    return accounts;
  } finally {
    await database.close();
  }
}

export async function startFuzzTarget(backend: FuzzBackend, bundle: string): Promise<FuzzTarget> {
  const { url, drop } = await databaseUrl(backend);
  try {
    const accounts = await seed(url);
    const redisUrl = backend === "postgres" ? process.env.TEST_REDIS_URL : undefined;
    const server = await startServerProcess(bundle, {
      NODE_ENV: "production",
      // API instances only: production mails through SMTP, and these tests have no mail to send.
      WORKER: "off",
      DATABASE_URL: url,
      AUTH_SECRET: "fuzz-secret-".padEnd(48, "f"),
      ...PII_ENV,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      // Rate limits answer 429 long before the fuzz is through; they have their own tests.
      RATE_LIMIT_USER_PER_MIN: "100000000",
      RATE_LIMIT_IP_PER_MIN: "100000000",
      RATE_LIMIT_API_KEY_PER_MIN: "100000000",
      TRPC_MAX_BATCH: String(MAX_BATCH),
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      LOG_LEVEL: "info",
    });
    return {
      url: server.url,
      server,
      exit: () => server.exitState(),
      accounts,
      bounds: { maxBatch: MAX_BATCH, maxBodyBytes: MAX_BODY_BYTES },
      async close() {
        await server.stop();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}
