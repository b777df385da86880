import type { RouterOutputs } from "@cartwheel/client";
import type { Command } from "commander";
import { DEFAULT_PAGE_SIZE, orderStatuses, PAGE_SIZE_MAX } from "@cartwheel/contracts";
import { parseChoice, parseInteger, parsePageSize } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { formatDate, formatMoney, note, writeJson, writeLine, writeTable } from "../runtime/output.ts";
import { collectPages } from "../runtime/pages.ts";

type Order = RouterOutputs["orders"]["list"]["items"][number];

const orderColumns = [
  { header: "ID", value: (o: Order) => o.id },
  { header: "STATUS", value: (o: Order) => o.status },
  { header: "TOTAL", value: (o: Order) => formatMoney(o.totalCents, o.currency), align: "right" as const },
  {
    header: "ITEMS",
    value: (o: Order) => String(o.items.reduce((sum, item) => sum + item.quantity, 0)),
    align: "right" as const,
  },
  { header: "CREATED", value: (o: Order) => formatDate(o.createdAt) },
];

interface ListOptions {
  status?: string;
  user?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
}

export async function list(command: Command): Promise<void> {
  const options = command.opts<ListOptions>();
  const status = options.status === undefined ? undefined : parseChoice(options.status, "--status", orderStatuses);
  const limit = parsePageSize(options.limit, DEFAULT_PAGE_SIZE);
  const { client } = connect();
  const filters = { ...(status && { status }), ...(options.user && { userId: options.user }) };
  const { items, more } = await collectPages(
    (cursor) =>
      client.orders.list.query({ limit: options.all ? PAGE_SIZE_MAX : limit, ...filters, ...(cursor && { cursor }) }),
    Boolean(options.all),
  );
  if (options.json) return writeJson(items);
  writeTable(items, orderColumns, "No orders.");
  if (more && !options.all) note(`Showing ${items.length}; use --all for every order.`);
}

type OrderDetail = RouterOutputs["orders"]["byId"];

function printOrder(order: OrderDetail) {
  writeLine(`id       ${order.id}`);
  writeLine(`status   ${order.status} (version ${order.version})`);
  writeLine(`total    ${formatMoney(order.totalCents, order.currency)}`);
  writeLine(`created  ${formatDate(order.createdAt)}`);
  writeLine(`updated  ${formatDate(order.updatedAt)}`);
  writeLine();
  writeTable(order.items, [
    { header: "PRODUCT", value: (item) => item.productName },
    { header: "QTY", value: (item) => String(item.quantity), align: "right" },
    { header: "UNIT", value: (item) => formatMoney(item.unitPriceCents, order.currency), align: "right" },
    { header: "LINE", value: (item) => formatMoney(item.lineTotalCents, order.currency), align: "right" },
  ]);
}

export async function show(command: Command): Promise<void> {
  const [id] = command.processedArgs as [string];
  const { client } = connect();
  const order = await client.orders.byId.query({ id });
  if (command.opts<{ json?: boolean }>().json) return writeJson(order);
  printOrder(order);
}

export async function setStatus(command: Command): Promise<void> {
  const [id, statusText] = command.processedArgs as [string, string];
  const options = command.opts<{ expectedVersion?: string; json?: boolean }>();
  const status = parseChoice(statusText, "STATUS", orderStatuses);
  const expectedVersion =
    options.expectedVersion === undefined
      ? undefined
      : parseInteger(options.expectedVersion, "--expected-version", { min: 1 });
  const { client } = connect();
  const order = await client.orders.updateStatus.mutate({ id, status, ...(expectedVersion && { expectedVersion }) });
  if (options.json) return writeJson(order);
  note(`Order ${order.id} is now ${order.status} (version ${order.version}).`);
}
