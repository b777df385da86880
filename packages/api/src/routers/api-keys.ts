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
        name: textSchema().trim().min(1).max(100),
        role: z.enum(roles),
        expiresAt: timestampSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      mapAuthErrors(ctx, () =>
        ctx.services.auth.apiKeys.create({
          ...input,
          createdById: ctx.actor.kind === "user" ? ctx.actor.id : null,
        }),
      ),
    ),

  list: adminProcedure.query(({ ctx }) => ctx.services.auth.apiKeys.list()),

  revoke: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await mapAuthErrors(ctx, () => ctx.services.auth.apiKeys.revoke(input.id));
    return { ok: true as const };
  }),
});
