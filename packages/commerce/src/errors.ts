// Domain errors. Routers map `kind` to a transport code (NOT_FOUND, CONFLICT, BAD_REQUEST)
// and pass the error as the TRPCError `cause`, so `details` can reach clients that need
// to show, for example, which order lines are short.
import type { OrderStatus } from "@cartwheel/db";

export type CommerceErrorKind = "not_found" | "conflict" | "invalid_input";

export abstract class CommerceError<Details extends object = object> extends Error {
  abstract readonly kind: CommerceErrorKind;
  /** Stable machine-readable reason, e.g. "insufficient_stock". */
  readonly reason: string;
  /** Plain JSON, safe to send to clients. */
  readonly details: Details;

  constructor(reason: string, message: string, details: Details) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
    this.details = details;
  }
}

export class NotFoundError extends CommerceError<{ entity: "product" | "order"; ids: string[] }> {
  readonly kind = "not_found";
  constructor(entity: "product" | "order", ids: string[]) {
    super("not_found", `${entity === "product" ? "Product" : "Order"} not found: ${ids.join(", ")}`, { entity, ids });
  }
}

export class ConflictError<Details extends object = object> extends CommerceError<Details> {
  readonly kind = "conflict";
}

export interface Shortage {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

export class InsufficientStockError extends ConflictError<{ shortages: Shortage[] }> {
  constructor(shortages: Shortage[]) {
    const lines = shortages.map((s) => `${s.name} (requested ${s.requested}, available ${s.available})`);
    super("insufficient_stock", `Not enough stock: ${lines.join("; ")}`, { shortages });
  }
}

/** A write would take a product's stock past MAX_STOCK (see inputs.ts), which the database also refuses. */
export class StockLimitError extends ConflictError<{ productId: string; max: number }> {
  constructor(productId: string, max: number, action: string) {
    super("stock_limit", `${action}: stock cannot exceed ${max}.`, { productId, max });
  }
}

export class InvalidTransitionError extends CommerceError<{
  from: OrderStatus;
  to: OrderStatus;
  allowed: OrderStatus[];
}> {
  readonly kind = "invalid_input";
  constructor(from: OrderStatus, to: OrderStatus, allowed: readonly OrderStatus[], hint = "") {
    const allowedText = allowed.length > 0 ? allowed.join(", ") : "none";
    super("invalid_transition", `Cannot move an order from ${from} to ${to}; allowed: ${allowedText}.${hint}`, {
      from,
      to,
      allowed: [...allowed],
    });
  }
}

export class CurrencyMismatchError extends CommerceError<{ currencies: string[] }> {
  readonly kind = "invalid_input";
  constructor(currencies: string[]) {
    super("currency_mismatch", `All lines of an order must share one currency (got ${currencies.join(", ")}).`, {
      currencies,
    });
  }
}

export class InvalidInputError extends CommerceError<Record<string, unknown>> {
  readonly kind = "invalid_input";
}
