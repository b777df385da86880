-- Stock a cancel pushed past the cap (before the cap held on that path) comes down to it
-- through the ledger, so stock = sum(delta) still holds and the rebuilt table's CHECK admits it.
-- The id is a random version 4 UUID spelled in SQL.
INSERT INTO `stock_movements` (`id`, `product_id`, `delta`, `reason`, `note`, `created_at`) SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), `id`, 1000000000 - `stock`, 'adjustment', 'capped at the stock limit by a migration', CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM `products` WHERE `stock` > 1000000000;--> statement-breakpoint
UPDATE `products` SET `stock` = 1000000000 WHERE `stock` > 1000000000;--> statement-breakpoint
-- SQLite changes a CHECK only by rebuilding the table. drizzle-kit's rebuild needs
-- foreign_keys=OFF, which is a no-op inside the migrator's transaction, so dropping products
-- while order lines reference it would fail. Instead the foreign keys are deferred to COMMIT:
-- the rows are copied aside, the old table dropped, and the new one (same name, so the
-- references find it) refilled from the copy, which resolves every reference again.
PRAGMA defer_foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__products_copy` AS SELECT * FROM `products`;--> statement-breakpoint
DROP TABLE `products`;--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_cents` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`stock` integer DEFAULT 0 NOT NULL,
	`archived_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "products_stock_range" CHECK("products"."stock" >= 0 and "products"."stock" <= 1000000000),
	CONSTRAINT "products_price_range" CHECK("products"."price_cents" >= 0 and "products"."price_cents" <= 100000000)
);
--> statement-breakpoint
INSERT INTO `products`("id", "slug", "name", "description", "price_cents", "currency", "stock", "archived_at", "created_at", "updated_at") SELECT "id", "slug", "name", "description", "price_cents", "currency", "stock", "archived_at", "created_at", "updated_at" FROM `__products_copy`;--> statement-breakpoint
DROP TABLE `__products_copy`;--> statement-breakpoint
CREATE UNIQUE INDEX `products_slug_uq` ON `products` (`slug`);--> statement-breakpoint
CREATE INDEX `products_created_idx` ON `products` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `products_price_idx` ON `products` (`price_cents`,`id`);--> statement-breakpoint
CREATE INDEX `products_name_idx` ON `products` (`name`,`id`);