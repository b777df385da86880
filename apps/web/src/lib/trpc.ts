import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { authRetryLink } from "./auth-link.ts";
import { AuthStore } from "./auth-store.ts";
import { httpStatusOf } from "./errors.ts";
import { lazyLink } from "./lazy-link.ts";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const API_URL = "/trpc";

function bearer(token: string | null): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export interface AppClients {
  queryClient: QueryClient;
  trpcClient: TRPCClient<AppRouter>;
  authStore: AuthStore;
}

/** Builds the per-page-load singletons: query cache, tRPC client and the in-memory auth store. */
export function createAppClients(): AppClients {
  // Resume, refresh and logout go through their own un-batched client without the retry link,
  // so a failing refresh can never trigger another refresh.
  let sessionToken: string | null = null;
  const sessionClient = createTRPCClient<AppRouter>({
    links: [httpLink({ url: API_URL, headers: () => bearer(sessionToken) })],
  });
  const authStore = new AuthStore({
    resume: async () => await sessionClient.auth.resume.mutate(),
    refresh: async () => await sessionClient.auth.refresh.mutate({}),
    logout: async (token) => {
      sessionToken = token;
      await sessionClient.auth.logout.mutate();
    },
  });

  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Live order updates: loaded with the first subscription, which refreshes and resumes itself.
        true: lazyLink(() =>
          import("./subscription-link.ts").then(({ subscriptionLink }) => subscriptionLink(API_URL, authStore)),
        ),
        false: [
          authRetryLink(authStore),
          httpBatchLink({ url: API_URL, maxItems: 10, headers: () => bearer(authStore.getAccessToken()) }),
        ],
      }),
    ],
  });

  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Client errors (4xx) will not fix themselves; retry only network and server errors.
        retry: (failureCount, error) => failureCount < 2 && (httpStatusOf(error) ?? 500) >= 500,
      },
    },
  });
  // Private data must not outlive the session that fetched it.
  authStore.onSignOut(() => queryClient.clear());
  // What a caller may see depends on who they are (staff see archived products): refetch on sign-in.
  let lastStatus = authStore.getSnapshot().status;
  authStore.subscribe(() => {
    const status = authStore.getSnapshot().status;
    if (status === "signedIn" && lastStatus !== "signedIn") void queryClient.invalidateQueries();
    lastStatus = status;
  });

  return { queryClient, trpcClient, authStore };
}
