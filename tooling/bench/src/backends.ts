// Production's shape for the headline figures: PostgreSQL (a throwaway database on a local
// server) and Redis for rate limits, plus the external tools the PostgreSQL set needs.
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { benchPostgresServer, throwawayPostgres } from "./throwaway-postgres.ts";

/**
 * BENCH_REDIS_URL, else TEST_REDIS_URL's server with db index 13, else 127.0.0.1:6379/13.
 * The bench's own index, because the server's keys (`cartwheel:rl:ip:127.0.0.1`, …) are the
 * same in every instance: tests sharing TEST_REDIS_URL's index would see the bench's counts.
 * Nothing is flushed: every key the bench makes is a rate-limit window that expires in 60 s.
 */
export function benchRedisUrl(): string {
  if (process.env.BENCH_REDIS_URL) return process.env.BENCH_REDIS_URL;
  const url = new URL(process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379");
  url.pathname = "/13";
  return url.toString();
}

/** Fails unless Redis answers PING at `url`. */
export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await redis.connect();
    if ((await redis.ping()) !== "PONG") throw new Error("no PONG");
  } catch (error) {
    throw new Error(`Redis at ${url} does not answer (set BENCH_REDIS_URL)`, { cause: error });
  } finally {
    redis.disconnect();
  }
}

/** Fails unless `command` runs (wrk, pgbench: Debian packages `wrk`, `postgresql-client`). */
export function requireTool(command: string, args: string[] = ["--version"]): void {
  const result = spawnSync(command, args, { stdio: "ignore" });
  if (result.error)
    throw new Error(`${command} is not installed (it is on PATH in CI via .ci/run)`, { cause: result.error });
}

/** Runs `body` on a new database on the bench's PostgreSQL server, dropped afterwards. */
export async function withThrowawayPostgres<T>(body: (url: string) => Promise<T>): Promise<T> {
  const server = benchPostgresServer();
  const throwaway = await throwawayPostgres(server).catch((error: unknown) => {
    throw new Error(`no PostgreSQL at ${server} (set BENCH_POSTGRES_URL or TEST_DATABASE_URL)`, { cause: error });
  });
  try {
    return await body(throwaway.url);
  } finally {
    await throwaway.drop();
  }
}
