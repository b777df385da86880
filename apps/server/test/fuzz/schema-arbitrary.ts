// fast-check arbitraries derived from a procedure's zod input: the schema is turned into
// JSON Schema (`z.toJSONSchema`, input side) and walked. Each node yields mostly values that
// conform, plus values at and just past each bound, hostile strings and wrong types, so a
// new procedure or a new field is fuzzed without editing the suite.
import fc from "fast-check";
import { z } from "zod";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/** Values the setup phase saw in real answers (ids, slugs, cursors): fuzzing them reaches deeper code. */
export interface ValuePool {
  readonly strings: readonly string[];
}

/** Strings each dialect may treat differently: NUL, lone surrogates, LIKE and SQL metacharacters, odd Unicode. */
export const hostileStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF",
  "x\uDC00y",
  "\uD83D",
  "😀\uD83D",
  "\uFFFE\uFFFF",
  "\uFEFF",
  "\u202Eevil",
  "e\u0301",
  "🏳️‍🌈",
  "%",
  "_",
  "\\",
  "a\\",
  "\\%_",
  "'",
  '"',
  "' OR 1=1 --",
  "'; drop table products; --",
  "${7*7}",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\r\n",
  "\t\u000b\f",
  "null",
  "NaN",
  "-1",
  "1e309",
  "__proto__",
  "constructor",
];

const INT4 = 2 ** 31;
const edgeNumbers = [
  0,
  -0,
  1,
  -1,
  0.5,
  -1.5,
  INT4 - 1,
  INT4,
  -INT4,
  -INT4 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  8.64e15,
  8.64e15 + 1,
];

/** Any JSON value of the wrong kind for a node. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const repeatUnit = fc.constantFrom("a", "Z", "0", "-", " ", "é", "😀", "\u0000");
/** A string of exactly `length` UTF-16 units (an emoji unit makes it twice as long: zod counts units). */
const stringOfLength = (length: number) =>
  repeatUnit.map((unit) => unit.repeat(Math.max(0, Math.ceil(length / unit.length))).slice(0, Math.max(0, length)));

/** Flips the case of letters, e.g. a UUID written in another case. */
const recased = (source: fc.Arbitrary<string>) =>
  fc
    .tuple(source, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
    .map(([text, flips]) =>
      text.replaceAll(/[a-z]/gi, (char, offset: number) =>
        flips[offset % flips.length] ? char.toUpperCase() : char.toLowerCase(),
      ),
    );

/** A pooled string, sometimes recased, or (when it decodes as base64url JSON) with one JSON leaf replaced. */
function pooled(pool: ValuePool): fc.Arbitrary<string> {
  const pick = fc.nat().map((i) => pool.strings[i % Math.max(1, pool.strings.length)] ?? "");
  const leaf = fc.oneof(
    fc.constantFrom(...hostileStrings),
    fc.constantFrom(...edgeNumbers),
    wrongType,
    recased(fc.uuid()),
  );
  const forged = fc.tuple(pick, fc.nat(), leaf).map(([text, which, value]) => {
    try {
      const decoded = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
      if (typeof decoded !== "object" || decoded === null) return text;
      const keys = Object.keys(decoded);
      const key = keys[which % Math.max(1, keys.length)] ?? "v";
      return Buffer.from(JSON.stringify({ ...decoded, [key]: value })).toString("base64url");
    } catch {
      return text;
    }
  });
  return fc.oneof({ weight: 3, arbitrary: pick }, { weight: 2, arbitrary: recased(pick) }, forged);
}

function stringArbitrary(schema: JsonSchema, pool: ValuePool): fc.Arbitrary<unknown> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 300;
  const options: fc.WeightedArbitrary<unknown>[] = [
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 20) }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
    { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
    { weight: 1, arbitrary: stringOfLength(max) },
    { weight: 1, arbitrary: stringOfLength(max + 1) },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 3, arbitrary: pooled(pool) },
  ];
  if (min > 0) options.push({ weight: 1, arbitrary: stringOfLength(min - 1) });
  if (schema.format === "uuid") {
    options.push({ weight: 6, arbitrary: fc.uuid() }, { weight: 3, arbitrary: recased(fc.uuid()) });
  }
  if (schema.format === "date-time") options.push({ weight: 8, arbitrary: dateTimes });
  if (schema.pattern && !schema.format) {
    try {
      options.push({ weight: 6, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) });
    } catch {
      // A pattern fast-check cannot generate from: the other options still cover the node.
    }
  }
  return fc.oneof(...options);
}

