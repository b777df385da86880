// Tracing's cost: the full server with tracing on (100% sampling, every span exported over
// OTLP/HTTP protobuf to a local receiver) against the same server with it off, same run,
// same database, for catalog.list and orders.place.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fullServerEnv, type Backend, type RunContext, type ScenarioResult, withServers } from "../context.ts";
import { serverEntry, serverNodeFlags } from "../paths.ts";
import { spawnServer } from "../process.ts";
import { alternatingRounds, httpSubject, type Summary } from "../rounds.ts";
import { CATALOG_CONNECTIONS, CATALOG_PATH } from "./catalog.ts";
import { fullOrdersSubject, registerCustomers } from "./orders.ts";

/** A collector stand-in that takes every export and keeps only the byte count. */
async function startSpanSink(): Promise<{ url: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => (bytes += chunk.length));
    req.on("end", () => res.writeHead(200, { "content-type": "application/x-protobuf" }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function tracingScenario(
  context: RunContext,
  backend: Backend,
  hotProductId: string,
): Promise<ScenarioResult> {
  const sink = await startSpanSink();
  // One environment for both (the same AUTH_SECRET): a customer's token works on either.
  const env = fullServerEnv(backend.databaseUrl, backend.redisUrl);
  const start = (name: string, tracing: boolean) =>
    spawnServer({
      name,
      args: [...serverNodeFlags(), serverEntry],
      env: {
        ...env,
        ...(tracing
          ? {
              OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
              OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
              OTEL_TRACES_SAMPLER: "always_on",
            }
          : {}),
      },
      workDir: context.workDir,
      readyPath: "/ready",
    });
  const off = await start(`tracing off (${backend.key})`, false);
  const on = await start(`tracing on (${backend.key})`, true).catch(async (error: unknown) => {
    await off.stop();
    throw error;
  });
  try {
    return await withServers([off, on], async () => {
      const catalogLoad = {
        variants: [{ path: CATALOG_PATH }],
        connections: CATALOG_CONNECTIONS,
        workDir: context.workDir,
      };
      const catalog = (await alternatingRounds(
        [httpSubject("tracing off", off, catalogLoad), httpSubject("tracing on, 100% exported", on, catalogLoad)],
        context,
      )) as [Summary, Summary];
      const customers = await registerCustomers(off.url, context.smoke);
      const orders = (await alternatingRounds(
        [
          { ...fullOrdersSubject(context, off, customers, [hotProductId]), name: "tracing off" },
          { ...fullOrdersSubject(context, on, customers, [hotProductId]), name: "tracing on, 100% exported" },
        ],
        context,
      )) as [Summary, Summary];
      const exported = sink.bytes();
      if (exported === 0) throw new Error("the traced server exported nothing: tracing is not on");
      const rows = [
        ...catalog.map((summary, index) => ({ summary, index, scenario: `${backend.key} tracing catalog.list` })),
        ...orders.map((summary, index) => ({ summary, index, scenario: `${backend.key} tracing orders.place` })),
      ].map(({ summary, index, scenario }) => ({
        scenario,
        subject: summary.name,
        rps: summary.rps,
        p50Ms: summary.p50Ms,
        p99Ms: summary.p99Ms,
        peakRssBytes: summary.peakRssBytes,
        note: index === 0 ? backend.label : `${(exported / 1024 / 1024).toFixed(1)} MB of OTLP exported in all`,
      }));
      return {
        rows,
        metrics: {
          [`${backend.key}.tracing.catalog.ratio`]: catalog[1].rps / catalog[0].rps,
          [`${backend.key}.tracing.orders.ratio`]: orders[1].rps / orders[0].rps,
        },
      };
    });
  } finally {
    await sink.close();
  }
}
