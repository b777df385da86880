// Everything the API promises its callers, in one place. The zod-free parts (limits, enums,
// patterns, errors) are also subpath exports, so a browser can import a number or a type
// without zod.
export * from "./enums.ts";
export * from "./errors.ts";
export * from "./limits.ts";
export * from "./patterns.ts";
export * from "./countries.ts";
export * from "./order-reference.ts";
export * from "./inputs/addresses.ts";
export * from "./inputs/accounts.ts";
export * from "./inputs/catalog.ts";
export * from "./inputs/fields.ts";
export * from "./inputs/jobs.ts";
export * from "./inputs/orders.ts";
export * from "./inputs/reports.ts";
export * from "./inputs/webhooks.ts";
export * from "./events.ts";
