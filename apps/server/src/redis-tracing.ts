import { failSpan, SpanKind, startChildSpan, tracingEnabled } from "@cartwheel/tracing";
import type { Cluster, Redis } from "ioredis";

type Command = { name: string; promise: Promise<unknown> };
type SendCommand = (command: Command, ...rest: unknown[]) => unknown;

/**
 * A client span per Redis command sent within a traced request (rate limits, revocations):
 * the command name only, never its keys or arguments, which hold user ids and tokens'
 * hashes. Commands outside a request (connection setup, health) are not traced. The
 * client's own sendCommand is wrapped, so this works however the server is bundled.
 */
export function traceRedisCommands(client: Redis | Cluster): void {
  if (!tracingEnabled()) return;
  const target = client as unknown as { sendCommand: SendCommand };
  const original: SendCommand = target.sendCommand.bind(client);
  target.sendCommand = (command, ...rest) => {
    const operation = command.name.toUpperCase();
    const span = startChildSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: { "db.system.name": "redis", "db.operation.name": operation },
    });
    const result = original(command, ...rest);
    if (span) {
      command.promise.then(
        () => span.end(),
        (error: unknown) => {
          failSpan(span, error);
          span.end();
        },
      );
    }
    return result;
  };
}
