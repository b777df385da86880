import { createContext, use, useSyncExternalStore, type ReactNode } from "react";
import type { CartLine, CartStore } from "./cart-store.ts";

const CartContext = createContext<CartStore | null>(null);

export function CartProvider({ store, children }: { store: CartStore; children: ReactNode }) {
  return <CartContext value={store}>{children}</CartContext>;
}

export function useCartStore(): CartStore {
  const store = use(CartContext);
  if (!store) throw new Error("useCartStore needs a <CartProvider>");
  return store;
}

export function useCartLines(): readonly CartLine[] {
  const store = useCartStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
