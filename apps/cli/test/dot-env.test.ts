// The CLI reads `.env` from its working directory like the server; the environment wins.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt } from "./harness.ts";

let dir = "";

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-dotenv-"));
  writeFileSync(join(dir, ".env"), "# local settings\nDATABASE_URL=file:./from-dotenv.db\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cartwheel and .env", () => {
  it("takes DATABASE_URL from .env in the working directory", async () => {
    const result = await cartwheel(["db", "migrate"], { cwd: dir });
    expect(result.stderr).toContain("Migrations are up to date");
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "from-dotenv.db"))).toBe(true);
  });

  it("prefers DATABASE_URL from the environment over .env", async () => {
    rmSync(join(dir, "from-dotenv.db"));
    const result = await cartwheel(["db", "migrate"], { cwd: dir, env: { DATABASE_URL: "file:./from-env.db" } });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "from-env.db"))).toBe(true);
    expect(existsSync(join(dir, "from-dotenv.db"))).toBe(false);
  });
});
