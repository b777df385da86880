import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useRef } from "react";
import { RequireAuth } from "../../components/RequireAuth.tsx";
import { errorCode, errorMessage, shortagesOf, type Shortage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useCartLines, useCartStore } from "../cart/cart-context.tsx";
import { CartTotals } from "../cart/CartPage.tsx";
import { formatMoney } from "../../lib/money.ts";
import { useIdempotencyKey } from "./use-idempotency-key.ts";
import { usePageTitle } from "../../lib/page-title.ts";

export function CheckoutPage() {
  usePageTitle("Checkout");
  return (
    <RequireAuth reason="Sign in to place your order.">
      <Checkout />
    </RequireAuth>
  );
}

function Checkout() {
  const lines = useCartLines();
  const cart = useCartStore();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signature = lines.map((l) => `${l.productId}:${l.quantity}`).join(",");
  const idempotencyKey = useIdempotencyKey(signature);
  // A click that lands before React re-renders the disabled button must not send a second request.
  const submitting = useRef(false);

  const place = useMutation(
    trpc.orders.place.mutationOptions({
      onSuccess: async (order) => {
        cart.clear();
        await queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        await navigate({ to: "/orders/$id", params: { id: order.id }, search: { placed: true } });
      },
      onError: async () => {
        // Stock may have changed under us: refresh it so the cart flags the short lines.
        await queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );

  if (lines.length === 0 && !place.isSuccess) {
    return (
      <section>
        <h1>Checkout</h1>
        <p className="status">Your cart is empty.</p>
        <Link to="/">Browse the catalog</Link>
      </section>
    );
  }

  const onPlace = () => {
    if (submitting.current) return;
    submitting.current = true;
    place.mutate(
      { idempotencyKey, items: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })) },
      {
        onSettled: () => {
          submitting.current = false;
        },
      },
    );
  };

  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <ul className="summary" aria-label="Order summary">
        {lines.map((line) => (
          <li key={line.productId}>
            <span>
              {line.quantity} × {line.name}
            </span>
            <span>{formatMoney(line.priceCents * line.quantity, line.currency)}</span>
          </li>
        ))}
      </ul>
      <CartTotals lines={lines} />
      {place.isError && <PlaceError error={place.error} />}
      <p className="actions">
        <Link to="/cart">Edit cart</Link>
        <button
          type="button"
          className="primary"
          onClick={onPlace}
          disabled={place.isPending || place.isSuccess}
          aria-busy={place.isPending}
        >
          Place order
        </button>
      </p>
      {place.isPending && (
        <p role="status" className="status">
          Placing your order…
        </p>
      )}
    </section>
  );
}

function PlaceError({ error }: { error: unknown }) {
  const shortages = shortagesOf(error);
  if (errorCode(error) === "CONFLICT" && shortages.length > 0) {
    return (
      <div className="error-box" role="alert">
        <p>Some items do not have enough stock:</p>
        <ul>
          {shortages.map((s) => (
            <li key={s.productId}>{describeShortage(s)}</li>
          ))}
        </ul>
        <p>
          <Link to="/cart">Update your cart</Link> and try again.
        </p>
      </div>
    );
  }
  return (
    <div className="error-box" role="alert">
      <p>Your order was not placed: {errorMessage(error)}</p>
      <p>You can safely try again; you will not be charged twice.</p>
    </div>
  );
}

function describeShortage(shortage: Shortage): string {
  const available = shortage.available === 0 ? "none left" : `only ${shortage.available} available`;
  return `${shortage.name}: you asked for ${shortage.requested}, ${available}`;
}
