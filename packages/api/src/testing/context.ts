// Test-only: builds a tRPC Context without HTTP, for router tests through createCaller.
// router/publicProcedure let gateway tests mount probe procedures behind the real middleware.
export { publicProcedure, router } from "../trpc.ts";
import type { Actor, Context, CookieJar, CookieOptions, Services } from "../context.ts";

export interface MemoryCookieJar extends CookieJar {
  readonly jar: Map<string, { value: string; options: CookieOptions }>;
}

export function createMemoryCookieJar(initial: Record<string, string> = {}): MemoryCookieJar {
  const jar = new Map(Object.entries(initial).map(([name, value]) => [name, { value, options: {} }]));
  return {
    jar,
    get: (name) => jar.get(name)?.value,
    set: (name, value, options) => void jar.set(name, { value, options }),
    delete: (name) => void jar.delete(name),
  };
}

export interface TestContextOptions {
  services: Services;
  actor?: Actor | null;
  cookies?: CookieJar;
  sameOrigin?: boolean;
  production?: boolean;
  ip?: string;
  userAgent?: string | null;
  requestId?: string;
  responseHeaders?: Headers;
}

export function createTestContext(options: TestContextOptions): Context {
  const requestId = options.requestId ?? "test-request";
  return {
    services: options.services,
    requestId,
    actor: options.actor ?? null,
    ip: options.ip ?? "127.0.0.1",
    userAgent: options.userAgent ?? "vitest",
    sameOrigin: options.sameOrigin ?? true,
    production: options.production ?? false,
    cookies: options.cookies ?? createMemoryCookieJar(),
    responseHeaders: options.responseHeaders ?? new Headers(),
    logger: options.services.logger.child({ requestId }),
  };
}
