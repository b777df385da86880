export type { Database, Db, Dialect, PortableSelectBuilder, Schema } from "./database.ts";
export { CATALOG_CHANGE_CHANNEL, CHANGE_FEED_APPLICATION_NAME, ORDER_EVENTS_FEED } from "./change-feed.ts";
export type { ChangeFeed, ChangeFeedState } from "./change-feed.ts";
export { createDatabase } from "./create-database.ts";
export type { CreateDatabaseOptions } from "./create-database.ts";
export {
  DEFAULT_DATABASE_URL,
  devSecretsFolder,
  dialectOf,
  displayDatabaseUrl,
  parseDatabaseUrl,
  redactUrl,
  resolveDatabaseUrl,
} from "./database-url.ts";
export type { DatabaseTarget } from "./database-url.ts";
export { isDatabaseUnavailable } from "./connection-errors.ts";
export { DatabaseQueryError, TransactionEndedError, TransactionRetryError } from "./query-errors.ts";
export type { QueryObserver, StatementTracer } from "./query-observer.ts";
export { createEventRecorder } from "./outbox.ts";
export { type LockedUser, lockUser } from "./user-lock.ts";
export type { OutboxOptions, OutboxWriter } from "./outbox.ts";
export { placementSql } from "./postgres-placement.ts";
export type { PlacedLine, PlacementLine, PlacementRequest, PlaceOrderInOneStatement } from "./postgres-placement.ts";
export { placeholder } from "./prepared.ts";
export type { PlaceholderValues, PreparedQuery } from "./prepared.ts";
export { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from "./queries.ts";
export { seedCatalog, seedCatalogIfEmpty } from "./seed/catalog.ts";
export type { SeedCatalogResult, SeedOptions } from "./seed/catalog.ts";
export { demoCatalog } from "./seed/catalog-data.ts";
export { MAX_INT4, MAX_PRICE_CENTS, MAX_STOCK, newId, orderStatuses, roles, stockReasons } from "./schema/index.ts";
export type { AccountTokenPurpose, OrderStatus, Role, StockReason } from "./schema/index.ts";
export type { InferSelectModel } from "drizzle-orm";
