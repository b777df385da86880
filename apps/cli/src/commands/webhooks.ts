import type { Command } from "commander";
import { webhookEventTypes, type WebhookEventType } from "@cartwheel/contracts";
import { WEBHOOK_DELIVERIES_PAGE_MAX } from "@cartwheel/contracts/limits";
import { parseChoice, parseInteger } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { UsageError } from "../runtime/errors.ts";
import { formatDate, note, writeJson, writeLine, writeTable } from "../runtime/output.ts";

/** `--events order.created,order.status_changed`: each checked here, so a typo is a usage error. */
function parseEventTypes(value: string): WebhookEventType[] {
  return value
    .split(",")
    .map((type) => type.trim())
    .filter((type) => type !== "")
    .map((type) => parseChoice(type, "--events", webhookEventTypes));
}

export async function create(command: Command): Promise<void> {
  const options = command.opts<{ url: string; events: string; description?: string; json?: boolean }>();
  const eventTypes = parseEventTypes(options.events);
  const { client } = connect();
  const created = await client.webhooks.create.mutate({
    url: options.url,
    eventTypes,
    ...(options.description !== undefined && { description: options.description }),
  });
  if (options.json) return writeJson(created);
  // The secret goes to stdout alone so `SECRET=$(cartwheel webhooks create ...)` captures just it.
  writeLine(created.secret);
  note(
    `Created webhook endpoint ${created.id} (${created.eventTypes.join(", ")}). The secret is shown once: store it now.`,
  );
}

export async function list(command: Command): Promise<void> {
  const { client } = connect();
  const endpoints = await client.webhooks.list.query();
  if (command.opts<{ json?: boolean }>().json) return writeJson(endpoints);
  writeTable(
    endpoints,
    [
      { header: "ID", value: (e) => e.id },
      { header: "URL", value: (e) => e.url },
      { header: "EVENTS", value: (e) => e.eventTypes.join(",") },
      { header: "ENABLED", value: (e) => (e.enabled ? "yes" : "no") },
      { header: "CREATED", value: (e) => formatDate(e.createdAt) },
    ],
    "No webhook endpoints.",
  );
}

export async function update(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const options = command.opts<{
    url?: string;
    events?: string;
    description?: string;
    enable?: boolean;
    disable?: boolean;
    json?: boolean;
  }>();
  if (options.enable && options.disable) throw new UsageError("--enable and --disable contradict each other");
  const enabled = options.enable ? true : options.disable ? false : undefined;
  const { client } = connect();
  const updated = await client.webhooks.update.mutate({
    id,
    ...(options.url !== undefined && { url: options.url }),
    ...(options.events !== undefined && { eventTypes: parseEventTypes(options.events) }),
    ...(options.description !== undefined && { description: options.description }),
    ...(enabled !== undefined && { enabled }),
  });
  if (options.json) return writeJson(updated);
  note(
    `Updated webhook endpoint ${id} (${updated.enabled ? "enabled" : "disabled"}, ${updated.eventTypes.join(", ")}).`,
  );
}

export async function rotateSecret(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const { client } = connect();
  const rotated = await client.webhooks.rotateSecret.mutate({ id });
  if (command.opts<{ json?: boolean }>().json) return writeJson(rotated);
  writeLine(rotated.secret);
  note(`Rotated the secret of webhook endpoint ${id}; the old one no longer signs. Shown once: store it now.`);
}

export async function deliveries(command: Command): Promise<void> {
  const [endpointId] = command.processedArgs as [string];
  const options = command.opts<{ limit?: string; json?: boolean }>();
  const limit =
    options.limit === undefined
      ? 20
      : parseInteger(options.limit, "--limit", { min: 1, max: WEBHOOK_DELIVERIES_PAGE_MAX });
  const { client } = connect();
  const found = await client.webhooks.deliveries.query({ endpointId, limit });
  if (options.json) return writeJson(found);
  writeTable(
    found,
    [
      { header: "ID", value: (d) => d.id },
      { header: "EVENT", value: (d) => d.eventType },
      { header: "OUTCOME", value: (d) => d.outcome },
      { header: "ATTEMPTS", value: (d) => String(d.attempts) },
      // Each attempt as status code (or "-" with none) and latency: `500/12ms 200/8ms`.
      { header: "LOG", value: (d) => d.attemptLog.map((a) => `${a.statusCode ?? "-"}/${a.latencyMs}ms`).join(" ") },
      { header: "CREATED", value: (d) => formatDate(d.createdAt) },
    ],
    "No deliveries yet.",
  );
}

export async function redeliver(command: Command): Promise<void> {
  const [deliveryId] = command.processedArgs as [string];
  const { client } = connect();
  await client.webhooks.redeliver.mutate({ deliveryId });
  note(`Queued another attempt of delivery ${deliveryId} (same webhook-id).`);
}
