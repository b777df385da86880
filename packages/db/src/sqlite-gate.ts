import { AsyncLocalStorage } from "node:async_hooks";

interface Holder<Tx> {
  readonly token: symbol;
  tx?: Tx;
}

/**
 * Serialises transactions on the single better-sqlite3 connection.
 *
 * Drizzle's better-sqlite3 transactions are synchronous, and an async callback that
 * awaits lets another request's query run on the same connection, where it would
 * commit or roll back with a stranger's transaction. The gate makes every query from
 * outside the open transaction wait until it ends, and queues transactions behind one
 * another. AsyncLocalStorage tells the owner's queries (which pass) from the rest.
 */
export class SqliteGate<Tx> {
  readonly #context = new AsyncLocalStorage<Holder<Tx>>();
  #owner: symbol | null = null;
  #tail: Promise<void> = Promise.resolve();
  #released: Promise<void> = Promise.resolve();

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

  /**
   * Runs `body` as the only user of the connection. `body` receives `bind`, which it
   * calls with the transaction handle once the driver has opened it.
   */
  async exclusive<T>(body: (bind: (tx: Tx) => void) => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let unlock!: () => void;
    this.#tail = new Promise((resolve) => (unlock = resolve));
    await previous;
    // Queries that were already waiting on an earlier transaction must not slip in
    // between its release and our BEGIN, so ownership is taken before yielding again.
    let announceRelease!: () => void;
    this.#released = new Promise((resolve) => (announceRelease = resolve));
    const holder: Holder<Tx> = { token: Symbol("sqlite-transaction") };
    this.#owner = holder.token;
    try {
      return await this.#context.run(holder, () => body((tx) => (holder.tx = tx)));
    } finally {
      this.#owner = null;
      announceRelease();
      unlock();
    }
  }
}
