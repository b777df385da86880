import { removeAddressSchema, saveAddressSchema } from "@cartwheel/contracts";
import { TRPCError } from "@trpc/server";
import { protectedProcedure, router } from "../trpc.ts";

/** Saved addresses belong to users; an API key has none. */
const customerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "Addresses belong to users." });
  return next({ ctx: { userId: ctx.actor.id } });
});

export const addressesRouter = router({
  list: customerProcedure.query(({ ctx }) => ctx.services.addresses.list(ctx.userId)),
  save: customerProcedure
    .input(saveAddressSchema)
    .mutation(({ ctx, input }) => ctx.services.addresses.save(ctx.userId, input)),
  remove: customerProcedure
    .input(removeAddressSchema)
    .mutation(({ ctx, input }) => ctx.services.addresses.remove(ctx.userId, input)),
});
