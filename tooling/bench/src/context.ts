import { randomBytes } from "node:crypto";
import { peerScript, serverEntry, serverNodeFlags } from "./paths.ts";
import { type Spawned, spawnServer } from "./process.ts";

/** One figure per row of the report; every field but `scenario` and `subject` is optional. */
export interface Row {
  scenario: string;
  subject: string;
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  peakRssBytes?: number;
  /** `full ÷ this peer` for throughput rows. */
  ratio?: number;
  value?: number;
  unit?: string;
  note?: string;
}

export interface ScenarioResult {
  rows: Row[];
  /** Named figures budgets.json refers to. */
  metrics: Record<string, number>;
}

export interface RunContext {
  smoke: boolean;
  /** Temporary folder for databases and logs. */
  workDir: string;
  /** Measured rounds per subject (the median is quoted). */
  rounds: number;
  /** Seconds per measured burst. */
  seconds: number;
  /** Seconds of unmeasured load before the first round (JIT, caches). */
  warmupSeconds: number;
  log(line: string): void;
}

const secret = (bytes: number) => randomBytes(bytes).toString("base64url");
export const METRICS_TOKEN = secret(24);

/** Where a scenario runs: `pg` (PostgreSQL + Redis, production's shape) or `sqlite` (one process). */
export interface Backend {
  /** Prefix of the scenario's metric names: `pg.catalog.ratio.sameBytes`. */
  key: "pg" | "sqlite";
  label: string;
  databaseUrl: string;
  /** Redis for the rate limits (PostgreSQL only: SQLite deployments are one process, limits in memory). */
  redisUrl?: string;
}

/**
 * The real server as deployed (production mode, info logs, every middleware, Redis when the
 * backend has one), with the rate limits raised so they keep counting on every request
 * without ever rejecting. CATALOG_CACHE stays at its default, as in production. It is an API
 * instance as the compose stack runs them (WORKER=off: the worker is its own process there);
 * events still go to the outbox in every placement.
 */
export function fullServerEnv(databaseUrl: string, redisUrl?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    WORKER: "off",
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    LOG_LEVEL: "info",
    RATE_LIMIT_IP_PER_MIN: "1000000000",
    RATE_LIMIT_USER_PER_MIN: "1000000000",
    RATE_LIMIT_API_KEY_PER_MIN: "1000000000",
    AUTH_SECRET: secret(48),
    PII_KEYS: `bench:${secret(32)}:active`,
    PII_INDEX_KEY: secret(32),
    METRICS_TOKEN,
  };
}

export function startFullServer(context: RunContext, name: string, backend: Backend): Promise<Spawned> {
  return spawnServer({
    name,
    args: [...serverNodeFlags(), serverEntry],
    env: fullServerEnv(backend.databaseUrl, backend.redisUrl),
    workDir: context.workDir,
    readyPath: "/ready",
  });
}

/** A peer from src/servers, run through tsx in its own process. */
export function startPeer(context: RunContext, name: string, script: string, env: NodeJS.ProcessEnv): Promise<Spawned> {
  return spawnServer({
    name,
    args: ["--import", "tsx", peerScript(script)],
    env: { ...fullServerEnv(env.DATABASE_URL ?? ""), ...env },
    workDir: context.workDir,
  });
}

/** Runs `body` with the processes, stopping every one of them whatever happens. */
export async function withServers<T>(servers: Spawned[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}
