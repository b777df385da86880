import { piiOfEnv, type TestPii, testPiiEnv } from "@cartwheel/pii/testing";
import { Writable } from "node:stream";
import type { Actor, Services } from "@cartwheel/api";
import { createLogger, createMetrics, type Logger } from "@cartwheel/observability";
import type { MiddlewareHandler } from "hono";
import { type AppOptions, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { AppEnv } from "../../src/hono-env.ts";
import { createServices } from "../../src/services.ts";
import { testRouter } from "../fixtures/probe-router.ts";

export interface CapturedLogs {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
}

export function captureLogs(level: "debug" | "info" = "debug"): CapturedLogs {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const text = () => chunks.join("");
  return {
    logger: createLogger({ level, destination }),
    text,
    lines: () =>
      text()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * Test double for the auth middleware: `Authorization: Test <id>:<role>` becomes a user,
 * `Authorization: TestKey <id>:<role>` an API key.
 */
const testAuthenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const match = /^(Test|TestKey) ([\w-]+):(customer|staff|admin)$/.exec(c.req.header("authorization") ?? "");
  if (match) {
    const [, scheme, id, role] = match;
    const actor = scheme === "Test" ? { kind: "user", sessionId: "s1" } : { kind: "apiKey", sessionId: null };
    c.set("actor", { ...actor, id, role } as Actor);
  }
  await next();
};

export interface TestAppOptions extends Partial<Omit<AppOptions, "config" | "services">> {
  env?: Record<string, string>;
  services?: Services;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  logs: CapturedLogs;
  /** The keys the services seal users under (unless `services` came from elsewhere), to read or write rows. */
  pii: TestPii;
  /** app.request with a socket peer address, as @hono/node-server provides it. */
  request: (path: string, init?: RequestInit, peer?: string) => Promise<Response>;
  close: () => Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs = captureLogs();
  // AUTH_SECRET and the PII keys let tests switch NODE_ENV to production, which requires them.
  const piiEnv = { ...testPiiEnv(), ...options.env };
  const config = loadConfig({ DATABASE_URL: ":memory:", AUTH_SECRET: "test-secret-".padEnd(40, "x"), ...piiEnv });
  const services =
    options.services ??
    (await createServices(config, logs.logger, { metrics: createMetrics({ defaultMetrics: false }) }));
  const app = createApp({ router: testRouter, authenticate: testAuthenticate, ...options, config, services });
  return {
    app,
    services,
    logs,
    pii: piiOfEnv(piiEnv),
    request: (path, init, peer = "198.51.100.7") =>
      // The node adapter reads only socket.remoteAddress, so a stand-in for the socket is enough.
      // oxlint-disable-next-line typescript/no-unsafe-class-instance-assignment
      Promise.resolve(app.request(path, init, { incoming: { socket: { remoteAddress: peer } } })),
    close: () => services.database.close(),
  };
}

/** A tRPC GET for one query with JSON input. */
export const query = (path: string, input?: unknown) =>
  `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;

export const mutation = (input: unknown): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(input),
});
