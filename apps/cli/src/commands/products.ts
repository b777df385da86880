import type { CartwheelClient, RouterInputs } from "@cartwheel/client";
import type { Command } from "commander";
import { DEFAULT_PAGE_SIZE } from "@cartwheel/contracts";
import { isUuid, parseInteger, parsePageSize } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { UsageError } from "../runtime/errors.ts";
import { formatDate, formatMoney, note, writeJson, writeLine, writeTable } from "../runtime/output.ts";
import { allProducts, type Product } from "./catalog-pages.ts";

const productColumns = [
  { header: "SLUG", value: (p: Product) => p.slug },
  { header: "NAME", value: (p: Product) => (p.name.length > 40 ? `${p.name.slice(0, 39)}…` : p.name) },
  { header: "PRICE", value: (p: Product) => formatMoney(p.priceCents, p.currency), align: "right" as const },
  { header: "STOCK", value: (p: Product) => String(p.stock), align: "right" as const },
  { header: "ARCHIVED", value: (p: Product) => (p.archivedAt ? "yes" : "") },
];

interface ListOptions {
  q?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
}

export async function list(command: Command): Promise<void> {
  const options = command.opts<ListOptions>();
  const { client } = connect();
  const limit = parsePageSize(options.limit, DEFAULT_PAGE_SIZE);
  let items: Product[];
  let more = false;
  if (options.all) {
    items = await allProducts(client, options.q);
  } else {
    const page = await client.catalog.list.query({ limit, ...(options.q ? { q: options.q } : {}) });
    items = page.items;
    more = page.nextCursor !== null;
  }
  if (options.json) return writeJson(items);
  writeTable(items, productColumns, "No products.");
  if (more) note(`Showing ${items.length}; use --all for every product.`);
}

/** Accepts a product id or slug wherever a product is named. */
export async function findProduct(client: CartwheelClient, idOrSlug: string): Promise<Product> {
  return isUuid(idOrSlug)
    ? client.catalog.byId.query({ id: idOrSlug })
    : client.catalog.bySlug.query({ slug: idOrSlug });
}

function printProduct(product: Product, json: boolean | undefined) {
  if (json) return writeJson(product);
  const rows: Array<[string, string]> = [
    ["id", product.id],
    ["slug", product.slug],
    ["name", product.name],
    ["price", formatMoney(product.priceCents, product.currency)],
    ["stock", String(product.stock)],
    ["archived", formatDate(product.archivedAt)],
    ["created", formatDate(product.createdAt)],
    ["updated", formatDate(product.updatedAt)],
    ["description", product.description || "-"],
  ];
  for (const [key, value] of rows) writeLine(`${key.padEnd(12)}${value}`);
}

export async function show(command: Command): Promise<void> {
  const [idOrSlug] = command.processedArgs as [string];
  const { client } = connect();
  printProduct(await findProduct(client, idOrSlug), command.opts<{ json?: boolean }>().json);
}

interface FieldOptions {
  slug?: string;
  name?: string;
  description?: string;
  priceCents?: string;
  currency?: string;
  stock?: string;
  json?: boolean;
}

export async function create(command: Command): Promise<void> {
  const options = command.opts<FieldOptions>();
  const input: RouterInputs["catalog"]["create"] = {
    slug: options.slug!,
    name: options.name!,
    priceCents: parseInteger(options.priceCents!, "--price-cents", { min: 0 }),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.currency !== undefined && { currency: options.currency }),
    ...(options.stock !== undefined && { stock: parseInteger(options.stock, "--stock", { min: 0 }) }),
  };
  const { client } = connect();
  const product = await client.catalog.create.mutate(input);
  if (!options.json) note(`Created ${product.slug} (${product.id}).`);
  printProduct(product, options.json);
}

export async function update(command: Command): Promise<void> {
  const [idOrSlug] = command.processedArgs as [string];
  const options = command.opts<FieldOptions>();
  const changes = {
    ...(options.slug !== undefined && { slug: options.slug }),
    ...(options.name !== undefined && { name: options.name }),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.priceCents !== undefined && {
      priceCents: parseInteger(options.priceCents, "--price-cents", { min: 0 }),
    }),
    ...(options.currency !== undefined && { currency: options.currency }),
  };
  if (Object.keys(changes).length === 0) throw new UsageError("nothing to update: pass at least one field option");
  const { client } = connect();
  const { id } = await findProduct(client, idOrSlug);
  const product = await client.catalog.update.mutate({ id, ...changes });
  if (!options.json) note(`Updated ${product.slug}.`);
  printProduct(product, options.json);
}

export async function archive(command: Command): Promise<void> {
  const [idOrSlug] = command.processedArgs as [string];
  const { client } = connect();
  const { id } = await findProduct(client, idOrSlug);
  const product = await client.catalog.archive.mutate({ id });
  if (command.opts<{ json?: boolean }>().json) return writeJson(product);
  note(`Archived ${product.slug}.`);
}

export async function adjustStock(command: Command): Promise<void> {
  const [idOrSlug, deltaText] = command.processedArgs as [string, string];
  const options = command.opts<{ reason: string; json?: boolean }>();
  const delta = parseInteger(deltaText, "DELTA");
  if (delta === 0) throw new UsageError("DELTA must not be 0");
  const reason = options.reason === "restock" ? "restock" : "adjustment";
  // --reason is free text for people; the ledger keeps its category and the text as the note.
  const text = options.reason === reason ? undefined : options.reason;
  const { client } = connect();
  const { id } = await findProduct(client, idOrSlug);
  const product = await client.catalog.adjustStock.mutate({
    productId: id,
    delta,
    reason,
    ...(text ? { note: text } : {}),
  });
  if (options.json) return writeJson(product);
  note(`Stock of ${product.slug} is now ${product.stock}.`);
}
