// The commerce services' failures, as DomainErrors (@cartwheel/contracts errors.ts declares
// each reason, its details and its tRPC code). The classes only build the message.
import { DomainError, type OrderStatus, type Shortage } from "@cartwheel/contracts";

export class NotFoundError extends DomainError<"not_found"> {
  constructor(entity: "product" | "order", ids: string[]) {
    super("not_found", `${entity === "product" ? "Product" : "Order"} not found: ${ids.join(", ")}`, { entity, ids });
  }
}

export class InsufficientStockError extends DomainError<"insufficient_stock"> {
  constructor(shortages: Shortage[]) {
    const lines = shortages.map((s) => `${s.name} (requested ${s.requested}, available ${s.available})`);
    super("insufficient_stock", `Not enough stock: ${lines.join("; ")}`, { shortages });
  }
}

/** A write would take a product's stock past MAX_STOCK, which the database also refuses. */
export class StockLimitError extends DomainError<"stock_limit"> {
  constructor(productId: string, max: number, action: string) {
    super("stock_limit", `${action}: stock cannot exceed ${max}.`, { productId, max });
  }
}

export class InvalidTransitionError extends DomainError<"invalid_transition"> {
  constructor(from: OrderStatus, to: OrderStatus, allowed: readonly OrderStatus[], hint = "") {
    const allowedText = allowed.length > 0 ? allowed.join(", ") : "none";
    super("invalid_transition", `Cannot move an order from ${from} to ${to}; allowed: ${allowedText}.${hint}`, {
      from,
      to,
      allowed: [...allowed],
    });
  }
}

export class CurrencyMismatchError extends DomainError<"currency_mismatch"> {
  constructor(currencies: string[]) {
    super("currency_mismatch", `All lines of an order must share one currency (got ${currencies.join(", ")}).`, {
      currencies,
    });
  }
}
