// Whole HTTP requests for the fuzz: well-formed tRPC calls of every procedure (with inputs
// from schema-arbitrary.ts, as single calls, batches and the wrong method) and raw garbage:
// methods, paths, headers, cookies, content types and bodies at and past every bound.
import fc from "fast-check";
import { hostileStrings, inputArbitrary, type ValuePool } from "./schema-arbitrary.ts";

export const callers = ["anonymous", "customer", "staff", "admin"] as const;
export type Caller = (typeof callers)[number];

export interface Procedure {
  path: string;
  type: "query" | "mutation" | "subscription";
  inputs: readonly unknown[];
}

export interface FuzzRequest {
  caller: Caller;
  method: string;
  /** Path and query string. */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** What produced it, for the failure report. */
  kind: string;
}

/** Bounds of the server under test that the garbage goes to and past. */
export interface ServerBounds {
  maxBatch: number;
  maxBodyBytes: number;
}

const NUMBER_MARK = "\u0001number\u0001";
/** Literals JSON.stringify never writes but JSON.parse reads: they become Infinity, -0, or lose precision. */
const numericLiterals = ["1e999", "-1e999", "1e-400", "-0", "123456789012345678901234567890", "2147483648"];

/** JSON text of `value` with every string NUMBER_MARK replaced by a raw numeric literal. */
function withNumericLiteral(value: unknown, literal: string): string {
  return JSON.stringify(value).replaceAll(JSON.stringify(NUMBER_MARK), literal);
}

/** Replaces one leaf number (or the value itself) by the mark, for withNumericLiteral. */
function markOneNumber(value: unknown, which: number): unknown {
  let seen = 0;
  const walk = (node: unknown): unknown => {
    if (typeof node === "number") return seen++ === which ? NUMBER_MARK : node;
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const marked = walk(value);
  return seen === 0 ? NUMBER_MARK : marked;
}

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/jsonl",
  "application/json, text/html",
  "",
  "garbage/\u00e9",
);

const headerValue = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.constantFrom("", " ", "a".repeat(8000), "\u00ff\u00fe", "null"),
);

/** Headers a hostile caller may add: bad tokens, cookies, proxies, origins, request ids, tRPC options. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      fc.tuple(
        fc.constant("authorization"),
        fc.oneof(
          headerValue,
          headerValue.map((v) => `Bearer ${v}`),
          fc.constantFrom("Bearer", "Basic Zm9vOmJhcg==", "Bearer a.b.c", "ApiKey cw_live_x"),
        ),
      ),
      fc.tuple(
        fc.constant("cookie"),
        fc.oneof(
          headerValue,
          headerValue.map((v) => `__Host-cartwheel_refresh=${v}`),
          headerValue.map((v) => `cartwheel_refresh=${v}; cartwheel_refresh=${v}`),
          fc.constantFrom(";;;", "=", "a=b; a=c", `x=${"y".repeat(5000)}`, "cartwheel_refresh=%ZZ"),
        ),
      ),
      fc.tuple(
        fc.constantFrom("x-forwarded-for", "forwarded", "x-real-ip"),
        fc.oneof(headerValue, fc.ipV6(), fc.ipV4()),
      ),
      fc.tuple(fc.constant("origin"), fc.oneof(headerValue, fc.webUrl(), fc.constantFrom("null", "http://127.0.0.1"))),
      fc.tuple(fc.constant("x-request-id"), headerValue),
      fc.tuple(fc.constant("trpc-accept"), fc.constantFrom("application/jsonl", "text/event-stream", "garbage")),
      fc.tuple(fc.constant("accept-encoding"), fc.constantFrom("gzip", "br", "zstd", "*", "identity;q=0")),
      fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "deflate", "br", "garbage")),
      fc.tuple(
        fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz-".split("")), minLength: 1, maxLength: 20 }),
        headerValue,
      ),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs));

const enc = encodeURIComponent;

function procedureCall(procedure: Procedure, pool: ValuePool): fc.Arbitrary<Omit<FuzzRequest, "caller">> {
  const path = `/trpc/${procedure.path}`;
  const isQuery = procedure.type === "query";
  return fc
    .tuple(
      inputArbitrary(procedure.inputs, pool),
      fc.constantFrom("plain", "plain", "plain", "plain", "batch", "wrong-method", "numeric-literal"),
      fc.nat(),
      fc.constantFrom(...numericLiterals),
      fc.option(extraHeaders, { freq: 5 }),
    )
    .map(([input, shape, which, literal, headers]) => {
      const json =
        shape === "numeric-literal"
          ? withNumericLiteral(markOneNumber(input, which % 4), literal)
          : JSON.stringify(input);
      const base = { headers: headers ?? {}, kind: `${procedure.path} ${shape}` };
      const asQuery = (target: string) => ({ ...base, method: "GET", target });
      const asMutation = (target: string, body: string | undefined) => ({
        ...base,
        method: "POST",
        target,
        headers: { "content-type": "application/json", ...base.headers },
        body,
      });
      if (shape === "batch") {
        return isQuery
          ? asQuery(`${path}?batch=1&input=${enc(`{"0":${json ?? "null"}}`)}`)
          : asMutation(`${path}?batch=1`, `{"0":${json ?? "null"}}`);
      }
      const sendAsQuery = shape === "wrong-method" ? !isQuery : isQuery;
      return sendAsQuery ? asQuery(json === undefined ? path : `${path}?input=${enc(json)}`) : asMutation(path, json);
    });
}

/** One batch over several procedures, up to one past the server's batch limit. */
function batchCall(procedures: readonly Procedure[], pool: ValuePool, bounds: ServerBounds) {
  const entry = fc.nat({ max: procedures.length - 1 }).chain((index) => {
    const procedure = procedures[index]!;
    return inputArbitrary(procedure.inputs, pool).map((input) => ({ procedure, input }));
  });
  return fc
    .oneof(
      fc.array(entry, { minLength: 1, maxLength: 4 }),
      fc.array(entry, { minLength: bounds.maxBatch, maxLength: bounds.maxBatch + 1 }),
    )
    .map((entries): Omit<FuzzRequest, "caller"> => {
      const names = entries.map((e) => e.procedure.path).join(",");
      const inputs = `{${entries.map((e, i) => `"${i}":${JSON.stringify(e.input) ?? "null"}`).join(",")}}`;
      const queries = entries.every((e) => e.procedure.type === "query");
      return queries
        ? {
            method: "GET",
            target: `/trpc/${names}?batch=1&input=${enc(inputs)}`,
            headers: {},
            kind: `batch of ${entries.length} queries`,
          }
        : {
            method: "POST",
            target: `/trpc/${names}?batch=1`,
            headers: { "content-type": "application/json" },
            body: inputs,
            kind: `batch of ${entries.length}`,
          };
    });
}

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

