// Money as integer minor units of an ISO 4217 currency, formatted alike wherever it is shown
// (the web app, mail). Intl only, no zod, so a browser bundle imports it as a subpath.

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ""}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Minor units per major unit for an ISO 4217 currency (100 for USD, 1 for JPY, 1000 for KWD). */
export function minorUnitsPerMajor(currency: string): number {
  const digits = formatterFor(currency, "en").resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

/** Formats integer minor units (cents) as a localized price, e.g. 1999 USD -> "$19.99". */
export function formatMoney(cents: number, currency: string, locale?: string): string {
  return formatterFor(currency, locale).format(cents / minorUnitsPerMajor(currency));
}

/**
 * Parses a user-typed price ("19.99", "19,99", "20") into integer minor units.
 * Returns null for anything that is not a non-negative amount with at most the currency's decimals.
 */
export function parseMoneyInput(text: string, currency = "USD"): number | null {
  const normalized = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(normalized)) return null;
  const perMajor = minorUnitsPerMajor(currency);
  const decimals = normalized.split(".")[1]?.length ?? 0;
  if (10 ** decimals > perMajor) return null;
  return Math.round(Number(normalized) * perMajor);
}

/** Minor units back to the plain decimal text a price input shows ("1999" -> "19.99"). */
export function centsToInput(cents: number, currency = "USD"): string {
  const perMajor = minorUnitsPerMajor(currency);
  const digits = Math.round(Math.log10(perMajor));
  return (cents / perMajor).toFixed(digits);
}
