// What order and stock mail reads when it is sent. The events carry ids only, so no address
// or name sits in the outbox, the job queue or a webhook payload; the mail job asks here at
// send time, and an account disabled or removed meanwhile gets nothing. @cartwheel/mail knows
// this only by its OrderMailReader shape, which these functions fit. Names and addresses are
// sealed at rest and opened here, at send time.
import { staffRoles } from "@cartwheel/contracts";
import { openUserRow, PII_FIELDS } from "@cartwheel/pii";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";
import { loadItems } from "./order-view.ts";

export type OrderMailReader = ReturnType<typeof createOrderMailReader>;

export function createOrderMailReader({ database, pii }: Pick<CommerceDeps, "database" | "pii">) {
  const { db, schema: s } = database;

  return {
    /** The order with its lines (as sold) and its customer, or null when either is gone or disabled. */
    async order(orderId: string) {
      const [row] = await db
        .select({
          id: s.orders.id,
          totalCents: s.orders.totalCents,
          currency: s.orders.currency,
          email: s.users.email,
          name: s.users.name,
          disabledAt: s.users.disabledAt,
        })
        .from(s.orders)
        .innerJoin(s.users, eq(s.users.id, s.orders.userId))
        .where(eq(s.orders.id, orderId));
      if (!row || row.disabledAt) return null;
      const items = (await loadItems(db, database, [orderId])).get(orderId) ?? [];
      return {
        recipient: openUserRow(pii, { email: row.email, name: row.name }),
        order: {
          id: row.id,
          totalCents: row.totalCents,
          currency: row.currency,
          lines: items.map((item) => ({
            name: item.productName,
            quantity: item.quantity,
            unitPriceCents: item.unitPriceCents,
          })),
        },
      };
    },

    /** The product's current name, or null when it was deleted. */
    async product(productId: string) {
      const [row] = await db.select({ name: s.products.name }).from(s.products).where(eq(s.products.id, productId));
      return row ?? null;
    },

    /** The addresses of every enabled staff and admin account: the people who can restock. */
    async staffAddresses(): Promise<string[]> {
      const rows = await db
        .select({ email: s.users.email })
        .from(s.users)
        .where(and(inArray(s.users.role, [...staffRoles]), isNull(s.users.disabledAt)));
      // Sorted once opened (sealed values sort at random), so the mail's recipients list is stable.
      return rows.map((row) => pii.open(PII_FIELDS.userEmail, row.email)).toSorted();
    },
  };
}
