import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const repoRoot = at("../../../");
export const benchDir = at("../");
export const resultsDir = at("../results/");
export const budgetsFile = at("../budgets.json");
export const serverEntry = at("../../../apps/server/dist/index.mjs");
const serverPackageJson = at("../../../apps/server/package.json");
export const dockerfile = at("../../../tooling/deploy/Dockerfile");

/**
 * The V8/Node flags production starts the server with: those of `npm start` in apps/server
 * (`node <flags> dist/index.mjs`), so the bench measures the server as it really runs.
 */
export function serverNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(serverPackageJson, "utf8")) as { scripts: { start: string } };
  const match = /^node((?:\s+--\S+)*)\s+dist\/index\.mjs$/.exec(scripts.start.trim());
  if (!match) throw new Error(`apps/server's start script is not \`node [--flags] dist/index.mjs\`: ${scripts.start}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}
export const cliBin = at("../../../apps/cli/bin/cartwheel.mjs");
export const cliBundle = at("../../../apps/cli/dist/cli.mjs");
export const webDist = at("../../../apps/web/dist/");
/** Peer servers and the raw loop, run as their own processes through tsx. */
export const peerScript = (name: string) => at(`./servers/${name}.ts`);
