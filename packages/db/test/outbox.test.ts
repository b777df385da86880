// The outbox's promise: an event commits and rolls back with the change it belongs to, and a
// malformed event fails that change instead of reaching a job.
import { describe, expect, it } from "vitest";
import { createEventRecorder } from "../src/outbox.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

const userId = "0b6c2f8e-6a51-4c3e-9a8e-2f1d7c3b5a90";

describe.each(testBackends())("outbox on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);
  const rows = async () => {
    const { db, schema } = database();
    return db.select().from(schema.outboxEvents);
  };

  it("records the event with the transaction that commits, payload and trace context intact", async () => {
    const { db, schema } = database();
    await db.delete(schema.outboxEvents);
    const recorder = createEventRecorder(database(), { traceContext: () => "00-trace-span-01" });
    await database().transaction((tx) => recorder.record(tx, { type: "user.registered", payload: { userId } }));
    const [row] = await rows();
    expect(row).toMatchObject({ type: "user.registered", payload: { userId }, traceContext: "00-trace-span-01" });
    expect(row!.publishedAt).toBeNull();
  });

  it("keeps nothing of a rolled-back transaction", async () => {
    const { db, schema } = database();
    await db.delete(schema.outboxEvents);
    const recorder = createEventRecorder(database());
    await expect(
      database().transaction(async (tx) => {
        await recorder.record(tx, { type: "user.registered", payload: { userId } });
        throw new Error("the change fails after its event");
      }),
    ).rejects.toThrow("the change fails after its event");
    expect(await rows()).toEqual([]);
  });

  it("refuses a payload that does not match its event type", async () => {
    const { db, schema } = database();
    await db.delete(schema.outboxEvents);
    const recorder = createEventRecorder(database());
    const malformed = { type: "user.registered", payload: { userId: "not-a-uuid" } } as const;
    await expect(database().transaction((tx) => recorder.record(tx, malformed))).rejects.toThrow(/uuid/i);
    expect(await rows()).toEqual([]);
  });
});
