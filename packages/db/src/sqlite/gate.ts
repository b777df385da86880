import { AsyncLocalStorage } from "node:async_hooks";
import { TransactionRetryError } from "../query-errors.ts";
import { type BusyRetryPolicy, retryWhileBusy } from "./busy-retry.ts";

interface Holder<Tx> {
  readonly token: symbol;
  readonly tx: Tx;
}

/** The statements the gate needs, run synchronously on the one connection. */
export interface SqliteTransactionDriver<Tx> {
  /** The handle every transaction body receives, unless `openHandle` gives each its own. */
  readonly tx: Tx;
  /** A handle for one transaction; `end()` runs when its callback has returned. */
  openHandle?(): { tx: Tx; end(): void };
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  releaseSavepoint(): void;
  rollbackToSavepoint(): void;
  /** How BEGIN waits while another process holds the write lock (busy-retry.ts). */
  readonly busyRetry?: BusyRetryPolicy;
  /** False when SQLite itself ended the transaction (it does on SQLITE_FULL, IOERR, BUSY, NOMEM). */
  inTransaction(): boolean;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

interface Member {
  /** What the member's own callback did; it stands only if the group commits. */
  outcome: Outcome;
  settle(outcome: Outcome): void;
}

/** Owner while the connection passes from one grouped transaction to the next: blocks everyone. */
const HANDOVER = Symbol("sqlite-handover");

/**
 * Serialises transactions on the single better-sqlite3 connection, and commits them in groups.
 *
 * Drizzle's SQLite transactions would be synchronous, and an async callback that awaits lets
 * another request's query run on the same connection, where it would commit or roll back with
 * a stranger's transaction. The gate makes every query from outside the open transaction wait
 * until it ends, and queues transactions behind one another. AsyncLocalStorage tells the
 * owner's queries (which pass) from the rest.
 *
 * Group commit: a COMMIT in WAL mode writes every page the transaction dirtied (two write
 * calls per page), which on a busy server cost more than all of a small transaction's
 * statements. So when further transactions are already queued as one finishes, the next one
 * runs inside the same SQLite transaction, each under its own SAVEPOINT: a transaction that
 * throws is rolled back to its savepoint. Every member is settled only once the group's COMMIT
 * has succeeded, failures too: a member may have failed because of an earlier member's
 * uncommitted write (it saw the stock that member took), and that write only counts if the
 * COMMIT does. When the COMMIT fails (or SQLite ends the transaction itself), nothing of the
 * group persisted, and every member rejects with a TransactionRetryError: retrying is expected
 * to succeed, and no caller is told an outcome that rested on a write that never happened.
 * A transaction that finds nobody queued commits immediately, so an idle server adds no
 * latency, and a group is capped so queries outside transactions are not held back for long.
 */
export class SqliteGate<Tx> {
  readonly #context = new AsyncLocalStorage<Holder<Tx>>();
  readonly #driver: SqliteTransactionDriver<Tx>;
  readonly #maxGroup: number;
  #owner: symbol | null = null;
  /** A transaction holds the connection or is being handed it. */
  #busy = false;
  /** Transactions waiting for the connection, first come first served. */
  readonly #waiting: (() => void)[] = [];
  #released: Promise<void> = Promise.resolve();
  #announceRelease: () => void = () => {};
  /** Members of the open SQLite transaction, waiting for its COMMIT; null when none is open. */
  #group: Member[] | null = null;

  constructor(driver: SqliteTransactionDriver<Tx>, maxGroup = 64) {
    this.#driver = driver;
    this.#maxGroup = maxGroup;
  }

  /** The transaction this async context is inside, so nested calls join it. */
  current(): Tx | undefined {
    const holder = this.#context.getStore();
    return holder && holder.token === this.#owner ? holder.tx : undefined;
  }

  /**
   * A promise to wait on while a transaction owned by another async context holds the
   * connection, or null when the caller may go ahead. Callers loop until null and then
   * run their statement synchronously, so nothing can begin in between.
   */
  blocker(): Promise<void> | null {
    const blocked = this.#owner !== null && this.#context.getStore()?.token !== this.#owner;
    return blocked ? this.#released : null;
  }

