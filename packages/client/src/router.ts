import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";
import type { CartwheelContract, CartwheelErrorShape } from "./generated/contract.ts";

interface ProcedureShape {
  "~kind": "query" | "mutation" | "subscription";
  input: unknown;
  output: unknown;
}

// A subscription yields its events as the client receives them (`{ id, data }` for tracked ones).
type EventsOf<O> = AsyncIterable<O>;

type ProcedureOf<P extends ProcedureShape> = P["~kind"] extends "query"
  ? TRPCQueryProcedure<{ input: P["input"]; output: P["output"]; meta: object }>
  : P["~kind"] extends "subscription"
    ? TRPCSubscriptionProcedure<{ input: P["input"]; output: EventsOf<P["output"]>; meta: object }>
    : TRPCMutationProcedure<{ input: P["input"]; output: P["output"]; meta: object }>;

type RecordOf<S> = {
  [K in keyof S]: S[K] extends ProcedureShape ? ProcedureOf<S[K]> : RecordOf<S[K]>;
};

/**
 * The API as a tRPC router type rebuilt from the generated contract. It carries the
 * same procedures, inputs and (JSON) outputs as the server's AppRouter, but no server
 * context, so it type-checks without the server's code or dependencies.
 */
export type CartwheelRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: CartwheelErrorShape; transformer: false },
  RecordOf<CartwheelContract>
>;
