import { idSchema, textSchema, timestampSchema } from "@cartwheel/commerce";
import { roles } from "@cartwheel/db";
import { z } from "zod";
import { adminProcedure, router } from "../trpc.ts";
import { mapAuthErrors } from "./auth-errors.ts";

export const apiKeysRouter = router({
  /** The response's `key` is the only time the secret is shown; it is stored hashed. */
  create: adminProcedure
    .input(
      z.object({
        name: textSchema(100).trim().min(1),
        role: z.enum(roles),
        expiresAt: timestampSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      mapAuthErrors(ctx, () =>
        // A key created with a key belongs to that key's owner (the service resolves it).
        ctx.services.auth.apiKeys.create({ ...input, createdBy: ctx.actor }),
      ),
    ),

  list: adminProcedure.query(({ ctx }) => ctx.services.auth.apiKeys.list()),

  revoke: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await mapAuthErrors(ctx, () => ctx.services.auth.apiKeys.revoke(input.id));
    return { ok: true as const };
  }),
});
