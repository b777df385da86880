// SQLite dialect of the logical model. Its twin is ./pg.ts; contract tests fail
// when the two drift apart (tables, columns, nullability, defaults, indexes, row types).
import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { MAX_PRICE_CENTS, MAX_STOCK, sqlBound } from "./bounds.ts";
import {
  accountTokenPurposes,
  jobStates,
  orderStatuses,
  roles,
  stockReasons,
  webhookDeliveryOutcomes,
} from "./enums.ts";
import { newId } from "./ids.ts";

const id = () => text("id").primaryKey().$defaultFn(newId);
const at = (name: string) => integer(name, { mode: "timestamp_ms" });
const createdAt = () =>
  at("created_at")
    .notNull()
    .$defaultFn(() => new Date());
const updatedAt = () =>
  at("updated_at")
    .notNull()
    .$defaultFn(() => new Date());

/**
 * `email` and `name` hold sealed values (@cartwheel/pii), random per write, so nothing can be
 * looked up or kept unique by them: `email_index` (the address's blind index) does both. It
 * is nullable only so an upgrade can add it and then backfill it (`cartwheel pii rotate`);
 * the server refuses to start while any row lacks it.
 */
export const users = sqliteTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    emailIndex: text("email_index"),
    passwordHash: text("password_hash").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull().default("customer"),
    disabledAt: at("disabled_at"),
    emailVerifiedAt: at("email_verified_at"),
    /** When the account's personal data was erased (the row stays for its orders); null otherwise. */
    erasedAt: at("erased_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_index_uq").on(t.emailIndex)],
);

/**
 * Who did what to whom, for acts that must be answerable later (erasing a customer). The
 * actor and subject are plain ids, not foreign keys: the record outlives what it names.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: id(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    subjectId: text("subject_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_subject_idx").on(t.subjectId, t.createdAt)],
);

/**
 * A login session (Lucia's model). Its id is the `sid` claim of access tokens. `user_agent`
 * and `ip` hold sealed values (@cartwheel/pii).
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: createdAt(),
    lastUsedAt: at("last_used_at").notNull(),
    expiresAt: at("expires_at").notNull(),
    absoluteExpiresAt: at("absolute_expires_at").notNull(),
    revokedAt: at("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_expires_idx").on(t.userId, t.expiresAt)],
);

/**
 * Single-use tokens mailed to an account's owner (password reset, e-mail verification). Only
 * a hash of the secret is stored; `used_at` is set by the one redemption that wins.
 */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: accountTokenPurposes }).notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [index("account_tokens_user_idx").on(t.userId, t.purpose)],
);

/** One row per issued refresh token; all tokens of a session form its rotation family. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: id(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    rotatedAt: at("rotated_at"),
    replacedById: text("replaced_by_id"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: id(),
    name: text("name").notNull(),
    role: text("role", { enum: roles }).notNull(),
    secretHash: text("secret_hash").notNull(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: at("expires_at"),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("api_keys_created_at_idx").on(t.createdAt)],
);

export const products = sqliteTable(
  "products",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
    stock: integer("stock").notNull().default(0),
    archivedAt: at("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("products_slug_uq").on(t.slug),
    index("products_created_idx").on(t.createdAt, t.id),
    index("products_price_idx").on(t.priceCents, t.id),
    index("products_name_idx").on(t.name, t.id),
    check("products_stock_range", sql`${t.stock} >= 0 and ${t.stock} <= ${sqlBound(MAX_STOCK)}`),
    check("products_price_range", sql`${t.priceCents} >= 0 and ${t.priceCents} <= ${sqlBound(MAX_PRICE_CENTS)}`),
  ],
);

export const orders = sqliteTable(
  "orders",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: orderStatuses }).notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    requestHash: text("request_hash").notNull(),
    version: integer("version").notNull().default(1),
    /** The sealed shipping address and phone (@cartwheel/pii); null when none was given, or once removed. */
    shippingAddress: text("shipping_address"),
    /** Set when the order is marked shipped; shown to the customer. */
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("orders_user_idempotency_uq").on(t.userId, t.idempotencyKey),
    // The short id people type is the id's last 8 hex digits (decision 020), at position 29 of its text form.
    index("orders_short_id_idx").on(sql`substr(${t.id}, 29)`),
    index("orders_user_created_idx").on(t.userId, t.createdAt),
    index("orders_status_created_idx").on(t.status, t.createdAt),
    // Staff's unfiltered order list walks (created_at, id) newest first.
    index("orders_created_idx").on(t.createdAt, t.id),
  ],
);

