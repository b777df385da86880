// Developer aid, not part of `npm run bench`: runs the full server under `node --cpu-prof`
// on SQLite while one scenario's wrk load runs, and leaves the .cpuprofile in the work folder.
//   npx tsx src/profile.ts catalog|orders [seconds]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fullServerEnv } from "./context.ts";
import { seedBenchDatabase } from "./fixture.ts";
import { serverEntry, serverNodeFlags } from "./paths.ts";
import { spawnServer } from "./process.ts";
import { CATALOG_CONNECTIONS, CATALOG_PATH } from "./scenarios/catalog.ts";
import { fullOrdersSubject, registerCustomers } from "./scenarios/orders.ts";
import { drive } from "./wrk.ts";

const [scenario = "catalog", seconds = "8"] = process.argv.slice(2);
const workDir = mkdtempSync(join(tmpdir(), "cartwheel-profile-"));
const databaseUrl = `file:${join(workDir, "profile.db")}`;
const { hotProductId } = await seedBenchDatabase(databaseUrl, {
  products: scenario === "catalog" ? "catalog" : "none",
});
const server = await spawnServer({
  name: "profiled server",
  args: [...serverNodeFlags(), "--cpu-prof", `--cpu-prof-dir=${workDir}`, serverEntry],
  env: fullServerEnv(databaseUrl),
  workDir,
  readyPath: "/ready",
});
try {
  if (scenario === "catalog") {
    const load = { url: server.url, variants: [{ path: CATALOG_PATH }], connections: CATALOG_CONNECTIONS, workDir };
    await drive({ ...load, seconds: 2 });
    console.log(await drive({ ...load, seconds: Number(seconds) }));
  } else if (scenario === "orders") {
    const customers = await registerCustomers(server.url);
    const context = { smoke: false, workDir, rounds: 1, seconds: 1, warmupSeconds: 0, log: console.log };
    console.log(await fullOrdersSubject(context, server, customers, [hotProductId]).run(Number(seconds)));
  }
} finally {
  await server.stop();
}
console.log(`profile in ${workDir}`);
