import { z } from "zod";
import { isCountryCode } from "../countries.ts";
import {
  ADDRESS_LINE_MAX_LENGTH,
  CITY_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PHONE_MAX_LENGTH,
  POSTAL_CODE_MAX_LENGTH,
  REGION_MAX_LENGTH,
} from "../limits.ts";
import { PHONE_HINT, PHONE_PATTERN, POSTAL_CODE_HINT, POSTAL_CODE_PATTERN } from "../patterns.ts";
import { idSchema, textSchema } from "./fields.ts";

const line = (max: number) => textSchema(max).trim();
const required = (max: number, what: string) => line(max).min(1, `Enter the ${what}.`);

/** Where an order goes and whom the carrier calls. Every part is stored encrypted. */
export const shippingAddressSchema = z.object({
  name: required(NAME_MAX_LENGTH, "recipient's name"),
  line1: required(ADDRESS_LINE_MAX_LENGTH, "street address"),
  line2: line(ADDRESS_LINE_MAX_LENGTH).default(""),
  city: required(CITY_MAX_LENGTH, "city"),
  region: line(REGION_MAX_LENGTH).default(""),
  postalCode: line(POSTAL_CODE_MAX_LENGTH)
    .toUpperCase()
    .regex(POSTAL_CODE_PATTERN, `Use ${POSTAL_CODE_HINT}.`)
    .default(""),
  country: z
    .string()
    .max(2, { abort: true })
    .toUpperCase()
    // Declared boolean, not inferred as a type guard: a union of 249 codes would be the type of every country field.
    .refine((code): boolean => isCountryCode(code), "Choose a country (an ISO 3166-1 code such as US or DE)."),
  phone: z
    .string()
    .max(PHONE_MAX_LENGTH + 8, { abort: true })
    // People type spaces, dashes, dots and brackets; the stored form is bare E.164.
    .transform((value) => value.replace(/[\s().-]/g, ""))
    .pipe(z.string().regex(PHONE_PATTERN, `Enter the phone number with its country code, ${PHONE_HINT}.`)),
});
export type ShippingAddressInput = z.input<typeof shippingAddressSchema>;
export type ShippingAddress = z.output<typeof shippingAddressSchema>;

export const saveAddressSchema = z.object({ address: shippingAddressSchema });
export type SaveAddressInput = z.input<typeof saveAddressSchema>;

export const removeAddressSchema = z.object({ id: idSchema });
