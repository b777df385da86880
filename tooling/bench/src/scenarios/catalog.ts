// Scenario 1: catalog.list, 20 items of 1,000, through the full server and four peers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunContext, type ScenarioResult, startFullServer, startPeer, withServers } from "../context.ts";
import { alternatingRounds, httpSubject, startAll } from "../rounds.ts";

export const CATALOG_PATH = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
const CONNECTIONS = 10;

async function body(url: string): Promise<Buffer> {
  const response = await fetch(`${url}${CATALOG_PATH}`);
  if (!response.ok) throw new Error(`catalog.list answered ${response.status}: ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export async function catalogScenario(context: RunContext, databaseUrl: string): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server", databaseUrl);
  const reference = await body(full.url).catch(async (error: unknown) => {
    await full.stop();
    throw error;
  });
  const bodyFile = join(context.workDir, "catalog-page.json");
  writeFileSync(bodyFile, reference);
  const env = { DATABASE_URL: databaseUrl };
  const peers = await startAll([
    startPeer(context, "bare node:http + SQL", "bare-sql", env),
    startPeer(context, "Fastify + tRPC", "fastify-trpc", env),
    startPeer(context, "bare Hono + tRPC", "hono-trpc", env),
    startPeer(context, "node:http same bytes", "static-bytes", { ...env, BENCH_BODY_FILE: bodyFile }),
  ]).catch(async (error: unknown) => {
    await full.stop();
    throw error;
  });
  const servers = [full, ...peers];

  return withServers(servers, async () => {
    // Fair only if everyone sends the same bytes: same rows, same JSON, same cursor.
    for (const peer of peers) {
      const answer = await body(peer.url);
      if (!answer.equals(reference)) {
        throw new Error(
          `${peer.name} answers differently from the full server:\n${answer.toString()}\n---\n${reference.toString()}`,
        );
      }
    }
    context.log(`catalog.list: ${reference.length} bytes per response, identical on all ${servers.length} servers`);
    const load = { path: CATALOG_PATH, connections: CONNECTIONS };
    const summaries = await alternatingRounds(
      servers.map((server) => httpSubject(server.name, server, load)),
      context,
    );
    const [fullSummary, bareSql, fastify, hono, sameBytes] = summaries as [
      (typeof summaries)[0],
      (typeof summaries)[0],
      (typeof summaries)[0],
      (typeof summaries)[0],
      (typeof summaries)[0],
    ];
    const ratio = (peer: { rps: number }) => fullSummary.rps / peer.rps;
    return {
      rows: summaries.map((summary, index) => ({
        scenario: "catalog.list",
        subject: summary.name,
        rps: summary.rps,
        p50Ms: summary.p50Ms,
        p99Ms: summary.p99Ms,
        peakRssBytes: summary.peakRssBytes,
        ratio: index === 0 ? undefined : ratio(summary),
        note: index === 0 ? `${CONNECTIONS} connections, ${reference.length} B` : undefined,
      })),
      metrics: {
        "catalog.fullRps": fullSummary.rps,
        "catalog.ratio.bareSql": ratio(bareSql),
        "catalog.ratio.fastifyTrpc": ratio(fastify),
        "catalog.ratio.honoTrpc": ratio(hono),
        "catalog.ratio.sameBytes": ratio(sameBytes),
        "server.peakRssBytes.catalog": fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}
