// The CLI's fetch repeats a request the server refused with 429 + Retry-After, within bounds.
import { describe, expect, it } from "vitest";
import { type Fetch, fetchWaitingOutRateLimits, retryAfterSeconds } from "../src/runtime/rate-limit-fetch.ts";

function scripted(responses: Response[]) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fetch: Fetch = (url, init) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    return Promise.resolve(next);
  };
  return { fetch, calls };
}

const tooMany = (retryAfter?: string) =>
  new Response("{}", {
    status: 429,
    headers: { ...(retryAfter ? { "retry-after": retryAfter } : {}), "ratelimit-limit": "100" },
  });

describe("fetchWaitingOutRateLimits", () => {
  it("waits Retry-After seconds, reports the wait, and repeats the same request", async () => {
    const { fetch, calls } = scripted([tooMany("7"), tooMany("3"), new Response("ok")]);
    const waits: unknown[] = [];
    const slept: number[] = [];
    const send = fetchWaitingOutRateLimits({
      fetch,
      onWait: (wait) => waits.push(wait),
      sleep: (ms) => (slept.push(ms), Promise.resolve()),
    });
    const response = await send("http://api/trpc/catalog.upsertMany", { method: "POST", body: '{"items":[]}' });
    expect(await response.text()).toBe("ok");
    expect(slept).toEqual([7000, 3000]);
    expect(waits).toEqual([
      { seconds: 7, limit: 100 },
      { seconds: 3, limit: 100 },
    ]);
    expect(calls.map((call) => [call.url, call.init?.body])).toEqual(
      Array.from({ length: 3 }, () => ["http://api/trpc/catalog.upsertMany", '{"items":[]}']),
    );
  });

  it("hands back a 429 without Retry-After, or with a wait too long to sit out", async () => {
    for (const refusal of [tooMany(), tooMany("3600")]) {
      const { fetch, calls } = scripted([refusal]);
      const send = fetchWaitingOutRateLimits({
        fetch,
        onWait: () => expect.fail("must not wait"),
        sleep: () => Promise.resolve(),
      });
      expect((await send("http://api/trpc/x")).status).toBe(429);
      expect(calls).toHaveLength(1);
    }
  });

  it("gives up after five waits for one request", async () => {
    const { fetch, calls } = scripted(Array.from({ length: 6 }, () => tooMany("1")));
    const send = fetchWaitingOutRateLimits({ fetch, onWait: () => {}, sleep: () => Promise.resolve() });
    expect((await send("http://api/trpc/x")).status).toBe(429);
    expect(calls).toHaveLength(6);
  });

  it("stops waiting when the request is aborted", async () => {
    const { fetch } = scripted([tooMany("60")]);
    const controller = new AbortController();
    const send = fetchWaitingOutRateLimits({ fetch, onWait: () => controller.abort(new Error("cancelled")) });
    await expect(send("http://api/trpc/x", { signal: controller.signal })).rejects.toThrow("cancelled");
  });
});

describe("retryAfterSeconds", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(retryAfterSeconds("12", now)).toBe(12);
    expect(retryAfterSeconds("Tue, 01 Jan 2030 00:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("Tue, 01 Jan 2029 00:00:30 GMT", now)).toBe(0);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});
