// A throwaway three-master Redis Cluster on 127.0.0.1 (no replicas, no persistence),
// started the way an operator would: three cluster-enabled redis-servers, then
// `redis-cli --cluster create`.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@cartwheel/db/testing";

const run = promisify(execFile);

export interface RedisClusterUnderTest {
  /** redis://:password@127.0.0.1:P for each node, in start order. */
  readonly nodeUrls: readonly string[];
  readonly password: string;
  readonly ports: readonly number[];
  /** SIGKILL the node on `port` (no shutdown, no failover: there are no replicas). */
  kill(port: number): Promise<void>;
  /** `cluster info` of a node that is still running, as key → value. */
  info(port: number): Promise<Record<string, string>>;
  /** The node serving `key`'s slot, from `cluster keyslot` + `cluster slots`. */
  portOfKey(key: string): Promise<number>;
  destroy(): Promise<void>;
}

function startNode(port: number, dir: string, nodeTimeoutMs: number, password: string): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, `nodes-${port}.conf`),
      "--cluster-node-timeout",
      String(nodeTimeoutMs),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--requirepass",
      password,
      "--masterauth",
      password,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.once("error", (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server on ${port} exited (${code}): ${output}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve(child);
    });
  });
}

/** Every node requires this password, so tests can check that it never reaches a log. */
export async function startRedisCluster({ nodeTimeoutMs = 2000, password = "cluster-secret-7f3a" } = {}) {
  // REDISCLI_AUTH keeps the password off redis-cli's command line (and its warning off stderr).
  const cliEnv = { ...process.env, REDISCLI_AUTH: password };
  const cli = async (port: number, ...args: string[]) =>
    (await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 10_000, env: cliEnv })).stdout;
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-redis-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes = new Map<number, ChildProcess>();
  const destroy = async () => {
    await Promise.all([...nodes.keys()].map((port) => kill(port)));
    rmSync(dir, { recursive: true, force: true });
  };
  const kill = async (port: number) => {
    const child = nodes.get(port);
    nodes.delete(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  const info = async (port: number) =>
    Object.fromEntries(
      (await cli(port, "cluster", "info"))
        .split(/\r?\n/)
        .filter((line) => line.includes(":"))
        .map((line) => line.split(":", 2) as [string, string]),
    );
  try {
    for (const port of ports) nodes.set(port, await startNode(port, dir, nodeTimeoutMs, password));
    await run("redis-cli", ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-yes"], {
      timeout: 30_000,
      env: cliEnv,
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(ports.map(async (port) => (await info(port)).cluster_state));
      if (states.every((state) => state === "ok")) break;
      if (Date.now() > deadline) throw new Error(`cluster not ok after 20 s: ${states.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await destroy();
    throw error;
  }
  const cluster: RedisClusterUnderTest = {
    nodeUrls: ports.map((port) => `redis://:${password}@127.0.0.1:${port}`),
    password,
    ports,
    kill,
    info,
    async portOfKey(key) {
      const alive = [...nodes.keys()][0]!;
      const slot = Number((await cli(alive, "cluster", "keyslot", key)).trim());
      const ranges = (await cli(alive, "--json", "cluster", "slots")).trim();
      const parsed = JSON.parse(ranges) as [number, number, [string, number, string]][];
      const range = parsed.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      return range[2][1];
    },
    destroy,
  };
  return cluster;
}
