import { fileURLToPath } from "node:url";

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const repoRoot = at("../../../");
export const benchDir = at("../");
export const resultsDir = at("../results/");
export const budgetsFile = at("../budgets.json");
export const serverEntry = at("../../../apps/server/dist/index.mjs");
export const cliBin = at("../../../apps/cli/bin/cartwheel.mjs");
export const cliBundle = at("../../../apps/cli/dist/cli.mjs");
export const webDist = at("../../../apps/web/dist/");
/** Peer servers and the raw loop, run as their own processes through tsx. */
export const peerScript = (name: string) => at(`./servers/${name}.ts`);
