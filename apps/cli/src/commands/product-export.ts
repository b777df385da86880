import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "csv-stringify/sync";
import { parseChoice } from "../runtime/args.ts";
import { connect } from "../runtime/connect.ts";
import { note } from "../runtime/output.ts";
import { allProducts } from "./catalog-pages.ts";
import { CSV_COLUMNS, toCsvRecord } from "./product-csv.ts";

export async function exportProducts(command: Command): Promise<void> {
  const options = command.opts<{ format: string; output?: string; q?: string }>();
  const format = parseChoice(options.format, "--format", ["csv", "json"] as const);
  const { client } = connect();
  // Oldest first, so an export diffs cleanly against the previous one.
  const products = (await allProducts(client, options.q)).toReversed();
  const records = products.map(toCsvRecord);
  const text =
    format === "csv"
      ? stringify(records, { header: true, columns: [...CSV_COLUMNS] })
      : `${JSON.stringify(
          products.map((product) => ({
            ...toCsvRecord(product),
            price_cents: product.priceCents,
            stock: product.stock,
          })),
          null,
          2,
        )}\n`;
  if (!options.output) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(options.output, text);
  note(`Exported ${products.length} products to ${options.output}.`);
}
