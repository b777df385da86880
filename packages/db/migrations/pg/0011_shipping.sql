CREATE TABLE "addresses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping_address" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "carrier" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tracking_number" text;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "addresses_user_idx" ON "addresses" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_short_id_idx" ON "orders" USING btree (substr("id"::text, 29));
--> statement-breakpoint
-- Placement stores the order's sealed shipping address ($14, null for none) with the order
-- row. The rest of the statement is 0007_place_order_events', unchanged; a function's
-- parameter list is its identity, so the old one is dropped.
DROP FUNCTION "place_order"(uuid[], int4[], uuid[], uuid[], uuid, uuid, text, text, uuid, timestamptz, uuid, text, int4);
--> statement-breakpoint
CREATE FUNCTION "place_order"(
  product_ids uuid[], quantities int4[], item_ids uuid[], movement_ids uuid[], order_id uuid,
  user_id uuid, idempotency_key text, request_hash text, event_id uuid, placed_at timestamptz,
  created_event_id uuid, trace_context text, low_stock_threshold int4, shipping_address text
) RETURNS TABLE (product_id uuid, name text, price_cents int4, currency text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
with input as (
  select $1::uuid[] as product_ids, $2::int4[] as quantities, $3::uuid[] as item_ids,
         $4::uuid[] as movement_ids, $5::uuid as order_id, $6::uuid as user_id,
         $7::text as idempotency_key, $8::text as request_hash, $9::uuid as event_id,
         $10::timestamptz as placed_at, $11::uuid as created_event_id, $12::text as trace_context,
         $13::int4 as low_stock_threshold, $14::text as shipping_address
),
lines as (
  select line.*
  from input, unnest(input.product_ids, input.quantities, input.item_ids, input.movement_ids)
    as line(product_id, quantity, item_id, movement_id)
),
locked as (
  select id, name, stock, archived_at, price_cents, currency
  from products
  where id in (select product_id from lines)
  order by id
  for update
),
verdict as (
  select count(*) = (select count(*) from lines)
     and bool_and(locked.archived_at is null and locked.stock >= lines.quantity)
     and count(distinct locked.currency) = 1
     and sum(lines.quantity::int8 * locked.price_cents) <= 2147483647 as satisfiable
  from locked join lines on lines.product_id = locked.id
),
decremented as (
  update products
  set stock = locked.stock - lines.quantity, updated_at = input.placed_at
  from locked, lines, input, verdict
  where products.id = locked.id and lines.product_id = locked.id and verdict.satisfiable
  returning locked.id as product_id, locked.name, locked.price_cents, locked.currency,
            lines.quantity, lines.item_id, lines.movement_id, locked.stock as stock_before
),
placed_order as (
  insert into orders (id, user_id, status, total_cents, currency, idempotency_key, request_hash,
                      version, shipping_address, created_at, updated_at)
  select input.order_id, input.user_id, 'pending', totals.total_cents, totals.currency,
         input.idempotency_key, input.request_hash, 1, input.shipping_address, input.placed_at, input.placed_at
  from input, (select sum(quantity::int8 * price_cents)::int4 as total_cents, min(currency) as currency
               from decremented) as totals
  where totals.total_cents is not null
  returning id
),
items as (
  insert into order_items (id, order_id, product_id, product_name, quantity, unit_price_cents)
  select decremented.item_id, placed_order.id, decremented.product_id, decremented.name,
         decremented.quantity, decremented.price_cents
  from decremented, placed_order
),
movements as (
  insert into stock_movements (id, product_id, delta, reason, order_id, actor_id, note, created_at)
  select decremented.movement_id, decremented.product_id, -decremented.quantity, 'order_placed',
         placed_order.id, input.user_id, null, input.placed_at
  from decremented, placed_order, input
),
event as (
  insert into order_events (id, order_id, from_status, to_status, actor_id, created_at)
  select input.event_id, placed_order.id, null, 'pending', input.user_id, input.placed_at
  from placed_order, input
),
created_outbox as (
  insert into outbox_events (id, type, payload, trace_context, occurred_at)
  select input.created_event_id, 'order.created',
         jsonb_build_object('orderId', placed_order.id, 'userId', input.user_id),
         input.trace_context, input.placed_at
  from placed_order, input
  where input.created_event_id is not null
),
stock_low_outbox as (
  insert into outbox_events (id, type, payload, trace_context, occurred_at)
  select gen_random_uuid(), 'product.stock_low',
         jsonb_build_object('productId', decremented.product_id,
                            'stock', decremented.stock_before - decremented.quantity,
                            'threshold', input.low_stock_threshold),
         input.trace_context, input.placed_at
  from decremented, placed_order, input
  where input.created_event_id is not null
    and decremented.stock_before >= input.low_stock_threshold
    and decremented.stock_before - decremented.quantity < input.low_stock_threshold
)
select decremented.product_id, decremented.name, decremented.price_cents, decremented.currency
from decremented, placed_order
order by decremented.product_id;
END;
$$;
