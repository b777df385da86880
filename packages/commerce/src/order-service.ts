import type { OrderStatus } from "@cartwheel/db";
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { cursorValues, decodeCursor, encodeCursor, keysetAfter } from "./cursor.ts";
import { type CommerceDeps, recordStockMovements, type Viewer } from "./deps.ts";
import { InvalidTransitionError, NotFoundError, StockLimitError } from "./errors.ts";
import {
  type ListOrdersQuery,
  DomainError,
  listOrdersSchema,
  MAX_STOCK,
  type MyOrdersInput,
  myOrdersSchema,
  type PlaceOrderInput,
  type UpdateStatusInput,
  updateStatusSchema,
} from "@cartwheel/contracts";
import { invalidating } from "./catalog-page-cache.ts";
import { placeOrder, preparePlacement } from "./order-placement.ts";
import { allowedTransitions, orderTransitions } from "./order-state.ts";
import { loadItems, type Order, type OrderDetail, toOrder, withItems } from "./order-view.ts";
import { loadPeople } from "./customers.ts";
import { FINISHED_STATUSES, forgetAddressIfErased, isFinished } from "./customer-erasure.ts";
import { openAddress, type Shipment } from "./shipping.ts";
import type { Customer } from "./order-view.ts";
import { PII_FIELDS, userWithEmail } from "@cartwheel/pii";

export type OrderService = ReturnType<typeof createOrderService>;

/** The shop itself (unpaid orders expiring): staff's transitions, recorded without an actor id. */
const SYSTEM_ACTOR = { id: null, staff: true } as const;
type Actor = Viewer | typeof SYSTEM_ACTOR;

/** Orders one address purge looks at: the rest wait for the next call. */
export const ADDRESS_PURGE_BATCH = 500;

/** Orders one expiry pass looks at: the rest wait for the next pass. */
export const EXPIRY_BATCH = 100;

