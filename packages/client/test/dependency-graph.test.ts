// The client must not pull server runtime code into a consumer: not through package.json
// (transitively), and not through an import in the built files.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, packageRoot } from "./build-output.ts";

const FORBIDDEN = ["drizzle-orm", "better-sqlite3", "pg", "hono", "@node-rs/argon2"];

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** Walks runtime dependencies (not devDependencies) as Node would resolve them. */
function runtimeDependencyGraph(root: string): Set<string> {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const manifest = readManifest(dir);
    const names = Object.keys({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    });
    const requireFrom = createRequire(join(dir, "package.json"));
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const resolved = resolvePackageDir(requireFrom, name);
      if (resolved) visit(resolved);
    }
  };
  visit(root);
  return seen;
}

function resolvePackageDir(requireFrom: NodeRequire, name: string): string | null {
  for (const base of requireFrom.resolve.paths(name) ?? []) {
    try {
      const dir = join(base, name);
      readManifest(dir);
      return dir;
    } catch {
      // not in this node_modules; try the next one up
    }
  }
  return null;
}

function importedModules(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...new Set(specifiers)];
}

beforeAll(() => ensureBuilt());

describe("the client's dependency graph", () => {
  it("declares no server runtime package, directly or transitively", () => {
    const graph = runtimeDependencyGraph(packageRoot);
    expect(graph.has("@trpc/client")).toBe(true);
    expect([...graph].filter((name) => FORBIDDEN.includes(name) || name.startsWith("@cartwheel/"))).toEqual([]);
  });

  it("imports only its declared dependencies (tRPC, eventsource) from the built JavaScript and declarations", () => {
    const dist = join(packageRoot, "dist");
    const files = readdirSync(dist);
    expect(files).toContain("index.mjs");
    const declared = Object.keys(readManifest(packageRoot).dependencies ?? {});
    expect(declared.filter((name) => FORBIDDEN.includes(name) || name.startsWith("@cartwheel/"))).toEqual([]);
    const imports = files.flatMap((file) => importedModules(readFileSync(join(dist, file), "utf8")));
    expect(imports.length).toBeGreaterThan(0);
    const undeclared = imports.filter(
      (specifier) =>
        !specifier.startsWith("./") && !declared.some((n) => specifier === n || specifier.startsWith(`${n}/`)),
    );
    expect(undeclared).toEqual([]);
    expect(imports).toContain("eventsource");
  });

  it("resolves its entry points without the server's packages", () => {
    const manifest = readManifest(packageRoot) as Manifest & { exports: Record<string, Record<string, string>> };
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.mts", import: "./dist/index.mjs" });
    expect(dirname(join(packageRoot, manifest.exports["."]!.import!))).toBe(join(packageRoot, "dist"));
  });
});
