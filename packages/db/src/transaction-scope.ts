import { AsyncLocalStorage } from "node:async_hooks";
import { guardHandle, type HandleState } from "./guarded-handle.ts";

interface Open<Tx> extends HandleState {
  readonly tx: Tx;
}

/**
 * PostgreSQL transactions (pool and PGlite). Each callback gets its own guarded handle, which
 * refuses queries once the callback has returned (guarded-handle.ts).
 *
 * A `database.transaction` call made inside another one joins it instead of opening a second
 * transaction: on a pool that would be another connection (not atomic with the outer one),
 * and on PGlite's single connection it would wait forever for the outer one.
 * AsyncLocalStorage scopes this to the async context of the outer callback, so a concurrent
 * request never joins by accident. (SQLite gets the same from its gate.)
 */
export class TransactionScope<Tx extends object> {
  readonly #context = new AsyncLocalStorage<Open<Tx>>();
  readonly #onCommit: () => void;

  /** `onCommit` runs after each outermost transaction committed. */
  constructor(onCommit: () => void = () => {}) {
    this.#onCommit = onCommit;
  }

  /** The handle of the transaction open in this async context, if any. */
  current(): Tx | undefined {
    const open = this.#context.getStore();
    return open?.open ? open.tx : undefined;
  }

  async run<T>(begin: (body: (tx: Tx) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const outer = this.#context.getStore();
    if (outer?.open) return fn(outer.tx);
    const result = await begin(async (tx) => {
      const state = { open: true };
      const scope: Open<Tx> = Object.assign(state, { tx: guardHandle(tx, state) });
      try {
        // Awaited inside the context, so a returned query builder (a thenable) runs in it too.
        return await this.#context.run(scope, async () => await fn(scope.tx));
      } finally {
        // Work the callback left running in the background must neither join a finished
        // transaction nor run on its connection.
        state.open = false;
      }
    });
    this.#onCommit();
    return result;
  }
}
