// A customer's saved shipping addresses. Each is sealed whole (shipping.ts); the checkout
// lists them to pick one, and an order keeps its own sealed copy, so deleting or editing a
// saved address never changes where a placed order goes.
import {
  DomainError,
  MAX_SAVED_ADDRESSES,
  removeAddressSchema,
  type SaveAddressInput,
  saveAddressSchema,
} from "@cartwheel/contracts";
import { lockUser, newId } from "@cartwheel/db";
import { PII_FIELDS } from "@cartwheel/pii";
import { and, asc, eq } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";
import { openAddress, sealAddress } from "./shipping.ts";

export interface SavedAddress {
  id: string;
  // Spelled out for the client's generated contract, as in OrderDetail.
  address: {
    name: string;
    line1: string;
    line2: string;
    city: string;
    region: string;
    postalCode: string;
    country: string;
    phone: string;
  };
  createdAt: Date;
}

export type AddressBook = ReturnType<typeof createAddressBook>;

export function createAddressBook({ database, now, pii }: Pick<CommerceDeps, "database" | "now" | "pii">) {
  const { db } = database;
  const a = database.schema.addresses;
  const field = PII_FIELDS.savedAddress;

  return {
    /** Oldest first, so the list does not reorder as addresses are added. */
    async list(userId: string): Promise<SavedAddress[]> {
      const rows = await db.select().from(a).where(eq(a.userId, userId)).orderBy(asc(a.createdAt), asc(a.id));
      return rows.map((row) => ({
        id: row.id,
        address: openAddress(pii, field, row.address),
        createdAt: row.createdAt,
      }));
    },

    /** Saving an address already in the book returns that one instead of a second copy. */
    async save(userId: string, input: SaveAddressInput): Promise<SavedAddress> {
      const { address } = saveAddressSchema.parse(input);
      return database.transaction(async (tx) => {
        // Serialises saves of one account (the limit holds) and an erasure (which deletes the book).
        if (!(await lockUser(tx, database, userId, { activeOnly: true }))) {
          throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
        }
        const rows = await tx.select().from(a).where(eq(a.userId, userId));
        const wanted = JSON.stringify(address);
        for (const row of rows) {
          const saved = openAddress(pii, field, row.address);
          if (JSON.stringify(saved) === wanted) return { id: row.id, address: saved, createdAt: row.createdAt };
        }
        if (rows.length >= MAX_SAVED_ADDRESSES) {
          throw new DomainError(
            "address_limit",
            `You have ${MAX_SAVED_ADDRESSES} saved addresses already; remove one to save another.`,
            { max: MAX_SAVED_ADDRESSES },
          );
        }
        const saved = { id: newId(), address, createdAt: now() };
        await tx.insert(a).values({
          id: saved.id,
          userId,
          address: sealAddress(pii, field, address),
          createdAt: saved.createdAt,
        });
        return saved;
      });
    },

    /** Only the owner's own; someone else's id is not found, so ids do not leak. */
    async remove(userId: string, input: { id: string }): Promise<{ removed: true }> {
      const { id } = removeAddressSchema.parse(input);
      const removed = await db
        .delete(a)
        .where(and(eq(a.id, id), eq(a.userId, userId)))
        .returning({ id: a.id });
      if (removed.length === 0)
        throw new DomainError("not_found", "Address not found.", { entity: "address", ids: [id] });
      return { removed: true };
    },
  };
}
