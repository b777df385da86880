export * as pgSchema from "./pg.ts";
export * as sqliteSchema from "./sqlite.ts";
export { MAX_INT4, MAX_PRICE_CENTS, MAX_STOCK } from "./bounds.ts";
export * from "./enums.ts";
export { newId } from "./ids.ts";
