// Hostile JSON bodies against the built server process on a real port, while a /health probe
// keeps asking. Unbounded, a 10 MB `[[[[…]]]]` sent to auth.login holds the event loop, and
// with it /health, for seconds, and its parse peaks at hundreds of MB. The figures are printed;
// the assertions are only generous functional bounds (timing belongs to `npm run bench`).
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { builtServerForSuite } from "./support/server-process.ts";

const MB = 1024 * 1024;

const server = builtServerForSuite("hostile-body");

const nested = (bytes: number) => Buffer.from("[".repeat(bytes / 2) + "]".repeat(bytes / 2));
/** Wide rather than deep: a long list of empty arrays, as the bulk procedure's `items`. */
const wide = (bytes: number) =>
  Buffer.from(
    `{"items":[${Array(Math.floor((bytes - 12) / 3))
      .fill("[]")
      .join(",")}]}`,
  );

interface Answer {
  status: number;
  ms: number;
  body: string;
}

/**
 * One POST with a prepared body, declared by Content-Length or sent chunked. The server may
 * answer and close while the upload is still being written; when our write fails (EPIPE,
 * ECONNRESET) before the socket has read that answer, the answer is lost on our side, so the
 * request is sent again, at most twice more: what the test checks is the answer.
 */
async function post(path: string, body: Buffer, options: { chunked?: boolean; token?: string } = {}): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await postOnce(path, body, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== "EPIPE" && code !== "ECONNRESET")) throw error;
    }
  }
}

function postOnce(path: string, body: Buffer, options: { chunked?: boolean; token?: string }): Promise<Answer> {
  const started = performance.now();
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!options.chunked) headers["content-length"] = String(body.length);
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${server().url}/trpc/${path}`, { method: "POST", headers }, (res) => {
      answered = true;
      let text = "";
      const done = () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: text });
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", done);
      // An upload cut short after the answer (EPIPE on our side) may close before "end".
      res.on("close", done);
    });
    // The server may answer and stop reading before the upload ends; only a missing answer fails.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (options.chunked) {
      for (let offset = 0; offset < body.length; offset += 64 * 1024)
        req.write(body.subarray(offset, offset + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** Asks /health every 25 ms until stopped; records each answer's latency. */
function probeHealth() {
  const latencies: number[] = [];
  const failures: string[] = [];
  const stopped = new AbortController();
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      const started = performance.now();
      try {
        const res = await fetch(`${server().url}/health`);
        await res.text();
        if (res.status === 200) latencies.push(performance.now() - started);
        else failures.push(`HTTP ${res.status}`);
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    latencies,
    failures,
    stop: async () => {
      stopped.abort();
      await loop;
    },
  };
}

/** Resident memory of the server process, sampled every 20 ms (Linux /proc). */
function sampleRss(pid: number) {
  const read = () => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return 0; // the process is gone: the health probe's failures tell that
    }
  };
  const baseline = read();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, read())), 20);
  return {
    baseline,
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}

async function adminToken(): Promise<string> {
  const password = /admin@example\.com \/ (\S+)/.exec(server().output())?.[1];
  if (!password) throw new Error(`the development admin was not created:\n${server().output()}`);
  const login = JSON.stringify({ email: "admin@example.com", password, transport: "token" });
  const answer = await post("auth.login", Buffer.from(login));
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { result: { data: { accessToken: string } } }).result.data.accessToken;
}

describe("hostile JSON bodies on a listening server", () => {
  it("answer 4xx at once, while /health keeps answering and memory stays flat", async () => {
    const token = await adminToken();
    const deep10 = nested(10 * MB);
    const [deep8, wide8] = [nested(8 * MB - 64), wide(8 * MB - 64)];
    const rss = sampleRss(server().pid);
    const health = probeHealth();
    const started = performance.now();

    // Three rounds of the series give /health a window of a few hundred milliseconds even
    // when each hostile body is refused in tens of milliseconds.
    const rounds: Record<string, Answer>[] = [];
    let peak: number;
    try {
      for (let round = 0; round < 3; round++) {
        rounds.push({
          "10 MB nested, auth.login": await post("auth.login", deep10),
          "10 MB nested chunked, auth.login": await post("auth.login", deep10, { chunked: true }),
          "8 MB nested, catalog.upsertMany as admin": await post("catalog.upsertMany", deep8, { token }),
          "8 MB wide, catalog.upsertMany as admin": await post("catalog.upsertMany", wide8, { token }),
        });
      }
    } finally {
      await health.stop();
      peak = rss.stop();
    }
    const answers = rounds.at(-1)!;
    const seriesMs = performance.now() - started;
    for (const [name, answer] of Object.entries(answers)) {
      process.stdout.write(`[measure] ${name}: ${answer.status} in ${answer.ms.toFixed(0)} ms\n`);
    }
    const healthMax = Math.max(...health.latencies);
    process.stdout.write(
      `[measure] /health answered ${health.latencies.length} times in ${seriesMs.toFixed(0)} ms, ` +
        `max ${healthMax.toFixed(0)} ms; server RSS ${rss.baseline.toFixed(0)} MB → peak ${peak.toFixed(0)} MB\n`,
    );

    for (const round of rounds) {
      expect(Object.values(round).map((answer) => answer.status)).toEqual([413, 413, 400, 400]);
    }
    expect(JSON.parse(answers["8 MB nested, catalog.upsertMany as admin"]!.body)).toMatchObject({
      error: { message: "The input nests arrays and objects more than 32 levels deep." },
    });
    expect(JSON.parse(answers["8 MB wide, catalog.upsertMany as admin"]!.body)).toMatchObject({
      error: { message: "The input has more than 10000 array elements and object members." },
    });
    // Generous functional bounds: the process neither stalled for seconds nor ballooned.
    expect(health.failures).toEqual([]);
    expect(health.latencies.length).toBeGreaterThanOrEqual(3);
    expect(healthMax).toBeLessThan(2_000);
    expect(peak - rss.baseline).toBeLessThan(250);
  }, 120_000);
});
