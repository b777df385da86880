// The text shapes the API accepts, as regular expressions anyone can test against.

/** Lowercase letters and digits in groups joined by single dashes: `blue-mug-2`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_HINT = "lowercase letters, digits and single dashes";

/** An ISO 4217 code such as USD: three capital letters. */
export const CURRENCY_LENGTH = 3;
export const CURRENCY_PATTERN = new RegExp(`^[A-Z]{${CURRENCY_LENGTH}}$`);
export const CURRENCY_HINT = "an ISO 4217 code such as USD";

/**
 * PostgreSQL text cannot hold NUL, and an unpaired UTF-16 surrogate has no UTF-8 form (the
 * driver would store U+FFFD instead, so what is read back differs from what was sent).
 */
const LONE_SURROGATE_PATTERN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isStorableText = (text: string): boolean => !text.includes("\0") && !LONE_SURROGATE_PATTERN.test(text);
export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/** E.164: a plus sign, a country code not starting with 0, at most 15 digits in all. */
export const PHONE_PATTERN = /^\+[1-9][0-9]{1,14}$/;
export const PHONE_HINT = "such as +14155550123";

/** Letters, digits, spaces and dashes, as postal codes are written around the world; empty where a country has none. */
export const POSTAL_CODE_PATTERN = /^(?:[A-Z0-9](?:[A-Z0-9 -]{0,18}[A-Z0-9])?)?$/;
export const POSTAL_CODE_HINT = "letters, digits, spaces and dashes (such as 94107 or SW1A 1AA)";
