import {
  byIdSchema,
  listOrdersSchema,
  myOrdersSchema,
  placeOrderSchema,
  updateStatusSchema,
} from "@cartwheel/contracts";
import { TRPCError } from "@trpc/server";
import { protectedProcedure, router, staffProcedure } from "../trpc.ts";
import { orderEventsProcedure } from "./order-events.ts";
import { viewerOf } from "./viewer.ts";

export const ordersRouter = router({
  place: protectedProcedure.input(placeOrderSchema).mutation(async ({ ctx, input }) => {
    // Orders belong to users; an API key has no customer to bill.
    if (ctx.actor.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "Orders are placed by users." });
    await ctx.services.auth.assertMayOrder(ctx.actor.id);
    return ctx.services.orders.place(ctx.actor.id, input);
  }),
  mine: protectedProcedure
    .input(myOrdersSchema)
    .query(({ ctx, input }) => ctx.services.orders.mine(ctx.actor.id, input)),
  byId: protectedProcedure
    .input(byIdSchema)
    .query(({ ctx, input }) => ctx.services.orders.byId(input.id, viewerOf(ctx.actor))),
  cancel: protectedProcedure
    .input(byIdSchema)
    .mutation(({ ctx, input }) => ctx.services.orders.cancel(input.id, viewerOf(ctx.actor))),

  list: staffProcedure.input(listOrdersSchema).query(({ ctx, input }) => ctx.services.orders.list(input)),
  updateStatus: staffProcedure
    .input(updateStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.orders.updateStatus(input, viewerOf(ctx.actor))),

  events: orderEventsProcedure,
});
