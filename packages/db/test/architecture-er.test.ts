// ARCHITECTURE.md's ER diagram must describe the real schema: every table and column with
// its type and keys, and every foreign key as a relationship; nothing that does not exist.
import { readFileSync } from "node:fs";
import { is } from "drizzle-orm";
import { getTableConfig, type PgColumn, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "../src/schema/pg.ts";

const architecture = new URL("../../../ARCHITECTURE.md", import.meta.url);

interface Attribute {
  type: string;
  keys: string[];
}
interface Relationship {
  parent: string;
  child: string;
  /** `||` (exactly one parent) or `|o` (zero or one): whether the foreign key is NOT NULL. */
  parentCardinality: string;
  label: string;
}
interface Diagram {
  entities: Map<string, Map<string, Attribute>>;
  relationships: Relationship[];
}

/** The `erDiagram` mermaid block: entity blocks, attribute lines and relationship lines. */
function parseErDiagram(markdown: string): Diagram {
  const block = /```mermaid\s*\n\s*erDiagram\s*\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error("ARCHITECTURE.md has no ```mermaid erDiagram block");
  const entities = new Map<string, Map<string, Attribute>>();
  const relationships: Relationship[] = [];
  let current: Map<string, Attribute> | null = null;
  for (const raw of block[1]!.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("%%")) continue;
    if (current) {
      if (line === "}") {
        current = null;
        continue;
      }
      const attribute = /^(\w+)\s+(\w+)(?:\s+((?:PK|FK|UK)(?:\s*,\s*(?:PK|FK|UK))*))?(?:\s+"[^"]*")?$/.exec(line);
      if (!attribute) throw new Error(`unreadable attribute line in the ER diagram: ${line}`);
      const name = attribute[2]!;
      if (current.has(name)) throw new Error(`column ${name} is listed twice`);
      const keys = attribute[3]?.split(",").map((key) => key.trim()) ?? [];
      current.set(name, { type: attribute[1]!, keys: keys.toSorted() });
      continue;
    }
    const entity = /^(\w+)\s*\{$/.exec(line);
    if (entity) {
      if (entities.has(entity[1]!)) throw new Error(`table ${entity[1]} is listed twice`);
      current = new Map();
      entities.set(entity[1]!, current);
      continue;
    }
    const relation = /^(\w+)\s+(\|\||\|o|\}o|\}\|)(?:--|\.\.)(\|\||o\||o\{|\|\{)\s+(\w+)\s*:\s*"?([^"]*)"?$/.exec(line);
    if (!relation) throw new Error(`unreadable line in the ER diagram: ${line}`);
    relationships.push({
      parent: relation[1]!,
      parentCardinality: relation[2]!,
      child: relation[4]!,
      label: relation[5]!.trim(),
    });
  }
  return { entities, relationships };
}

const tables = (Object.values(pgSchema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table));

/** The diagram's single-word spelling of each column's PostgreSQL type. */
const typeName = (column: PgColumn) => column.getSQLType().replace("timestamp with time zone", "timestamptz");

function schemaAttributes(config: ReturnType<typeof getTableConfig>): Map<string, Attribute> {
  const foreign = new Set(config.foreignKeys.flatMap((fk) => fk.reference().columns.map((column) => column.name)));
  const unique = new Set(
    config.indexes.filter((index) => index.config.unique).flatMap((index) => index.config.columns.map(columnName)),
  );
  for (const constraint of config.uniqueConstraints) for (const column of constraint.columns) unique.add(column.name);
  return new Map(
    config.columns.map((column) => {
      const keys: string[] = [];
      if (column.primary || config.primaryKeys.some((pk) => pk.columns.includes(column))) keys.push("PK");
      if (foreign.has(column.name)) keys.push("FK");
      if (column.isUnique || unique.has(column.name)) keys.push("UK");
      return [column.name, { type: typeName(column), keys: keys.toSorted() }];
    }),
  );
}

function columnName(column: unknown): string {
  if (typeof column === "object" && column !== null && "name" in column && typeof column.name === "string") {
    return column.name;
  }
  throw new Error("expression indexes are not described by the ER diagram");
}

function schemaRelationships(): Relationship[] {
  return tables.flatMap((config) =>
    config.foreignKeys.map((fk) => {
      const { columns, foreignTable } = fk.reference();
      return {
        parent: getTableConfig(foreignTable).name,
        child: config.name,
        parentCardinality: columns.every((column) => column.notNull) ? "||" : "|o",
        label: columns.map((column) => column.name).join(", "),
      };
    }),
  );
}

const byKey = (list: Relationship[]) =>
  list.map((r) => `${r.parent} ${r.parentCardinality}--o{ ${r.child} : ${r.label}`).toSorted();

describe("ARCHITECTURE.md data model", () => {
  const diagram = parseErDiagram(readFileSync(architecture, "utf8"));

  it("lists exactly the schema's tables", () => {
    expect([...diagram.entities.keys()].toSorted()).toEqual(tables.map((config) => config.name).toSorted());
  });

  it.each(tables.map((config) => [config.name, config] as const))(
    "describes every column of %s with its type and keys, and no other",
    (name, config) => {
      const drawn = diagram.entities.get(name);
      expect(drawn, `table ${name} is missing from the ER diagram`).toBeDefined();
      expect(Object.fromEntries(drawn!)).toEqual(Object.fromEntries(schemaAttributes(config)));
    },
  );

  it("draws every foreign key as a relationship, and no other", () => {
    expect(byKey(diagram.relationships)).toEqual(byKey(schemaRelationships()));
  });

  it("notices a missing column, an invented column and an invented table", () => {
    const real = readFileSync(architecture, "utf8");
    const users = schemaAttributes(tables.find((config) => config.name === "users")!);
    const withoutEmail = parseErDiagram(real.replace(/^\s*text email_index UK.*\n/m, ""));
    expect(Object.fromEntries(withoutEmail.entities.get("users")!)).not.toEqual(Object.fromEntries(users));
    const invented = parseErDiagram(
      real.replace("erDiagram\n", "erDiagram\n    wishlists {\n        uuid id PK\n    }\n"),
    );
    expect([...invented.entities.keys()]).toContain("wishlists");
    expect(invented.entities.size).toBe(tables.length + 1);
  });
});
