// `.env` in the working directory feeds the configuration; the environment wins over it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, withDotEnv } from "../src/config.ts";
import { startServerProcess } from "./support/server-process.ts";

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cartwheel-dotenv-"));
  writeFileSync(
    join(dir, ".env"),
    [
      "# a local override, as copied from .env.example",
      "RATE_LIMIT_USER_PER_MIN=7",
      "GIT_COMMIT=abcdef1",
      "DATABASE_URL=:memory:",
      `AUTH_SECRET="${"s".repeat(40)}"`,
      "",
    ].join("\n"),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("withDotEnv", () => {
  it("adds the file's variables to the environment", () => {
    const config = loadConfig(withDotEnv({}, join(dir, ".env")));
    expect(config.RATE_LIMIT_USER_PER_MIN).toBe(7);
    expect(config.AUTH_SECRET).toBe("s".repeat(40));
  });

  it("lets a variable set in the environment win over the file", () => {
    const config = loadConfig(withDotEnv({ RATE_LIMIT_USER_PER_MIN: "30" }, join(dir, ".env")));
    expect(config.RATE_LIMIT_USER_PER_MIN).toBe(30);
    expect(config.GIT_COMMIT).toBe("abcdef1");
  });

  it("is the environment alone when there is no file", () => {
    const env = { PORT: "4000" };
    expect(withDotEnv(env, join(dir, "missing.env"))).toBe(env);
  });
});

// Starting a server (migrations, demo catalog, first admin) takes seconds on a busy machine.
describe("the built server", { timeout: 60_000 }, () => {
  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);
  });

  it("reads .env from its working directory", async () => {
    const server = await startServerProcess(bundle, {}, { cwd: dir });
    try {
      const version = (await (await fetch(`${server.url}/version`)).json()) as { commit: string | null };
      expect(version.commit).toBe("abcdef1");
    } finally {
      await server.stop();
    }
  });

  it("prefers the environment over .env", async () => {
    const server = await startServerProcess(bundle, { GIT_COMMIT: "1234567" }, { cwd: dir });
    try {
      const version = (await (await fetch(`${server.url}/version`)).json()) as { commit: string | null };
      expect(version.commit).toBe("1234567");
    } finally {
      await server.stop();
    }
  });
});
