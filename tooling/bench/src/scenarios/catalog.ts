// catalog.list, 20 items of 1,000, 32 connections: the full server and four peers on one
// backend (the same database), every one answering with the same bytes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Backend,
  type RunContext,
  type ScenarioResult,
  startFullServer,
  startPeer,
  withServers,
} from "../context.ts";
import { alternatingRounds, httpSubject, startAll } from "../rounds.ts";

export const CATALOG_PATH = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
export const CATALOG_CONNECTIONS = 32;

async function body(url: string): Promise<Buffer> {
  const response = await fetch(`${url}${CATALOG_PATH}`);
  if (!response.ok) throw new Error(`catalog.list answered ${response.status}: ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Metric names per peer, after `<backend>.catalog.ratio.`. */
const PEERS = [
  { metric: "sameBytes", name: "node:http same bytes", script: "static-bytes" },
  { metric: "bareSql", name: "bare node:http + SQL", script: "bare-sql" },
  { metric: "fastifyTrpc", name: "Fastify + tRPC", script: "fastify-trpc" },
  { metric: "honoTrpc", name: "bare Hono + tRPC", script: "hono-trpc" },
] as const;

export async function catalogScenario(context: RunContext, backend: Backend): Promise<ScenarioResult> {
  const bodyFile = join(context.workDir, `catalog-page-${backend.key}.json`);
  const env = { DATABASE_URL: backend.databaseUrl, BENCH_BODY_FILE: bodyFile };
  const peerScript = (script: string) => (script === "bare-sql" && backend.key === "pg" ? "bare-sql-pg" : script);
  const start = (peer: (typeof PEERS)[number]) =>
    startPeer(context, `${peer.name} (${backend.key})`, peerScript(peer.script), env);
  // Everyone but the same-bytes peer starts at once; that one needs the full server's answer.
  const [full, ...readers] = await startAll([
    startFullServer(context, `full server (${backend.key} catalog)`, backend),
    ...PEERS.slice(1).map(start),
  ]);
  const stopAll = async (error: unknown) => {
    await Promise.all([full!, ...readers].map((server) => server.stop()));
    throw error;
  };
  const reference = await body(full!.url).catch(stopAll);
  writeFileSync(bodyFile, reference);
  const sameBytes = await start(PEERS[0]).catch(stopAll);
  const peers = [sameBytes, ...readers];
  const servers = [full!, ...peers];

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
    const load = { variants: [{ path: CATALOG_PATH }], connections: CATALOG_CONNECTIONS, workDir: context.workDir };
    const names = ["full server", ...PEERS.map((peer) => peer.name)];
    const summaries = await alternatingRounds(
      servers.map((server, index) => httpSubject(names[index]!, server, load)),
      context,
    );
    const [fullSummary, ...peerSummaries] = summaries as [(typeof summaries)[0], ...typeof summaries];
    const ratio = (peer: { rps: number }) => fullSummary.rps / peer.rps;
    const prefix = `${backend.key}.catalog`;
    return {
      rows: summaries.map((summary, index) => ({
        scenario: `${backend.key} catalog.list`,
        subject: summary.name,
        rps: summary.rps,
        p50Ms: summary.p50Ms,
        p99Ms: summary.p99Ms,
        peakRssBytes: summary.peakRssBytes,
        ratio: index === 0 ? undefined : ratio(summary),
        note: index === 0 ? `${backend.label}, ${CATALOG_CONNECTIONS} connections, ${reference.length} B` : undefined,
      })),
      metrics: {
        [`${prefix}.fullRps`]: fullSummary.rps,
        ...Object.fromEntries(
          PEERS.map((peer, index) => [`${prefix}.ratio.${peer.metric}`, ratio(peerSummaries[index]!)]),
        ),
        [`server.peakRssBytes.${prefix}`]: fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}
