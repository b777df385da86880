// Child processes for servers and peers: each listens on its own random loopback port,
// its output goes to a log file (as to a log shipper), never through the harness.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@cartwheel/db/testing";

export interface Spawned {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly logFile: string;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** VmHWM from /proc (Linux): the process's peak RSS since it started. */
const peakRssOf = (pid: number | undefined): number => statusBytes(pid, "VmHWM");

/** VmRSS from /proc (Linux): the process's resident set size now. */
export const rssOf = (pid: number | undefined): number => statusBytes(pid, "VmRSS");

function statusBytes(pid: number | undefined, field: "VmHWM" | "VmRSS"): number {
  if (pid === undefined) return 0;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A peer through tsx takes seconds to load on a busy 2-core machine; several start at once. */
const READY_TIMEOUT_MS = 60_000;

export interface SpawnOptions {
  name: string;
  /** Node arguments: the script and its flags. */
  args: string[];
  env: NodeJS.ProcessEnv;
  workDir: string;
  /** Path whose 2xx answer means "ready" (default /health). */
  readyPath?: string;
  timeoutMs?: number;
}

/** Starts `node <args>` with PORT set, and resolves once `readyPath` answers 2xx. */
export async function spawnServer(options: SpawnOptions): Promise<Spawned> {
  const port = await freePort();
  const logFile = join(options.workDir, `${options.name.replace(/[^a-z0-9]+/gi, "-")}.log`);
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, options.args, {
    env: { ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const state: { exited: string | null } = { exited: null };
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      state.exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (state.exited) throw new Error(`${options.name} ${state.exited} before it was ready:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `${options.name} was not ready within ${options.timeoutMs ?? READY_TIMEOUT_MS} ms:\n${tail(logFile)}`,
      );
    }
    if (await answers(`${url}${options.readyPath ?? "/health"}`)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    name: options.name,
    child,
    url,
    logFile,
    peakRss: () => peakRssOf(child.pid),
    async stop() {
      if (state.exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no output)";
  }
}
