export type { Database, Db, Dialect, Schema } from "./database.ts";
export { createDatabase, DEFAULT_DATABASE_URL } from "./create-database.ts";
export { redactUrl } from "./open-postgres.ts";
export { isDatabaseUnavailable } from "./connection-errors.ts";
export type { QueryObserver } from "./query-observer.ts";
export { containsText, isCheckViolation, isUniqueViolation } from "./queries.ts";
export { newId, orderStatuses, roles, stockReasons } from "./schema/index.ts";
export type { OrderStatus, Role, StockReason } from "./schema/index.ts";
export type { InferSelectModel } from "drizzle-orm";
