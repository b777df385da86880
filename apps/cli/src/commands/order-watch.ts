import { errorCode, type RouterOutputs, type SubscriptionEvent } from "@cartwheel/client";
import type { Command } from "commander";
import { orderStatuses } from "@cartwheel/contracts";
import { parseChoice } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { CliError } from "../runtime/errors.ts";
import { formatDate, note, writeLine } from "../runtime/output.ts";

type OrderEvent = SubscriptionEvent<RouterOutputs["orders"]["events"]>["data"];

/** Answers that end the watch: retrying would get the same one. */
const FINAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "BAD_REQUEST", "TOO_MANY_REQUESTS"]);
const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * `cartwheel orders watch`: streams order events until interrupted, one NDJSON line each with
 * --json. A dropped connection is resumed after the last event received, by the EventSource
 * itself or, when the subscription failed outright, by subscribing again from that event.
 */
export async function watch(command: Command): Promise<void> {
  const options = command.opts<{ status?: string; json?: boolean }>();
  const status = options.status === undefined ? undefined : parseChoice(options.status, "--status", orderStatuses);
  const { client } = connect();
  let lastEventId: string | null = null;

  const print = (id: string, event: OrderEvent) => {
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ id, ...event })}\n`);
      return;
    }
    const from = event.fromStatus ?? "new";
    writeLine(`${formatDate(event.at)}  ${event.orderId}  ${from} → ${event.toStatus}`);
  };

  await new Promise<void>((resolve, reject) => {
    let subscription: { unsubscribe(): void } | null = null;
    const stop = () => {
      subscription?.unsubscribe();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const subscribe = () => {
      subscription = client.orders.events.subscribe(
        { ...(status && { status }), lastEventId },
        {
          onStarted: () => {
            if (!options.json) note("Watching orders (Ctrl-C to stop)…");
          },
          onData: ({ id, data }) => {
            lastEventId = id;
            print(id, data);
          },
          onError: (error) => {
            const code = errorCode(error);
            if (code && FINAL_CODES.has(code)) {
              process.off("SIGINT", stop);
              process.off("SIGTERM", stop);
              reject(new CliError(error.message));
              return;
            }
            note(`Connection lost (${error.message}); resuming…`);
            setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
          },
        },
      );
    };
    subscribe();
  });
}
