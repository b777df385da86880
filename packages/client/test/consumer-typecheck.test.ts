// A consumer that depends only on the packed package (plus @trpc/*, its own dependencies)
// type-checks, also with skipLibCheck off, and a wrong input is a compile error: the .d.ts
// carries the whole API.
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

interface CompilerSettings {
  skipLibCheck?: boolean;
  types?: string[];
  lib?: string[];
}

function typecheck(file: string, source: string, settings: CompilerSettings = {}) {
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
        skipLibCheck: settings.skipLibCheck ?? true,
        types: settings.types ?? [],
        lib: settings.lib ?? ["ES2023", "DOM"],
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
  // A Node app's own typings; @types/ws is deliberately absent, as in most consumers.
  mkdirSync(join(project, "node_modules/@types"));
  symlinkSync(join(repoRoot, "node_modules/@types/node"), join(project, "node_modules/@types/node"));
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("a consumer of the built package", () => {
  it("has only the packed files and its declared dependencies", () => {
    expect(readdirSync(join(project, "node_modules")).toSorted()).toEqual(["@cartwheel", "@trpc", "@types"]);
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

  it("compiles with skipLibCheck off in a Node app", () => {
    // Every loaded declaration is checked, ours and @trpc/*'s: none may need `ws` typings.
    const result = typecheck("strict-node.ts", goodSource, { skipLibCheck: false, types: ["node"] });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("compiles with skipLibCheck off without Node's typings", () => {
    // A browser app: DOM plus the disposable types @trpc/server's core declarations use.
    const lib = ["ES2023", "ESNext.Disposable", "DOM"];
    const result = typecheck("strict-browser.ts", goodSource, { skipLibCheck: false, lib });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("exports the router as AppRouter for tRPC's own client", () => {
    const source = `
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter, CartwheelRouter } from "@cartwheel/client";

const same: CartwheelRouter extends AppRouter ? (AppRouter extends CartwheelRouter ? true : false) : false = true;
const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://localhost:3000/trpc" })] });
export const names = (async () => (await trpc.catalog.list.query({ limit: 1 })).items.map((item) => item.name))();
export { same };
`;
    expect(typecheck("app-router.ts", source).stdout).toBe("");
    const wrong = typecheck("app-router-wrong.ts", source.replace("limit: 1", "limit: true"));
    expect(wrong.stdout).toMatch(/app-router-wrong\.ts\(\d+,\d+\): error TS2322/);
  });

  it("reads a domain error's details by its reason, without a cast", () => {
    const source = `
import { errorData, errorDetails } from "@cartwheel/client";

export function shortLines(error: unknown): string[] {
  const data = errorData(error);
  if (data?.reason === "insufficient_stock") return data.details.shortages.map((line) => line.name);
  return (errorDetails(error, "insufficient_stock")?.shortages ?? []).map((line) => line.productId);
}
`;
    const good = typecheck("details.ts", source);
    expect(good.stdout + good.stderr).toBe("");
    expect(good.status).toBe(0);
    const misspelt = typecheck(
      "details-misspelt.ts",
      source.replace("data.details.shortages", "data.details.shortage"),
    );
    expect(misspelt.stdout).toMatch(
      /details-misspelt\.ts\(\d+,\d+\): error TS2551: Property 'shortage' does not exist/,
    );
    const wrongReason = typecheck("details-reason.ts", source.replace('"insufficient_stock")?', '"out_of_stock")?'));
    expect(wrongReason.stdout).toMatch(/details-reason\.ts\(\d+,\d+\): error TS2345/);
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
