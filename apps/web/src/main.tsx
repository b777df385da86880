import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createAppRouter } from "./app/router.tsx";
import { CartProvider } from "./features/cart/cart-context.tsx";
import { CartStore } from "./features/cart/cart-store.ts";
import { AuthProvider } from "./lib/auth-context.tsx";
import { createAppClients, TRPCProvider } from "./lib/trpc.ts";
// oxlint-disable-next-line import/no-unassigned-import -- Vite bundles CSS through a side-effect import
import "./styles.css";

const { queryClient, trpcClient, authStore } = createAppClients();
const cartStore = new CartStore();
const router = createAppRouter({ queryClient });

// Silent sign-in from the refresh cookie; pages render meanwhile (the catalog needs no session).
void authStore.init();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AuthProvider store={authStore}>
          <CartProvider store={cartStore}>
            <RouterProvider router={router} />
          </CartProvider>
        </AuthProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
