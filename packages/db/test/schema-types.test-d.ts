// Type-level half of the drift contract: the row types domain code sees must not depend
// on the dialect. `expectTypeOf` is checked by the compiler (`npm run typecheck`, and
// vitest's typecheck pass for *.test-d.ts), not at run time; the runtime assertions
// below only guard that the mapped types cover every table.
import { type InferInsertModel, type InferSelectModel, isTable, type Table } from "drizzle-orm";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pgSchema from "../src/schema/pg.ts";
import * as sqliteSchema from "../src/schema/sqlite.ts";

type TableKeys<S> = { [K in keyof S]: S[K] extends Table ? K : never }[keyof S];
type SelectRows<S> = { [K in TableKeys<S>]: S[K] extends Table ? InferSelectModel<S[K]> : never };
type InsertRows<S> = { [K in TableKeys<S>]: S[K] extends Table ? InferInsertModel<S[K]> : never };

const tableNames = (schema: object) =>
  Object.keys(schema)
    .filter((key) => isTable((schema as never)[key]))
    .toSorted();

describe("inferred row types", () => {
  it("are identical between dialects for every table", () => {
    expectTypeOf<SelectRows<typeof sqliteSchema>>().toEqualTypeOf<SelectRows<typeof pgSchema>>();
    expectTypeOf<InsertRows<typeof sqliteSchema>>().toEqualTypeOf<InsertRows<typeof pgSchema>>();
    // A spot check that the mapped types are not vacuous (e.g. `{}` on both sides).
    expectTypeOf<SelectRows<typeof pgSchema>["products"]["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<InsertRows<typeof sqliteSchema>["products"]["id"]>().toEqualTypeOf<string | undefined>();

    expect(tableNames(sqliteSchema)).toEqual(tableNames(pgSchema));
  });
});
