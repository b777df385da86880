// The built `cartwheel` binary against the built server on a fresh SQLite file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCartwheelClient } from "@cartwheel/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProductRow } from "../src/commands/product-csv.ts";
import {
  cartwheel,
  type CliResult,
  closedPort,
  ensureBuilt,
  productCsv,
  type RunningServer,
  startServer,
} from "./harness.ts";

const ADMIN_EMAIL = "ops-admin@example.test";
const ADMIN_PASSWORD = "correct horse battery staple 42";

let dir = "";
let server: RunningServer;
let env: Record<string, string> = {};

interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: Array<{ line: number; slug: string; reason: string }>;
}

const run = (args: string[], input?: string): Promise<CliResult> => cartwheel(args, { env, input: input ?? "" });
const listAll = async (): Promise<ProductRow[]> => {
  const result = await run(["products", "list", "--all", "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ProductRow[];
};

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-e2e-"));
  const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  env = { XDG_CONFIG_HOME: join(dir, "config") };
  // No admin exists yet: the CLI writes the first one straight into the database.
  const created = await cartwheel(
    ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password-stdin", "--database-url", databaseUrl],
    { env, input: `${ADMIN_PASSWORD}\n` },
  );
  if (created.code !== 0 || !created.stderr.includes(`Created admin ${ADMIN_EMAIL}`)) {
    throw new Error(`bootstrapping the admin failed: ${created.stderr}`);
  }
  // One admin makes every call of this file within a minute or two; rate-limit.e2e.test.ts covers the limit.
  server = await startServer({ DATABASE_URL: databaseUrl, RATE_LIMIT_USER_PER_MIN: "1000" }, dir);
  env = { ...env, CARTWHEEL_URL: server.url };
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cartwheel against a real server", () => {
  it("refuses wrong credentials with one line and exit 1", async () => {
    const result = await run(["login", "--email", ADMIN_EMAIL, "--password-stdin"], "not-the-password\n");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: UNAUTHORIZED: /);
  });

  it("logs in with --password-stdin and stores the tokens with mode 0600", async () => {
    const result = await run(["login", "--email", ADMIN_EMAIL, "--password-stdin"], `${ADMIN_PASSWORD}\n`);
    expect(result.stderr).toContain(`Logged in to ${server.url} as ${ADMIN_EMAIL} (admin)`);
    expect(result.code).toBe(0);
    const file = join(dir, "config/cartwheel/credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ url: server.url, email: ADMIN_EMAIL });

    const whoami = await run(["whoami", "--json"]);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: ADMIN_EMAIL, role: "admin" });
  });

  it("imports 1,000 rows, lists all 1,000, and a re-import of the export changes nothing", async () => {
    const before = (await listAll()).length;
    const file = join(dir, "products.csv");
    writeFileSync(file, productCsv(1000));

    const imported = await run(["products", "import", file, "--json"]);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout) as ImportReport;
    expect(report).toMatchObject({ rows: 1000, created: 1000, updated: 0, unchanged: 0, failed: [] });
    process.stdout.write(`[measure] import of 1,000 rows: ${imported.ms.toFixed(0)} ms wall\n`);

    const listed = await listAll();
    expect(listed.filter((product) => product.slug.startsWith("e2e-product-"))).toHaveLength(1000);
    expect(listed).toHaveLength(before + 1000);
    const sample = listed.find((product) => product.slug === "e2e-product-0010");
    expect(sample).toMatchObject({ description: 'Line one, with "quotes"\nline two', priceCents: 110, stock: 10 });

    const exported = join(dir, "export.csv");
    const exportRun = await run(["products", "export", "--format", "csv", "--output", exported]);
    expect(exportRun.code).toBe(0);
    const reimport = await run(["products", "import", exported, "--json"]);
    expect(reimport.code).toBe(0);
    expect(JSON.parse(reimport.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: before + 1000, failed: [] });
    expect(await listAll()).toEqual(listed);
  });

  it("exports JSON with the same columns", async () => {
    const result = await run(["products", "export", "--format", "json", "--q", "Product 0007"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        slug: "e2e-product-0007",
        name: "Product 0007",
        description: "Plain description 0007",
        price_cents: 107,
        currency: "USD",
        stock: 7,
      },
    ]);
  });

  it("reports bad rows by CSV line and writes none of the file", async () => {
    const before = await listAll();
    const file = join(dir, "bad.csv");
    writeFileSync(
      file,
      [
        "slug,name,description,price_cents,currency,stock",
        "fresh-one,Fresh one,ok,100,USD,1", // line 2: valid, must not be written either
        'fresh-two,Fresh two,"spans',
        'two lines",200,USD,2', // lines 3-4: valid
        "Bad Slug,Bad slug,,100,USD,1", // line 5
        "fresh-three,,missing name,100,USD,1", // line 6
        "fresh-four,Price,,12.50,USD,1", // line 7
        "fresh-five,Currency,,100,usd,1", // line 8
        "fresh-one,Duplicate,,100,USD,-1", // line 9
      ].join("\n"),
    );
    const result = await run(["products", "import", file]);
    expect(result.code).toBe(1);
    const failedLines = [...result.stdout.matchAll(/^line (\d+)/gm)].map((match) => Number(match[1]));
    expect(failedLines).toEqual([5, 6, 7, 8, 9]);
    expect(result.stdout).toContain("failed 5 (of 7 rows)");
    expect(result.stderr).toContain("No row was written");
    expect(await listAll()).toEqual(before);
  });

  it("checks arguments before calling the server (exit 2)", async () => {
    expect((await run(["products", "list", "--limit", "many"])).code).toBe(2);
    const unknown = await run(["products", "frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command");
  });

  it("reports an unreachable server in one line with exit 1", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await cartwheel(["products", "list"], { env: { ...env, CARTWHEEL_URL: url } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([`error: cannot reach ${url} (ECONNREFUSED)`]);
  });

  it("prints a stack trace only with --debug", async () => {
    // A well-formed id of no order: the server's NOT_FOUND, not the CLI's own usage check.
    const missing = "0190d7a2-3b4c-7d5e-8f60-718293a4b5c6";
    const plain = await run(["orders", "show", missing]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: NOT_FOUND: /);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await run(["--debug", "orders", "show", missing]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it("refreshes an expired access token and stores the rotated tokens", async () => {
    const file = join(dir, "config/cartwheel/credentials.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { tokens: Record<string, string> };
    const expired = { ...stored, tokens: { ...stored.tokens, accessTokenExpiresAt: new Date(0).toISOString() } };
    writeFileSync(file, JSON.stringify(expired), { mode: 0o600 });

    const result = await run(["whoami"]);
    expect(result.stdout).toContain(ADMIN_EMAIL);
    expect(result.code).toBe(0);
    const after = JSON.parse(readFileSync(file, "utf8")) as { tokens: Record<string, string> };
    expect(after.tokens.refreshToken).not.toBe(stored.tokens.refreshToken);
    expect(Date.parse(after.tokens.accessTokenExpiresAt!)).toBeGreaterThan(Date.now());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("manages products, stock, orders, users and API keys", async () => {
    const created = await run([
      "products",
      "create",
      "--slug",
      "cli-mug",
      "--name",
      "CLI mug",
      "--price-cents",
      "1299",
      "--stock",
      "3",
      "--json",
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: "cli-mug", priceCents: 1299, stock: 3 });
    expect((await run(["products", "update", "cli-mug", "--price-cents", "1499"])).code).toBe(0);
    const adjusted = await run(["stock", "adjust", "cli-mug", "-2", "--reason", "damaged in storage", "--json"]);
    expect(JSON.parse(adjusted.stdout)).toMatchObject({ stock: 1, priceCents: 1499 });
    const shown = await run(["products", "show", "cli-mug"]);
    expect(shown.stdout).toMatch(/price\s+14\.99 USD/);
    expect((await run(["products", "archive", "cli-mug"])).code).toBe(0);
    expect(JSON.parse((await run(["products", "show", "cli-mug", "--json"])).stdout).archivedAt).toEqual(
      expect.any(String),
    );

    const orders = await run(["orders", "list", "--status", "paid", "--json"]);
    expect(orders.code).toBe(0);
    expect(JSON.parse(orders.stdout)).toEqual([]);
    expect((await run(["orders", "list", "--status", "lost"])).code).toBe(2);

    const key = await run(["api-keys", "create", "--name", "importer", "--role", "staff"]);
    expect(key.code).toBe(0);
    const secret = key.stdout.trim();
    const viaKey = await cartwheel(["products", "list", "--limit", "1", "--json"], {
      env: { ...env, CARTWHEEL_API_KEY: secret },
    });
    expect(viaKey.code).toBe(0);
    expect(JSON.parse(viaKey.stdout)).toHaveLength(1);
    const keys = JSON.parse((await run(["api-keys", "list", "--json"])).stdout) as Array<{ id: string; name: string }>;
    const importer = keys.find((candidate) => candidate.name === "importer")!;
    expect((await run(["api-keys", "revoke", importer.id])).code).toBe(0);
    const revoked = await cartwheel(["products", "create", "--slug", "nope", "--name", "Nope", "--price-cents", "1"], {
      env: { ...env, CARTWHEEL_API_KEY: secret },
    });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/^error: UNAUTHORIZED/);

    const admin = await run(["api-keys", "create", "--name", "ops-bot", "--role", "admin"]);
    const adminSecret = admin.stdout.trim();
    const keyWhoami = await cartwheel(["whoami"], { env: { ...env, CARTWHEEL_API_KEY: adminSecret } });
    expect(keyWhoami.stdout).toBe(`API key "ops-bot" (admin) at ${server.url}\n`);
    const keyWhoamiJson = await cartwheel(["whoami", "--json"], { env: { ...env, CARTWHEEL_API_KEY: adminSecret } });
    expect(JSON.parse(keyWhoamiJson.stdout)).toMatchObject({ kind: "apiKey", name: "ops-bot", role: "admin" });
    const wrongKey = await cartwheel(["whoami"], {
      env: { ...env, CARTWHEEL_API_KEY: `${adminSecret.slice(0, -1)}${adminSecret.endsWith("a") ? "b" : "a"}` },
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^error: UNAUTHORIZED: The API key is not valid\./);
    const revokedWhoami = await cartwheel(["whoami"], { env: { ...env, CARTWHEEL_API_KEY: secret } });
    expect(revokedWhoami.stderr).toMatch(/^error: UNAUTHORIZED: This API key was revoked\./);

    const users = JSON.parse((await run(["users", "list", "--json"])).stdout) as Array<{ email: string; role: string }>;
    expect(users).toEqual([expect.objectContaining({ email: ADMIN_EMAIL, role: "admin" })]);
    const self = await run(["users", "set-role", ADMIN_EMAIL, "staff"]);
    expect(self.code).toBe(1);
    expect(self.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("erases a customer only once confirmed: without a terminal, only with --yes", async () => {
    const email = "erase-me@example.test";
    const created = await cartwheel(
      ["users", "create", "--email", email, "--role", "customer", "--password-stdin", "--json"].concat([
        "--database-url",
        `file:${join(dir, "cartwheel.db")}`,
      ]),
      { env, input: "Erase me kindly 5\n" },
    );
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const unconfirmed = await run(["users", "erase", email]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/cannot be undone: confirm on a terminal, or pass --yes/);
    const found = async () => JSON.parse((await run(["users", "list", "--q", email, "--json"])).stdout) as unknown[];
    expect(await found()).toHaveLength(1);

    const erased = await run(["users", "erase", email, "--yes", "--json"]);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toEqual({ id, erased: true });
    expect(await found()).toEqual([]);
    const again = await run(["users", "erase", id, "--yes"]);
    expect(again.code).toBe(0); // erasing twice changes nothing and is not an error
    const signIn = await cartwheel(["login", "--email", email, "--password-stdin"], {
      env: { ...env, XDG_CONFIG_HOME: join(dir, "erased-config") },
      input: "Erase me kindly 5\n",
    });
    expect(signIn.code).toBe(1);
  });

  it("client: concurrent calls rejected with an invalid access token share one real refresh", async () => {
    const login = await createCartwheelClient({ url: server.url }).auth.login.mutate({
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
      transport: "token",
    });
    const paths: string[] = [];
    const countingFetch = (input: string | URL | Request, init?: RequestInit) => {
      paths.push(new URL(input instanceof Request ? input.url : input).pathname);
      return fetch(input, init);
    };
    const seen: unknown[] = [];
    const client = createCartwheelClient({
      url: server.url,
      // A token the server cannot verify: every call gets UNAUTHORIZED until the client renews.
      tokens: {
        accessToken: "not-a-valid-token",
        accessTokenExpiresAt: login.accessTokenExpiresAt,
        refreshToken: login.refreshToken!,
      },
      onTokens: (tokens) => seen.push(tokens),
      fetch: countingFetch,
    });

    const results = await Promise.all(Array.from({ length: 5 }, () => client.auth.me.query()));

    expect(results.map((me) => me.email)).toEqual(Array(5).fill(ADMIN_EMAIL));
    expect(paths.filter((path) => path.endsWith("/auth.refresh"))).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });

  it("users create shares sign-up's rules: refuses a weak, an oversized and a duplicate account clearly", async () => {
    const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
    const create = (email: string, password: string) =>
      cartwheel(
        ["users", "create", "--email", email, "--role", "staff", "--password-stdin", "--database-url", databaseUrl],
        {
          env,
          input: `${password}\n`,
        },
      );
    const weak = await create("weak@example.test", "password1");
    expect([weak.code, weak.stderr]).toEqual([
      1,
      "error: password refused: This password is too common. Choose another.\n",
    ]);
    const huge = await create("huge@example.test", "a".repeat(70_000));
    expect([huge.code, huge.stderr]).toEqual([1, "error: password refused: Use at most 128 characters.\n"]);
    const duplicate = await create(` ${ADMIN_EMAIL.toUpperCase()}`, "a perfectly fine passphrase");
    expect([duplicate.code, duplicate.stderr]).toEqual([1, "error: An account with this email already exists.\n"]);
    const badEmail = await create("not-an-email", "a perfectly fine passphrase");
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain("Enter a valid email address.");
    const made = await create("Staffer@Example.test", "a perfectly fine passphrase");
    expect(made.stderr).toContain("Created staff staffer@example.test");
  });

  it("logs out and forgets the credentials", async () => {
    const result = await run(["logout"]);
    expect(result.code).toBe(0);
    const after = await run(["whoami"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Not logged in");
  });
});
