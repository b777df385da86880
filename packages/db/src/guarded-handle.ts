// Every drizzle handle this package hands out (`db`, `reader`, each transaction's `tx`) is
// wrapped here, at the one point all its statements pass through: the session's prepareQuery
// and the prepared query it returns (builders call them when they run, not when they are built).
// - A transaction's handle refuses to run anything once its callback has returned. On a pool
//   its connection goes back to the pool and is soon another request's; a late query there runs
//   inside a stranger's transaction and shares its fate, while its own caller is told it worked.
// - Failed statements throw DatabaseQueryError, which carries no parameter values (query-errors.ts).
import { sanitizeQueryError, TransactionEndedError } from "./query-errors.ts";

export interface HandleState {
  /** False once the transaction's callback has returned; always true for `db`. */
  open: boolean;
  /** Called with the SQL of every statement that succeeded (the change counter's hook). */
  afterStatement?: (sql: string) => void;
}

const RUNNERS = new Set<PropertyKey>(["execute", "all", "get", "values", "run"]);
const states = new WeakMap<object, HandleState>();

/** True when `handle` is a transaction handle whose callback has returned. */
export function hasEnded(handle: object): boolean {
  return states.get(handle)?.open === false;
}

export function guardHandle<T extends object>(handle: T, state: HandleState): T {
  const session = guardSession((handle as unknown as { session: object }).session, state);
  const guarded = new Proxy(handle, {
    get: (target, property, receiver) =>
      property === "session" ? session : (Reflect.get(target, property, receiver) as unknown),
  });
  states.set(guarded, state);
  return guarded;
}

function guardSession(session: object, state: HandleState): object {
  return new Proxy(session, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== "prepareQuery" || typeof value !== "function") return value;
      return function prepareQuery(this: unknown, ...args: unknown[]) {
        const prepared = (value as (...a: unknown[]) => object).apply(this, args);
        return guardPrepared(prepared, (args[0] as { sql: string }).sql, state);
      };
    },
  });
}

const failed = (error: unknown): never => {
  throw sanitizeQueryError(error);
};

function guardPrepared(prepared: object, sql: string, state: HandleState): object {
  const settled = (result: unknown) => {
    state.afterStatement?.(sql);
    return result;
  };
  return new Proxy(prepared, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (!RUNNERS.has(property) || typeof value !== "function") return value;
      return function run(this: unknown, ...args: unknown[]) {
        // Rejects rather than throws: every runner of both drivers returns a promise.
        if (!state.open) return Promise.reject(new TransactionEndedError());
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(this, args);
        } catch (error) {
          failed(error);
        }
        return result instanceof Promise ? result.then(settled, failed) : settled(result);
      };
    },
  });
}
