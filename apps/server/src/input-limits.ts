import type { Config } from "./config.ts";

/**
 * Procedures whose input is a long list by design (the CLI's CSV import sends 500 rows of up
 * to 5,000-character descriptions). They get MAX_BULK_BODY_BYTES; every other call gets
 * MAX_BODY_BYTES, which is far above any legitimate input and far below what stalls a process.
 */
const BULK_PROCEDURES: ReadonlySet<string> = new Set(["catalog.upsertMany"]);

/** The size and shape bounds of tRPC inputs, from the configuration (defaults in config.ts). */
export interface InputLimits {
  /** Body budget of one ordinary call. */
  readonly callBodyBytes: number;
  /** Body budget of a bulk procedure call, and the cap on any request body. */
  readonly bulkBodyBytes: number;
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  /** Most array elements plus object members in one request. */
  readonly maxItems: number;
}

export function inputLimitsFrom(config: Config): InputLimits {
  return {
    callBodyBytes: config.MAX_BODY_BYTES,
    bulkBodyBytes: Math.max(config.MAX_BULK_BODY_BYTES, config.MAX_BODY_BYTES),
    maxDepth: config.MAX_JSON_DEPTH,
    maxItems: config.MAX_JSON_ITEMS,
  };
}

/**
 * The body budget of a request calling `procedures`: a batch may carry the sum of its calls'
 * budgets, so batching never shrinks what one call may send, but never more than the bulk cap.
 */
export function bodyBudget(procedures: readonly string[], limits: InputLimits): number {
  let total = 0;
  for (const procedure of procedures) {
    total += BULK_PROCEDURES.has(procedure) ? limits.bulkBodyBytes : limits.callBodyBytes;
  }
  return Math.min(Math.max(total, limits.callBodyBytes), limits.bulkBodyBytes);
}

export function tooLargeMessage(budgetBytes: number): string {
  return `The request body is larger than this call accepts (${formatBytes(budgetBytes)}). Send less, or split it.`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}
