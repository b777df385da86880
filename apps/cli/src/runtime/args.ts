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

export const ROLES = ["customer", "staff", "admin"] as const;
export const ORDER_STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
