// What the live order stream tests share: accounts over plain HTTP, and subscribers through
// @cartwheel/client (its SSE link) that record every event they receive.
import { randomUUID } from "node:crypto";
import { type CartwheelClient, type CartwheelTokens, createCartwheelClient } from "@cartwheel/client";
import type { Database } from "@cartwheel/db";
import { eq } from "drizzle-orm";

export const PASSWORD = "correct horse battery staple 42";

export interface Account {
  email: string;
  userId: string;
  tokens: CartwheelTokens;
}

async function tokenCall<T>(base: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const response = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

type SignedIn = { accessToken: string; refreshToken: string; accessTokenExpiresAt?: string; user: { id: string } };

/** A new customer: registered (which answers the same whether or not the address is new),
 *  then signed in with the token transport, since verification is not required here. */
export async function registerCustomer(base: string, headers: Record<string, string> = {}): Promise<Account> {
  const email = `live-${randomUUID()}@example.test`;
  await tokenCall(base, "auth.register", { email, password: PASSWORD, name: "Live" }, headers);
  const signedIn = await tokenCall<SignedIn>(
    base,
    "auth.login",
    { email, password: PASSWORD, transport: "token" },
    headers,
  );
  return { email, userId: signedIn.user.id, tokens: signedIn };
}

/** A staff member: registered, promoted in the database, then signed in again for a staff token. */
export async function registerStaff(
  base: string,
  database: Database,
  headers: Record<string, string> = {},
  role: "staff" | "admin" = "staff",
) {
  const account = await registerCustomer(base, headers);
  await database.db.update(database.schema.users).set({ role }).where(eq(database.schema.users.id, account.userId));
  const signedIn = await tokenCall<SignedIn>(
    base,
    "auth.login",
    { email: account.email, password: PASSWORD, transport: "token" },
    headers,
  );
  return { ...account, tokens: signedIn };
}

export function clientFor(base: string, account: Account, headers: Record<string, string> = {}): CartwheelClient {
  return createCartwheelClient({ url: base, tokens: account.tokens, headers });
}

export interface Received {
  id: string;
  type: string;
  orderId: string;
  toStatus: string;
  userId: string;
  at: number;
}

export interface Watcher {
  events: Received[];
  errors: unknown[];
  /** Resolves once the stream is connected (the server answered and started it). */
  started: Promise<void>;
  /** Resolves once `predicate` holds for the received events (checked on each arrival). */
  until(predicate: (events: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Subscribes to orders.events and records each event with its arrival time. */
export function watchOrders(
  client: CartwheelClient,
  input: Parameters<CartwheelClient["orders"]["events"]["subscribe"]>[0] = {},
): Watcher {
  const events: Received[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const subscription = client.orders.events.subscribe(input, {
    onStarted: () => markStarted(),
    onData: (tracked) => {
      const { id, data } = tracked;
      events.push({
        id,
        type: data.type,
        orderId: data.orderId,
        toStatus: data.toStatus,
        userId: data.order.userId,
        at: performance.now(),
      });
      for (const waiter of waiters) waiter();
    },
    onError: (error) => {
      errors.push(error);
      for (const waiter of waiters) waiter();
    },
  });
  return {
    events,
    errors,
    started,
    until(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(events)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`timed out after ${timeoutMs} ms with ${events.length} events, errors: ${errors.join("; ")}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => subscription.unsubscribe(),
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = values.toSorted((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A TCP relay in front of a server, as a flaky network or a load balancer would be:
 * `cut()` drops every open connection and refuses new ones until `restore()`, and
 * `target` can be pointed at another instance.
 */
export async function startRelay(target: string) {
  const { createServer, connect } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  let upstream = new URL(target);
  let down = false;
  const server = createServer((client) => {
    if (down) return client.destroy();
    const onward = connect(Number(upstream.port), upstream.hostname);
    sockets.add(client).add(onward);
    const close = () => {
      client.destroy();
      onward.destroy();
      sockets.delete(client);
      sockets.delete(onward);
    };
    client.on("error", close).on("close", close);
    onward.on("error", close).on("close", close);
    client.pipe(onward).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
    },
    pointAt(next: string) {
      upstream = new URL(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
