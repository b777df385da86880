import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const packageRoot = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** `npm test` builds first; a lone run of this suite builds the package itself. */
export function ensureBuilt(): void {
  if (existsSync(`${packageRoot}/dist/index.mjs`) && existsSync(`${packageRoot}/dist/index.d.mts`)) return;
  execFileSync("npm", ["run", "build"], { cwd: packageRoot, stdio: "ignore" });
}
