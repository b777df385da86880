import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { CartwheelRouter } from "./router.ts";

export { createCartwheelClient, type CartwheelClient, type CartwheelClientOptions } from "./client.ts";
export {
  errorCode,
  errorData,
  errorDetails,
  isNetworkError,
  type CartwheelErrorData,
  type ErrorDetails,
  type ErrorReason,
} from "./errors.ts";
export { newTraceparent, type RetryPolicy } from "./links.ts";
/** The API's router type; `AppRouter` is the name tRPC's docs and tooling use for it. */
export type { CartwheelRouter, CartwheelRouter as AppRouter } from "./router.ts";
export type { CartwheelTokens } from "./tokens.ts";
export { isTRPCClientError, TRPCClientError } from "@trpc/client";

/** Input types of every procedure, e.g. `RouterInputs["orders"]["place"]`. */
export type RouterInputs = inferRouterInputs<CartwheelRouter>;
/** Output types as they arrive over the wire (timestamps are ISO strings), e.g. `RouterOutputs["catalog"]["list"]`. */
export type RouterOutputs = inferRouterOutputs<CartwheelRouter>;
/** One event of a subscription as `onData` receives it, e.g. `SubscriptionEvent<RouterOutputs["orders"]["events"]>`. */
export type SubscriptionEvent<T> = T extends AsyncIterable<infer E> ? E : never;