  /** Runs `fn` atomically as the only user of the connection (see the class comment). */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    await this.#acquire();
    const handle = this.#driver.openHandle?.() ?? { tx: this.#driver.tx, end() {} };
    const holder: Holder<Tx> = { token: Symbol("sqlite-transaction"), tx: handle.tx };
    try {
      await this.#enter(holder.token);
    } catch (error) {
      this.#passOn();
      throw error; // BEGIN failed (e.g. another process held the write lock too long): nothing ran
    }
    let value: T | undefined;
    let outcome: Outcome;
    try {
      // Awaited inside the context: a callback that returns a query builder (a thenable) gets it
      // run by that await, and it must run as this transaction's own query.
      value = await this.#context.run(holder, async () => await fn(holder.tx));
      this.#driver.releaseSavepoint();
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
      this.#undo(error);
    } finally {
      handle.end();
    }
    // #undo may have lost the group (SQLite rolled it back): then this member has its own error.
    const committed = this.#group ? this.#awaitCommit(outcome) : Promise.reject((outcome as { error: unknown }).error);
    this.#passOn();
    await committed;
    return value as T;
  }

  /**
   * Takes the connection for the caller: joins the open SQLite transaction, or begins one
   * (waiting without blocking while another process holds the write lock), then marks this
   * transaction's start. The owner is set in the same synchronous step as a successful BEGIN,
   * so no foreign query can slip in between.
   */
  async #enter(token: symbol): Promise<void> {
    if (this.#group) {
      this.#owner = token;
      this.#driver.savepoint();
      return;
    }
    await retryWhileBusy(() => {
      this.#driver.begin();
      this.#group = [];
      this.#released = new Promise((resolve) => (this.#announceRelease = resolve));
      this.#owner = token;
    }, this.#driver.busyRetry);
    this.#driver.savepoint();
  }

  /** Resolves when it is the caller's turn; the connection is then the caller's. */
  #acquire(): Promise<void> | void {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Rolls back what the failed transaction did, and only that, when SQLite still allows it. */
  #undo(error: unknown): void {
    if (this.#driver.inTransaction()) {
      try {
        this.#driver.rollbackToSavepoint();
        this.#driver.releaseSavepoint();
        return;
      } catch {
        // Fall through: the open transaction cannot be trusted any more.
      }
    }
    // SQLite rolled everything back itself (or could not undo the savepoint): the group is lost.
    this.#failGroup(error);
  }

  /** Settles with the member's own outcome once the group has committed. */
  #awaitCommit(outcome: Outcome): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.#group!.push({ outcome, settle: (final) => (final.ok ? resolve() : reject(final.error)) }),
    );
  }

  /**
   * Lets the next queued transaction join the open group, or commits it and releases the
   * connection. A transaction's statements all run within one turn of the event loop (SQLite
   * answers synchronously), so other requests only reach the queue when I/O gets its turn:
   * with nobody queued yet, the group stays open (everyone else blocked) until the event loop
   * has polled once more (setImmediate), and commits then if still nobody joined.
   */
  #passOn(deferred = false): void {
    const next = this.#waiting.shift();
    const joinable = this.#group !== null && this.#group.length < this.#maxGroup;
    if (next && joinable) {
      this.#owner = HANDOVER;
      next();
      return;
    }
    if (!next && joinable && !deferred && this.#group!.length > 0) {
      this.#owner = HANDOVER;
      setImmediate(() => this.#passOn(true));
      return;
    }
    if (this.#group) this.#commitGroup();
    // Queries that waited outside any transaction run before the next transaction begins.
    this.#owner = null;
    this.#announceRelease();
    if (next) next();
    else this.#busy = false;
  }

  #commitGroup(): void {
    const members = this.#group!;
    try {
      this.#driver.commit();
    } catch (error) {
      this.#failGroup(error);
      return;
    }
    this.#group = null;
    for (const member of members) member.settle(member.outcome);
  }

  /** Ends the group without committing: nothing of it persisted, so every member may retry. */
  #failGroup(error: unknown): void {
    const members = this.#group ?? [];
    this.#group = null;
    if (this.#driver.inTransaction()) {
      try {
        this.#driver.rollback();
      } catch {
        // Nothing more to undo.
      }
    }
    const retry = new TransactionRetryError(
      "The transaction could not be committed, so none of it was saved; retry it.",
      error,
    );
    for (const member of members) member.settle({ ok: false, error: retry });
  }
}
