import { dirname, isAbsolute, resolve } from "node:path";
import type { Dialect } from "./database.ts";

export const DEFAULT_DATABASE_URL = "file:./data/cartwheel.db";

/** What a DATABASE_URL names. The one place that knows the URL forms. */
export type DatabaseTarget =
  | { readonly dialect: "postgres"; readonly url: string }
  /** `path` is `:memory:` or the file path as written (relative paths are relative to the cwd). */
  | { readonly dialect: "sqlite"; readonly url: string; readonly path: string; readonly inMemory: boolean };

const POSTGRES_SCHEMES = ["postgres://", "postgresql://"];
const FILE_SCHEME = "file:";
const MEMORY = ":memory:";

/**
 * Parses a DATABASE_URL:
 * - `postgres://` or `postgresql://`: PostgreSQL (production);
 * - `file:PATH`: a SQLite file (development; created on first use);
 * - `:memory:`: a private in-memory SQLite database (tests).
 * Anything else throws, naming only the scheme (the rest may hold a password).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (POSTGRES_SCHEMES.some((scheme) => url.startsWith(scheme))) return { dialect: "postgres", url };
  if (url === MEMORY) return { dialect: "sqlite", url, path: MEMORY, inMemory: true };
  if (url.startsWith(FILE_SCHEME) && url.length > FILE_SCHEME.length) {
    return { dialect: "sqlite", url, path: url.slice(FILE_SCHEME.length), inMemory: false };
  }
  throw new Error(
    `DATABASE_URL must start with postgres://, postgresql:// or file:, or be :memory: (got "${url.split(":")[0]}:…")`,
  );
}

/** The dialect a URL names, or undefined when it names none (for validation messages). */
export function dialectOf(url: string): Dialect | undefined {
  try {
    return parseDatabaseUrl(url).dialect;
  } catch {
    return undefined;
  }
}

/**
 * The URL with a relative SQLite path made absolute against `baseDir` (the directory the user
 * ran the command from, which npm workspaces do not keep as the cwd). Other URLs are returned as is.
 */
export function resolveDatabaseUrl(url: string, baseDir: string = process.cwd()): string {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== "sqlite" || target.inMemory || isAbsolute(target.path)) return url;
  return `${FILE_SCHEME}${resolve(baseDir, target.path)}`;
}

/**
 * Where development keeps the secrets it generates (the auth secret, the PII keys): beside the
 * SQLite file, or ./data for PostgreSQL. Null for an in-memory database, whose data dies with
 * the process, so throwaway secrets do. The server and the CLI's direct database commands both
 * ask here, so they find the same keys.
 */
export function devSecretsFolder(url: string): string | null {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") return target.inMemory ? null : dirname(target.path);
  return "./data";
}

/** The URL as it may appear in logs and messages (a PostgreSQL password redacted). */
export function displayDatabaseUrl(url: string): string {
  const dialect = dialectOf(url);
  if (dialect === "postgres") return redactUrl(url);
  return dialect === "sqlite" ? url : `${url.split(":")[0]}:…`;
}

/** `postgres://user:secret@host/db` without the secret, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}
