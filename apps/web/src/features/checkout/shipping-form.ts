import { shippingAddressSchema, type ShippingAddress } from "@cartwheel/contracts";
import { isCountryCode } from "@cartwheel/contracts/countries";
import { issuesByField } from "../../lib/validation.ts";

/** The inputs of a new address, in the order the form shows them (the first invalid one gets focus). */
export const addressFields = ["name", "line1", "line2", "city", "region", "postalCode", "country", "phone"] as const;
export type AddressField = (typeof addressFields)[number];
export type AddressValues = Record<AddressField, string>;

/** Messages per address field; "" holds those about the address as a whole. */
export type AddressErrors = Partial<Record<AddressField | "", string[]>>;

/** The shopper's own region from the browser's language ("en-GB" → GB), if it is a code the shop ships to. */
export function browserCountry(): string {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region ?? "";
    return isCountryCode(region) ? region : "";
  } catch {
    return "";
  }
}

export function blankAddress(country = ""): AddressValues {
  return { name: "", line1: "", line2: "", city: "", region: "", postalCode: "", country, phone: "" };
}

/**
 * Checks a new address with the schema the server applies, so the shopper sees the same plain
 * messages before anything is sent; the parsed address (trimmed, phone in bare E.164) is what
 * goes to the server.
 */
export function validateAddress(
  values: AddressValues,
): { address: ShippingAddress; errors?: undefined } | { address?: undefined; errors: AddressErrors } {
  const parsed = shippingAddressSchema.safeParse(values);
  if (parsed.success) return { address: parsed.data };
  return { errors: issuesByField(parsed.error) };
}

const isAddressField = (key: string): key is AddressField => (addressFields as readonly string[]).includes(key);

/**
 * The server's `fieldErrors` for the address nested under `prefix` ("shippingAddress" in
 * orders.place, "address" in addresses.save), by field: "shippingAddress.phone" → phone.
 * A message for the prefix itself (or a part the form has no input for) is about the address.
 */
export function addressErrorsFrom(fieldErrors: Record<string, string[]>, prefix: string): AddressErrors {
  const errors: AddressErrors = {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    if (key !== prefix && !key.startsWith(`${prefix}.`)) continue;
    const field = key.slice(prefix.length + 1).split(".")[0] ?? "";
    const slot = isAddressField(field) ? field : "";
    errors[slot] = [...(errors[slot] ?? []), ...messages];
  }
  return errors;
}

/** The first field, in form order, that has a message. */
export function firstInvalidField(errors: AddressErrors): AddressField | undefined {
  return addressFields.find((field) => (errors[field]?.length ?? 0) > 0);
}
