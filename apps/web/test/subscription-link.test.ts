import { TRPCClientError, type OperationResultEnvelope } from "@trpc/client";
import { observable, type Observer } from "@trpc/server/observable";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

type Envelope = OperationResultEnvelope<unknown, TRPCClientError<never>>;

/** Each connection the link opens: the input it sent and the stream's observer, driven by the test. */
const connections: Array<{ input: unknown; observer: Observer<Envelope, TRPCClientError<never>> }> = [];

/** The options the link built httpSubscriptionLink with, for its fetch. */
let sseOptions: { eventSourceOptions: () => { fetch: (url: string, init: { headers: object }) => Promise<unknown> } };

vi.mock("@trpc/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@trpc/client")>()),
  httpSubscriptionLink: (options: typeof sseOptions) => () => (opts: { op: { input: unknown } }) =>
    observable<Envelope, TRPCClientError<never>>((observer) => {
      sseOptions = options;
      connections.push({ input: opts.op.input, observer });
      return () => undefined;
    }),
}));

const { subscriptionLink } = await import("../src/lib/subscription-link.ts");

const failure = (code: string) =>
  TRPCClientError.from({ error: { message: code, code: -32001, data: { code, httpStatus: 401 } } });

function subscribe(session: { getAccessToken(): string | null; refresh(): Promise<boolean> }) {
  const received: Envelope[] = [];
  const errors: unknown[] = [];
  const operationLink = subscriptionLink("/trpc", session)({});
  const op = {
    id: 1,
    type: "subscription",
    path: "orders.events",
    input: { status: "paid" },
    context: {},
    signal: null,
  };
  const subscription = operationLink({ op, next: () => observable(() => undefined) } as never).subscribe({
    next: (envelope) => received.push(envelope),
    error: (error) => errors.push(error),
  });
  return { received, errors, subscription };
}

const last = () => connections.at(-1)!;

describe("subscription link", () => {
  beforeEach(() => {
    connections.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("refreshes the session on UNAUTHORIZED and resumes after the last event it passed on", async () => {
    const session = { getAccessToken: () => "old", refresh: vi.fn<() => Promise<boolean>>(async () => true) };
    const { received, errors } = subscribe(session);
    last().observer.next({ result: { type: "started" } });
    last().observer.next({ result: { type: "data", id: "7", data: { id: "7", data: {} } } });
    last().observer.error(failure("UNAUTHORIZED"));
    await vi.waitFor(() => expect(connections).toHaveLength(2));

    expect(session.refresh).toHaveBeenCalledTimes(1);
    expect(connections[0]!.input).toEqual({ status: "paid" });
    expect(connections[1]!.input).toEqual({ status: "paid", lastEventId: "7" });
    // The gap shows as reconnecting, not as the end of the subscription.
    expect(received.at(-1)?.result).toMatchObject({ type: "state", state: "connecting" });
    expect(errors).toEqual([]);
  });

  it("sends the access token current at each (re)connection, so a refreshed one is used", async () => {
    let token = "first";
    subscribe({ getAccessToken: () => token, refresh: async () => true });
    const sent: unknown[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: { headers: object }) => sent.push(init.headers));
    const { fetch } = sseOptions.eventSourceOptions();
    await fetch("/trpc/orders.events", { headers: { accept: "text/event-stream" } });
    token = "second";
    await fetch("/trpc/orders.events", { headers: { accept: "text/event-stream" } });
    vi.unstubAllGlobals();
    expect(sent).toEqual([
      { accept: "text/event-stream", authorization: "Bearer first" },
      { accept: "text/event-stream", authorization: "Bearer second" },
    ]);
  });

  it("passes UNAUTHORIZED on when the refresh fails (the store signs the user out)", async () => {
    const { errors } = subscribe({ getAccessToken: () => "old", refresh: async () => false });
    last().observer.error(failure("UNAUTHORIZED"));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(connections).toHaveLength(1);
  });

  it("retries a failed stream after a delay, from the last event id", () => {
    const { errors } = subscribe({ getAccessToken: () => "t", refresh: async () => true });
    last().observer.next({ result: { type: "data", id: "3", data: { id: "3", data: {} } } });
    last().observer.error(TRPCClientError.from(new Error("network down")));
    expect(connections).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(connections).toHaveLength(2);
    expect(last().input).toEqual({ status: "paid", lastEventId: "3" });
    expect(errors).toEqual([]);
  });

  it("ends on an answer another attempt would repeat", () => {
    const { errors } = subscribe({ getAccessToken: () => "t", refresh: async () => true });
    last().observer.error(failure("TOO_MANY_REQUESTS"));
    vi.advanceTimersByTime(60_000);
    expect(errors).toHaveLength(1);
    expect(connections).toHaveLength(1);
  });

  it("stops reconnecting once unsubscribed", () => {
    const { subscription } = subscribe({ getAccessToken: () => "t", refresh: async () => true });
    last().observer.error(TRPCClientError.from(new Error("network down")));
    subscription.unsubscribe();
    vi.advanceTimersByTime(60_000);
    expect(connections).toHaveLength(1);
  });
});
