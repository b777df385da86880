// Secret redaction for log lines, by key name at any depth. pino's own `redact` (paths with
// wildcards) re-parses every path for every top-level key of every line, which on the access
// log costs a large share of the server's CPU per request. This walks each logged object once,
// allocates only when it finds a secret, and covers any depth rather than listed paths.

/** Keys whose values never reach a log line, compared case-insensitively. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  "password",
  "currentpassword",
  "newpassword",
  "token",
  "accesstoken",
  "refreshtoken",
  "apikey",
  "x-api-key",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  // API key creation returns the one-time secret as `key`.
  "key",
  // Hashes are not secrets, but they are offline-attack material and never needed in logs.
  "passwordhash",
  "secrethash",
  // A query's parameter values (drizzle's DrizzleQueryError), which include any of the above.
  "params",
  // Personal data (docs/decisions/021): stored sealed, so never written out in the clear either.
  "email",
  "phone",
  "address",
  "shippingaddress",
  "useragent",
  "user-agent",
  // Client addresses are personal data too: rate limits and throttles key on them, logs do not.
  "ip",
]);

export const CENSOR = "[redacted]";

/** `scheme://user:password@host` → `scheme://user:[redacted]@host`, e.g. a DATABASE_URL in a message. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** Drizzle's query error message ends in a line listing the parameter values. */
const QUERY_PARAMS_LINE = /\nparams: [^\n]*/g;

function stripUrlCredentials(text: string): string {
  // The cheap tests first: almost no log string holds these markers.
  const withoutParams = text.includes("\nparams: ") ? text.replace(QUERY_PARAMS_LINE, `\nparams: ${CENSOR}`) : text;
  if (!withoutParams.includes("://") || !withoutParams.includes("@")) return withoutParams;
  return withoutParams.replace(URL_CREDENTIALS, `$1${CENSOR}@`);
}
const MAX_DEPTH = 8;

function isWalkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  return !(value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer);
}

/**
 * `value` with every secret-named property replaced by the censor. Returns `value` itself
 * (no copy) when it holds no secret; otherwise copies only the objects on the way to one.
 * Errors with a secret inside come back as plain objects carrying type, message and stack.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value === "string") return stripUrlCredentials(value) as T;
  if (!isWalkable(value)) return value;
  // Deeper than we walk: censor rather than risk passing a secret through unseen.
  if (depth > MAX_DEPTH) return CENSOR as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  if (value instanceof Error && stripUrlCredentials(value.message) !== value.message) {
    copy = {
      ...Object.fromEntries(Object.entries(value)),
      type: value.name,
      message: stripUrlCredentials(value.message),
      stack: value.stack === undefined ? undefined : stripUrlCredentials(value.stack),
    };
  }
  for (const key of Object.keys(value)) {
    const item = value[key];
    const redacted = SECRET_KEYS.has(key.toLowerCase()) && item !== undefined ? CENSOR : redactSecrets(item, depth + 1);
    if (redacted !== item) {
      copy ??=
        value instanceof Error
          ? {
              ...Object.fromEntries(Object.entries(value)),
              type: value.name,
              message: value.message,
              stack: value.stack,
            }
          : { ...value };
      copy[key] = redacted;
    }
  }
  return (copy ?? value) as T;
}
