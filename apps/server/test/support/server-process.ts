// A real server process (the built bundle), as production runs it, for multi-instance tests.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

const builtBundle = fileURLToPath(new URL("../../dist/index.mjs", import.meta.url));

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** What the process printed so far, for failure messages. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) once the process is gone. */
  readonly exited: Promise<number | null>;
  /** How the process ended, or null while it runs (for checks that must not wait). */
  exitState(): { code: number | null; signal: string | null } | null;
  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node <bundle>` on a random port with only the given variables (plus PATH), so
 * nothing leaks in from the test runner's environment, and resolves once it logs its URL.
 */
export async function startServerProcess(
  bundle: string,
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bundle], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${output}`)), 60_000);
    const onExit = (code: number | null) => fail(new Error(`server exited (${code}) before listening:\n${output}`));
    const onData = () => {
      for (const line of output.split("\n")) {
        const found = listeningUrl(line);
        if (found) {
          cleanup();
          resolve(found);
          return;
        }
      }
    };
    function cleanup() {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout.off("data", onData);
    }
    function fail(error: Error) {
      cleanup();
      child.kill("SIGKILL");
      reject(error);
    }
    child.once("exit", onExit);
    child.stdout.on("data", onData);
  });

  let ended: { code: number | null; signal: string | null } | null = null;
  child.once("exit", (code, signal) => (ended = { code, signal }));
  return {
    url,
    pid: child.pid!,
    exited,
    exitState: () => ended,
    output: () => output,
    stop: () => stop(child, exited),
  };
}

/**
 * The built server on its own SQLite file, started before the suite's tests and stopped (its
 * folder removed) after them. Call the returned function inside tests.
 */
export function builtServerForSuite(name: string): () => ServerProcess {
  let dir = "";
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `cartwheel-${name}-`));
    server = await startServerProcess(builtBundle, {
      DATABASE_URL: `file:${join(dir, "cartwheel.db")}`,
      AUTH_SECRET: `${name}-test-secret-`.padEnd(48, "x"),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!server) throw new Error("the suite's server starts in beforeAll");
    return server;
  };
}

/** As a load balancer does: no traffic before /ready says the database (and Redis) answer. */
export async function untilReady(instance: ServerProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await fetch(`${instance.url}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${instance.url} not ready (last status ${status}):\n${instance.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function listeningUrl(line: string): string | null {
  if (!line.startsWith("{")) return null;
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === "server listening" && entry.url ? entry.url : null;
  } catch {
    return null; // a partial line; the next chunk completes it
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
