import { PAGE_SIZE_MAX, PAGE_SIZE_MIN } from "@cartwheel/contracts/limits";
import { UsageError } from "./errors.ts";

export function parseInteger(value: string, name: string, { min, max }: { min?: number; max?: number } = {}): number {
  if (!/^[-+]?\d+$/.test(value.trim())) throw new UsageError(`${name} must be a whole number (got "${value}")`);
  const number = Number(value);
  if (min !== undefined && number < min) throw new UsageError(`${name} must be at least ${min}`);
  if (max !== undefined && number > max) throw new UsageError(`${name} must be at most ${max}`);
  return number;
}

export function parseChoice<T extends string>(value: string, name: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be one of ${choices.join(", ")} (got "${value}")`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** A `--limit` within the API's page size bounds; `fallback` when the option is absent. */
export function parsePageSize(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : parseInteger(value, "--limit", { min: PAGE_SIZE_MIN, max: PAGE_SIZE_MAX });
}