/** ISO timestamps inside and far outside what `Date` and PostgreSQL hold, and impossible calendar dates. */
const dateTimes: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999-12:00",
    "2024-02-30T00:00:00Z",
    "2023-02-29T12:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-06-30T23:59:60Z",
    "+275761-01-01T00:00:00Z",
    "-271822-01-01T00:00:00Z",
    "2026-01-01T00:00:00+99:99",
    "2026-01-01",
  ),
);

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  const integer = schema.type === "integer";
  const min = schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e9 : schema.exclusiveMinimum + 1);
  const max = schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1e9 : schema.exclusiveMaximum - 1);
  const low = Math.max(min, -Number.MAX_SAFE_INTEGER);
  const high = Math.min(max, Number.MAX_SAFE_INTEGER);
  const inRange = integer
    ? fc.integer({ min: Math.max(low, -INT4), max: Math.min(high, INT4 - 1) })
    : fc.double({ min: low, max: high, noNaN: true });
  return fc.oneof(
    { weight: 5, arbitrary: inRange },
    { weight: 3, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, ...edgeNumbers) },
    { weight: 1, arbitrary: fc.double() },
  );
}

function arrayArbitrary(schema: JsonSchema, pool: ValuePool, depth: number): fc.Arbitrary<unknown> {
  const item = valueArbitrary(schema.items ?? {}, pool, depth + 1);
  const min = schema.minItems ?? 0;
  const max = schema.maxItems ?? 20;
  const options: fc.WeightedArbitrary<unknown>[] = [
    { weight: 8, arbitrary: fc.array(item, { minLength: min, maxLength: Math.min(max, 8) }) },
    { weight: 1, arbitrary: fc.constant([]) },
  ];
  // Exactly at and one past the bound, with one item repeated so a 500-item body stays cheap to build.
  const sized = (length: number) => item.map((value) => Array.from({ length }, () => value));
  if (max <= 1000) options.push({ weight: 1, arbitrary: sized(max) }, { weight: 1, arbitrary: sized(max + 1) });
  return fc.oneof(...options);
}

const oddKeys = fc.constantFrom("__proto__", "constructor", "prototype", "", "\u0000", "id");

function objectArbitrary(schema: JsonSchema, pool: ValuePool, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const shape = Object.fromEntries(
    Object.entries(properties).map(([key, child]) => [key, valueArbitrary(child, pool, depth + 1)]),
  );
  const required = (schema.required ?? []).filter((key) => key in shape);
  const record = fc.record(shape, { requiredKeys: required });
  const keys = Object.keys(shape);
  return fc
    .tuple(
      record,
      fc.option(fc.nat(), { freq: 12 }),
      fc.option(fc.dictionary(fc.oneof(oddKeys, fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 1 })), {
        freq: 8,
      }),
    )
    .map(([value, dropIndex, extra]) => {
      const result: Record<string, unknown> = { ...value };
      if (dropIndex !== null && keys.length > 0) delete result[keys[dropIndex % keys.length]!];
      if (extra)
        for (const [key, child] of Object.entries(extra))
          Object.defineProperty(result, key, { value: child, enumerable: true, configurable: true, writable: true });
      return result;
    });
}

function valueArbitrary(schema: JsonSchema, pool: ValuePool, depth: number): fc.Arbitrary<unknown> {
  const conforming = conformingArbitrary(schema, pool, depth);
  return fc.oneof({ weight: 12, arbitrary: conforming }, { weight: 1, arbitrary: wrongType });
}

function conformingArbitrary(schema: JsonSchema, pool: ValuePool, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return wrongType;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((child) => valueArbitrary(child, pool, depth)));
  if (schema.allOf?.[0]) return conformingArbitrary({ ...schema.allOf[0], allOf: undefined }, pool, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...schema.enum) },
      recased(fc.constantFrom(...schema.enum.map(String))),
    );
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return objectArbitrary(schema, pool, depth);
    case "array":
      return arrayArbitrary(schema, pool, depth);
    case "string":
      return stringArbitrary(schema, pool);
    case "integer":
    case "number":
      return numberArbitrary(schema);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The input arbitrary of one procedure; `undefined` (no input sent) is always among its values. */
export function inputArbitrary(inputs: readonly unknown[], pool: ValuePool): fc.Arbitrary<unknown> {
  const [schema] = inputs;
  if (!(schema instanceof z.ZodType)) return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, wrongType);
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return fc.oneof({ weight: 20, arbitrary: valueArbitrary(json, pool, 0) }, fc.constant(undefined));
}

/** Mostly conforming inputs only, for the setup phase that harvests ids and cursors. */
export function conformingInput(inputs: readonly unknown[], pool: ValuePool): fc.Arbitrary<unknown> {
  const [schema] = inputs;
  if (!(schema instanceof z.ZodType)) return fc.constant(undefined);
  return conformingArbitrary(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema, pool, 0);
}
