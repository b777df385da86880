import { TRPCError } from "@trpc/server";
import type { Context } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { bodyBudget, type InputLimits, tooLargeMessage } from "../input-limits.ts";
import { describeShapeProblem, jsonShapeProblem } from "../json-shape.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";
import { procedureNames } from "./access-log.ts";

const isJsonMediaType = (contentType: string | undefined) =>
  contentType !== undefined && contentType.split(";", 1)[0]!.trim().toLowerCase() === "application/json";

/**
 * The request handed to tRPC, or the answer when its input is refused before any parsing.
 *
 * tRPC reads a POST body with `req.json()`, which stalls on hostile JSON and fails on an
 * empty body ("Unexpected end of JSON input"), although tRPC's own httpLink sends an
 * input-less mutation with no body at all. Here `json()`:
 * - answers `undefined` for an absent or empty body, so input-less calls work from every client;
 * - reads at most the call's budget (input-limits.ts), counting chunked bodies as they arrive;
 * - checks nesting depth and item count in one linear pass before JSON.parse.
 * It runs when tRPC first needs an input, so a call refused by a role check never reads its body.
 * GET inputs (`?input=`, bounded by the header size) get the same shape check.
 */
export function trpcRequest(c: Context<AppEnv>, limits: InputLimits): Request | Response {
  const raw = c.req.raw;
  if (c.req.method !== "POST") {
    const input = c.req.query("input");
    const problem = input === undefined ? null : jsonShapeProblem(input, limits);
    return problem ? trpcErrorResponse(c, "BAD_REQUEST", describeShapeProblem(problem)) : raw;
  }

  const isJson = isJsonMediaType(c.req.header("content-type"));
  const declaredLength = c.req.header("content-length");
  const chunked = c.req.header("transfer-encoding") !== undefined;
  const declared = declaredLength === undefined || chunked ? undefined : Number.parseInt(declaredLength, 10);
  if (declared !== undefined && declared > 0 && !isJson) return unsupportedMediaType(c);
  // Without either header HTTP/1.1 has no body, but a Request made in-process (app.request) may.
  const mayHaveBody = declared === undefined ? chunked || raw.body !== null : declared > 0;

  const budget = bodyBudget(procedureNames(c.req.path), limits);
  let parsed: Promise<unknown> | undefined;
  const json = () => (parsed ??= mayHaveBody ? readJson(raw, { budget, isJson, limits }) : Promise.resolve(undefined));
  // tRPC answers 415 to a POST without a JSON content type, even one without a body.
  const headers = isJson ? raw.headers : jsonHeaders(raw.headers);
  return new Proxy(raw, {
    get(target, property) {
      if (property === "json") return json;
      if (property === "headers") return headers;
      return Reflect.get(target, property, target) as unknown;
    },
  });
}

const UNSUPPORTED_MEDIA_TYPE = "Send the input as JSON, with Content-Type: application/json.";

function unsupportedMediaType(c: Context<AppEnv>): Response {
  return trpcErrorResponse(c, "UNSUPPORTED_MEDIA_TYPE", UNSUPPORTED_MEDIA_TYPE);
}

function jsonHeaders(original: Headers): Headers {
  const headers = new Headers(original);
  headers.set("content-type", "application/json");
  return headers;
}

interface BodyRules {
  budget: number;
  /** Whether the Content-Type said JSON: anything else is refused unless the body is empty. */
  isJson: boolean;
  limits: InputLimits;
}

async function readJson(raw: Request, { budget, isJson, limits }: BodyRules): Promise<unknown> {
  const text = await readText(raw, budget);
  if (text.trim() === "") return undefined;
  if (!isJson) throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: UNSUPPORTED_MEDIA_TYPE });
  const problem = jsonShapeProblem(text, limits);
  if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: describeShapeProblem(problem) });
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : "";
    throw new TRPCError({ code: "BAD_REQUEST", message: `The request body is not valid JSON${detail}` });
  }
}

/**
 * The body as text, refusing it once it passes `budget` bytes. A declared Content-Length over
 * the budget was already refused by maxBody (request-limits.ts), so this counts chunked bodies.
 * Reading simply stops there: Node discards the rest once the answer is sent.
 */
async function readText(raw: Request, budget: number): Promise<string> {
  const body = raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > budget) throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: tooLargeMessage(budget) });
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
