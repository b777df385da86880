import {
  adjustStockSchema,
  byIdSchema,
  bySlugSchema,
  createProductSchema,
  listProductsSchema,
  updateProductSchema,
  upsertManySchema,
} from "@cartwheel/contracts";
import { publicProcedure, router, staffProcedure } from "../trpc.ts";
import { viewerOf } from "./viewer.ts";

export const catalogRouter = router({
  list: publicProcedure
    .input(listProductsSchema)
    .query(({ ctx, input }) => ctx.services.catalog.list(input, viewerOf(ctx.actor))),
  byId: publicProcedure
    .input(byIdSchema)
    .query(({ ctx, input }) => ctx.services.catalog.byId(input.id, viewerOf(ctx.actor))),
  bySlug: publicProcedure
    .input(bySlugSchema)
    .query(({ ctx, input }) => ctx.services.catalog.bySlug(input.slug, viewerOf(ctx.actor))),

  create: staffProcedure
    .input(createProductSchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.create(input, ctx.actor.id)),
  update: staffProcedure.input(updateProductSchema).mutation(({ ctx, input }) => ctx.services.catalog.update(input)),
  archive: staffProcedure.input(byIdSchema).mutation(({ ctx, input }) => ctx.services.catalog.archive(input.id)),
  restore: staffProcedure.input(byIdSchema).mutation(({ ctx, input }) => ctx.services.catalog.restore(input.id)),
  adjustStock: staffProcedure
    .input(adjustStockSchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.adjustStock(input, ctx.actor.id)),
  upsertMany: staffProcedure
    .input(upsertManySchema)
    .mutation(({ ctx, input }) => ctx.services.catalog.upsertMany(input.items, ctx.actor.id)),
});
