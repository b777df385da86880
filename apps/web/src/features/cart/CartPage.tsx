import { Link } from "@tanstack/react-router";
import { Price } from "../../components/Price.tsx";
import { formatMoney } from "../../lib/money.ts";
import { useCartLines, useCartStore } from "./cart-context.tsx";
import { ORDER_LINE_MAX_QUANTITY } from "@cartwheel/contracts/limits";
import { cartTotals, type CartLine } from "./cart-store.ts";
import { useLiveStock, type LineAvailability } from "./use-live-stock.ts";
import { usePageTitle } from "../../lib/page-title.ts";

export function CartPage() {
  usePageTitle("Cart");
  const lines = useCartLines();
  const { availability, refetchAll, anyError } = useLiveStock(lines);

  if (lines.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <p className="status">Your cart is empty.</p>
        <Link to="/">Browse the catalog</Link>
      </section>
    );
  }

  const problems = lines.filter((l) => ["short", "unavailable"].includes(availability.get(l.productId)?.kind ?? ""));
  return (
    <section>
      <h1>Your cart</h1>
      {anyError && (
        <div className="error-box" role="alert">
          <p>Could not check stock for some items.</p>
          <button type="button" onClick={() => void refetchAll()}>
            Retry
          </button>
        </div>
      )}
      <ul className="cart-lines" aria-label="Cart items">
        {lines.map((line) => (
          <CartLineRow key={line.productId} line={line} availability={availability.get(line.productId)} />
        ))}
      </ul>
      <CartTotals lines={lines} />
      {problems.length > 0 && (
        <p className="warning" role="status">
          Some items do not have enough stock. Lower their quantity or remove them before checking out.
        </p>
      )}
      <p className="actions">
        <Link to="/checkout" className="button primary">
          Checkout
        </Link>
      </p>
    </section>
  );
}

export function CartTotals({ lines }: { lines: readonly CartLine[] }) {
  const totals = [...cartTotals(lines)];
  return (
    <p className="total">
      Total:{" "}
      <strong>
        {totals.map(([currency, cents]) => formatMoney(cents, currency)).join(" + ") || formatMoney(0, "USD")}
      </strong>
    </p>
  );
}

function CartLineRow({ line, availability }: { line: CartLine; availability: LineAvailability | undefined }) {
  const cart = useCartStore();
  const inputId = `qty-${line.productId}`;
  const flagged = availability?.kind === "short" || availability?.kind === "unavailable";
  return (
    <li className={flagged ? "cart-line flagged" : "cart-line"}>
      <div className="cart-line-info">
        <Link to="/products/$slug" params={{ slug: line.slug }}>
          {line.name}
        </Link>
        <Price cents={line.priceCents} currency={line.currency} />
        {availability?.kind === "short" && (
          <span className="badge badge-out">
            {availability.stock === 0 ? "Out of stock" : `Only ${availability.stock} in stock`}
          </span>
        )}
        {availability?.kind === "unavailable" && <span className="badge badge-out">No longer available</span>}
      </div>
      <div className="cart-line-controls">
        <label htmlFor={inputId}>Quantity</label>
        <input
          id={inputId}
          type="number"
          min={1}
          max={ORDER_LINE_MAX_QUANTITY}
          value={line.quantity}
          aria-label={`Quantity of ${line.name}`}
          onChange={(e) => cart.setQuantity(line.productId, Number(e.target.value))}
        />
        <button type="button" onClick={() => cart.remove(line.productId)} aria-label={`Remove ${line.name}`}>
          Remove
        </button>
      </div>
    </li>
  );
}
