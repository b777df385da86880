import {
  adjustStockSchema,
  createProductSchema,
  idSchema,
  listProductsSchema,
  slugSchema,
  updateProductSchema,
  upsertManySchema,
} from "@cartwheel/commerce";
import { z } from "zod";
import { publicProcedure, router, staffProcedure } from "../trpc.ts";
import { commerceErrors, viewerOf } from "./commerce-errors.ts";

const anyone = publicProcedure.use(commerceErrors);
const staff = staffProcedure.use(commerceErrors);
const byIdInput = z.object({ id: idSchema });

export const catalogRouter = router({
  list: anyone
    .input(listProductsSchema)
    .query(({ ctx, input }) => ctx.services.catalog.list(input, viewerOf(ctx.actor))),
  byId: anyone.input(byIdInput).query(({ ctx, input }) => ctx.services.catalog.byId(input.id, viewerOf(ctx.actor))),
  bySlug: anyone
    .input(z.object({ slug: slugSchema }))
    .query(({ ctx, input }) => ctx.services.catalog.bySlug(input.slug, viewerOf(ctx.actor))),

  create: staff
    .input(createProductSchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.create(input, ctx.actor.id)),
  update: staff.input(updateProductSchema).mutation(({ ctx, input }) => ctx.services.catalog.update(input)),
  archive: staff.input(byIdInput).mutation(({ ctx, input }) => ctx.services.catalog.archive(input.id)),
  restore: staff.input(byIdInput).mutation(({ ctx, input }) => ctx.services.catalog.restore(input.id)),
  adjustStock: staff
    .input(adjustStockSchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.adjustStock(input, ctx.actor.id)),
  upsertMany: staff
    .input(upsertManySchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.upsertMany(input.items, ctx.actor.id)),
});
