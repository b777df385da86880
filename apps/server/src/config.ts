import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { DEFAULT_DATABASE_URL, dialectOf } from "@cartwheel/db/url";
import { TracingSettingsError, tracingSettingsFromEnv } from "@cartwheel/tracing";
import { DEFAULT_LOW_STOCK_THRESHOLD, MAX_STOCK } from "@cartwheel/contracts/limits";
import { parseIndexKey, parseKeyRing, PiiConfigError } from "@cartwheel/pii";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
/** An empty variable (e.g. `REDIS_URL=` copied from .env.example) counts as unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const positiveInt = z.coerce.number().int().positive();
/** A comma-separated list; blanks around and between entries are dropped. */
const commaList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
const origins = commaList.pipe(
  z.array(
    z
      .url()
      .refine((url) => new URL(url).origin === url, "each entry must be a bare origin like https://shop.example.com"),
  ),
);

/** A PII key variable, refused with @cartwheel/pii's own message (which never quotes key bytes). */
const piiKeyText = (parse: (text: string) => unknown) =>
  z.string().superRefine((value, issues) => {
    try {
      parse(value);
    } catch (error) {
      if (!(error instanceof PiiConfigError)) throw error;
      issues.addIssue({ code: "custom", message: error.message });
    }
  });

/** Every environment variable the server reads. `.env.example` lists the same set. */
export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .min(1)
    .default(DEFAULT_DATABASE_URL)
    .refine(
      (url) => dialectOf(url) !== undefined,
      "must start with postgres://, postgresql:// or file:, or be :memory:",
    ),
  /** Comma-separated PostgreSQL read replicas; shoppers' catalog reads go to them. Empty = primary only. */
  DATABASE_READ_URLS: commaList.pipe(
    z.array(z.string().refine((url) => dialectOf(url) === "postgres", "each entry must be a postgres:// URL")),
  ),
  /**
   * A direct connection to the primary for the catalog cache's LISTEN session; DATABASE_URL
   * when unset. Needed when DATABASE_URL goes through PgBouncer in transaction mode, where
   * LISTEN receives nothing (packages/db change-feed.ts).
   */
  DATABASE_LISTEN_URL: optional(z.string().refine((url) => dialectOf(url) === "postgres", "must be a postgres:// URL")),
  LOG_LEVEL: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(["error", "warn", "info", "debug"]))
    .default("info"),
  /** Shared Redis for rate limits (and auth revocations) across instances; memory when unset. */
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  /**
   * Redis Cluster instead of REDIS_URL: comma-separated seed node URLs, all redis:// or all
   * rediss:// (the first one's user and password are used for every node).
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^rediss?$/, error: "each entry must be a redis:// or rediss:// URL" }))),
  /** PEM file with the CA that signs the Redis servers' certificates (rediss://); system CAs when unset. */
  REDIS_TLS_CA_FILE: optional(z.string().min(1)),
  /** Number of reverse proxies in front of us whose X-Forwarded-For is trusted; 0 ignores the header. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Comma-separated browser origins allowed cross-origin (with credentials); empty = same-origin only. */
  CORS_ORIGINS: origins,
  /** Calls a minute per signed-in user, per client IP and per API key (rate-limit-rules.ts). */
  RATE_LIMIT_USER_PER_MIN: positiveInt.default(100),
  RATE_LIMIT_IP_PER_MIN: positiveInt.default(1000),
  RATE_LIMIT_API_KEY_PER_MIN: positiveInt.default(6000),
  /** Most procedure calls one tRPC batch request may carry. */
  TRPC_MAX_BATCH: positiveInt.max(100).default(20),
  /**
   * Input limits, checked before a body is read or parsed (input-limits.ts applies them).
   * MAX_BODY_BYTES is one call's body; a batch may carry the sum of its calls' budgets.
   * Bulk procedures (BULK_PROCEDURES) get MAX_BULK_BODY_BYTES, which also caps every batch.
   */
  MAX_BODY_BYTES: positiveInt.default(64 * 1024),
  MAX_BULK_BODY_BYTES: positiveInt.default(8 * 1024 * 1024),
  /** Deepest nesting of arrays and objects in a JSON input. */
  MAX_JSON_DEPTH: positiveInt.max(1000).default(32),
  /** Most array elements plus object members in one request's JSON input. */
  MAX_JSON_ITEMS: positiveInt.default(10_000),
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  /**
   * After SIGTERM/SIGINT, how long the server keeps serving (new connections included) while
   * /ready answers 503, so a load balancer's health check takes it out of rotation first.
   * Set it above the balancer's health-check interval; 0 stops listening at once.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** How long SIGTERM/SIGINT then waits for in-flight requests before closing connections. */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  /** Bearer token for /metrics; required in production (without it /metrics is off there). */
  METRICS_TOKEN: optional(z.string().min(16)),
  /** Commit shown by /version; defaults to the commit the bundle was built from. */
  GIT_COMMIT: optional(z.string().regex(/^[0-9a-f]{7,40}$/, "must be a git commit hash")),
  /** Built web app to serve at / (default: apps/web/dist next to this server). */
  WEB_DIST_DIR: optional(z.string().min(1)),
  /** HS256 key for access tokens. Development generates one in the data folder (auth-secret.ts). */
  AUTH_SECRET: optional(
    z.string().refine((value) => Buffer.byteLength(value) >= 32, "must be at least 32 bytes (openssl rand -base64 48)"),
  ),
  /**
   * The keys personal data is sealed under (@cartwheel/pii): `<id>:<32 bytes base64>`, comma
   * separated, the active one suffixed `:active`. Development generates them in the data folder.
   */
  PII_KEYS: optional(piiKeyText(parseKeyRing)),
  /** The key of the e-mail blind index (32 bytes base64). It never changes: the index is built from it. */
  PII_INDEX_KEY: optional(piiKeyText(parseIndexKey)),
  /**
   * The catalog page cache: shoppers' catalog pages kept in process, invalidated by every
   * product/stock write, this instance's or another's.
   * `auto` enables it wherever every writer can be seen: on SQLite through data_version, on
   * PostgreSQL through the change feed (LISTEN/NOTIFY; while that is down the cache is off).
   */
  CATALOG_CACHE: z.enum(["auto", "on", "off"]).default("auto"),
  /**
   * Safety bound: a cached page older than this is never served, whatever a lost notification
   * might have left behind. Above the feed's dead-connection detection (about 15 s), so it is
   * a backstop rather than the usual eviction.
   */
  CATALOG_CACHE_TTL_SECONDS: positiveInt.max(3600).default(30),
  /** `1`: accounts must verify their e-mail address (the mailed link) before `orders.place`. */
  REQUIRE_VERIFIED_EMAIL: z.enum(["0", "1"]).default("0"),
  /**
   * Tracing (OpenTelemetry) is on when an OTLP endpoint is set; the standard variables,
   * read by @cartwheel/tracing (settings.ts).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(z.string()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(z.string()),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(z.string()),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optional(z.string()),
  OTEL_SERVICE_NAME: optional(z.string()),
  OTEL_TRACES_SAMPLER: optional(z.string()),
  OTEL_TRACES_SAMPLER_ARG: optional(z.string()),
  OTEL_TRACES_EXPORTER: optional(z.string()),
  OTEL_SDK_DISABLED: optional(z.string()),
  /**
   * 1: continue callers' W3C traceparent/tracestate (behind a gateway that sets or vets them).
   * 0: every request starts a trace of its own and a caller's traceparent is only a link,
   * so public clients cannot pick our trace ids or sampling.
   */
  TRUST_TRACE_HEADERS: z
    .enum(["0", "1"])
    .default("0")
    .transform((value) => value === "1"),
  /** `inline` runs the job worker in the server; `off` leaves it to `index.mjs worker` processes. */
  WORKER: z.enum(["inline", "off"]).default("inline"),
  /** A pending order unpaid this long is cancelled by the system (stock goes back). */
  ORDER_PAYMENT_TTL_SECONDS: positiveInt.max(30 * 86_400).default(86_400),
  /**
   * A delivered or cancelled order's shipping address (and phone) is removed this many days
   * after it finished; the order stays, for accounting. 90 days covers returns and carrier claims.
   */
  ORDER_ADDRESS_RETENTION_DAYS: positiveInt.max(3650).default(90),
  /** Ended sessions and used or expired account tokens are deleted after this many days. */
  CREDENTIAL_RETENTION_DAYS: positiveInt.max(3650).default(30),
  /** A product whose stock falls below this tells staff and webhooks, once per crossing. */
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(MAX_STOCK).default(DEFAULT_LOW_STOCK_THRESHOLD),
  /** Completed jobs are deleted after this many days. */
  JOB_RETENTION_DAYS: positiveInt.max(3650).default(14),
  /**
   * `1` lets webhook endpoints use http and private, loopback or link-local addresses (tests,
   * development). Otherwise, in every mode, only https URLs that resolve to public addresses,
   * checked at creation and on every delivery attempt (decision 015).
   */
  /** Settled webhook deliveries (and their attempt log) are deleted after this many days. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: positiveInt.max(3650).default(14),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(["0", "1"])
    .default("0")
    .transform((value) => value === "1"),
});

/** A generated AUTH_SECRET would differ per instance and per restart, signing everyone out. */
const checkedConfigSchema = configSchema.superRefine((config, issues) => {
  if (config.DATABASE_READ_URLS.length > 0 && dialectOf(config.DATABASE_URL) !== "postgres") {
    issues.addIssue({
      code: "custom",
      path: ["DATABASE_READ_URLS"],
      message: "read replicas need a postgres:// DATABASE_URL",
    });
  }
  if (config.DATABASE_LISTEN_URL && dialectOf(config.DATABASE_URL) !== "postgres") {
    issues.addIssue({
      code: "custom",
      path: ["DATABASE_LISTEN_URL"],
      message: "a listen connection needs a postgres:// DATABASE_URL",
    });
  }
  checkRedisTopology(config, issues);
  try {
    tracingSettingsFromEnv(config, "cartwheel");
  } catch (error) {
    if (!(error instanceof TracingSettingsError)) throw error;
    const [, variable, message] = /^Invalid environment variable (\w+): (.*)$/.exec(error.message) ?? [];
    issues.addIssue({
      code: "custom",
      path: [variable ?? "OTEL_EXPORTER_OTLP_ENDPOINT"],
      message: message ?? error.message,
    });
  }
  if (config.NODE_ENV === "production" && (!config.PII_KEYS || !config.PII_INDEX_KEY)) {
    issues.addIssue({
      code: "custom",
      path: [config.PII_KEYS ? "PII_INDEX_KEY" : "PII_KEYS"],
      message: "required in production: personal data is sealed under it (see the README's PII keys)",
    });
  }
  if (config.NODE_ENV === "production" && !config.AUTH_SECRET) {
    issues.addIssue({
      code: "custom",
      path: ["AUTH_SECRET"],
      message: "required in production: at least 32 random bytes (openssl rand -base64 48)",
    });
  }
});

