// Shipping addresses at rest: the whole address (phone included) is one sealed value, so a
// row holds no part of it in the clear and one value opens or fails as a unit.
import type { ShippingAddress } from "@cartwheel/contracts";
import { PII_FIELDS, type PiiBox } from "@cartwheel/pii";

/** The fields in a fixed order, so equal addresses seal equal plaintexts. */
const canonical = (address: ShippingAddress) =>
  JSON.stringify({
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
    phone: address.phone,
  });

export type AddressField = typeof PII_FIELDS.orderShippingAddress | typeof PII_FIELDS.savedAddress;

export const sealAddress = (pii: PiiBox, field: AddressField, address: ShippingAddress): string =>
  pii.seal(field, canonical(address));

/** Throws the box's error when the value does not open (wrong key, tampered, another field). */
export const openAddress = (pii: PiiBox, field: AddressField, sealed: string): ShippingAddress =>
  JSON.parse(pii.open(field, sealed)) as ShippingAddress;

/** What staff entered when marking the order shipped; null until then. */
export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

export const shipmentOf = (row: { carrier: string | null; trackingNumber: string | null }): Shipment | null =>
  row.carrier === null && row.trackingNumber === null
    ? null
    : { carrier: row.carrier ?? "", trackingNumber: row.trackingNumber ?? "" };
