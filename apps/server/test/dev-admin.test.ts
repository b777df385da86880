// Issue 3: "Production never creates accounts by itself"; only a development checkout on the
// embedded SQLite file gets admin@example.com, with its password printed once.
import { openUserRow } from "@cartwheel/pii";
import { piiOfEnv, testPiiEnv } from "@cartwheel/pii/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEV_ADMIN_EMAIL } from "@cartwheel/auth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/services.ts";
import { captureLogs } from "./support/app.ts";

const AUTH_SECRET = "s".repeat(40);
let dir = "";

afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

/** Starts the services on a fresh SQLite file and returns the accounts that exist afterwards. */
async function accountsAfterStart(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "cartwheel-dev-admin-"));
  const printed: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  const piiEnv = testPiiEnv();
  const config = loadConfig({ DATABASE_URL: `file:${join(dir, "cartwheel.db")}`, AUTH_SECRET, ...piiEnv, ...env });
  const services = await createServices(config, captureLogs().logger);
  try {
    const { db, schema } = services.database;
    const rows = await db
      .select({ email: schema.users.email, name: schema.users.name, role: schema.users.role })
      .from(schema.users);
    const { pii } = piiOfEnv(piiEnv);
    const users = rows.map((row) => openUserRow(pii, row)).map(({ email, role }) => ({ email, role }));
    return { users, printed: printed.join("") };
  } finally {
    await services.database.close();
  }
}

describe("accounts created on start", () => {
  it("none in production, even on the embedded SQLite file", async () => {
    const { users, printed } = await accountsAfterStart({ NODE_ENV: "production" });
    expect(users).toEqual([]);
    expect(printed).not.toContain(DEV_ADMIN_EMAIL);
  });

  it("only the development admin in a development checkout, its password printed once", async () => {
    const { users, printed } = await accountsAfterStart({ NODE_ENV: "development" });
    expect(users).toEqual([{ email: DEV_ADMIN_EMAIL, role: "admin" }]);
    expect(printed).toContain(`${DEV_ADMIN_EMAIL} / `);
  });
});
