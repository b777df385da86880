// The field schemas every procedure input is built from. They hold what both databases can
// store, so a value one dialect would reject (and answer 500) is a 400 on every dialect
// before any query runs.
import { z } from "zod";
import {
  CURSOR_MAX_LENGTH,
  DEFAULT_PAGE_SIZE,
  MAX_PRICE_CENTS,
  MAX_STOCK,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
} from "../limits.ts";
import {
  CURRENCY_HINT,
  CURRENCY_PATTERN,
  isStorableText,
  SLUG_HINT,
  SLUG_PATTERN,
  UNSTORABLE_TEXT_MESSAGE,
} from "../patterns.ts";
import { SLUG_MAX_LENGTH } from "../limits.ts";
import { configurePlainMessages } from "../plain-messages.ts";

// Every input schema is built from this module, so whoever validates an input (server, CLI,
// web) gets messages in plain words.
configurePlainMessages();

/**
 * Every free-text input starts here: the size bound comes first and aborts (zod 4 otherwise
 * runs the following checks, and the caller's code, on an input it already refused, however
 * large), so no later check ever runs on an oversized string. Add trim/min after it.
 */
export const textSchema = (max: number) =>
  z.string().max(max, { abort: true }).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/**
 * A UUID in its canonical lowercase form. PostgreSQL's uuid type compares case-insensitively
 * while SQLite compares text, and row locks are taken in id order, so every id is normalised
 * here before it reaches a query or a sort.
 */
export const idSchema = z.uuid().toLowerCase();
export const byIdSchema = z.object({ id: idSchema });

/** An ISO 8601 timestamp with an offset, as a `Date` both databases can store. */
export const timestampSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .pipe(z.date().min(new Date(MIN_TIMESTAMP_MS)).max(new Date(MAX_TIMESTAMP_MS)));

export const slugSchema = z.string().min(1).max(SLUG_MAX_LENGTH).regex(SLUG_PATTERN, SLUG_HINT);
export const currencySchema = z.string().regex(CURRENCY_PATTERN, CURRENCY_HINT);
export const priceCentsSchema = z.number().int().min(0).max(MAX_PRICE_CENTS);
export const stockSchema = z.number().int().min(0).max(MAX_STOCK);
export const cursorSchema = z.string().min(1).max(CURSOR_MAX_LENGTH);
export const pageSizeSchema = z.number().int().min(PAGE_SIZE_MIN).max(PAGE_SIZE_MAX).default(DEFAULT_PAGE_SIZE);
