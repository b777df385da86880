import { idSchema, listOrdersSchema, myOrdersSchema, placeOrderSchema, updateStatusSchema } from "@cartwheel/commerce";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure, router, staffProcedure } from "../trpc.ts";
import { commerceErrors, viewerOf } from "./commerce-errors.ts";

const signedIn = protectedProcedure.use(commerceErrors);
const staff = staffProcedure.use(commerceErrors);
const byIdInput = z.object({ id: idSchema });

export const ordersRouter = router({
  place: signedIn.input(placeOrderSchema).mutation(({ ctx, input }) => {
    // Orders belong to users; an API key has no customer to bill.
    if (ctx.actor.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "Orders are placed by users." });
    return ctx.services.orders.place(ctx.actor.id, input);
  }),
  mine: signedIn.input(myOrdersSchema).query(({ ctx, input }) => ctx.services.orders.mine(ctx.actor.id, input)),
  byId: signedIn.input(byIdInput).query(({ ctx, input }) => ctx.services.orders.byId(input.id, viewerOf(ctx.actor))),
  cancel: signedIn
    .input(byIdInput)
    .mutation(({ ctx, input }) => ctx.services.orders.cancel(input.id, viewerOf(ctx.actor))),

  list: staff.input(listOrdersSchema).query(({ ctx, input }) => ctx.services.orders.list(input)),
  updateStatus: staff
    .input(updateStatusSchema)
    .mutation(({ ctx, input }) => ctx.services.orders.updateStatus(input, viewerOf(ctx.actor))),
});
