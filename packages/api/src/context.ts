import type { AuthService } from "@cartwheel/auth";
import type {
  AddressBook,
  CatalogService,
  OrderEventHub,
  OrderMailReader,
  OrderService,
  Reports,
} from "@cartwheel/commerce";
import type { Database, Role } from "@cartwheel/db";
import type { JobEngine } from "@cartwheel/jobs";
import type { Logger, Metrics } from "@cartwheel/observability";
import type { WebhookService } from "@cartwheel/webhooks";

/** Who is calling, as established by the gateway from a bearer token or API key. */
export interface Actor {
  readonly kind: "user" | "apiKey";
  /** User id, or API key id. */
  readonly id: string;
  readonly role: Role;
  /** Session id (`sid`) for users; null for API keys. */
  readonly sessionId: string | null;
}

export interface CookieOptions {
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: "Lax" | "Strict" | "None";
  path?: string;
  maxAgeSeconds?: number;
}

/** The request's cookies, without tying routers to an HTTP framework. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
  delete(name: string, options: CookieOptions): void;
}

/**
 * Long-lived dependencies shared by every request. Each domain package adds its
 * service here; routers reach them only through the context.
 */
export interface Services {
  readonly database: Database;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Prometheus metrics; absent in tests that do not assert on them. */
  readonly metrics?: Metrics;
  readonly auth: AuthService;
  readonly catalog: CatalogService;
  readonly orders: OrderService;
  /** Customers' saved shipping addresses. */
  readonly addresses: AddressBook;
  /** Live order events for subscriptions (orders.events). */
  readonly orderEvents: OrderEventHub;
  /** What order and stock mail reads at send time, names and addresses opened (the mail jobs). */
  readonly orderMail: OrderMailReader;
  /** Staff reports (reports.sales). */
  readonly reports: Reports;
  /**
   * The job queue, for the jobs admin router. Every server process creates the engine after the
   * services (its handlers use them) and adds it here; tests that build services without one
   * get SERVICE_UNAVAILABLE from that router.
   */
  readonly jobs?: JobQueue;
  /** Webhook endpoints and their deliveries (the admin's `webhooks` router, the delivery jobs). */
  readonly webhooks: WebhookService;
}

/** What the jobs admin router uses of the engine: the dead letter's listing and redrive. */
export type JobQueue = Pick<JobEngine, "list" | "show" | "retry">;

/** Everything a procedure may know about the current request. */
export interface Context {
  readonly services: Services;
  readonly requestId: string;
  readonly actor: Actor | null;
  readonly ip: string;
  readonly userAgent: string | null;
  /** True when Origin or Sec-Fetch-Site prove the request came from our own pages. */
  readonly sameOrigin: boolean;
  /**
   * From the server's validated config, so error payloads follow the same NODE_ENV as the
   * rest of the app: production hides stacks and internal messages.
   */
  readonly production: boolean;
  readonly cookies: CookieJar;
  /** Extra HTTP response headers (e.g. Retry-After); the adapter sends them with any outcome. */
  readonly responseHeaders: Headers;
  /** Request-scoped logger carrying the request id. */
  readonly logger: Logger;
}
