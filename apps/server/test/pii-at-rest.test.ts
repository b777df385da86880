// Issue: PII encrypted at rest. After a sign-up, a sign-in (a session with its IP and user
// agent), a saved address and an order shipped to it, no row of the database holds a name,
// e-mail address, phone number, address part, IP or user agent in the clear, on SQLite and
// PostgreSQL alike. And the server will not start while accounts from before the upgrade lack
// their e-mail index, since sign-in could not find them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthService } from "@cartwheel/auth";
import { createCommerceServices } from "@cartwheel/commerce";
import { createDatabase } from "@cartwheel/db";
import { openTestDatabase, testBackends } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { testPii, testPiiEnv } from "@cartwheel/pii/testing";
import { getTableName, isTable } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/services.ts";
import { captureLogs } from "./support/app.ts";

const account = {
  email: "zebulon.quartermaine@pii-probe.example",
  password: "Quartermaine keeps a secret 9",
  name: "Zebulon Quartermaine",
};
const now = () => new Date();
const meta = { ip: "203.0.113.177", userAgent: "PiiProbe/7.3 (X11; Quartzline)" };
const address = {
  name: "Octavia Wisteria-Holt",
  line1: "77 Wisteria Crescent",
  line2: "Apartment Nineteen",
  city: "Tunbridgeham",
  region: "Kentishire",
  postalCode: "TN48 9QZ",
  country: "GB",
  phone: "+44 20 7946 0958",
};

/**
 * What must appear nowhere, as typed and as stored once normalised. Only strings of 6 or more
 * characters: a shorter one (the country code) turns up by chance inside base64 ciphertext.
 */
const secrets = [
  account.email,
  account.email.split("@")[0]!,
  account.name,
  "Quartermaine",
  meta.ip,
  meta.userAgent,
  "PiiProbe",
  "Quartzline",
  address.name,
  "Wisteria",
  address.line1,
  address.line2,
  address.city,
  address.region,
  address.postalCode,
  address.phone,
  "+442079460958",
  "7946 0958",
  "79460958",
];

describe.each(testBackends({ sqlite: "file" }))("personal data at rest on %s", (backend) => {
  it("leaves no name, e-mail, phone, address part, IP or user agent in any row", async () => {
    const database = await openTestDatabase(backend);
    try {
      const keys = testPii();
      const logger = createLogger({ level: "error" });
      const auth = createAuthService({
        database,
        now,
        logger,
        secret: crypto.getRandomValues(new Uint8Array(32)),
        ...keys,
      });
      const { catalog, addresses, orders } = createCommerceServices({ database, now, ...keys });

      await auth.register(account, meta);
      const { user } = await auth.login({ email: account.email, password: account.password }, meta);
      await addresses.save(user.id, { address });
      const product = await catalog.create({ slug: "probe-mug", name: "Probe mug", priceCents: 900, stock: 3 }, null);
      const order = await orders.place(user.id, {
        items: [{ productId: product.id, quantity: 1 }],
        idempotencyKey: crypto.randomUUID(),
        shippingAddress: address,
      });
      // What was written reads back whole through the services.
      expect(await auth.me(user.id)).toMatchObject({ email: account.email, name: account.name });
      expect((await auth.sessions(user.id, null))[0]).toMatchObject(meta);
      expect((await orders.byId(order.id, { id: user.id, staff: true })).shippingAddress).toMatchObject({
        line1: address.line1,
        phone: "+442079460958",
      });

      // Every row of every table, every column: the four holding PII and the rest besides.
      const rowsOf: Record<string, number> = {};
      for (const table of Object.values(database.schema)) {
        if (!isTable(table)) continue;
        const rows: unknown[] = await database.db.select().from(table);
        for (const row of rows) {
          const text = JSON.stringify(row).toLowerCase();
          for (const secret of secrets) {
            expect(text, `${getTableName(table)} holds "${secret}"`).not.toContain(secret.toLowerCase());
          }
        }
        rowsOf[getTableName(table)] = rows.length;
      }
      expect(rowsOf).toMatchObject({ users: 1, sessions: 1, addresses: 1, orders: 1 });
    } finally {
      await database.close();
    }
  });
});

describe("starting over accounts from before the upgrade", () => {
  it("refuses in one line naming how many accounts lack an e-mail index, and how to fix it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-unindexed-"));
    try {
      const url = `file:${join(dir, "cartwheel.db")}`;
      const old = await createDatabase(url);
      // As the upgrade's migration leaves them: plaintext, email_index null.
      await old.db.insert(old.schema.users).values([
        { email: "before-1@example.test", passwordHash: "x", name: "Before One" },
        { email: "before-2@example.test", passwordHash: "x", name: "Before Two" },
      ]);
      await old.close();
      const config = loadConfig({ DATABASE_URL: url, AUTH_SECRET: "u".repeat(40), ...testPiiEnv() });
      const refusal = await createServices(config, captureLogs().logger).then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(refusal?.message).toBe(
        "2 accounts have no e-mail index yet: run `cartwheel pii rotate` (see the README's upgrade notes)",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
