// SqliteGate's group commit, driven through a fake driver that records the statements: which
// transactions share one SQLite transaction, and which outcome each caller sees when a
// member, the COMMIT, or SQLite itself fails. The real-database side of the same promises is
// in transactions.test.ts and grouped-transactions.test.ts.
import { describe, expect, it } from "vitest";
import { TransactionRetryError } from "../src/query-errors.ts";
import { SqliteGate, type SqliteTransactionDriver } from "../src/sqlite/gate.ts";

function fakeDriver(options: { failCommit?: boolean } = {}) {
  const log: string[] = [];
  let open = false;
  const driver: SqliteTransactionDriver<string> & { log: string[]; abortBySqlite(): void } = {
    tx: "tx",
    log,
    begin: () => {
      log.push("begin");
      open = true;
    },
    commit: () => {
      if (options.failCommit) throw new Error("disk full");
      log.push("commit");
      open = false;
    },
    rollback: () => {
      log.push("rollback");
      open = false;
    },
    savepoint: () => void log.push("savepoint"),
    releaseSavepoint: () => void log.push("release"),
    rollbackToSavepoint: () => void log.push("rollback to savepoint"),
    inTransaction: () => open,
    abortBySqlite: () => {
      open = false;
    },
  };
  return driver;
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe("SqliteGate group commit", () => {
  it("commits a lone transaction by itself", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    expect(await gate.transaction(async () => 42)).toBe(42);
    expect(driver.log).toEqual(["begin", "savepoint", "release", "commit"]);
  });

  it("runs queued transactions inside one SQLite transaction and resolves them after its COMMIT", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    const committedWhenResolved: boolean[] = [];
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        gate
          .transaction(async () => n)
          .then((value) => {
            committedWhenResolved.push(driver.log.includes("commit"));
            return value;
          }),
      ),
    );
    expect(results).toEqual([1, 2, 3]);
    expect(committedWhenResolved).toEqual([true, true, true]);
    expect(driver.log.filter((entry) => entry === "begin")).toHaveLength(1);
    expect(driver.log.filter((entry) => entry === "commit")).toHaveLength(1);
    expect(driver.log.filter((entry) => entry === "savepoint")).toHaveLength(3);
  });

  it("rolls a failing member back to its savepoint and commits the others", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    const outcomes = await Promise.all([
      settle(gate.transaction(async () => "a")),
      settle(
        gate.transaction(async () => {
          throw new Error("b failed");
        }),
      ),
      settle(gate.transaction(async () => "c")),
    ]);
    expect(outcomes[0]).toEqual({ ok: true, value: "a" });
    expect(outcomes[1]).toMatchObject({ ok: false, error: new Error("b failed") });
    expect(outcomes[2]).toEqual({ ok: true, value: "c" });
    expect(driver.log).toEqual([
      "begin",
      "savepoint",
      "release",
      "savepoint",
      "rollback to savepoint",
      "release",
      "savepoint",
      "release",
      "commit",
    ]);
  });

  it("settles a failing member only after the group's COMMIT, with its own error when that succeeds", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    const settledAfterCommit: boolean[] = [];
    const note = <T>(promise: Promise<T>) =>
      settle(promise).then((outcome) => {
        settledAfterCommit.push(driver.log.includes("commit"));
        return outcome;
      });
    const outcomes = await Promise.all([
      note(gate.transaction(async () => "a")),
      note(
        gate.transaction(async () => {
          throw new Error("out of stock");
        }),
      ),
    ]);
    expect(outcomes[1]).toMatchObject({ ok: false, error: new Error("out of stock") });
    expect(settledAfterCommit).toEqual([true, true]);
  });

  it("gives every member, failed ones too, a retryable error when the group's COMMIT fails", async () => {
    const driver = fakeDriver({ failCommit: true });
    const gate = new SqliteGate(driver);
    const outcomes = await Promise.all([
      settle(gate.transaction(async () => 1)),
      settle(
        gate.transaction(async () => {
          // e.g. "out of stock" because member 1 took the last unit, which the failed COMMIT undid
          throw new Error("depends on member 1");
        }),
      ),
      settle(gate.transaction(async () => 3)),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      const { error } = outcome as { error: TransactionRetryError };
      expect(error).toBeInstanceOf(TransactionRetryError);
      expect(error.retryable).toBe(true);
      expect(error.cause).toMatchObject({ message: "disk full" });
    }
    expect(driver.log.at(-1)).toBe("rollback");
    // The gate is usable again afterwards.
    driver.commit = () => void driver.log.push("commit");
    expect(await gate.transaction(async () => "after")).toBe("after");
  });

  it("fails the whole group when SQLite itself ended the transaction", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    const outcomes = await Promise.all([
      settle(gate.transaction(async () => "earlier member")),
      settle(
        gate.transaction(async () => {
          driver.abortBySqlite(); // as SQLITE_FULL or SQLITE_IOERR do
          throw new Error("io error");
        }),
      ),
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { name: "TransactionRetryError" } });
    expect(outcomes[1]).toEqual({ ok: false, error: new Error("io error") });
    expect(driver.log).not.toContain("commit");
  });

  it("holds queries outside any transaction back until the group has committed", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver);
    const seen: string[] = [];
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    // Runs in the test's async context, like another request: it is not the transaction's own.
    const foreign = (async () => {
      await firstStarted;
      for (let wait = gate.blocker(); wait; wait = gate.blocker()) await wait;
      seen.push(driver.log.includes("commit") ? "after commit" : "inside the group");
    })();
    const first = gate.transaction(async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 1;
    });
    await Promise.all([first, gate.transaction(async () => 2), foreign]);
    expect(seen).toEqual(["after commit"]);
  });

  it("never groups more than its limit", async () => {
    const driver = fakeDriver();
    const gate = new SqliteGate(driver, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => gate.transaction(async () => n)));
    expect(driver.log.filter((entry) => entry === "commit")).toHaveLength(3);
  });
});
