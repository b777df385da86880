// Every procedure that takes no input, called through every kind of consumer against the
// built server on a real port: @cartwheel/client, official @trpc/client links, plain HTTP
// and the CLI. tRPC's httpLink sends such a mutation with no body at all, which the server
// once refused ("Unexpected end of JSON input"), so logging out never ended the session.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appRouter } from "@cartwheel/api";
import { createCartwheelClient, errorCode } from "@cartwheel/client";
import { createTRPCUntypedClient, getUntypedClient, httpBatchLink, httpLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const ADMIN_EMAIL = "input-less-admin@example.test";
const ADMIN_PASSWORD = "quiet lanterns over the harbour 7";

interface StandardSchema {
  "~standard": { validate: (value: unknown) => { issues?: unknown } | Promise<unknown> };
}
interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; inputs: StandardSchema[] };
}

/** Procedures whose input parser is absent or accepts `undefined`, read from the router itself. */
function inputLessProcedures(): Array<{ path: string; type: "query" | "mutation" }> {
  // At run time `procedures` is flat, keyed by dotted path; its type is the nested record.
  // oxlint-disable-next-line no-underscore-dangle
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures).flatMap(([path, procedure]) => {
    const { type, inputs } = procedure._def; // oxlint-disable-line no-underscore-dangle
    if (type === "subscription") return [];
    const acceptsNothing = inputs.every((schema) => {
      const result = schema["~standard"].validate(undefined);
      if (result instanceof Promise) throw new Error(`${path}: asynchronous input schemas are not expected`);
      return result.issues === undefined;
    });
    return acceptsNothing ? [{ path, type }] : [];
  });
}

/**
 * Outcomes that are not "ok" for a signed-in admin who sends nothing: auth.refresh without a
 * refresh token, and auth.resume (which reads only the cookie), must prove they come from our
 * own pages. Any procedure not listed here must succeed; a new input-less procedure joins the
 * matrix by itself.
 */
const EXPECTED_REFUSALS: Partial<Record<string, string>> = { "auth.refresh": "FORBIDDEN", "auth.resume": "FORBIDDEN" };

/**
 * What a call leaves of the caller's session and of another session of the same user, as the
 * status auth.refresh then answers for each (200 alive, 401 ended). Unlisted: both stay alive.
 */
const SESSION_EFFECTS: Partial<Record<string, { own: number; other: number }>> = {
  "auth.logout": { own: 401, other: 200 },
  "auth.revokeOtherSessions": { own: 200, other: 401 },
};

/**
 * Procedures throttled per account to a few calls in a window (auth.resendVerification mails a
 * link): each case signs in as a new account, so the matrix measures the consumer, not the limit.
 */
const THROTTLED_PER_ACCOUNT = new Set(["auth.resendVerification"]);

interface Session {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

let dir = "";
let server: RunningServer;
let trpcUrl = "";

async function signIn(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Session> {
  const res = await fetch(`${trpcUrl}/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, transport: "token" }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: Session } }).result.data;
}

/** A new customer account, registered through the API; returns its credentials. */
async function registerAccount(): Promise<[string, string]> {
  const email = `input-less-${randomUUID()}@example.test`;
  const res = await fetch(`${trpcUrl}/auth.register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: ADMIN_PASSWORD, name: "Input-less" }),
  });
  expect(res.status).toBe(200);
  return [email, ADMIN_PASSWORD];
}

