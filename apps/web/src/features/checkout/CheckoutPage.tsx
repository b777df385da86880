import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useRef, type FormEvent } from "react";
import { RequireAuth } from "../../components/RequireAuth.tsx";
import { errorCode, errorMessage, fieldErrorsOf, shortagesOf, type Shortage } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useCartLines, useCartStore } from "../cart/cart-context.tsx";
import { CartTotals } from "../cart/CartPage.tsx";
import { formatMoney } from "../../lib/money.ts";
import { usePageTitle } from "../../lib/page-title.ts";
import { addressErrorsFrom } from "./shipping-form.ts";
import { ShippingSection, useShipping } from "./ShippingSection.tsx";
import { useIdempotencyKey } from "./use-idempotency-key.ts";

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

  const shipping = useShipping();
  const save = useMutation(
    trpc.addresses.save.mutationOptions({
      // Picked once the list has it, so a failed placement is retried with the saved copy; not
      // awaited, so the order is not held up by the list's refetch.
      onSuccess: (saved) => {
        shipping.choose(saved.id);
        void queryClient.invalidateQueries({ queryKey: trpc.addresses.list.queryKey() });
      },
    }),
  );
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

  const onPlace = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting.current || !shipping.ready) return;
    const target = shipping.resolve();
    if (!target) return;
    submitting.current = true;
    place.reset();
    try {
      // Saved first, so a refused save (the address limit) stops here and nothing is placed unasked.
      if (target.save) await save.mutateAsync({ address: target.address });
      else save.reset();
      await place.mutateAsync({
        idempotencyKey,
        items: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
        shippingAddress: target.address,
      });
    } catch {
      // Shown from the mutations' own error state.
    } finally {
      submitting.current = false;
    }
  };

  const saveFieldErrors = addressErrorsFrom(fieldErrorsOf(save.error), "address");
  const placeFieldErrors = addressErrorsFrom(fieldErrorsOf(place.error), "shippingAddress");
  const serverErrors = { ...saveFieldErrors, ...placeFieldErrors };
  const saveError = save.error && Object.keys(saveFieldErrors).length === 0 ? errorMessage(save.error) : null;
  const busy = save.isPending || place.isPending;

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
      <form onSubmit={(event) => void onPlace(event)} noValidate aria-labelledby="checkout-title">
        <ShippingSection shipping={shipping} serverErrors={serverErrors} saveError={saveError} />
        {place.isError && <PlaceError error={place.error} addressRefused={Object.keys(placeFieldErrors).length > 0} />}
        <p className="actions">
          <Link to="/cart">Edit cart</Link>
          <button
            type="submit"
            className="primary"
            disabled={busy || place.isSuccess || !shipping.ready}
            aria-busy={busy}
          >
            Place order
          </button>
        </p>
        {busy && (
          <p role="status" className="status">
            {save.isPending ? "Saving your address…" : "Placing your order…"}
          </p>
        )}
      </form>
    </section>
  );
}

function PlaceError({ error, addressRefused }: { error: unknown; addressRefused: boolean }) {
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
  if (addressRefused) {
    return (
      <div className="error-box" role="alert">
        <p>Your order was not placed: please fix the highlighted address fields.</p>
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
