import type { RouterOutputs } from "@cartwheel/client";
import type { Command } from "commander";
import { DEFAULT_PAGE_SIZE, orderStatuses, PAGE_SIZE_MAX, shortOrderId } from "@cartwheel/contracts";
import { parseChoice, parseInteger, parsePageSize } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { UsageError } from "../runtime/errors.ts";
import { readOrderReference, resolveOrderId } from "../runtime/order-reference.ts";
import { type Column, formatDate, formatMoney, note, writeJson, writeTable } from "../runtime/output.ts";
import { collectPages } from "../runtime/pages.ts";
import { personLabel, printOrder } from "./order-detail.ts";
import { type FilterOptions, parseOrderFilters } from "./order-filters.ts";

type Order = RouterOutputs["orders"]["list"]["items"][number];

// The short id is what people read out and type back; --json keeps the full ids for scripts.
const orderColumns: readonly Column<Order>[] = [
  { header: "ORDER", value: (o) => shortOrderId(o.id) },
  { header: "PLACED", value: (o) => formatDate(o.createdAt) },
  { header: "STATUS", value: (o) => o.status },
  { header: "CUSTOMER", value: (o) => personLabel(o.customer) },
  { header: "TOTAL", value: (o) => formatMoney(o.totalCents, o.currency), align: "right" },
];

interface ListOptions extends FilterOptions {
  limit?: string;
  all?: boolean;
  json?: boolean;
}

export async function list(command: Command): Promise<void> {
  const options = command.opts<ListOptions>();
  const filters = parseOrderFilters(options);
  const limit = parsePageSize(options.limit, DEFAULT_PAGE_SIZE);
  const { client } = connect();
  const { items, more } = await collectPages(
    (cursor) =>
      client.orders.list.query({ limit: options.all ? PAGE_SIZE_MAX : limit, ...filters, ...(cursor && { cursor }) }),
    Boolean(options.all),
  );
  if (options.json) return writeJson(items);
  writeTable(items, orderColumns, "No orders.");
  if (more && !options.all) note(`Showing ${items.length}; use --all for every order.`);
}

export async function show(command: Command): Promise<void> {
  const [text] = command.processedArgs as [string];
  const reference = readOrderReference(text);
  const { client } = connect();
  const order = await client.orders.byId.query({ id: await resolveOrderId(client, reference) });
  if (command.opts<{ json?: boolean }>().json) return writeJson(order);
  printOrder(order);
}

interface SetStatusOptions {
  expectedVersion?: string;
  carrier?: string;
  tracking?: string;
  json?: boolean;
}

export async function setStatus(command: Command): Promise<void> {
  const [text, statusText] = command.processedArgs as [string, string];
  const options = command.opts<SetStatusOptions>();
  const reference = readOrderReference(text);
  const status = parseChoice(statusText, "STATUS", orderStatuses);
  const expectedVersion =
    options.expectedVersion === undefined
      ? undefined
      : parseInteger(options.expectedVersion, "--expected-version", { min: 1 });
  const shipment =
    options.carrier === undefined && options.tracking === undefined
      ? undefined
      : {
          ...(options.carrier !== undefined && { carrier: options.carrier }),
          ...(options.tracking !== undefined && { trackingNumber: options.tracking }),
        };
  // Refused here rather than by the server, so a mistyped status never reaches the order.
  if (shipment && status !== "shipped")
    throw new UsageError(`--carrier and --tracking go only with the status shipped (got "${status}")`);
  const { client } = connect();
  const id = await resolveOrderId(client, reference);
  const order = await client.orders.updateStatus.mutate({
    id,
    status,
    ...(expectedVersion && { expectedVersion }),
    ...(shipment && { shipment }),
  });
  if (options.json) return writeJson(order);
  const shipped =
    order.status === "shipped" && order.shipment
      ? ` Carrier ${order.shipment.carrier || "-"}, tracking ${order.shipment.trackingNumber || "-"}.`
      : "";
  note(`Order ${shortOrderId(order.id)} (${order.id}) is now ${order.status} (version ${order.version}).${shipped}`);
}
