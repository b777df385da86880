import { byIdSchema, createApiKeySchema } from "@cartwheel/contracts";
import { adminProcedure, router } from "../trpc.ts";

export const apiKeysRouter = router({
  /** The response's `key` is the only time the secret is shown; it is stored hashed. */
  create: adminProcedure
    .input(createApiKeySchema)
    // A key created with a key belongs to that key's owner (the service resolves it).
    .mutation(({ ctx, input }) => ctx.services.auth.apiKeys.create({ ...input, createdBy: ctx.actor })),

  list: adminProcedure.query(({ ctx }) => ctx.services.auth.apiKeys.list()),

  revoke: adminProcedure.input(byIdSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.apiKeys.revoke(input.id);
    return { ok: true as const };
  }),
});
