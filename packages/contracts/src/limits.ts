// Every bound the API promises, as plain numbers: the input schemas (inputs/*.ts), the
// services, the database's CHECK constraints, the CLI and the web app all read them here.
// No imports, so a browser bundle that only needs a number pays for nothing else.

/** The largest value of a 32-bit integer column (PostgreSQL `integer`). */
export const MAX_INT4 = 2_147_483_647;
/** Keeps every stock level, plus any single change to it, inside a 32-bit integer column. */
export const MAX_STOCK = 1_000_000_000;
/** Keeps a line total (at most ORDER_LINE_MAX_QUANTITY units) inside a 32-bit integer column. */
export const MAX_PRICE_CENTS = 100_000_000;

/** Timestamps a caller may send: years 1 to 9999, inside both JavaScript's `Date` and PostgreSQL's range. */
export const MIN_TIMESTAMP_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const MAX_TIMESTAMP_MS = Date.parse("9999-12-31T23:59:59.999Z");

// Products
export const SLUG_MAX_LENGTH = 120;
export const PRODUCT_NAME_MAX_LENGTH = 200;
export const PRODUCT_DESCRIPTION_MAX_LENGTH = 5000;
export const DEFAULT_CURRENCY = "USD";
export const STOCK_NOTE_MAX_LENGTH = 500;
/** Items in one `catalog.upsertMany` call; the CLI's import sends a CSV in batches of this size. */
export const MAX_UPSERT_ITEMS = 500;
export const CATALOG_SEARCH_MAX_LENGTH = 200;

// Listings
export const PAGE_SIZE_MIN = 1;
export const PAGE_SIZE_MAX = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const CURSOR_MAX_LENGTH = 512;

// Orders
export const ORDER_MAX_LINES = 50;
export const ORDER_LINE_MAX_QUANTITY = 100;
export const CARRIER_MAX_LENGTH = 60;
export const TRACKING_NUMBER_MAX_LENGTH = 100;

// Shipping addresses
export const ADDRESS_LINE_MAX_LENGTH = 200;
export const CITY_MAX_LENGTH = 100;
export const REGION_MAX_LENGTH = 100;
export const POSTAL_CODE_MAX_LENGTH = 20;
/** E.164: a plus sign and at most 15 digits. */
export const PHONE_MAX_LENGTH = 16;
export const MAX_SAVED_ADDRESSES = 10;

// Accounts
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 100;
export const USER_SEARCH_MAX_LENGTH = 100;
/** Passwords count graphemes (what people see as characters), between these bounds. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/**
 * The most UTF-16 code units a password input may have, checked before anything else looks
 * at it. 128 graphemes of real text stay well below it (even emoji sequences average < 8 units).
 */
export const PASSWORD_MAX_INPUT_LENGTH = 1024;
export const PASSWORD_TOO_SHORT = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
export const PASSWORD_TOO_LONG = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
export const REFRESH_TOKEN_MAX_LENGTH = 200;
/** A mailed password-reset or verification token (`<uuid>.<secret>`, 69 characters today). */
export const ACCOUNT_TOKEN_MAX_LENGTH = 128;
/** How long a mailed password-reset link works; the mail, the web app and the CLI say so. */
export const PASSWORD_RESET_TTL_MINUTES = 30;
export const DEVICE_TOKEN_MAX_LENGTH = 100;
export const API_KEY_NAME_MAX_LENGTH = 100;
export const API_KEY_MAX_LENGTH = 128;

// Webhooks
/** Tries per webhook delivery (packages/webhooks retry.ts spaces them over about a day); then it is dead. */
export const WEBHOOK_MAX_ATTEMPTS = 11;
/** A webhook URL, checked before it is parsed or resolved (browsers and proxies agree on 2 KiB). */
export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;
/** Endpoints one shop may have: each event fans out to every one, so the count bounds the work. */
export const MAX_WEBHOOK_ENDPOINTS = 50;
/** Deliveries one `webhooks.deliveries` call returns, newest first, each with its attempts. */
export const WEBHOOK_DELIVERIES_PAGE_MAX = 100;
/** Job names (`orders.expire_unpaid`) and the error text a failed job keeps. */
export const JOB_NAME_MAX = 64;
export const JOB_ERROR_MAX = 2000;

/** Stock below which a product counts as running low, unless LOW_STOCK_THRESHOLD says otherwise. */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

// Reports (reports.sales)
/** The longest date range one report covers, in days (a year, leap day included). */
export const REPORT_MAX_DAYS = 366;
/** Days a report covers when the caller names no range: the last 30, today included. */
export const REPORT_DEFAULT_DAYS = 30;
/** Best-selling products a sales report lists. */
export const REPORT_TOP_PRODUCTS = 10;
/** Low-stock products a sales report lists, lowest stock first. */
export const REPORT_LOW_STOCK = 10;

// Live order updates (orders.events over server-sent events).
/** Open event streams one user (or API key) may hold on one instance: a few tabs and a CLI. */
export const MAX_SUBSCRIPTIONS_PER_USER = 10;
/** Open event streams one client address may hold on one instance (offices behind one NAT). */
export const MAX_SUBSCRIPTIONS_PER_IP = 50;
/** Heartbeat on an idle stream, well under the 60 s idle timeout common to proxies. */
export const SUBSCRIPTION_PING_MS = 15_000;
/** A client that hears nothing (not even a ping) for this long reconnects. */
export const SUBSCRIPTION_RECONNECT_AFTER_INACTIVITY_MS = 40_000;
/** Events one catch-up read returns; a longer backlog is read in pages of this size. */
export const ORDER_EVENTS_PAGE = 200;
/** An event id: the order-events table's sequence number, as decimal digits. */
export const ORDER_EVENT_ID_MAX_LENGTH = 15;
