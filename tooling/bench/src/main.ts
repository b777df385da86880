// `npm run bench [-- --smoke] [--only=catalog,orders,spread,sqlite-catalog,sqlite-orders,login,startup,typecheck,web,soak,tracing,live,jobs,sqlite-jobs] [--soak-minutes=10] [--out=report.json]`
// Every throughput figure is a ratio against a peer measured in the same run (warm-up,
// alternating rounds, medians), since absolute numbers on a shared machine are noise.
// The headline scenarios run on PostgreSQL + Redis (production's shape); SQLite is a second set.
// Exits 1 when a scenario crashes, or (outside --smoke) when a budget is missed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { benchRedisUrl, checkRedis, requireTool, withThrowawayPostgres } from "./backends.ts";
import type { Backend, Row, RunContext, ScenarioResult } from "./context.ts";
import { seedBenchDatabase } from "./fixture.ts";
import { budgetsFile, resultsDir, serverEntry } from "./paths.ts";
import { type Budget, budgetTable, judge, markdownTable } from "./report.ts";
import { catalogScenario } from "./scenarios/catalog.ts";
import { jobsScenario, sqliteJobsScenario } from "./scenarios/jobs.ts";
import { liveScenario } from "./scenarios/live.ts";
import { loginScenario } from "./scenarios/login.ts";
import { pgHotOrdersScenario, pgSpreadOrdersScenario } from "./scenarios/orders-pg.ts";
import { sqliteOrdersScenario } from "./scenarios/orders.ts";
import { soakScenario } from "./scenarios/soak.ts";
import { startupScenario } from "./scenarios/startup.ts";
import { tracingScenario } from "./scenarios/tracing.ts";
import { typecheckScenario } from "./scenarios/typecheck.ts";
import { webScenario } from "./scenarios/web.ts";

const SCENARIOS = [
  "catalog",
  "orders",
  "spread",
  "sqlite-catalog",
  "sqlite-orders",
  "login",
  "startup",
  "typecheck",
  "web",
  "soak",
  "tracing",
  "live",
  "jobs",
  "sqlite-jobs",
] as const;
type Scenario = (typeof SCENARIOS)[number];

const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const onlyArg = option("only");
const selected = new Set<Scenario>((onlyArg?.split(",") as Scenario[] | undefined) ?? SCENARIOS);
const unknown = [...selected].filter((name) => !SCENARIOS.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`Unknown scenario ${unknown.join(", ")}; choose from ${SCENARIOS.join(", ")}.\n`);
  process.exit(2);
}
const soakMinutes = Number(option("soak-minutes") ?? 10);
if (!(soakMinutes > 0)) {
  process.stderr.write("--soak-minutes must be a positive number of minutes (decimals allowed).\n");
  process.exit(2);
}
if (!existsSync(serverEntry)) {
  process.stderr.write(
    "apps/server is not built: run `npm run build` (or plain `npm run bench`, which builds) first.\n",
  );
  process.exit(2);
}

const workDir = mkdtempSync(join(tmpdir(), "cartwheel-bench-"));
const context: RunContext = {
  smoke,
  workDir,
  rounds: smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 5),
  seconds: smoke ? 1 : Number(process.env.BENCH_SECONDS ?? 4),
  warmupSeconds: smoke ? 0 : 3,
  log: (line) => process.stderr.write(`${line}\n`),
};

const rows: Row[] = [];
const metrics: Record<string, number> = {};
const failures: string[] = [];

