// The two dialect schemas are hand-written twins. This test flattens each table into a
// dialect-neutral description and demands the descriptions be equal, so adding a column,
// an index or a default to one file only fails here. Row types are compared in
// schema-types.test-d.ts.
import { type Column, getTableName, is, isTable, SQL, type Table } from "drizzle-orm";
import { PgDialect, getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { SQLiteSyncDialect, getTableConfig as sqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "../src/schema/pg.ts";
import * as sqliteSchema from "../src/schema/sqlite.ts";

type Render = (value: SQL) => string;
/**
 * An id is a uuid on PostgreSQL and text on SQLite, so an expression over its text form
 * casts on PostgreSQL only (orders_short_id_idx); the cast is the one spelling allowed to differ.
 */
const renderPg: Render = (value) => new PgDialect().sqlToQuery(value).sql.replaceAll('"id"::text', '"id"');
const renderSqlite: Render = (value) => new SQLiteSyncDialect().sqlToQuery(value).sql;

const tablesOf = (schema: Record<string, unknown>): Record<string, Table> =>
  Object.fromEntries(Object.entries(schema).filter((entry): entry is [string, Table] => isTable(entry[1])));

const names = (columns: Column[]) => columns.map((column) => column.name);

/**
 * Columns the database numbers itself: an identity on PostgreSQL, an insert trigger over a 0
 * default on SQLite (order_events.seq, migration 0006_order_event_sequence), which has no
 * identity columns besides the rowid. Either way the application never writes them.
 */
const NUMBERED_BY_SQLITE_TRIGGER = new Set(["seq"]);
const numberedByDatabase = (column: Column) =>
  ("generatedIdentity" in column && column.generatedIdentity !== undefined) ||
  (column.columnType === "SQLiteInteger" && NUMBERED_BY_SQLITE_TRIGGER.has(column.name));

/** What a column means, independent of how its dialect spells the storage type. */
function describeColumn(column: Column, render: Render) {
  if (numberedByDatabase(column)) return { ...describeValues(column, render), default: "numbered by the database" };
  return describeValues(column, render);
}

function describeValues(column: Column, render: Render) {
  return {
    name: column.name,
    // "string" | "number" | "date": uuid and text are both strings, timestamptz and
    // integer timestamp_ms are both Dates, which is what the application sees.
    dataType: column.dataType,
    notNull: column.notNull,
    primary: column.primary,
    unique: column.isUnique,
    enumValues: column.enumValues ?? null,
    default: is(column.default, SQL) ? `sql:${render(column.default)}` : (column.default ?? null),
    hasDefaultFn: column.defaultFn !== undefined,
    hasOnUpdateFn: column.onUpdateFn !== undefined,
  };
}

type AnyConfig = ReturnType<typeof pgTableConfig> | ReturnType<typeof sqliteTableConfig>;

const byName = <T extends { name: string }>(items: T[]) => items.toSorted((a, b) => a.name.localeCompare(b.name));

function describeTable(config: AnyConfig, render: Render) {
  return {
    name: config.name,
    columns: byName(config.columns.map((column: Column) => describeColumn(column, render))),
    primaryKeys: byName(config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: names(pk.columns) }))),
    uniqueConstraints: byName(
      config.uniqueConstraints.map((uq) => ({ name: uq.getName() ?? "", columns: names(uq.columns) })),
    ),
    indexes: byName(
      config.indexes.map(({ config: index }) => ({
        name: index.name ?? "",
        unique: index.unique,
        columns: index.columns.map((column) => ("name" in column ? column.name : render(column as SQL))),
        where: index.where ? render(index.where) : null,
      })),
    ),
    foreignKeys: byName(
      config.foreignKeys.map((fk) => {
        const reference = fk.reference();
        return {
          name: fk.getName(),
          columns: names(reference.columns),
          foreignTable: getTableName(reference.foreignTable),
          foreignColumns: names(reference.foreignColumns),
          onDelete: fk.onDelete ?? "no action",
          onUpdate: fk.onUpdate ?? "no action",
        };
      }),
    ),
    checks: byName(config.checks.map((check) => ({ name: check.name, sql: render(check.value) }))),
  };
}

const pgTables = tablesOf(pgSchema);
const sqliteTables = tablesOf(sqliteSchema);

describe("schema drift between the sqlite and pg dialects", () => {
  it("exports the same tables under the same names", () => {
    expect(Object.keys(sqliteTables).toSorted()).toEqual(Object.keys(pgTables).toSorted());
    expect(Object.keys(pgTables).length).toBeGreaterThanOrEqual(9);
  });

  it.each(Object.keys(pgTables))("%s matches column for column", (key) => {
    const pgTable = pgTables[key];
    const sqliteTable = sqliteTables[key];
    if (!is(pgTable, PgTable)) throw new Error(`${key} is not a PostgreSQL table`);
    if (!is(sqliteTable, SQLiteTable)) throw new Error(`${key} has no SQLite twin`);
    const expected = describeTable(pgTableConfig(pgTable), renderPg);
    expect(describeTable(sqliteTableConfig(sqliteTable), renderSqlite)).toEqual(expected);
  });
});
