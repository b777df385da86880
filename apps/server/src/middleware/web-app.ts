import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Logger } from "@cartwheel/observability";
import type { Hono, MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { isApiPath as isServerApiPath } from "./secure-headers.ts";

export interface WebAppOptions {
  /** The built web app (apps/web/dist): index.html plus content-hashed files under assets/. */
  root: string;
  /** Paths owned by the API; they never fall back to index.html. */
  isApiPath: (path: string) => boolean;
}

/** Vite puts content-hashed files here; their URL changes whenever their bytes do. */
const HASHED_ASSETS = "/assets/";
const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html and unhashed files (favicon) must be revalidated, or a deploy would not be seen. */
const REVALIDATE = "no-cache";

const noop = async () => {};

/** serveStatic builds its Response before `onFound` runs, so cache headers go on the Response. */
function withCaching(response: Response, cacheControl: string): Response {
  response.headers.set("Cache-Control", cacheControl);
  return response;
}

/** True when `root` holds a built web app. */
export function hasWebApp(root: string): boolean {
  return existsSync(join(root, "index.html"));
}

/**
 * Serves the single-page web app from the API's own origin: real files first (precompressed
 * .br/.gz when the build made them), then index.html for any other GET that is not an API
 * path and does not look like a file, so client-side routes survive a reload.
 */
export function webApp({ root, isApiPath }: WebAppOptions): MiddlewareHandler<AppEnv> {
  const files = serveStatic<AppEnv>({ root, precompressed: true });
  const indexHtml = serveStatic<AppEnv>({ root, path: "index.html" });

  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if ((method !== "GET" && method !== "HEAD") || isApiPath(path)) return next();

    const file = await files(c, noop);
    if (file) return withCaching(file, path.startsWith(HASHED_ASSETS) ? IMMUTABLE : REVALIDATE);

    // A missing script or image must be a 404, not HTML that the browser then fails to parse.
    const lastSegment = path.slice(path.lastIndexOf("/") + 1);
    if (path.startsWith(HASHED_ASSETS) || lastSegment.includes(".")) return next();

    const page = await indexHtml(c, noop);
    return page ? withCaching(page, REVALIDATE) : next();
  };
}

/**
 * The `web` slot of createApp: mounts the app from `root` after the API routes, or serves
 * the API alone (with one log line saying why) when the web app has not been built.
 */
export function webAppSlot(root: string, logger: Logger): ((app: Hono<AppEnv>) => void) | undefined {
  if (!hasWebApp(root)) {
    logger.info({ root }, "web app not built (npm run build -w @cartwheel/web); serving the API only");
    return undefined;
  }
  return (app) => {
    app.use("*", webApp({ root, isApiPath: isServerApiPath }));
  };
}
