-- Every statement that writes products (prices, names, archiving, stock: orders, cancels,
-- adjustments, imports, hand-made fixes in psql) notifies the servers' catalog page caches.
-- A NOTIFY issued in a transaction is delivered when it commits and dropped if it rolls back,
-- and identical notifications of one transaction are folded into one, so each writing
-- transaction costs one notification whichever path wrote it (packages/db change-feed.ts).
CREATE FUNCTION "notify_catalog_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cartwheel_catalog_changed', '');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "products_notify_catalog_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products" FOR EACH STATEMENT EXECUTE FUNCTION "notify_catalog_changed"();
