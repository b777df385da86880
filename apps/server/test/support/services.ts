// Real Redis and PostgreSQL servers that a test starts, stops and restarts itself.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createThrowawayDatabaseUrl, findPostgresBin, freePort } from "@cartwheel/db/testing";

export interface ControlledServer {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/** redis-server on a random port with no persistence. */
export async function redisServer(): Promise<ControlledServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const server: ControlledServer = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = started;
      await new Promise<void>((resolve, reject) => {
        let output = "";
        started.once("error", (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
        started.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
        started.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ready to accept connections")) resolve();
        });
      });
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    destroy: () => server.stop(),
  };
  await server.start();
  return server;
}

function postgresBin(): string {
  const found = findPostgresBin();
  if (!found) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
  return found;
}

const onPath = (command: string) =>
  (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));

/**
 * Outage suites start and stop their own servers, so they need the server programs, not
 * just a reachable service. Without them a developer's `npm test` leaves these suites out
 * (reported as skipped); under CI=true they always run, and a missing program fails them.
 */
export const canControlPostgres = process.env.CI === "true" || findPostgresBin() !== undefined;
export const canControlRedis = process.env.CI === "true" || onPath("redis-server");

const execFileAsync = promisify(execFile);

/**
 * PostgreSQL refuses to run as root: run its tools as the postgres user then. Asynchronous,
 * so a test's load keeps running (and its latencies stay true) while pg_ctl waits.
 */
async function asPostgres(command: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  await execFileAsync(file, argv);
}

/** A throwaway cluster (initdb into a temp dir) on a random port, trust auth, fsync off. */
export async function postgresServer(): Promise<ControlledServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  await asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const server: ControlledServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await asPostgres(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
    },
    async stop() {
      await asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    async destroy() {
      try {
        await server.stop();
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** CI and a developer with TEST_DATABASE_URL use the PostgreSQL server provided; others start one. */
export const usesProvidedPostgres = process.env.CI === "true" || Boolean(process.env.TEST_DATABASE_URL);

/** A PostgreSQL database for one test file, and how to give it back. */
export interface TestPostgres {
  readonly url: string;
  release(): Promise<void>;
}

/**
 * A throwaway database on the provided server (dropped on release), or, without one, a
 * server of the test's own (destroyed on release).
 */
export async function postgresForTest(): Promise<TestPostgres> {
  if (usesProvidedPostgres) {
    const throwaway = await createThrowawayDatabaseUrl();
    return { url: throwaway.url, release: throwaway.drop };
  }
  const server = await postgresServer();
  return { url: server.url, release: () => server.destroy() };
}
