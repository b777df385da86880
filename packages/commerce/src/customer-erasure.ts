// What commerce holds of a customer who is erased (@cartwheel/auth's erasure.ts runs this in
// its transaction): the saved addresses go, and so does the shipping address of every order
// that is finished. An order still on its way keeps its address until it is delivered or
// cancelled, when forgetAddressIfErased removes it in that transition.
import type { Database, Db } from "@cartwheel/db";
import { and, eq, inArray, isNotNull } from "drizzle-orm";

/** Statuses nothing leaves: the parcel arrived, or will never go. */
export const FINISHED_STATUSES = ["delivered", "cancelled"] as const;

export function customerErasureStep({ schema: s }: Database) {
  return async (tx: Db, userId: string): Promise<void> => {
    await tx.delete(s.addresses).where(eq(s.addresses.userId, userId));
    await tx
      .update(s.orders)
      .set({ shippingAddress: null })
      .where(and(eq(s.orders.userId, userId), inArray(s.orders.status, [...FINISHED_STATUSES])));
  };
}

/** In a transition to delivered or cancelled: an erased customer's order keeps no address. */
export async function forgetAddressIfErased(tx: Db, { schema: s }: Database, orderId: string): Promise<void> {
  const erased = tx.select({ id: s.users.id }).from(s.users).where(isNotNull(s.users.erasedAt));
  await tx
    .update(s.orders)
    .set({ shippingAddress: null })
    .where(and(eq(s.orders.id, orderId), isNotNull(s.orders.shippingAddress), inArray(s.orders.userId, erased)));
}

export const isFinished = (status: string): boolean => (FINISHED_STATUSES as readonly string[]).includes(status);