/** A customer's saved shipping addresses, each sealed whole (@cartwheel/pii). */
export const addresses = sqliteTable(
  "addresses",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("addresses_user_idx").on(t.userId, t.createdAt)],
);

export const orderItems = sqliteTable(
  "order_items",
  {
    id: id(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    productName: text("product_name").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (t) => [index("order_items_order_idx").on(t.orderId)],
);

export const orderEvents = sqliteTable(
  "order_events",
  {
    id: id(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    fromStatus: text("from_status", { enum: orderStatuses }),
    toStatus: text("to_status", { enum: orderStatuses }).notNull(),
    actorId: text("actor_id"),
    createdAt: createdAt(),
    /**
     * Commit order of the events (the live stream's event ids). An insert trigger (migration
     * 0005) sets it to one past the highest; SQLite's writes are serialized, so that is commit order.
     */
    seq: integer("seq").notNull().default(0),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.createdAt), uniqueIndex("order_events_seq_uq").on(t.seq)],
);

export const stockMovements = sqliteTable(
  "stock_movements",
  {
    id: id(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    delta: integer("delta").notNull(),
    reason: text("reason", { enum: stockReasons }).notNull(),
    orderId: text("order_id").references(() => orders.id),
    actorId: text("actor_id"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("stock_movements_product_idx").on(t.productId, t.createdAt)],
);

/**
 * Domain events, written in the transaction of the change that causes them (see
 * packages/db/src/outbox.ts); the relay hands each to the job engine and stamps `published_at`.
 */
export const outboxEvents = sqliteTable(
  "outbox_events",
  {
    id: id(),
    type: text("type").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    /** W3C trace context of the request that caused the event, so its jobs join that trace. */
    traceContext: text("trace_context"),
    occurredAt: at("occurred_at")
      .notNull()
      .$defaultFn(() => new Date()),
    publishedAt: at("published_at"),
  },
  (t) => [index("outbox_events_unpublished_idx").on(t.publishedAt, t.occurredAt)],
);

/**
 * The job queue of the in-process engine (@cartwheel/jobs' table engine). PostgreSQL runs jobs
 * on pg-boss instead; the pg twin stays empty. `singleton_key` dedupes cron slots across processes.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: id(),
    name: text("name").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    state: text("state", { enum: jobStates }).notNull().default("created"),
    /** Attempts started so far; the next attempt's number is `attempts + 1`. */
    attempts: integer("attempts").notNull().default(0),
    retryLimit: integer("retry_limit").notNull(),
    retryDelaySeconds: integer("retry_delay_seconds").notNull(),
    retryBackoff: integer("retry_backoff", { mode: "boolean" }).notNull(),
    singletonKey: text("singleton_key").unique(),
    startAfter: at("start_after").notNull(),
    /** While active: when the claim lapses and another worker may take the job again. */
    lockedUntil: at("locked_until"),
    lastError: text("last_error"),
    createdAt: at("created_at").notNull(),
    completedAt: at("completed_at"),
  },
  (t) => [index("jobs_due_idx").on(t.state, t.startAfter), index("jobs_listing_idx").on(t.state, t.createdAt, t.id)],
);

/**
 * Where signed webhooks go (packages/webhooks). The signing secret must be recoverable (the
 * server signs with it), so unlike API keys it is not hashed: `secret_ciphertext` is the
 * AES-256-GCM sealing of it under a key derived from AUTH_SECRET, bound to the row's id
 * (decision 015). `event_types` is the JSON array of subscribed webhookEventTypes.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: id(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_created_idx").on(t.createdAt, t.id)],
);

/**
 * One event for one endpoint: `body` is the JSON sent, the same bytes on every attempt, and
 * the event id is the webhook-id, so receivers drop duplicates. Unique per (endpoint, event),
 * so a fan-out that runs twice creates nothing new.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    outcome: text("outcome", { enum: webhookDeliveryOutcomes }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_uq").on(t.endpointId, t.eventId),
    index("webhook_deliveries_listing_idx").on(t.endpointId, t.createdAt, t.id),
    // The daily purge of settled deliveries (webhooks.purge) finds the old ones by this.
    index("webhook_deliveries_updated_idx").on(t.updatedAt),
  ],
);

/** Every try of a delivery, for the admin's delivery log: status code, latency, why it failed. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: id(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    attemptedAt: at("attempted_at").notNull(),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_attempt_uq").on(t.deliveryId, t.attempt)],
);
