import { minorUnitsPerMajor } from "@cartwheel/contracts/money";
import { styleText } from "node:util";

type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY;
}

export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  return colorEnabled(stream) ? styleText(style, text) : text;
}

export function writeLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Stable JSON: two-space indent, keys in the API's order, one trailing newline. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
  readonly align?: "left" | "right";
}

/** A plain text table sized to its content. */
export function writeTable<T>(rows: readonly T[], columns: readonly Column<T>[], empty = "No results."): void {
  if (rows.length === 0) {
    note(empty);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => column.value(row).replace(/\s+/g, " ")));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) =>
        columns[index]!.align === "right" ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!),
      )
      .join("  ")
      .trimEnd();
  writeLine(paint(process.stdout, "bold", format(columns.map((column) => column.header))));
  for (const line of cells) writeLine(format(line));
}

/** "19.99 USD", "500 JPY": plain digits for scripts, the currency's own minor units. */
export function formatMoney(cents: number, currency: string): string {
  const perMajor = minorUnitsPerMajor(currency);
  return `${(cents / perMajor).toFixed(Math.round(Math.log10(perMajor)))} ${currency}`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";
}
