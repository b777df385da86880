import { authRouter } from "./routers/auth.ts";
import { catalogRouter } from "./routers/catalog.ts";
import { ordersRouter } from "./routers/orders.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  orders: ordersRouter,
});

export type AppRouter = typeof appRouter;
