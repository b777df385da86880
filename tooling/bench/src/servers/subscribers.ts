// The live-orders load: many `orders.events` streams held open from one process of their own,
// so parsing a thousand event streams takes no CPU from the harness. Driven over IPC:
//   { type: "open", url, streams: [{ token, ip }] } → { type: "opened", streams, ms }
//   { type: "arrivals" } → { type: "arrivals", arrivals: { "<orderId>:<toStatus>": [epoch ms, …] } }
//   { type: "close" } → { type: "closed" }, then the process exits.
// Each stream is a plain HTTP GET reading text/event-stream, as an EventSource would; `ip` goes
// in X-Forwarded-For, as a load balancer would send it, so per-address caps see many clients.
import http from "node:http";

interface StreamSpec {
  token: string;
  ip: string;
}

type Command = { type: "open"; url: string; streams: StreamSpec[] } | { type: "arrivals" } | { type: "close" };

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const requests: http.ClientRequest[] = [];
const arrivals: Record<string, number[]> = {};
/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

function record(data: string): void {
  try {
    const event = JSON.parse(data) as { orderId?: string; toStatus?: string };
    if (!event.orderId || !event.toStatus) return;
    (arrivals[`${event.orderId}:${event.toStatus}`] ??= []).push(now());
  } catch {
    // Not an order event (tRPC's connected and ping messages carry other shapes).
  }
}

/** Opens one stream and resolves once the server has answered 200 with its first bytes. */
function open(url: string, spec: StreamSpec): Promise<void> {
  const target = new URL("/trpc/orders.events", url);
  target.searchParams.set("input", JSON.stringify({}));
  return new Promise((resolve, reject) => {
    const request = http.get(
      target,
      {
        agent,
        headers: { accept: "text/event-stream", authorization: `Bearer ${spec.token}`, "x-forwarded-for": spec.ip },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`orders.events answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding("utf8");
        let buffer = "";
        let first = true;
        response.on("data", (chunk: string) => {
          if (first) {
            first = false;
            resolve();
          }
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) !== -1) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message
              .split("\n")
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).trimStart())
              .join("\n");
            if (data) record(data);
          }
        });
        response.on("error", () => {});
      },
    );
    request.on("error", (error) => reject(error));
    requests.push(request);
  });
}

/** Opens streams a hundred at a time, as clients arriving in a burst would. */
async function openAll(url: string, streams: StreamSpec[]): Promise<void> {
  for (let i = 0; i < streams.length; i += 100) {
    await Promise.all(streams.slice(i, i + 100).map((spec) => open(url, spec)));
  }
}

const reply = (message: unknown) => process.send?.(message);

process.on("message", (command: Command) => {
  if (command.type === "open") {
    const started = now();
    openAll(command.url, command.streams).then(
      () => reply({ type: "opened", streams: requests.length, ms: now() - started }),
      (error: unknown) => reply({ type: "error", message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (command.type === "arrivals") {
    reply({ type: "arrivals", arrivals });
  } else {
    for (const request of requests) request.destroy();
    agent.destroy();
    reply({ type: "closed" });
    process.disconnect();
  }
});
