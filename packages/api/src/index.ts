import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, type AppRouter } from "./root.ts";
export { createCallerFactory } from "./trpc.ts";
export { INTERNAL_ERROR_MESSAGE, type ErrorData, type ErrorShape } from "./error-format.ts";
export type { Actor, Context, CookieJar, CookieOptions, JobQueue, Services } from "./context.ts";

/** Input types of every procedure, e.g. `RouterInputs["orders"]["place"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Output types of every procedure, e.g. `RouterOutputs["catalog"]["list"]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
