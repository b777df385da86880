import { COUNTRY_CODES } from "@cartwheel/contracts/countries";
import {
  ADDRESS_LINE_MAX_LENGTH,
  CITY_MAX_LENGTH,
  NAME_MAX_LENGTH,
  POSTAL_CODE_MAX_LENGTH,
  REGION_MAX_LENGTH,
} from "@cartwheel/contracts/limits";
import { PHONE_HINT } from "@cartwheel/contracts/patterns";
import { Field, SelectField } from "../../components/Field.tsx";
import { countryName } from "../addresses/address.ts";
import type { AddressErrors, AddressField, AddressValues } from "./shipping-form.ts";

let countryOptions: { code: string; name: string }[] | undefined;

/** Every code the server accepts, by its English name, sorted once on first use. */
function countries() {
  if (!countryOptions) {
    const collator = new Intl.Collator("en");
    countryOptions = COUNTRY_CODES.map((code) => ({ code, name: countryName(code) })).toSorted((a, b) =>
      collator.compare(a.name, b.name),
    );
  }
  return countryOptions;
}

export const addressInputId = (field: AddressField) => `ship-${field}`;

/**
 * The inputs of a new shipping address. `autoComplete` names the shipping section's tokens,
 * so the browser fills the whole address at once (and WCAG's identify-input-purpose holds).
 */
export function AddressFields({
  values,
  errors,
  onChange,
}: {
  values: AddressValues;
  errors: AddressErrors;
  onChange: (field: AddressField, value: string) => void;
}) {
  const text = (field: AddressField, label: string, autoComplete: string, maxLength: number, required = true) => (
    <Field
      id={addressInputId(field)}
      label={required ? label : `${label} (optional)`}
      value={values[field]}
      onChange={(e) => onChange(field, e.target.value)}
      autoComplete={`shipping ${autoComplete}`}
      maxLength={maxLength}
      required={required}
      errors={errors[field]}
    />
  );
  return (
    <>
      {text("name", "Full name", "name", NAME_MAX_LENGTH)}
      {text("line1", "Street address", "address-line1", ADDRESS_LINE_MAX_LENGTH)}
      {text("line2", "Apartment, suite, floor", "address-line2", ADDRESS_LINE_MAX_LENGTH, false)}
      <div className="row address-row">
        {text("city", "City", "address-level2", CITY_MAX_LENGTH)}
        {text("region", "State, province or region", "address-level1", REGION_MAX_LENGTH, false)}
        {text("postalCode", "Postal code", "postal-code", POSTAL_CODE_MAX_LENGTH, false)}
      </div>
      <SelectField
        id={addressInputId("country")}
        label="Country"
        value={values.country}
        onChange={(e) => onChange("country", e.target.value)}
        autoComplete="shipping country"
        required
        errors={errors.country}
      >
        <option value="">Choose a country</option>
        {countries().map(({ code, name }) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </SelectField>
      <Field
        id={addressInputId("phone")}
        label="Phone"
        type="tel"
        inputMode="tel"
        autoComplete="shipping tel"
        value={values.phone}
        onChange={(e) => onChange("phone", e.target.value)}
        required
        errors={errors.phone}
        hint={`With the country code, ${PHONE_HINT}. The carrier calls it if they cannot deliver.`}
      />
    </>
  );
}
