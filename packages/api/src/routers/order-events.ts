import type { OrderFeedEvent } from "@cartwheel/commerce";
import { orderEventsSchema } from "@cartwheel/contracts";
import { tracked, TRPCError } from "@trpc/server";
import type { Actor, Context } from "../context.ts";
import { takeSubscriptionSlot } from "../subscription-slots.ts";
import { isStaff, protectedProcedure } from "../trpc.ts";

/** An event as clients receive it: the order's new state with what changed. */
const toWire = (event: OrderFeedEvent) => ({
  type: event.type,
  orderId: event.orderId,
  fromStatus: event.fromStatus,
  toStatus: event.toStatus,
  at: event.at,
  order: event.order,
});

/**
 * Asked before every batch of events: the session may have been revoked since the stream
 * opened (logout, disable, and a role change, which revokes every session of the user).
 */
function authorizer(ctx: Context, actor: Actor) {
  return async () => {
    if (!(await ctx.services.auth.stillAuthorized(actor))) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session ended. Sign in again to follow orders." });
    }
  };
}

/**
 * orders.events: placed, status changed and cancelled, each with the order's new state.
 * Customers follow their own orders, staff every order; `orderId` and `status` narrow it.
 * Every event is `tracked()` with its order-events sequence number, so a reconnecting
 * EventSource resumes after the last one it received.
 */
export const orderEventsProcedure = protectedProcedure.input(orderEventsSchema).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const { actor } = ctx;
  const staff = isStaff(actor);
  const release = takeSubscriptionSlot(ctx.services, `${actor.kind}:${actor.id}`, ctx.ip);
  const abort = signal ?? new AbortController().signal;
  try {
    const events = ctx.services.orderEvents.stream({
      afterSeq: input.lastEventId ? Number(input.lastEventId) : null,
      filter: { userId: staff ? undefined : actor.id, orderId: input.orderId, status: input.status },
      signal: abort,
      authorize: authorizer(ctx, actor),
    });
    for await (const event of events) {
      ctx.services.metrics?.subscriptionEvents.inc({ procedure: "orders.events" });
      yield tracked(String(event.seq), toWire(event));
    }
  } finally {
    release();
  }
});
