import { lazyRouteComponent } from "@tanstack/react-router";

/** A page's code could not be fetched because the server does not answer at all. */
export class ServerUnreachable extends Error {
  constructor(cause: unknown) {
    super("Cannot reach the server. Check your connection.", { cause });
    this.name = "ServerUnreachable";
  }
}

/** Whether the server answers at all (any status), without the cache. */
async function serverAnswers(): Promise<boolean> {
  try {
    await fetch("/", { method: "HEAD", cache: "no-store" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A route component fetched on first use. When its chunk fails to load, the router reloads
 * the page once, which is right after a deployment (the old chunk is gone, the new index.html
 * names the new one) but shows the browser's own error page when the server is down. So a
 * failure is first checked against the server: unreachable becomes ServerUnreachable, which
 * the route's error component shows in the app's error box with a Retry.
 */
export function lazyPage<Module extends Record<string, unknown>>(
  importer: () => Promise<Module>,
  exportName: keyof Module & string,
) {
  return lazyRouteComponent(async () => {
    try {
      return await importer();
    } catch (error) {
      if (await serverAnswers()) throw error;
      throw new ServerUnreachable(error);
    }
  }, exportName);
}
