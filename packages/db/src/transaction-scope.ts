import { AsyncLocalStorage } from "node:async_hooks";

interface Open<Tx> {
  readonly tx: Tx;
  open: boolean;
}

/**
 * Lets a `database.transaction` call made inside another one join it instead of opening a
 * second transaction: on a pool that would be another connection (not atomic with the
 * outer one), and on PGlite's single connection it would wait forever for the outer one.
 * AsyncLocalStorage scopes this to the async context of the outer callback, so a
 * concurrent request never joins by accident. (SQLite gets the same from SqliteGate.)
 */
export class TransactionScope<Tx> {
  readonly #context = new AsyncLocalStorage<Open<Tx>>();

  run<T>(begin: (body: (tx: Tx) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = this.#context.getStore();
    if (outer?.open) return fn(outer.tx);
    return begin(async (tx) => {
      const scope: Open<Tx> = { tx, open: true };
      try {
        return await this.#context.run(scope, () => fn(tx));
      } finally {
        // Work the callback left running in the background must not join a finished transaction.
        scope.open = false;
      }
    });
  }
}
