import { ORDER_LINE_MAX_QUANTITY } from "@cartwheel/contracts/limits";

/** One cart line. Only product facts needed to render the cart offline: never tokens or user data. */
export interface CartLine {
  productId: string;
  slug: string;
  name: string;
  priceCents: number;
  currency: string;
  quantity: number;
}

const STORAGE_KEY = "cartwheel.cart.v1";

function clampQuantity(quantity: number): number {
  if (!Number.isFinite(quantity)) return 1;
  return Math.min(ORDER_LINE_MAX_QUANTITY, Math.max(1, Math.trunc(quantity)));
}

function isCartLine(value: unknown): value is CartLine {
  if (!value || typeof value !== "object") return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.productId === "string" &&
    typeof line.slug === "string" &&
    typeof line.name === "string" &&
    typeof line.priceCents === "number" &&
    typeof line.currency === "string" &&
    typeof line.quantity === "number"
  );
}

/** Reads a stored cart, dropping anything malformed rather than failing the page. */
export function parseCart(raw: string | null): CartLine[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isCartLine).map(({ productId, slug, name, priceCents, currency, quantity }) => ({
      productId,
      slug,
      name,
      priceCents,
      currency,
      quantity: clampQuantity(quantity),
    }));
  } catch {
    return [];
  }
}

/** A cart kept in localStorage and shared live between tabs (via the `storage` event). */
export class CartStore {
  private lines: CartLine[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null = globalThis.localStorage ?? null) {
    this.lines = parseCart(this.storage?.getItem(STORAGE_KEY) ?? null);
    globalThis.addEventListener?.("storage", (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      this.lines = parseCart(event.newValue);
      this.emit();
    });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly CartLine[] => this.lines;

  add(product: Omit<CartLine, "quantity">, quantity: number): void {
    // Copy only the known fields, so nothing else a caller passes can end up in storage.
    const { productId, slug, name, priceCents, currency } = product;
    const facts = { productId, slug, name, priceCents, currency };
    const existing = this.lines.find((l) => l.productId === productId);
    if (existing) {
      this.commit(
        this.lines.map((l) =>
          l.productId === productId ? { ...facts, quantity: clampQuantity(l.quantity + quantity) } : l,
        ),
      );
    } else {
      this.commit([...this.lines, { ...facts, quantity: clampQuantity(quantity) }]);
    }
  }

  setQuantity(productId: string, quantity: number): void {
    this.commit(this.lines.map((l) => (l.productId === productId ? { ...l, quantity: clampQuantity(quantity) } : l)));
  }

  remove(productId: string): void {
    this.commit(this.lines.filter((l) => l.productId !== productId));
  }

  clear(): void {
    this.commit([]);
  }

  private commit(lines: CartLine[]): void {
    this.lines = lines;
    try {
      if (lines.length === 0) this.storage?.removeItem(STORAGE_KEY);
      else this.storage?.setItem(STORAGE_KEY, JSON.stringify(lines));
    } catch {
      // Storage full or disabled (private mode): the cart still works for this tab.
    }
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** Totals per currency; orders are single-currency, but the cart does not forbid mixing. */
export function cartTotals(lines: readonly CartLine[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines)
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.priceCents * line.quantity);
  return totals;
}
