import { readFileSync } from "node:fs";
import type { CartwheelClient } from "@cartwheel/client";
import { MAX_UPSERT_ITEMS } from "@cartwheel/contracts";
import type { Command } from "commander";
import { parse } from "csv-parse/sync";
import { connect } from "../runtime/connect.ts";
import { CliError } from "../runtime/errors.ts";
import { note, paint, writeJson, writeLine } from "../runtime/output.ts";
import { createProgress } from "../runtime/progress.ts";
import { allProducts, type Product } from "./catalog-pages.ts";
import { CSV_COLUMNS, describeIssues, productRowSchema, type ProductRow, toProductRow } from "./product-csv.ts";

interface Failure {
  line: number;
  slug: string;
  reason: string;
}

interface Report {
  file: string;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: Failure[];
}

interface ParsedRow {
  line: number;
  row: ProductRow;
}

/**
 * Reads and validates the whole file. Returns every row or every failure, never a mix:
 * a file with any bad row is not sent at all.
 */
export function readProductCsv(text: string): { rows: ParsedRow[]; failed: Failure[]; total: number } {
  let records: Array<{ record: Record<string, string>; info: { lines: number; raw?: string } }>;
  try {
    records = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      relax_column_count: false,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CliError(`invalid CSV${line ? ` at line ${line}` : ""}: ${(error as Error).message}`);
  }
  const header = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/, 1)[0]!
    .split(",")
    .map((name) => name.trim());
  const missing = CSV_COLUMNS.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (missing.length > 0 || unknown.length > 0) {
    throw new CliError(
      `the header must be ${CSV_COLUMNS.join(",")}` +
        (missing.length ? `; missing ${missing.join(", ")}` : "") +
        (unknown.length ? `; unknown ${unknown.join(", ")}` : ""),
    );
  }

  const rows: ParsedRow[] = [];
  const failed: Failure[] = [];
  const firstLineOfSlug = new Map<string, number>();
  for (const { record, info } of records) {
    // info.lines is where the record ends; a quoted field may span several lines.
    const line = info.lines - ((info.raw ?? "").replace(/\r?\n$/, "").match(/\n/g)?.length ?? 0);
    const parsed = productRowSchema.safeParse(record);
    const slug = record.slug ?? "";
    if (!parsed.success) {
      failed.push({ line, slug, reason: describeIssues(parsed.error) });
      continue;
    }
    const earlier = firstLineOfSlug.get(parsed.data.slug);
    if (earlier !== undefined) {
      failed.push({ line, slug, reason: `slug already used on line ${earlier}` });
      continue;
    }
    firstLineOfSlug.set(parsed.data.slug, line);
    rows.push({ line, row: toProductRow(parsed.data) });
  }
  return { rows: failed.length > 0 ? [] : rows, failed, total: records.length };
}

function isUnchanged(existing: Product | undefined, row: ProductRow): boolean {
  return (
    existing !== undefined &&
    existing.name === row.name &&
    existing.description === row.description &&
    existing.priceCents === row.priceCents &&
    existing.currency === row.currency &&
    existing.stock === row.stock
  );
}

export async function importProducts(command: Command): Promise<void> {
  const [file] = command.processedArgs as [string];
  const options = command.opts<{ dryRun?: boolean; json?: boolean }>();
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { rows, failed, total } = readProductCsv(text);
  const report: Report = {
    file,
    dryRun: options.dryRun === true,
    rows: total,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed,
  };
  if (failed.length > 0) return finish(report, options.json, "No row was written because some rows are invalid.");

  const { client } = connect();
  // Comparing with what is stored lets a re-import send only real changes.
  const existing = new Map((await allProducts(client)).map((product) => [product.slug, product]));
  const changed = rows.filter(({ row }) => !isUnchanged(existing.get(row.slug), row));
  report.unchanged = rows.length - changed.length;
  if (options.dryRun) {
    report.created = changed.filter(({ row }) => !existing.has(row.slug)).length;
    report.updated = changed.length - report.created;
    return finish(report, options.json, "Dry run: nothing was written.");
  }
  await sendBatches(client, changed, report);
  finish(report, options.json);
}

async function sendBatches(client: CartwheelClient, rows: ParsedRow[], report: Report) {
  const progress = createProgress(rows.length, "Importing");
  try {
    for (let start = 0; start < rows.length; start += MAX_UPSERT_ITEMS) {
      const batch = rows.slice(start, start + MAX_UPSERT_ITEMS);
      const result = await client.catalog.upsertMany.mutate({ items: batch.map(({ row }) => row) });
      report.created += result.created;
      report.updated += result.updated;
      for (const { index, message } of result.errors) {
        const item = batch[index];
        report.failed.push({ line: item?.line ?? 0, slug: item?.row.slug ?? "", reason: message });
      }
      progress.advance(batch.length);
      // The rows were checked with the API's own rules; a rejection here is unexpected
      // (a concurrent change, a server fault). Stop, so the rest of the file is not applied.
      if (result.errors.length > 0) break;
    }
  } finally {
    progress.done();
  }
}

function finish(report: Report, json: boolean | undefined, footnote?: string) {
  if (report.failed.length > 0) process.exitCode = 1;
  if (json) return writeJson(report);
  for (const failure of report.failed) {
    writeLine(
      `${paint(process.stdout, "red", `line ${failure.line}`)}${failure.slug ? ` (${failure.slug})` : ""}: ${failure.reason}`,
    );
  }
  writeLine(
    `${report.dryRun ? "Would create" : "Created"} ${report.created}, ${report.dryRun ? "would update" : "updated"} ${report.updated}, unchanged ${report.unchanged}, failed ${report.failed.length} (of ${report.rows} rows).`,
  );
  if (footnote) note(footnote);
}
