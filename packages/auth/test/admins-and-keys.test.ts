// API keys answer to their owner, and no operation leaves the system without an active admin.
import { concurrencyBackends, testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAccount, type KeyActor } from "../src/index.ts";
import { accountDeps, caught, type Harness, newAccount, openHarness } from "./harness.ts";

async function admin(h: Harness): Promise<KeyActor> {
  const user = await createAccount(accountDeps(h), { ...newAccount(), role: "admin" });
  return { kind: "user", id: user.id };
}

async function activeAdmins(h: Harness): Promise<string[]> {
  const { items } = await h.auth.users.list({ limit: 100 });
  return items.filter((user) => user.role === "admin" && !user.disabledAt).map((user) => user.id);
}

describe.each(testBackends())("API keys and admins on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => h.database.close());

  it("a key stops while its owner is disabled, works again once enabled, and is capped at the owner's role", async () => {
    const [owner, other] = [await admin(h), await admin(h)];
    const { key, id } = await h.auth.apiKeys.create({ name: "deploy", role: "admin", createdBy: owner });
    expect(await h.auth.authenticate(key)).toEqual({ kind: "apiKey", id, role: "admin", sessionId: null });

    await h.auth.users.disable(other, owner.id);
    expect((await caught(h.auth.authenticate(key))).message).toBe("This API key's owner is disabled.");
    await h.auth.users.enable(owner.id);
    expect(await h.auth.authenticate(key)).toMatchObject({ role: "admin" });

    await h.auth.users.setRole(other, owner.id, "staff");
    expect(await h.auth.authenticate(key)).toMatchObject({ role: "staff" });

    // A key made with a key belongs to the human behind it.
    const child = await h.auth.apiKeys.create({ name: "child", role: "admin", createdBy: { kind: "apiKey", id } });
    expect(await h.auth.authenticate(child.key)).toMatchObject({ role: "staff" });
    await h.auth.users.disable(other, owner.id);
    expect((await caught(h.auth.authenticate(child.key))).message).toBe("This API key's owner is disabled.");
  });

  it("a key whose owner was deleted stops for good", async () => {
    const owner = await admin(h);
    const { key } = await h.auth.apiKeys.create({ name: "orphan", role: "staff", createdBy: owner });
    const { db, schema: s } = h.database;
    await db.delete(s.users).where(eq(s.users.id, owner.id));
    expect((await caught(h.auth.authenticate(key))).message).toBe("This API key's owner no longer exists.");
  });

  it("an admin key cannot demote or disable its own owner", async () => {
    const owner = await admin(h);
    await admin(h);
    const { id } = await h.auth.apiKeys.create({ name: "ops", role: "admin", createdBy: owner });
    const asKey = { kind: "apiKey", id } as const;
    expect((await caught(h.auth.users.setRole(asKey, owner.id, "customer"))).reason).toBe("self_change");
    expect((await caught(h.auth.users.disable(asKey, owner.id))).reason).toBe("self_change");
  });

  it("refuses to demote or disable the last active admin, whoever asks", async () => {
    const [a, b] = [await admin(h), await admin(h)];
    await h.auth.users.setRole(a, b.id, "customer");
    // b lost the role; were it acting through a key made earlier, it would still be refused here.
    const demote = await caught(h.auth.users.setRole(b, a.id, "staff"));
    expect(demote).toMatchObject({ reason: "last_admin" });
    expect((await caught(h.auth.users.disable(b, a.id))).reason).toBe("last_admin");
    expect(await activeAdmins(h)).toEqual([a.id]);
    // Changes that keep an admin still work, and so do changes to non-admins.
    await h.auth.users.setRole(a, b.id, "admin");
    await h.auth.users.disable(b, a.id);
    await h.auth.users.setRole(b, (await admin(h)).id, "staff");
    expect(await activeAdmins(h)).toEqual([b.id]);
  });
});

describe.each(concurrencyBackends())("last-admin guard under concurrency on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => h.database.close());

  it("two admins demoting or disabling each other at once: exactly one change lands", async () => {
    for (const round of [0, 1, 2, 3]) {
      const [a, b] = [await admin(h), await admin(h)];
      const change = (actor: KeyActor, target: KeyActor) =>
        round % 2 === 0 ? h.auth.users.setRole(actor, target.id, "customer") : h.auth.users.disable(actor, target.id);
      const outcomes = await Promise.allSettled([change(a, b), change(b, a)]);
      const refused = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ reason: "last_admin" });
      expect(await activeAdmins(h)).toHaveLength(1);
      // Start the next round from no admins at all, so the guard is all that stands in the way.
      const { db, schema: s } = h.database;
      await db.update(s.users).set({ role: "customer" }).where(eq(s.users.role, "admin"));
    }
  });
});