export function createOrderService(deps: CommerceDeps) {
  const { database, now } = deps;
  const { db, schema: s } = database;
  const o = s.orders;
  const placement = preparePlacement(database);

  async function page(filters: SQL[], input: { cursor?: string | undefined; limit: number }) {
    const conditions = [...filters];
    if (input.cursor) {
      const { value, id } = decodeCursor("orders:newest", input.cursor, cursorValues.timestamp);
      conditions.push(keysetAfter(o.createdAt, o.id, "desc", value, id));
    }
    const rows = await db
      .select()
      .from(o)
      .where(and(...conditions))
      .orderBy(desc(o.createdAt), desc(o.id))
      .limit(input.limit + 1);
    const items = await withItems(db, database, rows.slice(0, input.limit));
    const last = items.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor("orders:newest", last.createdAt.getTime(), last.id) : null;
    return { items, nextCursor };
  }

  /**
   * Moves an order along the state machine. The UPDATE is conditional on the version and
   * status we read, so of two staff racing from the same state exactly one wins.
   */
  async function transition(id: string, to: OrderStatus, viewer: Actor, expectedVersion?: number, shipment?: Shipment) {
    return announced(changeStatus(id, to, viewer, expectedVersion, shipment));
  }

  /** Tells live streams once the change committed. */
  async function announced<T>(change: Promise<T>): Promise<T> {
    const result = await change;
    deps.orderEventsCommitted?.();
    return result;
  }

  function changeStatus(
    id: string,
    to: OrderStatus,
    viewer: Actor,
    expectedVersion?: number,
    shipment?: Shipment,
  ): Promise<Order> {
    const at = now();
    return database.transaction(async (tx) => {
      const [current] = await tx.select().from(o).where(eq(o.id, id));
      if (!current || (!viewer.staff && current.userId !== viewer.id)) throw new NotFoundError("order", [id]);
      // A stale view is reported first: the caller's decision was based on a state that no longer holds.
      if (expectedVersion !== undefined && expectedVersion !== current.version) throw staleVersion(current.version);
      const allowed = allowedTransitions(current.status, viewer.staff);
      if (!allowed.includes(to)) {
        const hint = viewer.staff || current.status === "pending" ? "" : " Customers can cancel only pending orders.";
        throw new InvalidTransitionError(current.status, to, allowed, hint);
      }
      const [updated] = await tx
        .update(o)
        .set({ status: to, version: sql`${o.version} + 1`, updatedAt: at, ...shipmentColumns(shipment) })
        .where(and(eq(o.id, id), eq(o.version, current.version), eq(o.status, current.status)))
        .returning();
      if (!updated) throw staleVersion(current.version);
      const items = (await loadItems(tx, database, [id])).get(id) ?? [];
      if (to === "cancelled") {
        // Restock in product-id order (items are loaded sorted), the same lock order as placement.
        // The cap holds here as on every other stock write: a cancel that would pass it is refused whole.
        const p = s.products;
        for (const item of items) {
          const [restocked] = await tx
            .update(p)
            .set({ stock: sql`${p.stock} + ${item.quantity}`, updatedAt: at })
            .where(and(eq(p.id, item.productId), sql`${p.stock} + ${item.quantity} <= ${MAX_STOCK}`))
            .returning({ id: p.id });
          if (!restocked) throw new StockLimitError(item.productId, MAX_STOCK, "Cannot cancel the order");
        }
        await recordStockMovements(
          tx,
          database,
          at,
          items.map((item) => ({
            productId: item.productId,
            delta: item.quantity,
            reason: "order_cancelled" as const,
            orderId: id,
            actorId: viewer.id,
          })),
        );
      }
      if (isFinished(to)) await forgetAddressIfErased(tx, database, id);
      // Last, after every row lock: on PostgreSQL the event's insert serializes its commit
      // with other order events' (migration 0009_order_event_sequence), and must not wait while holding those.
      await tx
        .insert(s.orderEvents)
        .values({ orderId: id, fromStatus: current.status, toStatus: to, actorId: viewer.id, createdAt: at });
      await deps.events?.record(tx, {
        type: "order.status_changed",
        payload: { orderId: id, userId: current.userId, fromStatus: current.status, toStatus: to, actorId: viewer.id },
      });
      deps.logger?.info({ orderId: id, from: current.status, to, actorId: viewer.id }, "order status changed");
      return toOrder(updated, items);
    });
  }

  return {
    // Placing and cancelling change stock, which catalog pages show.
    place: (userId: string, input: PlaceOrderInput) =>
      invalidating(deps.catalogPageCache, announced(placeOrder(deps, placement, userId, input))),

    /** The caller's own orders, newest first. */
    mine(userId: string, input: MyOrdersInput = {}) {
      const query = myOrdersSchema.parse(input);
      const filters = [eq(o.userId, userId)];
      if (query.status) filters.push(eq(o.status, query.status));
      return page(filters, query);
    },

    /** Staff's order search, newest first; `query` is listOrdersSchema's output (the router parses). */
    async list(query: ListOrdersQuery = listOrdersSchema.parse({})) {
      const filters: SQL[] = [];
      if (query.userId) filters.push(eq(o.userId, query.userId));
      if (query.status) filters.push(eq(o.status, query.status));
      if (query.reference?.kind === "id") filters.push(eq(o.id, query.reference.id));
      if (query.reference?.kind === "suffix") filters.push(database.idEndsWith(o.id, query.reference.suffix));
      if (query.email) {
        // Addresses are sealed: the blind index finds the account.
        const u = s.users;
        const owner = userWithEmail(database, deps.emailIndexKey, query.email);
        filters.push(inArray(o.userId, db.select({ id: u.id }).from(u).where(owner)));
      }
      if (query.placedFrom) filters.push(gte(o.createdAt, query.placedFrom));
      if (query.placedBefore) filters.push(lt(o.createdAt, query.placedBefore));
      const { items, nextCursor } = await page(filters, query);
      const people = await loadPeople(
        db,
        database,
        deps.pii,
        items.map((order) => order.userId),
      );
      // Staff screens offer the next steps; sending them keeps the state machine in one place.
      return {
        items: items.map((order) => ({
          ...order,
          customer: customerOf(people, order.userId),
          allowedTransitions: [...orderTransitions[order.status]],
        })),
        nextCursor,
      };
    },

    /** Owner or staff; anyone else gets NOT_FOUND so existence does not leak. */
    async byId(id: string, viewer: Viewer): Promise<OrderDetail> {
      const [row] = await db.select().from(o).where(eq(o.id, id));
      if (!row || (!viewer.staff && row.userId !== viewer.id)) throw new NotFoundError("order", [id]);
      const e = s.orderEvents;
      const [items, events] = await Promise.all([
        loadItems(db, database, [id]),
        db
          .select({ fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, createdAt: e.createdAt })
          .from(e)
          .where(eq(e.orderId, id))
          .orderBy(asc(e.createdAt), asc(e.id)),
      ]);
      const people = await loadPeople(db, database, deps.pii, [
        row.userId,
        ...(viewer.staff ? events.map((x) => x.actorId) : []),
      ]);
      return {
        ...toOrder(row, items.get(id) ?? []),
        // Customers see what happened, not which member of staff did it.
        events: events.map((event) => {
          const actor = viewer.staff && event.actorId ? people.get(event.actorId) : undefined;
          return {
            ...event,
            // A customer learns no staff member's id either: only their own acts keep theirs.
            actorId: viewer.staff || event.actorId === viewer.id ? event.actorId : null,
            actor: actor ? { name: actor.name, email: actor.email, role: actor.role } : null,
          };
        }),
        shippingAddress:
          row.shippingAddress === null
            ? null
            : openAddress(deps.pii, PII_FIELDS.orderShippingAddress, row.shippingAddress),
        customer: customerOf(people, row.userId),
        // What this viewer may do next, so screens offer it without knowing the state machine.
        allowedTransitions: [...allowedTransitions(row.status, viewer.staff)],
      };
    },

    /** Owner while pending, staff while pending or paid; stock goes back through the ledger. */
    cancel: (id: string, viewer: Viewer) => invalidating(deps.catalogPageCache, transition(id, "cancelled", viewer)),

    /**
     * Cancels orders still pending `ttlSeconds` after they were placed, oldest first, at most
     * EXPIRY_BATCH per call (`more` says whether to call again). Each goes through the same
     * transition as staff's cancel, conditional on the version read here: an order that staff
     * changed meanwhile (paid, cancelled) keeps their change.
     */
    async expireUnpaid(ttlSeconds: number): Promise<{ expired: number; more: boolean }> {
      const cutoff = new Date(now().getTime() - ttlSeconds * 1000);
      const due = await db
        .select({ id: o.id, version: o.version })
        .from(o)
        .where(and(eq(o.status, "pending"), lt(o.createdAt, cutoff)))
        .orderBy(asc(o.createdAt), asc(o.id))
        .limit(EXPIRY_BATCH);
      let expired = 0;
      for (const order of due) {
        try {
          await invalidating(deps.catalogPageCache, transition(order.id, "cancelled", SYSTEM_ACTOR, order.version));
          expired += 1;
        } catch (error) {
          // Staff got there first (stale_version, invalid_transition), or the restock is refused
          // (stock_limit): this order stays as it is, and the others still expire.
          if (!(error instanceof DomainError)) throw error;
          deps.logger?.warn({ orderId: order.id, reason: error.reason }, "unpaid order not expired");
        }
      }
      return { expired, more: due.length === EXPIRY_BATCH };
    },

    /**
     * Retention: removes the shipping address of orders finished (delivered or cancelled)
     * more than `retentionDays` ago (ORDER_ADDRESS_RETENTION_DAYS), at most
     * ADDRESS_PURGE_BATCH per call (`more` says whether to call again). The order itself
     * stays, for accounting. Nothing leaves a finished status, so its last update is when it
     * finished.
     */
    async purgeFinishedAddresses(retentionDays: number): Promise<{ removed: number; more: boolean }> {
      const cutoff = new Date(now().getTime() - retentionDays * 86_400_000);
      const due = await db
        .select({ id: o.id })
        .from(o)
        .where(and(inArray(o.status, [...FINISHED_STATUSES]), lt(o.updatedAt, cutoff), isNotNull(o.shippingAddress)))
        .limit(ADDRESS_PURGE_BATCH);
      if (due.length === 0) return { removed: 0, more: false };
      const removed = await db
        .update(o)
        .set({ shippingAddress: null })
        .where(
          inArray(
            o.id,
            due.map((row) => row.id),
          ),
        )
        .returning({ id: o.id });
      deps.logger?.info({ removed: removed.length }, "removed the addresses of long-finished orders");
      return { removed: removed.length, more: due.length === ADDRESS_PURGE_BATCH };
    },

    updateStatus(input: UpdateStatusInput, viewer: Viewer) {
      const { id, status, expectedVersion, shipment } = updateStatusSchema.parse(input);
      const changed = transition(id, status, { ...viewer, staff: true }, expectedVersion, shipment);
      return status === "cancelled" ? invalidating(deps.catalogPageCache, changed) : changed;
    },
  };
}

/** An empty carrier or tracking number is stored as none. */
const shipmentColumns = (shipment: Shipment | undefined) =>
  shipment ? { carrier: shipment.carrier || null, trackingNumber: shipment.trackingNumber || null } : {};

/** The order's account; an erased or missing one shows as such rather than failing the page. */
function customerOf(people: Map<string, Customer>, userId: string): Customer {
  const person = people.get(userId);
  return person
    ? { id: person.id, name: person.name, email: person.email, erased: person.erased }
    : { id: userId, name: "Unknown customer", email: "", erased: false };
}

function staleVersion(version: number) {
  return new DomainError("stale_version", "The order was changed by someone else; reload and try again.", {
    currentVersion: version,
  });
}
