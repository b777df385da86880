-- Stock a cancel pushed past the cap (before the cap held on that path) comes down to it
-- through the ledger, so stock = sum(delta) still holds and the new CHECK can be added.
INSERT INTO "stock_movements" ("id", "product_id", "delta", "reason", "note", "created_at") SELECT gen_random_uuid(), "id", 1000000000 - "stock", 'adjustment', 'capped at the stock limit by a migration', now() FROM "products" WHERE "stock" > 1000000000;--> statement-breakpoint
UPDATE "products" SET "stock" = 1000000000 WHERE "stock" > 1000000000;--> statement-breakpoint
ALTER TABLE "products" DROP CONSTRAINT "products_stock_nonnegative";--> statement-breakpoint
ALTER TABLE "products" DROP CONSTRAINT "products_price_nonnegative";--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_stock_range" CHECK ("products"."stock" >= 0 and "products"."stock" <= 1000000000);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_price_range" CHECK ("products"."price_cents" >= 0 and "products"."price_cents" <= 100000000);