async function scenario(name: Scenario, body: () => Promise<ScenarioResult>): Promise<void> {
  if (!selected.has(name)) return;
  context.log(`▶ ${name}`);
  const started = performance.now();
  try {
    const result = await body();
    rows.push(...result.rows);
    Object.assign(metrics, result.metrics);
    context.log(`  ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failures.push(name);
    context.log(`✖ ${name} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

const sqlite = (file: string): Backend => ({
  key: "sqlite",
  label: "SQLite",
  databaseUrl: `file:${join(workDir, file)}`,
});
const redisUrl = benchRedisUrl();
/** Products per catalog: 1,000, or 100 in the smoke run, which keeps the harness working and quotes no figure. */
const seedCount = smoke ? 100 : undefined;

/** A PostgreSQL + Redis scenario on a throwaway database, seeded with `products`. */
function onPostgres(
  products: "catalog" | "spread" | "none",
  body: (backend: Backend, hotProductId: string) => Promise<ScenarioResult>,
): () => Promise<ScenarioResult> {
  return async () => {
    await checkRedis(redisUrl);
    return withThrowawayPostgres(async (databaseUrl) => {
      const backend: Backend = { key: "pg", label: "PostgreSQL + Redis", databaseUrl, redisUrl };
      const { hotProductId } = await seedBenchDatabase(databaseUrl, { products, count: seedCount });
      return body(backend, hotProductId);
    });
  };
}

try {
  // wrk drives every HTTP scenario; pgbench is the PostgreSQL orders peers'.
  if (
    ["catalog", "orders", "spread", "sqlite-catalog", "sqlite-orders", "login", "tracing", "live"].some((name) =>
      selected.has(name as Scenario),
    )
  ) {
    requireTool("wrk", ["--version"]);
  }
  if (selected.has("orders") || selected.has("spread")) requireTool("pgbench");
  await scenario(
    "catalog",
    onPostgres("catalog", (backend) => catalogScenario(context, backend)),
  );
  await scenario(
    "orders",
    onPostgres("none", (backend, hot) => pgHotOrdersScenario(context, backend, hot)),
  );
  await scenario(
    "spread",
    onPostgres("spread", (backend) => pgSpreadOrdersScenario(context, backend)),
  );
  const sqliteCatalog = sqlite("catalog.db");
  if (selected.has("sqlite-catalog") || selected.has("startup")) {
    await seedBenchDatabase(sqliteCatalog.databaseUrl, { products: "catalog", count: seedCount });
  }
  await scenario("sqlite-catalog", () => catalogScenario(context, sqliteCatalog));
  await scenario("sqlite-orders", async () => {
    const backend = sqlite("orders.db");
    const { hotProductId } = await seedBenchDatabase(backend.databaseUrl, { products: "none" });
    return sqliteOrdersScenario(context, backend, hotProductId);
  });
  await scenario(
    "login",
    onPostgres("none", (backend) => loginScenario(context, backend)),
  );
  await scenario(
    "live",
    onPostgres("none", (backend, hotProductId) => liveScenario(context, backend, hotProductId)),
  );
  await scenario(
    "tracing",
    onPostgres("catalog", (backend, hotProductId) => tracingScenario(context, backend, hotProductId)),
  );
  await scenario(
    "jobs",
    onPostgres("none", (backend, hotProductId) => jobsScenario(context, backend, hotProductId)),
  );
  await scenario("sqlite-jobs", async () => {
    const [ours, bare] = [sqlite("jobs.db"), sqlite("jobs-bare.db")];
    for (const backend of [ours, bare]) await seedBenchDatabase(backend.databaseUrl, { products: "none" });
    return sqliteJobsScenario(context, ours, bare.databaseUrl);
  });
  await scenario("startup", () => startupScenario(context, sqliteCatalog.databaseUrl));
  await scenario("typecheck", () => typecheckScenario(context));
  await scenario("web", () => webScenario());
  await scenario(
    "soak",
    onPostgres("catalog", (backend, hotProductId) =>
      soakScenario(context, backend, { seconds: smoke ? 3 : soakMinutes * 60, hotProductId }),
    ),
  );
} finally {
  if (failures.length === 0) rmSync(workDir, { recursive: true, force: true });
  else context.log(`logs and databases kept in ${workDir}`);
}

const rssFigures = Object.entries(metrics).filter(([key]) => key.startsWith("server.peakRssBytes."));
if (rssFigures.length > 0) metrics["server.peakRssBytes"] = Math.max(...rssFigures.map(([, bytes]) => bytes));

const { budgets } = JSON.parse(readFileSync(budgetsFile, "utf8")) as { budgets: Budget[] };
const verdicts = judge(budgets, metrics);
const machine = `${availableParallelism()} cores, Node ${process.versions.node}, ${process.platform}`;
const mode = smoke
  ? "smoke (1 short round, budgets not enforced)"
  : `${context.rounds} rounds × ${context.seconds} s after ${context.warmupSeconds} s warm-up, medians`;

process.stdout.write(`\n## Cartwheel bench: ${mode}\nMachine: ${machine}\n\n${markdownTable(rows)}\n\n`);
process.stdout.write(`${budgetTable(verdicts)}\n`);

mkdirSync(resultsDir, { recursive: true });
const report = { at: new Date().toISOString(), machine, mode, smoke, rows, metrics, verdicts, failures };
const file = option("out") ?? join(resultsDir, smoke ? "smoke.json" : `bench-${report.at.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
if (!smoke && !option("out")) writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nJSON: ${file}\n`);

const missed = smoke ? [] : verdicts.filter((verdict) => verdict.ok === false);
if (failures.length > 0) process.stdout.write(`Crashed: ${failures.join(", ")}\n`);
if (missed.length > 0) process.stdout.write(`Missed budgets: ${missed.map((v) => v.label).join("; ")}\n`);
process.exit(failures.length > 0 || missed.length > 0 ? 1 : 0);
