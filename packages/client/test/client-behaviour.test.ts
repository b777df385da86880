import { getUntypedClient } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { type CartwheelTokens, createCartwheelClient, isNetworkError } from "../src/index.ts";
import { createFakeApi } from "./fake-api.ts";

const fastRetry = { retries: 3, baseDelayMs: 1, maxDelayMs: 2 };
const later = new Date(Date.now() + 3_600_000).toISOString();
const listInput = { limit: 10 };
const createInput = { slug: "mug", name: "Mug", priceCents: 900 };
const placeInput = {
  items: [{ productId: "p1", quantity: 1 }],
  idempotencyKey: "0190d7a2-3b4c-7d5e-8f60-718293a4b5c6",
};

function setup(
  tokens: CartwheelTokens | null = { accessToken: "access-1", accessTokenExpiresAt: later, refreshToken: "refresh-1" },
) {
  const api = createFakeApi();
  const seen: Array<CartwheelTokens | null> = [];
  const client = createCartwheelClient({
    url: "http://cartwheel.test",
    tokens,
    onTokens: (next) => seen.push(next),
    fetch: api.fetch,
    retry: fastRetry,
  });
  return { api, client, seen };
}

describe("token refresh", () => {
  it("shares one refresh among concurrent calls rejected as unauthorized, then repeats them", async () => {
    const { api, client, seen } = setup();
    api.expireCurrentAccessToken();

    const results = await Promise.all(Array.from({ length: 5 }, () => client.catalog.list.query(listInput)));

    expect(results).toHaveLength(5);
    expect(api.refreshCalls()).toBe(1);
    expect(seen.map((tokens) => tokens?.refreshToken)).toEqual(["refresh-2"]);
    const repeated = api.requests.filter((request) => request.path === "catalog.list").slice(5);
    expect(repeated.map((request) => request.headers.get("authorization"))).toEqual(Array(5).fill("Bearer access-2"));
  });

  it("renews before sending when the access token is about to expire", async () => {
    const expired = {
      accessToken: "access-1",
      accessTokenExpiresAt: new Date(0).toISOString(),
      refreshToken: "refresh-1",
    };
    const { api, client } = setup(expired);

    await Promise.all([client.catalog.list.query(listInput), client.catalog.list.query(listInput)]);

    expect(api.refreshCalls()).toBe(1);
    expect(api.requests.map((request) => request.path)).toEqual(["auth.refresh", "catalog.list", "catalog.list"]);
  });

  it("forgets the session when the refresh is refused and reports the original error", async () => {
    const { api, client, seen } = setup({
      accessToken: "access-1",
      accessTokenExpiresAt: later,
      refreshToken: "stolen",
    });
    api.expireCurrentAccessToken();

    await expect(client.catalog.list.query(listInput)).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect(seen).toEqual([null]);
  });

  it("does not try to refresh for a failed login", async () => {
    const { api, client } = setup();
    await expect(
      getUntypedClient(client).mutation("auth.login", { email: "a@example.com", password: "wrong-password" }),
    ).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect(api.refreshCalls()).toBe(0);
  });
});

describe("retry policy", () => {
  it("retries a query after network errors, keeping its request id", async () => {
    const { api, client } = setup();
    api.failNextFetches(2);

    await client.catalog.list.query(listInput);

    expect(api.requests).toHaveLength(3);
    const ids = new Set(api.requests.map((request) => request.headers.get("x-request-id")));
    expect(ids.size).toBe(1);
  });

  it("gives up on a query after the configured number of retries", async () => {
    const { api, client } = setup();
    api.failNextFetches(10);

    const error: unknown = await client.catalog.list.query(listInput).catch((caught: unknown) => caught);

    expect(isNetworkError(error)).toBe(true);
    expect(api.requests).toHaveLength(1 + fastRetry.retries);
  });

  it("never repeats a mutation without an idempotency key", async () => {
    const { api, client } = setup();
    api.failNextFetches(1);

    const error: unknown = await client.catalog.create.mutate(createInput).catch((caught: unknown) => caught);

    expect(isNetworkError(error)).toBe(true);
    expect(api.requests).toHaveLength(1);
  });

  it("repeats orders.place, which carries an idempotency key", async () => {
    const { api, client } = setup();
    api.failNextFetches(1);

    await expect(client.orders.place.mutate(placeInput)).resolves.toMatchObject({ id: "o1" });
    expect(api.requests).toHaveLength(2);
    expect(api.mutationRuns()).toBe(1);
  });

  it("does not retry an answer from the server", async () => {
    const { api, client } = setup(null);
    await expect(client.catalog.list.query(listInput)).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect(api.requests).toHaveLength(1);
  });
});

describe("headers", () => {
  it("gives each call its own request id", async () => {
    const { api, client } = setup();
    await client.catalog.list.query(listInput);
    await client.catalog.list.query(listInput);
    const [first, second] = api.requests.map((request) => request.headers.get("x-request-id"));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it("sends an API key as X-API-Key instead of a bearer token", async () => {
    const api = createFakeApi();
    const client = createCartwheelClient({ url: "http://cartwheel.test/", apiKey: "cwk_test", fetch: api.fetch });
    await client.catalog.list.query(listInput).catch(() => undefined);
    expect(api.requests[0]?.headers.get("x-api-key")).toBe("cwk_test");
    expect(api.requests[0]?.headers.get("authorization")).toBeNull();
  });
});
