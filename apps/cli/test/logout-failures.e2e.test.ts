// `cartwheel logout` says what actually went wrong when the server does not end the session:
// an unreachable server, a server that refused (with its own message), or a session that had
// already ended. The built CLI runs as a subprocess against a stand-in HTTP server on
// loopback that answers as a server with that fault would.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, closedPort, ensureBuilt } from "./harness.ts";

let dir = "";
let stand: Server | null = null;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-logout-"));
});
afterEach(async () => {
  const running = stand;
  stand = null;
  if (running) await new Promise((resolve) => running.close(resolve));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A loopback server answering every request with one tRPC error. */
async function answering(status: number, code: string, message: string): Promise<string> {
  const body = JSON.stringify({ error: { message, code: -32600, data: { code, httpStatus: status } } });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(status, { "content-type": "application/json" }).end(body));
  });
  stand = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stored credentials for `url` in a fresh config folder; returns the CLI's environment. */
function loggedInTo(url: string, name: string) {
  const config = join(dir, name);
  mkdirSync(join(config, "cartwheel"), { recursive: true });
  const file = join(config, "cartwheel/credentials.json");
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const tokens = { accessToken: "stored-access", accessTokenExpiresAt: later, refreshToken: "stored-refresh" };
  writeFileSync(file, JSON.stringify({ url, email: "someone@example.test", role: "admin", tokens }), { mode: 0o600 });
  return { env: { XDG_CONFIG_HOME: config }, file };
}

describe("cartwheel logout when the server does not end the session", () => {
  it("says the server could not be reached only when it could not", async () => {
    const { env, file } = loggedInTo(`http://127.0.0.1:${await closedPort()}`, "unreachable");
    const result = await cartwheel(["logout"], { env });
    expect(result.stderr).toMatch(/Could not reach the server to end the session: cannot reach .*ECONNREFUSED/);
    expect(result.stderr).toContain("Logged out");
    expect(result.code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it("quotes the server's refusal instead of blaming the network", async () => {
    const url = await answering(400, "BAD_REQUEST", "Unexpected end of JSON input");
    const { env, file } = loggedInTo(url, "refused");
    const result = await cartwheel(["logout"], { env });
    expect(result.stderr).toContain("The server did not end the session: BAD_REQUEST: Unexpected end of JSON input");
    expect(result.stderr).not.toMatch(/could not reach/i);
    expect(existsSync(file)).toBe(false);
  });

  it("tells that a session the server no longer accepts has already ended", async () => {
    const url = await answering(401, "UNAUTHORIZED", "Your session has ended. Sign in again.");
    const { env } = loggedInTo(url, "ended");
    const result = await cartwheel(["logout"], { env });
    expect(result.stderr).toContain("The server no longer accepts this session, so it has already ended");
    expect(result.stderr).not.toMatch(/could not reach/i);
    expect(result.code).toBe(0);
  });
});
