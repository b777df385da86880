// Fuzzes every procedure of the router (taken from the router itself, so a new one is
// covered without editing this file) and the HTTP surface around it, against the built
// server on SQLite and on real PostgreSQL, as anonymous, customer, staff and admin callers.
// It asserts no 5xx, no stalled request, no process exit, and /health answering within
// 200 ms throughout (p99, probed from another process while the fuzz runs).
//
// Reproduce a failure with the seed it prints: FUZZ_SEED=<seed>. FUZZ_REQUESTS sets the
// number of requests per backend (default 10,000).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { appRouter } from "@cartwheel/api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRequest, FuzzClient } from "./fuzz-client.ts";
import { type FuzzBackend, type FuzzTarget, startFuzzTarget } from "./fuzz-target.ts";
import { callers, type FuzzRequest, fuzzRequests, type Procedure } from "./http-arbitrary.ts";
import { conformingInput, type ValuePool } from "./schema-arbitrary.ts";

const bundle = fileURLToPath(new URL("../../dist/index.mjs", import.meta.url));
const probeScript = fileURLToPath(new URL("./health-probe.mjs", import.meta.url));
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 12;
const HEALTH_P99_BUDGET_MS = 200;
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const backends: FuzzBackend[] =
  process.env.CI === "true" || process.env.TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

// The router's own record of its procedures (tRPC names it `_def`), so new ones are fuzzed too.
/* oxlint-disable no-underscore-dangle */
const procedures: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: Procedure["type"]; inputs: unknown[] } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs }));
/* oxlint-enable no-underscore-dangle */

const CHUNK = 250;
/** The fuzz requests, generated a chunk at a time from the seed, so 10,000 never sit in memory at once. */
function* requestStream(pool: ValuePool, bounds: FuzzTarget["bounds"]): Generator<FuzzRequest> {
  const arbitrary = fuzzRequests(procedures, pool, bounds);
  for (let chunk = 0; chunk * CHUNK < REQUESTS; chunk++) {
    const size = Math.min(CHUNK, REQUESTS - chunk * CHUNK);
    yield* fc.sample(arbitrary, { seed: seed + chunk, numRuns: size });
  }
}

/** Ids, slugs and cursors found in answers, for the fuzz to reuse and corrupt. */
function harvest(value: unknown, into: Set<string>, key = ""): void {
  if (typeof value === "string") {
    if (value.length <= 512 && (key === "id" || key.endsWith("Id") || key === "slug" || key.endsWith("Cursor")))
      into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) harvest(item, into);
  } else if (value && typeof value === "object") {
    for (const [childKey, child] of Object.entries(value)) harvest(child, into, childKey);
  }
}

interface ProbeReport {
  probes: number;
  p50: number;
  p99: number;
  max: number;
  failures: string[];
  failureCount: number;
}

function startProbe(url: string): { child: ChildProcess; report: () => Promise<ProbeReport> } {
  const child = spawn(process.execPath, [probeScript, url, "20"], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    async report() {
      child.stdin.end();
      await done;
      return JSON.parse(output) as ProbeReport;
    },
  };
}

