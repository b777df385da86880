// Input to scripts/generate-contract.mjs, never imported at run time. The compiler's
// declaration emit prints `contract` with every type expanded, so the generated file
// describes the API with plain object types and no import of the server's packages.
import type {
  AnyTRPCProcedure,
  inferProcedureInput,
  inferTransformedProcedureOutput,
  inferProcedureOutput,
  TrackedEnvelope,
  TRPCRouterRecord,
} from "@trpc/server";
import type { Serialize } from "@trpc/server/unstable-core-do-not-import";
import type { AppRouter } from "@cartwheel/api";

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
type LastOf<U> = UnionToIntersection<U extends unknown ? () => U : never> extends () => infer L ? L : never;
type UnionToTuple<U, L = LastOf<U>> = [U] extends [never] ? [] : [...UnionToTuple<Exclude<U, L>>, L];

// A union of string literals that has a name elsewhere (e.g. OrderStatus) would be printed
// by that name. Listing its members in a tuple defeats that; the generator turns the
// marker back into a plain union.
type ExpandStrings<S> = [S] extends [never] ? never : string extends S ? string : { "~literals": UnionToTuple<S> };

// The true branch of `T extends infer O` drops the alias, which forces the compiler to
// print the structure instead of a name it would have to import.
type ExpandOther<T> = T extends number | boolean | bigint | null | undefined | void
  ? T
  : T extends readonly unknown[]
    ? { [K in keyof T]: Expand<T[K]> }
    : T extends object
      ? T extends infer O
        ? { [K in keyof O]: Expand<O[K]> }
        : never
      : T;

type Expand<T> = ExpandStrings<Extract<T, string>> | ExpandOther<Exclude<T, string>> extends infer R ? R : never;

/** One event of a subscription as JSON: `{ id, data }` for tracked() ones. */
type EventOf<O> =
  O extends AsyncIterable<infer E, unknown, unknown>
    ? E extends TrackedEnvelope<infer D>
      ? { id: string; data: Serialize<D> }
      : Serialize<E>
    : never;

// Outputs go through tRPC's own JSON `Serialize` (the wire has no transformer): Date → string.
type Shape<R extends TRPCRouterRecord> = {
  [K in keyof R]: R[K] extends AnyTRPCProcedure
    ? {
        "~kind": R[K]["_def"]["type"];
        input: inferProcedureInput<R[K]>;
        // A subscription's output is one event as it arrives: `{ id, data }` for tracked() events.
        output: R[K]["_def"]["type"] extends "subscription"
          ? EventOf<inferProcedureOutput<R[K]>>
          : inferTransformedProcedureOutput<AppRouter, R[K]>;
      }
    : R[K] extends TRPCRouterRecord
      ? Shape<R[K]>
      : never;
};

declare function expand<T>(): T extends unknown ? Expand<T> : never;

export const contract = expand<Shape<AppRouter["_def"]["record"]>>();
export const errorShape = expand<AppRouter["_def"]["_config"]["$types"]["errorShape"]>();
