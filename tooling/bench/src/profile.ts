// Developer aid, not part of `npm run bench`: runs the full server under `node --cpu-prof`
// while one scenario's load runs, and leaves the .cpuprofile in the work folder.
//   npx tsx src/profile.ts catalog|orders|login [seconds]
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCustomer } from "./api.ts";
import { fullServerEnv } from "./context.ts";
import { seedBenchDatabase } from "./fixture.ts";
import { drive } from "./load.ts";
import { serverEntry, serverNodeFlags } from "./paths.ts";
import { spawnServer } from "./process.ts";
import { CATALOG_PATH } from "./scenarios/catalog.ts";

const [scenario = "catalog", seconds = "8"] = process.argv.slice(2);
const workDir = mkdtempSync(join(tmpdir(), "cartwheel-profile-"));
const databaseUrl = `file:${join(workDir, "profile.db")}`;
const { hotProductId } = await seedBenchDatabase(databaseUrl, { catalog: scenario === "catalog" });
const server = await spawnServer({
  name: "profiled server",
  args: [...serverNodeFlags(), "--cpu-prof", `--cpu-prof-dir=${workDir}`, serverEntry],
  env: fullServerEnv(databaseUrl),
  workDir,
  readyPath: "/ready",
});
try {
  if (scenario === "catalog") {
    await drive({ url: server.url, path: CATALOG_PATH, connections: 10, seconds: 2 });
    console.log(await drive({ url: server.url, path: CATALOG_PATH, connections: 10, seconds: Number(seconds) }));
  } else if (scenario === "orders") {
    const customer = await registerCustomer(server.url);
    console.log(
      await drive({
        url: server.url,
        path: "/trpc/orders.place",
        method: "POST",
        connections: 50,
        seconds: Number(seconds),
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${customer.accessToken}` },
        body: () => JSON.stringify({ items: [{ productId: hotProductId, quantity: 1 }], idempotencyKey: randomUUID() }),
      }),
    );
  }
} finally {
  await server.stop();
}
console.log(`profile in ${workDir}`);