/** The status auth.refresh answers for `refreshToken`: 200 while the session lives, 401 once it ended. */
async function refreshStatus(refreshToken: string): Promise<number> {
  const res = await fetch(`${trpcUrl}/auth.refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken }),
  });
  await res.body?.cancel();
  return res.status;
}

/** Signs in with `cartwheel login`, as a person would; returns its environment and stored tokens. */
async function cliLogin(name: string) {
  const env = { XDG_CONFIG_HOME: join(dir, name), CARTWHEEL_URL: server.url };
  const login = await cartwheel(["login", "--email", ADMIN_EMAIL, "--password-stdin"], {
    env,
    input: `${ADMIN_PASSWORD}\n`,
  });
  expect(login.code).toBe(0);
  const file = join(env.XDG_CONFIG_HOME, "cartwheel/credentials.json");
  return { env, tokens: (JSON.parse(readFileSync(file, "utf8")) as { tokens: Session }).tokens };
}

/** "ok", or the tRPC error code the consumer saw. */
async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ok";
  } catch (error) {
    return errorCode(error) ?? `no error code: ${String(error)}`;
  }
}

/** A plain HTTP answer as an outcome: "ok" for a result, else the error's code. */
async function httpOutcome(res: Response): Promise<string> {
  const body = (await res.json()) as { result?: unknown; error?: { data?: { code?: string } } };
  return body.result !== undefined ? "ok" : (body.error?.data?.code ?? `HTTP ${res.status}`);
}

type Consumer = (path: string, type: "query" | "mutation", session: Session) => Promise<string>;

const bearer = (session: Session) => ({ authorization: `Bearer ${session.accessToken}` });
const viaLink =
  (link: typeof httpLink | typeof httpBatchLink): Consumer =>
  (path, type, session) => {
    const client = createTRPCUntypedClient({ links: [link({ url: trpcUrl, headers: bearer(session) })] });
    return outcomeOf(() => (type === "query" ? client.query(path) : client.mutation(path)));
  };
const plainPost =
  (init: RequestInit): Consumer =>
  async (path, _type, session) => {
    const headers = { ...bearer(session), ...(init.headers as Record<string, string> | undefined) };
    return httpOutcome(await fetch(`${trpcUrl}/${path}`, { ...init, method: "POST", headers }));
  };

const CONSUMERS: Record<string, { consumer: Consumer; types: ReadonlyArray<"query" | "mutation"> }> = {
  "@cartwheel/client": {
    types: ["query", "mutation"],
    consumer: (path, type, session) => {
      // The package's declarations carry their own copy of tRPC's client types (no ws typings),
      // so tRPC's getUntypedClient sees a structurally different type; at run time it is tRPC's.
      const typed = createCartwheelClient({ url: server.url, tokens: session });
      const client = getUntypedClient(typed as unknown as Parameters<typeof getUntypedClient>[0]);
      return outcomeOf(() => (type === "query" ? client.query(path) : client.mutation(path)));
    },
  },
  "@trpc/client httpLink": { types: ["query", "mutation"], consumer: viaLink(httpLink) },
  "@trpc/client httpBatchLink": { types: ["query", "mutation"], consumer: viaLink(httpBatchLink) },
  "plain GET without input": {
    types: ["query"],
    consumer: async (path, _type, session) =>
      httpOutcome(await fetch(`${trpcUrl}/${path}`, { headers: bearer(session) })),
  },
  "plain POST without a body": { types: ["mutation"], consumer: plainPost({}) },
  "plain POST with an empty body": { types: ["mutation"], consumer: plainPost({ body: "" }) },
  "plain POST with an empty JSON body": {
    types: ["mutation"],
    consumer: plainPost({ body: "", headers: { "content-type": "application/json" } }),
  },
  "plain POST with {}": {
    types: ["mutation"],
    consumer: plainPost({ body: "{}", headers: { "content-type": "application/json" } }),
  },
};

const procedures = inputLessProcedures();
const cases = procedures.flatMap(({ path, type }) =>
  Object.entries(CONSUMERS)
    .filter(([, { types }]) => types.includes(type))
    .map(([name, { consumer }]) => ({ path, type, name, consumer })),
);

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-input-less-"));
  const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  const created = await cartwheel(
    ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password-stdin", "--database-url", databaseUrl],
    { env: { XDG_CONFIG_HOME: join(dir, "config") }, input: `${ADMIN_PASSWORD}\n` },
  );
  if (created.code !== 0) throw new Error(`bootstrapping the admin failed: ${created.stderr}`);
  // Every case signs in afresh; the per-user limit must not be what a case measures.
  server = await startServer({ DATABASE_URL: databaseUrl, RATE_LIMIT_USER_PER_MIN: "10000" }, dir);
  trpcUrl = `${server.url}/trpc`;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("input-less procedures through every consumer", () => {
  it("finds them in the router (the matrix below is derived from it, not listed by hand)", () => {
    const paths = procedures.map(({ path }) => path);
    expect(paths).toEqual(expect.arrayContaining(["auth.logout", "auth.me", "auth.revokeOtherSessions"]));
    expect(paths).not.toContain("auth.login");
    expect(cases.length).toBeGreaterThanOrEqual(paths.length * 4);
  });

  it.each(cases)("$path via $name", async ({ path, type, consumer }) => {
    const account: [string, string] = THROTTLED_PER_ACCOUNT.has(path)
      ? await registerAccount()
      : [ADMIN_EMAIL, ADMIN_PASSWORD];
    const [session, other] = [await signIn(...account), await signIn(...account)];

    const outcome = await consumer(path, type, session);
    // The call really ran (or really did not): the sessions it ends can no longer be refreshed.
    const sessions = { own: await refreshStatus(session.refreshToken), other: await refreshStatus(other.refreshToken) };

    expect({ outcome, sessions }).toEqual({
      outcome: EXPECTED_REFUSALS[path] ?? "ok",
      sessions: SESSION_EFFECTS[path] ?? { own: 200, other: 200 },
    });
  });

  it("auth.logout via the CLI (`cartwheel logout`)", async () => {
    const { env, tokens } = await cliLogin("config-logout");
    const result = await cartwheel(["logout"], { env });
    expect(result.stderr.trim()).toMatch(/^Logged out \(removed .*credentials\.json\)\.$/);
    expect(result.code).toBe(0);
    expect(await refreshStatus(tokens.refreshToken)).toBe(401);
  });

  it("auth.me via the CLI (`cartwheel whoami`)", async () => {
    const { env, tokens } = await cliLogin("config-whoami");
    const result = await cartwheel(["whoami"], { env });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(ADMIN_EMAIL);
    expect(await refreshStatus(tokens.refreshToken)).toBe(200);
  });
});
