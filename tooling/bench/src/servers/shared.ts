// What the tRPC peers share with the real server: its config parser and its services
// (same database setup, statement cache and domain services), minus every middleware.
import { randomUUID } from "node:crypto";
import type { Context, Services } from "@cartwheel/api";
import { createLogger } from "@cartwheel/observability";
import { loadConfig } from "@cartwheel/server/config";
import { createServices } from "@cartwheel/server/services";

export async function peerServices(): Promise<Services> {
  const config = loadConfig();
  return createServices(config, createLogger({ level: "warn" }));
}

/** An anonymous caller's context: what catalog.list needs, no cookies, no auth. */
export function anonymousContext(services: Services, ip: string): Context {
  return {
    services,
    requestId: randomUUID(),
    actor: null,
    ip,
    userAgent: null,
    sameOrigin: false,
    production: true,
    cookies: { get: () => undefined, set: () => {}, delete: () => {} },
    responseHeaders: new Headers(),
    logger: services.logger,
  };
}

export { exitOnSigterm, listenPort } from "./shared-http.ts";
