import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter } from "@tanstack/react-router";
import { AccountPage } from "../features/account/AccountPage.tsx";
import { parseAuthSearch } from "../features/auth/safe-redirect.ts";
import { SignInPage } from "../features/auth/SignInPage.tsx";
import { SignUpPage } from "../features/auth/SignUpPage.tsx";
import { ForgotPasswordPage } from "../features/recovery/ForgotPasswordPage.tsx";
import { ResetPasswordPage } from "../features/recovery/ResetPasswordPage.tsx";
import { VerifyEmailPage } from "../features/recovery/VerifyEmailPage.tsx";
import { CartPage } from "../features/cart/CartPage.tsx";
import { parseCatalogSearch } from "../features/catalog/catalog-search.ts";
import { CatalogPage } from "../features/catalog/CatalogPage.tsx";
import { ProductPage } from "../features/catalog/ProductPage.tsx";
import { MyOrdersPage } from "../features/orders/MyOrdersPage.tsx";
import { OrderDetailPage } from "../features/orders/OrderDetailPage.tsx";
import { parseStaffOrderSearch } from "../features/staff/staff-order-search.ts";
import { RouteError } from "../components/RouteError.tsx";
import { lazyPage } from "./lazy-page.ts";
import { NotFound, RootLayout } from "./RootLayout.tsx";

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFound,
});

const catalogRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  validateSearch: parseCatalogSearch,
  component: CatalogPage,
});

const productRoute = createRoute({ getParentRoute: () => rootRoute, path: "/products/$slug", component: ProductPage });
const cartRoute = createRoute({ getParentRoute: () => rootRoute, path: "/cart", component: CartPage });
// Its own chunk: address validation runs the shared zod schema, which the first page load must not carry.
const checkoutRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/checkout",
  component: lazyPage(() => import("../features/checkout/CheckoutPage.tsx"), "CheckoutPage"),
});
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signin",
  validateSearch: parseAuthSearch,
  component: SignInPage,
});
const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  validateSearch: parseAuthSearch,
  component: SignUpPage,
});
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/forgot-password",
  component: ForgotPasswordPage,
});
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  component: ResetPasswordPage,
});
const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/verify-email",
  component: VerifyEmailPage,
});
const ordersRoute = createRoute({ getParentRoute: () => rootRoute, path: "/orders", component: MyOrdersPage });
const orderRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/orders/$id",
  validateSearch: (raw: Record<string, unknown>): { placed?: boolean } =>
    raw.placed === true || raw.placed === "true" ? { placed: true } : {},
  component: OrderDetailPage,
});
const accountRoute = createRoute({ getParentRoute: () => rootRoute, path: "/account", component: AccountPage });

// The staff screens are separate chunks, fetched only when a staff member opens them.
const staffRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/staff",
  component: lazyPage(() => import("../features/staff/StaffLayout.tsx"), "StaffLayout"),
});
const staffProductsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/",
  component: lazyPage(() => import("../features/staff/StaffProductsPage.tsx"), "StaffProductsPage"),
});
const staffOrdersRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/orders",
  validateSearch: parseStaffOrderSearch,
  component: lazyPage(() => import("../features/staff/StaffOrdersPage.tsx"), "StaffOrdersPage"),
});
const staffOrderRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/orders/$orderId",
  component: lazyPage(() => import("../features/staff/StaffOrderPage.tsx"), "StaffOrderPage"),
});
const staffDeadLettersRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/dead-letters",
  component: lazyPage(() => import("../features/staff/DeadLettersPage.tsx"), "DeadLettersPage"),
});
const staffWebhooksRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/webhooks",
  component: lazyPage(() => import("../features/webhooks/WebhooksPage.tsx"), "WebhooksPage"),
});

const routeTree = rootRoute.addChildren([
  forgotPasswordRoute,
  resetPasswordRoute,
  verifyEmailRoute,
  catalogRoute,
  productRoute,
  cartRoute,
  checkoutRoute,
  signInRoute,
  signUpRoute,
  ordersRoute,
  orderRoute,
  accountRoute,
  staffRoute.addChildren([
    staffProductsRoute,
    staffOrdersRoute,
    staffOrderRoute,
    staffDeadLettersRoute,
    staffWebhooksRoute,
  ]),
]);

export function createAppRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    context,
    defaultPreload: "intent",
    scrollRestoration: true,
    defaultErrorComponent: RouteError,
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
