// A consumer that depends only on the packed package (plus @trpc/*, its own dependencies)
// type-checks, and a wrong input is a compile error: the .d.ts carries the whole API.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, packageRoot, repoRoot } from "./build-output.ts";

const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
let project = "";

const goodSource = `
import { createCartwheelClient, type RouterInputs, type RouterOutputs } from "@cartwheel/client";

const client = createCartwheelClient({ url: "http://localhost:3000", apiKey: "key" });

export async function cheapest(): Promise<string | undefined> {
  const input: RouterInputs["catalog"]["list"] = { limit: 5, sort: "price_asc" };
  const page = await client.catalog.list.query(input);
  const first: RouterOutputs["catalog"]["list"]["items"][number] | undefined = page.items[0];
  // Timestamps arrive as ISO strings: the types say so.
  const created: string | undefined = first?.createdAt;
  return created;
}
`;

function typecheck(file: string, source: string, skipLibCheck = true) {
  writeFileSync(join(project, "src", file), source);
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2023",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck,
        types: [],
        lib: ["ES2023", "DOM"],
      },
      files: [join("src", file)],
    }),
  );
  return spawnSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
}

beforeAll(() => {
  ensureBuilt();
  project = mkdtempSync(join(tmpdir(), "cartwheel-consumer-"));
  mkdirSync(join(project, "src"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["pack", packageRoot, "--pack-destination", project, "--silent"], { stdio: "ignore" });
  const tarball = readdirSync(project).find((name) => name.endsWith(".tgz"))!;
  const installed = join(project, "node_modules/@cartwheel/client");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(project, tarball), "-C", installed, "--strip-components=1"]);
  // The package's own dependencies, linked from the repo instead of downloaded.
  mkdirSync(join(project, "node_modules/@trpc"));
  for (const name of ["client", "server"]) {
    symlinkSync(join(repoRoot, "node_modules/@trpc", name), join(project, "node_modules/@trpc", name));
  }
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("a consumer of the built package", () => {
  it("has only the packed files and its declared dependencies", () => {
    expect(readdirSync(join(project, "node_modules")).toSorted()).toEqual(["@cartwheel", "@trpc"]);
    expect(readdirSync(join(project, "node_modules/@cartwheel/client/dist")).toSorted()).toEqual([
      "index.d.mts",
      "index.mjs",
    ]);
  });

  it("type-checks correct usage", () => {
    const result = typecheck("good.ts", goodSource);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("ships declarations that compile on their own", () => {
    // skipLibCheck off checks our .d.mts too; @trpc/server's own ws typings need @types/ws, which is not ours to fix.
    const result = typecheck("strict.ts", goodSource, false);
    const ours = result.stdout.split("\n").filter((line) => line && !line.startsWith("node_modules/@trpc/"));
    expect(ours).toEqual([]);
  });

  it("gets a compile error for a wrong input", () => {
    const result = typecheck("wrong.ts", goodSource.replace("limit: 5", 'limit: "five"'));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(
      /wrong\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
  });

  it("gets a compile error for treating a timestamp as a Date", () => {
    const result = typecheck(
      "date.ts",
      goodSource.replace("const created: string | undefined", "const created: Date | undefined"),
    );
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/date\.ts\(\d+,\d+\): error TS2322/);
  });
});
