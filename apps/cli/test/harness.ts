import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const serverEntry = `${repoRoot}/apps/server/dist/index.mjs`;
const cliEntry = `${repoRoot}/apps/cli/bin/cartwheel.mjs`;

/** `npm test` builds everything first; a lone run of this suite builds what it needs. */
export function ensureBuilt(): void {
  if (existsSync(serverEntry) && existsSync(`${repoRoot}/apps/cli/dist/cli.mjs`)) return;
  execFileSync(
    "npx",
    ["turbo", "run", "build", "--filter=@cartwheel/cli", "--filter=@cartwheel/server", "--output-logs=errors-only"],
    {
      cwd: repoRoot,
      stdio: "inherit",
    },
  );
}

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

/** Starts the built server on a free port and resolves once it logs where it listens. */
export function startServer(env: Record<string, string>, cwd: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [serverEntry], {
    cwd,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    // A server that never reports in is killed, so a failed start leaves no process behind.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start in 60 s: ${stderr}`));
    }, 60_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    // Keep draining stdout (access logs) so the server never blocks on a full pipe.
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (match && line.includes("listening")) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop: () => stopProcess(child) });
      }
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built `cartwheel` binary as a user would, with its own environment. */
export function cartwheel(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliEntry, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** A CSV in the import format; `description` of some rows has commas, quotes and newlines. */
export function productCsv(count: number, { prefix = "e2e", priceBase = 100 } = {}): string {
  const lines = ["slug,name,description,price_cents,currency,stock"];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(4, "0");
    const description = i % 10 === 0 ? `"Line one, with ""quotes""\nline two"` : `Plain description ${n}`;
    lines.push(`${prefix}-product-${n},Product ${n},${description},${priceBase + i},USD,${i % 50}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A port nothing listens on: bound by the OS, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
