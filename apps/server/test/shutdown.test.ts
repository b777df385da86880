import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { testRouter } from "./fixtures/probe-router.ts";
import { captureLogs } from "./support/app.ts";

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const slow = (url: string, ms: number) =>
  fetch(`${url}/trpc/probe.slow?input=${encodeURIComponent(JSON.stringify({ ms }))}`);

interface Subprocess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts the probe server as a real process and waits for its "server listening" line. */
async function spawnServer(env: Record<string, string>): Promise<Subprocess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/probe-server.ts"], {
    cwd: serverDir,
    env: { ...process.env, PORT: "0", DATABASE_URL: ":memory:", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /"url":"(http:\/\/[^"]+)".*"server listening"/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 20);
    void exit.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited early (${code}): ${output}`));
    });
  });
  return { child, url, output: () => output, exit };
}

describe("graceful shutdown of a listening server process", () => {
  let server: Subprocess | undefined;
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "%s stops accepting, finishes in-flight requests, closes resources and exits 0",
    async (signal) => {
      server = await spawnServer({});
      const { url } = server;
      const inFlight = [slow(url, 700), slow(url, 900), slow(url, 1100)];
      await new Promise((resolve) => setTimeout(resolve, 200));
      server.child.kill(signal);

      const responses = await Promise.all(inFlight);
      expect(responses.map((res) => res.status)).toEqual([200, 200, 200]);
      const bodies = await Promise.all(responses.map((res) => res.json()));
      expect(bodies).toEqual([700, 900, 1100].map((ms) => ({ result: { data: { sleptMs: ms } } })));

      await expect(fetch(`${url}/health`)).rejects.toThrow(/fetch failed/);
      expect(await server.exit).toBe(0);
      const log = server.output();
      expect(log).toContain(`"reason":"${signal}"`);
      expect(log).toContain("shutdown complete");
    },
    30_000,
  );

  it("gives up on requests still running after SHUTDOWN_TIMEOUT_MS and still exits 0", async () => {
    server = await spawnServer({ SHUTDOWN_TIMEOUT_MS: "300" });
    const stuck = slow(server.url, 20_000).then(
      (res) => res.status,
      () => "connection closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    expect(await stuck).toBe("connection closed");
    expect(server.output()).toContain("did not finish in time");
  }, 30_000);

  it("a bad setting prints one line naming it and exits 1 without a stack", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: serverDir,
      env: { ...process.env, TRUST_PROXY: "lots" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Invalid environment variable TRUST_PROXY: /)]);
  }, 30_000);
});

describe("request timeout on a listening server", () => {
  let running: RunningServer | undefined;
  afterEach(async () => running?.shutdown("test over"));

  it("answers a tRPC-shaped 504 when a request runs past REQUEST_TIMEOUT_MS", async () => {
    const config = loadConfig({ PORT: "0", DATABASE_URL: ":memory:", REQUEST_TIMEOUT_MS: "150" });
    running = await startServer({ config, logger: captureLogs("info").logger, router: testRouter });
    const res = await slow(running.url, 2000);
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { message: string; data: { code: string; requestId: string } } };
    expect(body.error.data.code).toBe("GATEWAY_TIMEOUT");
    expect(body.error.data.requestId).toBe(res.headers.get("x-request-id"));
    expect(body.error.message).toMatch(/longer than 0.2 s|longer than 0.15 s/);
    expect((await slow(running.url, 10)).status).toBe(200);
  }, 30_000);
});
