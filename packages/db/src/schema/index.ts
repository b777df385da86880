export * as pgSchema from "./pg.ts";
export * as sqliteSchema from "./sqlite.ts";
export * from "./enums.ts";
export { newId } from "./ids.ts";