/** Bodies no client library would send. */
function garbageBody(bounds: ServerBounds): fc.Arbitrary<string | Uint8Array | undefined> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.constant(undefined) },
    {
      weight: 20,
      arbitrary: fc.constantFrom(
        "",
        "{",
        "}",
        "[]",
        "null",
        "0",
        '"x"',
        "{}",
        '{"0":',
        "\u0000",
        "\uFEFF{}",
        "{'a':1}",
        "NaN",
      ),
    },
    { weight: 30, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 20, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 10, arbitrary: fc.constantFrom(...hostileStrings).map((text) => JSON.stringify({ "0": text })) },
    {
      weight: 10,
      arbitrary: fc
        .constantFrom(0xc0, 0xff, 0xed)
        .map((byte) => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, byte, 0xa0, 0x80, 0x22, 0x7d])),
    },
    { weight: 8, arbitrary: fc.constantFrom(64, 1000, 5000).map((depth) => nested(depth, "[", "]")) },
    {
      weight: 8,
      arbitrary: fc.constantFrom(64, 1000, 5000).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    },
    // Rare, as they are costly to send: nesting far past any parser's comfort, and bodies at and past the size limit.
    { weight: 1, arbitrary: fc.constant(nested(100_000, "[", "]")) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(bounds.maxBodyBytes - 16, bounds.maxBodyBytes + 1)
        .map((size) => `{"0":"${"x".repeat(size)}"}`),
    },
  );
}

const paths = (procedures: readonly Procedure[]) =>
  fc.oneof(
    fc.constantFrom(
      "/",
      "/trpc",
      "/trpc/",
      "//trpc//catalog.list",
      "/trpc/catalog.list/extra",
      "/trpc/catalog..list",
      "/trpc/%ZZ",
      "/trpc/%00",
      "/trpc/__proto__",
      "/trpc/constructor.prototype",
      "/trpc/catalog.list?input=%7B",
      "/trpc/catalog.list?input=%ZZ",
      "/trpc/catalog.list?batch=1&input=%5B%5D",
      "/trpc/catalog.list?batch=x",
      "/trpc/,,,?batch=1",
      "/health?x=1",
      "/ready",
      "/version",
      "/metrics",
      "/assets/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/index.html",
      `/trpc/${"a".repeat(10_000)}`,
      `/trpc/catalog.list?input=${"%7B".repeat(3000)}`,
    ),
    fc.nat({ max: procedures.length - 1 }).map((i) => `/trpc/${procedures[i]!.path}`),
    fc.string({ unit: "grapheme-ascii", maxLength: 40 }).map((tail) => `/trpc/${enc(tail)}`),
    fc.webPath().map((path) => path || "/"),
  );

function rawGarbage(procedures: readonly Procedure[], bounds: ServerBounds): fc.Arbitrary<Omit<FuzzRequest, "caller">> {
  return fc
    .record({
      method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO"),
      target: paths(procedures),
      contentType: contentTypes,
      headers: extraHeaders,
      body: garbageBody(bounds),
    })
    .map(({ method, target, contentType, headers, body }) => {
      // Clients send no body with GET or HEAD; those go without one.
      const sendBody = method !== "GET" && method !== "HEAD" ? body : undefined;
      return {
        method,
        target,
        headers: { ...(contentType ? { "content-type": contentType } : {}), ...headers },
        body: sendBody,
        kind: "garbage",
      };
    });
}

/** Every request the fuzz sends: calls of each procedure as each caller, batches, and garbage. */
export function fuzzRequests(procedures: readonly Procedure[], pool: ValuePool, bounds: ServerBounds) {
  const calls = procedures.map((procedure) => procedureCall(procedure, pool));
  const shaped = fc.oneof(
    { weight: 14, arbitrary: fc.oneof(...calls) },
    { weight: 2, arbitrary: batchCall(procedures, pool, bounds) },
    { weight: 3, arbitrary: rawGarbage(procedures, bounds) },
  );
  return fc
    .tuple(fc.constantFrom(...callers), shaped)
    .map(([caller, request]): FuzzRequest => ({ caller, ...request }));
}
