// An in-process stand-in for the API's auth behaviour, reached through the client's
// `fetch` option: access tokens are "access-N", refresh tokens rotate and are single-use.
import { initTRPC, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

export interface FakeApi {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Every request the client made, in order: procedure path and headers. */
  requests: Array<{ path: string; headers: Headers }>;
  refreshCalls: () => number;
  /** Makes the next `count` fetches fail as a dropped connection would. */
  failNextFetches: (count: number) => void;
  expireCurrentAccessToken: () => void;
  mutationRuns: () => number;
}

export function createFakeApi(): FakeApi {
  let generation = 1;
  let validAccess = new Set(["access-1"]);
  let currentRefresh = "refresh-1";
  let refreshes = 0;
  let mutations = 0;
  let failures = 0;
  const requests: FakeApi["requests"] = [];

  const t = initTRPC.context<{ token: string | null }>().create();
  const authed = t.procedure.use(({ ctx, next }) => {
    if (!ctx.token || !validAccess.has(ctx.token)) throw new TRPCError({ code: "UNAUTHORIZED", message: "expired" });
    return next();
  });
  const router = t.router({
    auth: t.router({
      refresh: t.procedure
        .input((raw) => raw as { refreshToken?: string })
        .mutation(async ({ input }) => {
          refreshes += 1;
          if (input.refreshToken !== currentRefresh) throw new TRPCError({ code: "UNAUTHORIZED", message: "reused" });
          // Slow enough that concurrent callers overlap with it.
          await new Promise((resolve) => setTimeout(resolve, 20));
          generation += 1;
          validAccess = new Set([`access-${generation}`]);
          currentRefresh = `refresh-${generation}`;
          return {
            user: { id: "u1" },
            accessToken: `access-${generation}`,
            accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
            refreshToken: currentRefresh,
          };
        }),
      login: t.procedure.mutation(() => {
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Invalid email or password." });
      }),
    }),
    catalog: t.router({
      list: authed.query(() => ({ items: [], nextCursor: null })),
      create: authed.mutation(() => {
        mutations += 1;
        return { id: "p1" };
      }),
    }),
    orders: t.router({
      place: authed.mutation(() => {
        mutations += 1;
        return { id: "o1" };
      }),
    }),
  });

  const fetch: FakeApi["fetch"] = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace("/trpc/", "");
    requests.push({ path, headers: request.headers });
    if (failures > 0) {
      failures -= 1;
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      });
    }
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? null;
    return fetchRequestHandler({ req: request, router, endpoint: "/trpc", createContext: () => ({ token }) });
  };

  return {
    fetch,
    requests,
    refreshCalls: () => refreshes,
    failNextFetches: (count) => {
      failures = count;
    },
    expireCurrentAccessToken: () => {
      validAccess = new Set();
    },
    mutationRuns: () => mutations,
  };
}
