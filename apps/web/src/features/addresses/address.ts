import type { RouterOutputs } from "@cartwheel/client";

/** A shipping address as the API sends it: saved ones, and an order's own copy. */
export type Address = RouterOutputs["addresses"]["list"][number]["address"];

let regionNames: Intl.DisplayNames | undefined;

/** "DE" → "Germany": the browser's own English name, so no country list ships with the app. */
export function countryName(code: string): string {
  regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
  try {
    return regionNames.of(code) ?? code;
  } catch {
    // A code the browser cannot read (never one the server accepted): show it as it is.
    return code;
  }
}

/** The lines as a label prints them; empty optional parts leave no blank line. */
export function addressLines(address: Address): string[] {
  const place = [address.postalCode, address.city].filter(Boolean).join(" ");
  return [address.name, address.line1, address.line2, place, address.region, countryName(address.country)].filter(
    Boolean,
  );
}

/** One line, for a radio label or a button's accessible name: "Ada Lovelace, 1 Main St, Berlin, Germany". */
export function addressSummary(address: Address): string {
  return [address.name, address.line1, address.city, countryName(address.country)].filter(Boolean).join(", ");
}