describe.each(backends)("fuzz against the built server on %s", (backend) => {
  let target: FuzzTarget;
  let client: FuzzClient;
  const pool = { strings: [] as string[] };

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);
    target = await startFuzzTarget(backend, bundle);
    client = new FuzzClient(target);
    const found = new Set<string>();
    // A few orders, so cancel, status changes and order reads meet real rows.
    const catalog = await client.send(
      {
        caller: "customer",
        method: "GET",
        target: "/trpc/catalog.list?input=%7B%22limit%22%3A100%7D",
        headers: {},
        kind: "setup",
      },
      false,
    );
    harvest(JSON.parse(catalog.body), found);
    const productIds = [...found];
    for (let i = 0; i < 6; i++) {
      const body = JSON.stringify({
        items: [{ productId: productIds[(i * 7) % productIds.length], quantity: 1 }],
        idempotencyKey: crypto.randomUUID(),
      });
      const placed = await client.send(
        {
          caller: "customer",
          method: "POST",
          target: "/trpc/orders.place",
          headers: { "content-type": "application/json" },
          body,
          kind: "setup",
        },
        false,
      );
      if (placed.status === 200) harvest(JSON.parse(placed.body), found);
    }
    // Every query, with inputs that mostly conform, as each caller: their answers fill the pool.
    for (const procedure of procedures.filter((p) => p.type === "query")) {
      for (const input of fc.sample(conformingInput(procedure.inputs, { strings: productIds }), { seed, numRuns: 8 })) {
        for (const caller of callers) {
          const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
          const answer = await client.send(
            { caller, method: "GET", target: `/trpc/${procedure.path}${query}`, headers: {}, kind: "setup" },
            false,
          );
          if (answer.status === 200) harvest(JSON.parse(answer.body), found);
        }
      }
    }
    // The callers' own accounts stay out of the pool, so a fuzzed disable or role change cannot lock them out.
    for (const account of Object.values(target.accounts)) found.delete(account.id);
    pool.strings = [...found];
  }, 120_000);

  afterAll(async () => {
    if (process.env.FUZZ_SERVER_LOG && target)
      writeFileSync(`${process.env.FUZZ_SERVER_LOG}.${backend}`, target.server.output());
    await target?.close();
  });

  it(`${REQUESTS} fuzzed requests: no 5xx, no stall, no exit, /health p99 under ${HEALTH_P99_BUDGET_MS} ms`, async () => {
    const probe = startProbe(target.url);
    const started = performance.now();
    await client.run(requestStream(pool, target.bounds), CONCURRENCY);
    const seconds = (performance.now() - started) / 1000;
    const health = await probe.report();
    const { tally } = client;

    const histogram = Object.fromEntries(
      [...tally.statuses].toSorted(([a], [b]) => String(a).localeCompare(String(b))),
    );
    console.log(
      `fuzz ${backend} seed=${seed}: ${tally.requests} requests in ${seconds.toFixed(1)} s ` +
        `(${Math.round(tally.requests / seconds)}/s, ${pool.strings.length} pooled values), statuses ${JSON.stringify(histogram)}, ` +
        `${tally.timeouts} timeouts, ${tally.refusedBySocket} oversized requests refused by closing; /health p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, ` +
        `max ${health.max.toFixed(1)} ms over ${health.probes} probes, ${health.failureCount} failed`,
    );
    const slowest = [...tally.busy]
      .toSorted(([, a], [, b]) => b.ms - a.ms)
      .slice(0, 6)
      .map(([kind, { count, ms }]) => `${kind} ${count}× ${Math.round(ms / count)} ms`);
    console.log(`fuzz ${backend}: most time in ${slowest.join(", ")}`);
    const failures = tally.failures.slice(0, 15).map((failure) => {
      const requestId = /"requestId":"([^"]+)"/.exec(failure.body)?.[1];
      const logged = requestId
        ? target.server
            .output()
            .split("\n")
            .filter((line) => line.includes(requestId) && /"level":(50|60)/.test(line))
            .map((line) => line.slice(0, 600))
        : [];
      return `${failure.status} ← ${describeRequest(failure.request)}\n   answer: ${failure.body.slice(0, 300)}${logged.length ? `\n   server log: ${logged.join("\n   ")}` : ""}`;
    });
    const context = `(reproduce with FUZZ_SEED=${seed})`;
    expect(failures, `5xx, network errors or stalls ${context}`).toEqual([]);
    expect(target.exit(), `the server process exited ${context}`).toBeNull();
    expect(tally.requests).toBe(REQUESTS);
    expect(health.failures, `/health probes failed ${context}`).toEqual([]);
    expect(health.probes).toBeGreaterThan(10);
    expect(health.p99, `/health p99 in ms ${context}`).toBeLessThan(HEALTH_P99_BUDGET_MS);
    const after = await fetch(`${target.url}/health`);
    expect(after.status).toBe(200);
  }, 600_000);
});
