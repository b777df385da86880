import { AsyncLocalStorage } from "node:async_hooks";

interface Holder<Tx> {
  readonly token: symbol;
  readonly tx: Tx;
}

/** The statements the gate needs, run synchronously on the one connection. */
export interface SqliteTransactionDriver<Tx> {
  /** The handle every transaction body receives. */
  readonly tx: Tx;
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  releaseSavepoint(): void;
  rollbackToSavepoint(): void;
  /** False when SQLite itself ended the transaction (it does on SQLITE_FULL, IOERR, BUSY, NOMEM). */
  inTransaction(): boolean;
}

interface Member {
  resolve(): void;
  reject(error: unknown): void;
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
 * throws is rolled back to its savepoint (and rejects at once), one that succeeds resolves only
 * once the group's COMMIT has succeeded. Callers therefore see exactly the outcomes they would
 * see one by one; a failed COMMIT rejects every member of the group, none of which persisted.
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
  /** Members of the open SQLite transaction that succeeded and wait for its COMMIT; null when none is open. */
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
    const holder: Holder<Tx> = { token: Symbol("sqlite-transaction"), tx: this.#driver.tx };
    this.#owner = holder.token;
    try {
      this.#open();
    } catch (error) {
      this.#passOn();
      throw error; // BEGIN failed (e.g. another process holds the write lock): nothing ran
    }
    let result: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      result = { ok: true, value: await this.#context.run(holder, () => fn(holder.tx)) };
      this.#driver.releaseSavepoint();
    } catch (error) {
      result = { ok: false, error };
      this.#undo(error);
    }
    const committed = result.ok ? this.#awaitCommit() : null;
    this.#passOn();
    if (!result.ok) throw result.error;
    await committed;
    return result.value;
  }

  /** Resolves when it is the caller's turn; the connection is then the caller's. */
  #acquire(): Promise<void> | void {
    if (!this.#busy) {
      this.#busy = true;
      return;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Joins the open SQLite transaction, or begins one, and marks this transaction's start. */
  #open(): void {
    if (!this.#group) {
      this.#driver.begin();
      this.#group = [];
      this.#released = new Promise((resolve) => (this.#announceRelease = resolve));
    }
    this.#driver.savepoint();
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

  #awaitCommit(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#group!.push({ resolve, reject }));
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
    this.#group = null;
    try {
      this.#driver.commit();
    } catch (error) {
      this.#group = members;
      this.#failGroup(error);
      return;
    }
    for (const member of members) member.resolve();
  }

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
    for (const member of members) member.reject(error);
  }
}
