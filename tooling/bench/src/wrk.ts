// The load generator: wrk (C, event-driven, one thread) as a subprocess. A Node generator in
// the harness competes with the server for the same two cores; wrk drives tens of thousands
// of requests a second from a fraction of one. A generated Lua script builds POST bodies
// (a fresh idempotency key per request) and prints one JSON line from `done()`.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface LoadResult {
  rps: number;
  /** Undefined when the subject reports no percentiles (pgbench reports an average). */
  p50?: number;
  p99?: number;
  requests: number;
}

/** One request shape; `{{key}}` in the body becomes a new UUID, `{{product}}` a random entry of `products`. */
export interface RequestVariant {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Used in turn, one per request (e.g. one per customer: a different Authorization header each). */
  variants: readonly RequestVariant[];
  products?: readonly string[];
  /** Folder for the generated script. */
  workDir: string;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
}

const MARKER = "WRK_JSON ";
const lua = (value: unknown): string => {
  const text = JSON.stringify(value);
  // JSON string escapes are Lua's for ASCII; \u escapes are not, so keep to ASCII.
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`non-ASCII request data: ${text}`);
  return text;
};

/** The Lua script: a static request needs only `done()`; dynamic ones get `request()` as well. */
export function wrkScript(options: Pick<LoadOptions, "variants" | "products">): string {
  const dynamic =
    options.variants.length > 1 ||
    options.variants.some((variant) => variant.body !== undefined && variant.body !== "");
  const lines: string[] = [];
  if (dynamic) {
    const variants = options.variants.map(
      (variant) =>
        `{ method = ${lua(variant.method ?? "GET")}, path = ${lua(variant.path)}, headers = { ${Object.entries(
          variant.headers ?? {},
        )
          .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
          .join(", ")} }, body = ${lua(variant.body ?? "")} }`,
    );
    // Keys are <random per run>-<random per thread>-<counter>: UUID-shaped, unique, and cheap.
    lines.push(
      `local variants = { ${variants.join(",\n  ")} }`,
      `local products = { ${(options.products ?? []).map(lua).join(", ")} }`,
      `local run_prefix = ${lua(randomBytes(4).toString("hex") + "-" + randomBytes(2).toString("hex"))}`,
      "local threads, thread_prefix, counter = 0, nil, 0",
      "function setup(thread)",
      "  threads = threads + 1",
      '  thread:set("thread_no", threads)',
      "end",
      "function init(args)",
      `  math.randomseed(${randomBytes(3).readUIntBE(0, 3)} + thread_no)`,
      '  thread_prefix = run_prefix .. string.format("-4%03x-%04x-", thread_no % 4096, 32768 + math.random(0, 16383))',
      "end",
      "function request()",
      "  counter = counter + 1",
      "  local v = variants[(counter % #variants) + 1]",
      "  local body = v.body",
      '  if body ~= "" then',
      '    body = string.gsub(body, "{{key}}", thread_prefix .. string.format("%012x", counter))',
      '    if #products > 0 then body = string.gsub(body, "{{product}}", products[math.random(1, #products)]) end',
      "    return wrk.format(v.method, v.path, v.headers, body)",
      "  end",
      "  return wrk.format(v.method, v.path, v.headers)",
      "end",
    );
  }
  lines.push(
    "function done(summary, latency, requests)",
    "  local e = summary.errors",
    `  io.write(string.format('\\n${MARKER}{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',`,
    "    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,",
    "    latency:percentile(50), latency:percentile(99)))",
    "end",
  );
  return `${lines.join("\n")}\n`;
}

let scripts = 0;

/**
 * One wrk burst against a server in another process. Anything but 2xx/3xx (wrk's "Non-2xx or
 * 3xx responses") or a socket error is a broken setup, never a data point: it throws.
 */
export async function drive(options: LoadOptions): Promise<Required<LoadResult>> {
  const [first] = options.variants;
  if (!first) throw new Error("wrk needs at least one request variant");
  const script = join(options.workDir, `wrk-${process.pid}-${++scripts}.lua`);
  writeFileSync(script, wrkScript(options));
  const args = [
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--timeout",
    "30s",
    "-s",
    script,
    // A static request (no request() in the script) is built from the URL and these headers.
    ...Object.entries(first.headers ?? {}).flatMap(([name, value]) => ["-H", `${name}: ${value}`]),
    `${options.url}${first.path}`,
  ];
  const { stdout } = await run("wrk", args, { maxBuffer: 4 * 1024 * 1024 }).catch((error: unknown) => {
    throw new Error(`wrk ${args.join(" ")} failed (is wrk installed? Debian package \`wrk\`)`, { cause: error });
  });
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(MARKER));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const summary = JSON.parse(line.slice(MARKER.length)) as WrkSummary;
  const what = `${first.method ?? "GET"} ${first.path}`;
  const socketErrors = summary.connect + summary.read + summary.write + summary.timeout;
  if (summary.status > 0 || socketErrors > 0) {
    throw new Error(
      `${what}: ${summary.status} non-2xx/3xx of ${summary.requests}, socket errors connect ${summary.connect} read ${summary.read} write ${summary.write} timeout ${summary.timeout}`,
    );
  }
  if (summary.requests === 0) throw new Error(`${what}: no request completed`);
  return {
    rps: summary.requests / (summary.duration_us / 1e6),
    p50: summary.p50_us / 1000,
    p99: summary.p99_us / 1000,
    requests: summary.requests,
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
