// orders.place on PostgreSQL + Redis, 50 clients. `hot`: every order for one product, against
// pgbench's single-statement decrement (the floor of any placement on that row), the raw pg
// loop and pgbench running the server's statements. `spread`: each order for a random one of
// 1,000 products, against pgbench running the server's statements on a random product.
import pg from "pg";
import { type Backend, type RunContext, type ScenarioResult, startFullServer, withServers } from "../context.ts";
import { pgbenchSubject } from "../pgbench.ts";
import {
  placementPgbenchScript,
  singleStatementDecrementScript,
  SPREAD_LOOKUP_TABLE,
  spreadPlacementPgbenchScript,
  sqlLiteral,
} from "../pgbench-scripts.ts";
import { alternatingRounds, type Summary } from "../rounds.ts";
import { fullOrdersSubject, ORDER_CLIENTS, orderRows, rawLoopSubject, registerCustomers } from "./orders.ts";

export async function pgHotOrdersScenario(
  context: RunContext,
  backend: Backend,
  hotProductId: string,
): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server (pg orders)", backend);
  return withServers([full], async () => {
    const customers = await registerCustomers(full.url, context.smoke);
    const product = sqlLiteral(hotProductId);
    const user = sqlLiteral(customers[0]!.userId);
    const pgbench = (name: string, script: string) =>
      pgbenchSubject({
        name,
        script,
        databaseUrl: backend.databaseUrl,
        clients: ORDER_CLIENTS,
        workDir: context.workDir,
      });
    const summaries = await alternatingRounds(
      [
        fullOrdersSubject(context, full, customers, [hotProductId]),
        pgbench("pgbench single-statement decrement", singleStatementDecrementScript(product)),
        rawLoopSubject(backend.databaseUrl, hotProductId, customers[0]!.userId),
        pgbench("pgbench same statements", placementPgbenchScript({ productIdExpr: product, userIdExpr: user })),
        pgbench(
          "pgbench same statements, events off",
          placementPgbenchScript({ productIdExpr: product, userIdExpr: user, events: false }),
        ),
      ],
      context,
    );
    const [fullSummary, decrement, raw, same, eventsOff] = summaries as [Summary, Summary, Summary, Summary, Summary];
    return {
      rows: orderRows("pg orders.place hot", `${ORDER_CLIENTS} clients, one product, ${backend.label}`, summaries, [
        "pgbench -M prepared, autocommit",
        undefined,
        "pgbench -M prepared",
        "pgbench -M prepared, no outbox rows",
      ]),
      metrics: {
        "pg.orders.fullRps": fullSummary.rps,
        "pg.orders.ratio.pgbenchDecrement": fullSummary.rps / decrement.rps,
        "pg.orders.ratio.rawLoop": fullSummary.rps / raw.rps,
        "pg.orders.ratio.pgbenchSameStatements": fullSummary.rps / same.rps,
        "pg.orders.events.ratio": same.rps / eventsOff.rps,
        "server.peakRssBytes.pg.orders": fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}

/** The spread products (slugs `spread-NNNN`) numbered 1…n in a table pgbench can look up. */
async function spreadLookup(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create table ${SPREAD_LOOKUP_TABLE} (n integer primary key, id uuid not null)`);
    const { rows } = await client.query<{ id: string }>(
      `insert into ${SPREAD_LOOKUP_TABLE} (n, id)
         select row_number() over (order by slug), id from products where slug like 'spread-%'
       returning id`,
    );
    await client.query(`analyze ${SPREAD_LOOKUP_TABLE}`);
    if (rows.length === 0) throw new Error("no spread products seeded");
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

export async function pgSpreadOrdersScenario(context: RunContext, backend: Backend): Promise<ScenarioResult> {
  const productIds = await spreadLookup(backend.databaseUrl);
  const full = await startFullServer(context, "full server (pg spread)", backend);
  return withServers([full], async () => {
    const customers = await registerCustomers(full.url, context.smoke);
    const summaries = await alternatingRounds(
      [
        fullOrdersSubject(context, full, customers, productIds),
        pgbenchSubject({
          name: "pgbench same statements, random product",
          script: spreadPlacementPgbenchScript(productIds.length, sqlLiteral(customers[0]!.userId)),
          databaseUrl: backend.databaseUrl,
          clients: ORDER_CLIENTS,
          workDir: context.workDir,
        }),
      ],
      context,
    );
    const [fullSummary, same] = summaries as [Summary, Summary];
    return {
      rows: orderRows(
        "pg orders.place spread",
        `${ORDER_CLIENTS} clients, random product of ${productIds.length}, ${backend.label}`,
        summaries,
        ["+1 lookup statement per transaction"],
      ),
      metrics: {
        "pg.spread.fullRps": fullSummary.rps,
        "pg.spread.ratio.pgbenchSameStatements": fullSummary.rps / same.rps,
        "server.peakRssBytes.pg.spread": fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}