export type Config = z.infer<typeof configSchema>;

/** One way to reach Redis, and a TLS CA only where TLS is used. */
function checkRedisTopology(config: Config, issues: z.RefinementCtx): void {
  const nodes = config.REDIS_CLUSTER_NODES;
  if (config.REDIS_URL && nodes.length > 0) {
    issues.addIssue({
      code: "custom",
      path: ["REDIS_CLUSTER_NODES"],
      message: "set either REDIS_URL or REDIS_CLUSTER_NODES, not both",
    });
  }
  // Refinements also run when an entry failed its own check: skip those here.
  const schemes = new Set(nodes.filter((url) => URL.canParse(url)).map((url) => new URL(url).protocol));
  if (schemes.size > 1) {
    issues.addIssue({
      code: "custom",
      path: ["REDIS_CLUSTER_NODES"],
      message: "all entries must be redis:// or all rediss://",
    });
  }
  const tls = config.REDIS_URL?.startsWith("rediss:") || schemes.has("rediss:");
  if (config.REDIS_TLS_CA_FILE && !tls) {
    issues.addIssue({ code: "custom", path: ["REDIS_TLS_CA_FILE"], message: "only applies to rediss:// URLs" });
  }
}

export class ConfigError extends Error {}

/** Parses the environment; a bad value becomes one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = checkedConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(`Invalid environment variable ${issue.path.join(".")}: ${issue.message}`);
}

/**
 * The environment over the variables of `.env` in the working directory, if there is one.
 * A variable set in the environment wins over the file, as with `node --env-file`, so a
 * deployment's settings are never overridden by a file left in the image.
 */
export function withDotEnv(env: NodeJS.ProcessEnv = process.env, file = ".env"): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return env;
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return { ...parseEnv(text), ...env };
}
