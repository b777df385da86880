import { addressesRouter } from "./routers/addresses.ts";
import { apiKeysRouter } from "./routers/api-keys.ts";
import { authRouter } from "./routers/auth.ts";
import { catalogRouter } from "./routers/catalog.ts";
import { jobsRouter } from "./routers/jobs.ts";
import { ordersRouter } from "./routers/orders.ts";
import { reportsRouter } from "./routers/reports.ts";
import { usersRouter } from "./routers/users.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  catalog: catalogRouter,
  orders: ordersRouter,
  addresses: addressesRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  jobs: jobsRouter,
  webhooks: webhooksRouter,
  reports: reportsRouter,
});

export type AppRouter = typeof appRouter;
