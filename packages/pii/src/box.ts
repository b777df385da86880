// What services hold: the key ring behind seal/open methods bound to the registered fields, so
// a service cannot seal under a purpose nobody else knows, and tests can pass a throwaway box.
import type { PiiKeyRing } from "./key-ring.ts";
import { openPii, resealPii, sealPii } from "./seal.ts";

/**
 * Every column holding sealed PII and the purpose its values are bound to. The purpose is part
 * of every sealed value's authentication, so an entry here never changes once values exist.
 */
export const PII_FIELDS = {
  orderShippingAddress: "orders.shipping_address",
  savedAddress: "addresses.address",
  userName: "users.name",
  userEmail: "users.email",
  sessionIp: "sessions.ip",
  sessionUserAgent: "sessions.user_agent",
} as const;

export type PiiField = (typeof PII_FIELDS)[keyof typeof PII_FIELDS];

export interface PiiBox {
  /** The key ids, for startup logs; the keys themselves stay inside the ring. */
  readonly activeKeyId: string;
  seal(field: PiiField, plaintext: string): string;
  /** Throws PiiFormatError, PiiKeyUnknownError or PiiIntegrityError (see openPii). */
  open(field: PiiField, sealed: string): string;
  /** The value under the active key, unchanged when it already is (see resealPii). */
  reseal(field: PiiField, sealed: string): string;
}

export function createPiiBox(ring: PiiKeyRing): PiiBox {
  return {
    activeKeyId: ring.activeKeyId,
    seal: (field, plaintext) => sealPii(ring, field, plaintext),
    open: (field, sealed) => openPii(ring, field, sealed),
    reseal: (field, sealed) => resealPii(ring, field, sealed),
  };
}
