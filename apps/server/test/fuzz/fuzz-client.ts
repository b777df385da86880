// Sends fuzz requests to a target with bounded concurrency as anonymous, customer, staff and
// admin callers, keeps each caller signed in (a fuzzed logout or revoke may end its
// session), and tallies what came back: the status histogram, every 5xx and every stall.
import { request as httpRequest } from "node:http";
import type { Caller, FuzzRequest } from "./http-arbitrary.ts";
import type { Account, FuzzTarget } from "./fuzz-target.ts";

interface Failure {
  request: FuzzRequest;
  status: number | "timeout" | "network";
  body: string;
}

export interface Tally {
  requests: number;
  /** Oversized requests the server refused by closing the connection before reading them whole. */
  refusedBySocket: number;
  statuses: Map<number | "network", number>;
  failures: Failure[];
  timeouts: number;
  /** Milliseconds spent per request kind, to see where a slow run went. */
  busy: Map<string, { count: number; ms: number }>;
}

const REQUEST_TIMEOUT_MS = 15_000;

type Answer = { status: number | "network" | "timeout"; body: string };

/**
 * One request on its own connection (no keep-alive agent): a server that closes a socket after
 * answering garbage must not make the next, unrelated request on that socket look like a failure.
 */
function send(url: string, method: string, headers: Record<string, string>, body?: string | Uint8Array) {
  // node:http frames a DELETE, OPTIONS or TRACE body with neither Content-Length nor chunked
  // encoding, so the server would read it as a second, garbled request; a body is always framed.
  if (body !== undefined) headers = { ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise<Answer>((resolve) => {
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = httpRequest(url, { method, headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        // An event stream (a subscription) is open for good once it answered: its first chunk
        // (the `connected` event) is the answer, and the connection is closed after it.
        const stream = (response.headers["content-type"] ?? "").startsWith("text/event-stream");
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (!stream) return;
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
          outgoing.destroy();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        response.on("error", (error) => resolve({ status: "network", body: error.message }));
      });
    } catch (error) {
      // node:http refuses the header or method before sending anything: not a request at all.
      resolve({ status: "network", body: `not sent: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    outgoing.on("timeout", () => {
      outgoing.destroy();
      resolve({ status: "timeout", body: "" });
    });
    outgoing.on("error", (error) => resolve({ status: "network", body: error.message }));
    outgoing.end(body);
  });
}
/** node:http refuses header values holding control characters; the rest of each value is sent as generated. */
const headerSafe = (value: string) =>
  Array.from(value)
    .filter((char) => char === "\t" || (char >= " " && char !== "\u007f"))
    .join("")
    .trim();

export class FuzzClient {
  private readonly tokens = new Map<Caller, Promise<string>>();
  /** Each account's device token, so its later sign-ins pass the per-device throttle as a known
   * device does, not the per-address one that the fuzzed failed logins from this address use up. */
  private readonly deviceTokens = new Map<string, string>();
  readonly tally: Tally = {
    requests: 0,
    refusedBySocket: 0,
    statuses: new Map(),
    failures: [],
    timeouts: 0,
    busy: new Map(),
  };

  constructor(private readonly target: FuzzTarget) {}

  /** A fresh access token for an account, by the same login a client uses. */
  private async login(account: Account): Promise<string> {
    const response = await fetch(`${this.target.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: account.email,
        password: account.password,
        transport: "token",
        deviceToken: this.deviceTokens.get(account.email),
      }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`login of ${account.email} failed (${response.status}): ${text}`);
    const signedIn = (JSON.parse(text) as { result: { data: { accessToken: string; deviceToken?: string } } }).result
      .data;
    if (signedIn.deviceToken) this.deviceTokens.set(account.email, signedIn.deviceToken);
    return signedIn.accessToken;
  }

  private token(caller: Caller, renew = false): Promise<string> | undefined {
    if (caller === "anonymous") return undefined;
    let token = this.tokens.get(caller);
    if (!token || renew) {
      token = this.login(this.target.accounts[caller]);
      this.tokens.set(caller, token);
    }
    return token;
  }

  /** Sends one request; a signed-in caller whose session a fuzzed call ended signs in again once. */
  async send(request: FuzzRequest, record = true): Promise<Answer> {
    const started = performance.now();
    let answer = await this.attempt(request, await this.token(request.caller));
    if (answer.status === 401 && request.caller !== "anonymous" && !("authorization" in request.headers)) {
      answer = await this.attempt(request, await this.token(request.caller, true));
    }
    if (record) {
      this.record(request, answer);
      const kind = request.kind.split(" ")[0]!;
      const busy = this.tally.busy.get(kind) ?? { count: 0, ms: 0 };
      this.tally.busy.set(kind, { count: busy.count + 1, ms: busy.ms + performance.now() - started });
    }
    return answer;
  }

  private attempt(request: FuzzRequest, token: string | undefined) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    for (const [name, value] of Object.entries(request.headers)) headers[name] = headerSafe(value);
    return send(`${this.target.url}${request.target}`, request.method, headers, request.body);
  }

  private record(request: FuzzRequest, answer: Answer) {
    const { tally } = this;
    tally.requests += 1;
    if (answer.status === "timeout") {
      tally.timeouts += 1;
      tally.failures.push({ request, status: "timeout", body: "" });
      return;
    }
    if (answer.status === "network" && this.oversized(request) && /ECONNRESET|EPIPE/.test(answer.body)) {
      // Node answers 413/431 and closes while the client is still writing; the reset can arrive first.
      tally.refusedBySocket += 1;
      return;
    }
    tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === "network" || answer.status >= 500) {
      tally.failures.push({ request, status: answer.status, body: answer.body.slice(0, 500) });
    }
  }

  /** Past the body limit, or a request line and headers past Node's 16 KiB header limit. */
  private oversized(request: FuzzRequest): boolean {
    const head =
      request.target.length + Object.entries(request.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    return (request.body?.length ?? 0) > this.target.bounds.maxBodyBytes || head > 16 * 1024;
  }

  /** Sends every request with at most `concurrency` in flight. */
  async run(requests: Iterable<FuzzRequest>, concurrency: number): Promise<void> {
    // Every account signs in (and gets its device token) before any fuzzed login can fail.
    await Promise.all(
      (Object.keys(this.target.accounts) as Exclude<Caller, "anonymous">[]).map((caller) => this.token(caller)!),
    );
    const iterator = requests[Symbol.iterator]();
    const worker = async () => {
      for (let next = iterator.next(); !next.done; next = iterator.next()) await this.send(next.value);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}

/** A short, printable description of a request for failure reports. */
export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ""
      : typeof request.body === "string"
        ? ` body ${JSON.stringify(request.body.slice(0, 300))}${request.body.length > 300 ? `… (${request.body.length} chars)` : ""}`
        : ` body bytes [${Array.from(request.body.subarray(0, 40)).join(",")}] (${request.body.length} bytes)`;
  return `${request.caller} ${request.method} ${request.target.slice(0, 400)} (${request.kind}) headers ${JSON.stringify(request.headers).slice(0, 200)}${body}`;
}
