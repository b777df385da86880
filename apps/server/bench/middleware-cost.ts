// Measures what the gateway middleware costs: req/s of catalog.list through the full app
// (request id, access log, headers, CORS, IP, limits, rate limiter, metrics) versus bare
// Hono + tRPC on the same services and database. Each variant runs in its own process;
// autocannon drives it from another.
//
//   npx tsx bench/middleware-cost.ts [seconds=10] [connections=10]
//
// The rate limits are raised so the limiter runs on every request without rejecting.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const [seconds = "10", connections = "10"] = process.argv.slice(2);
const serverDir = fileURLToPath(new URL("..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "cartwheel-bench-"));
const databaseUrl = `file:${join(dataDir, "bench.db")}`;
const path = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startVariant(variant: "full" | "bare", logLevel: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "bench/variant-server.ts", variant], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      AUTH_SECRET: randomBytes(48).toString("base64"),
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: logLevel,
      RATE_LIMIT_IP_PER_MIN: "1000000000",
      RATE_LIMIT_USER_PER_MIN: "1000000000",
    },
    // Log lines go to a pipe we drain, as they would to a log shipper.
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout.resume();
  for (let attempt = 0; attempt < 200; attempt++) {
    const up = await fetch(`${url}${path}`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`${variant} server did not come up`);
}

function run(url: string): { rps: number; p50: number; p99: number; non2xx: number } {
  const autocannon = join(serverDir, "../../node_modules/.bin/autocannon");
  const raw = execFileSync(autocannon, ["-j", "-c", connections, "-d", seconds, `${url}${path}`], {
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const result = JSON.parse(raw) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
  };
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

execFileSync("npx", ["tsx", "../../packages/db/src/cli/seed.ts"], {
  cwd: serverDir,
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: "ignore",
});

const rows: string[] = [];
try {
  for (const [variant, logLevel] of [
    ["bare", "info"],
    ["full", "info"],
    ["full", "warn"],
  ] as const) {
    const { child, url } = await startVariant(variant, logLevel);
    run(url); // warm-up: JIT, statement cache
    const result = run(url);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    rows.push(
      `${variant.padEnd(4)} LOG_LEVEL=${logLevel.padEnd(4)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  non-2xx ${result.non2xx}`,
    );
    console.log(rows.at(-1));
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
