import { idSchema, textSchema } from "@cartwheel/commerce";
import { roles } from "@cartwheel/db";
import { z } from "zod";
import { adminProcedure, router } from "../trpc.ts";
import { mapAuthErrors } from "./auth-errors.ts";

const userId = z.object({ userId: idSchema });

export const usersRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          cursor: idSchema.optional(),
          limit: z.number().int().min(1).max(100).default(20),
          q: textSchema(100).trim().optional(),
        })
        .default({ limit: 20 }),
    )
    .query(({ ctx, input }) => ctx.services.auth.users.list(input)),

  setRole: adminProcedure
    .input(z.object({ userId: idSchema, role: z.enum(roles) }))
    .mutation(({ ctx, input }) =>
      mapAuthErrors(ctx, () => ctx.services.auth.users.setRole(ctx.actor, input.userId, input.role)),
    ),

  /** Ends every session of the user at once; their access tokens fail on the next request. */
  disable: adminProcedure
    .input(userId)
    .mutation(({ ctx, input }) => mapAuthErrors(ctx, () => ctx.services.auth.users.disable(ctx.actor, input.userId))),

  enable: adminProcedure
    .input(userId)
    .mutation(({ ctx, input }) => mapAuthErrors(ctx, () => ctx.services.auth.users.enable(input.userId))),
});
