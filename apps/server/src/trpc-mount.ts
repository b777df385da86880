import type { Services } from "@cartwheel/api";
import type { Metrics } from "@cartwheel/observability";
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./hono-env.ts";
import type { InputLimits } from "./input-limits.ts";
import { trpcRequest } from "./middleware/trpc-body.ts";
import { createTrpcContext } from "./trpc-context.ts";

export interface TrpcMountOptions {
  router: AnyTRPCRouter;
  services: Services;
  metrics: Metrics;
  limits: InputLimits;
  maxBatchSize: number;
  trustedOrigins: readonly string[];
  production: boolean;
}

/**
 * tRPC's fetch adapter at /trpc. It is called directly rather than through @hono/trpc-server
 * so that the request it reads is ours (middleware/trpc-body.ts): bounded, shape-checked JSON,
 * and an absent or empty body as "no input".
 */
export function trpcMount(options: TrpcMountOptions): MiddlewareHandler<AppEnv> {
  const { services, metrics } = options;
  return (c) => {
    const req = trpcRequest(c, options.limits);
    if (req instanceof Response) return Promise.resolve(req);
    return fetchRequestHandler({
      router: options.router,
      endpoint: "/trpc",
      req,
      maxBatchSize: options.maxBatchSize,
      createContext: (opts) =>
        createTrpcContext(services, c, {
          resHeaders: opts.resHeaders,
          trustedOrigins: options.trustedOrigins,
          production: options.production,
        }),
      // Never the input: it is the caller's data, and walking a large one costs as much as parsing it.
      onError: ({ error, path, ctx }) => {
        metrics.trpcErrors.inc({ code: error.code });
        const logger = (ctx as { logger?: typeof services.logger } | undefined)?.logger ?? services.logger;
        const fields = { procedure: path, code: error.code, err: error.cause ?? error };
        // Nobody reads the answer to a call whose caller went away: not a server failure.
        if (c.req.raw.signal.aborted) logger.debug({ procedure: path, code: error.code }, "caller went away");
        else if (error.code === "INTERNAL_SERVER_ERROR") logger.error(fields, "procedure failed");
        else if (error.code === "SERVICE_UNAVAILABLE") logger.warn(fields, "procedure unavailable");
        else logger.debug({ procedure: path, code: error.code, message: error.message }, "procedure rejected");
      },
    });
  };
}
