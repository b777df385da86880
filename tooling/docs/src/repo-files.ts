import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

// Build output, installs, caches and run artifacts: nothing a reader opens as a document.
const SKIPPED_DIRS = new Set([".git", "node_modules", "dist", ".turbo", "coverage", "data", "test-artifacts"]);
const SKIPPED_PATHS = new Set(["tooling/bench/results", "package-lock.json"]);

/** Repo-relative paths of the files under `root` that `keep` accepts, skipping generated trees. */
export function repoFiles(keep: (path: string) => boolean, root = repoRoot): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relative(root, full);
      if (SKIPPED_PATHS.has(path)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && keep(path)) found.push(path);
    }
  };
  walk(root);
  return found.toSorted();
}
