// Shared test wiring: a fake clock, a logger whose lines the test can read, a fresh service.
import { Writable } from "node:stream";
import { DomainError } from "@cartwheel/contracts";
import { type Backend, openTestDatabase, type TestDatabase } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { testPii, type TestPii } from "@cartwheel/pii/testing";
import { expect } from "vitest";
import { createAuthService, type AuthServiceDeps } from "../src/index.ts";

/** The DomainError that `promise` rejects with; fails the test if it resolves or throws anything else. */
export async function caught(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

export function fakeClock(start = new Date("2030-01-01T00:00:00Z")) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance(seconds: number) {
      at += seconds * 1000;
    },
  };
}

export function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines, text: () => lines.join("") };
}

export const meta = { ip: "203.0.113.7", userAgent: "vitest" };

export interface Harness {
  database: TestDatabase;
  /** The box and index key the service seals users under, for tests that read or write rows. */
  pii: TestPii;
  clock: ReturnType<typeof fakeClock>;
  logs: ReturnType<typeof capturedLogger>;
  auth: ReturnType<typeof createAuthService>;
}

/** `overrides` may be built from the opened database and clock (e.g. an event recorder). */
export async function openHarness(
  backend: Backend,
  overrides:
    Partial<AuthServiceDeps> | ((opened: { database: TestDatabase; now: () => Date }) => Partial<AuthServiceDeps>) = {},
): Promise<Harness> {
  const database = await openTestDatabase(backend);
  const clock = fakeClock();
  const logs = capturedLogger();
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const pii = testPii();
  const extra = typeof overrides === "function" ? overrides({ database, now: clock.now }) : overrides;
  const auth = createAuthService({
    database,
    now: clock.now,
    logger: logs.logger,
    secret,
    ...pii,
    ...extra,
  });
  return { database, clock, logs, auth, pii };
}

let counter = 0;
/** A unique, valid registration. */
export function newAccount() {
  counter += 1;
  return {
    email: `user${counter}-${Date.now()}@example.com`,
    password: `Tall giraffe ${counter} reads`,
    name: "Test",
  };
}

/**
 * Registers and then signs in, as a person does now that registration answers the same for
 * a taken address and so signs nobody in by itself. Returns the sign-in's session.
 */
export async function signUp(
  auth: Harness["auth"],
  account: { email: string; password: string; name: string },
  requestMeta: { ip: string; userAgent: string | null } = meta,
) {
  await auth.register(account, requestMeta);
  return auth.login({ email: account.email, password: account.password }, requestMeta);
}

/** What createAccount and seedDevAdmin take, sealing under the harness's keys. */
export const accountDeps = (h: Harness) => ({
  database: h.database,
  now: h.clock.now,
  ...h.pii,
});
