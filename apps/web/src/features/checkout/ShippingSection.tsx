import type { ShippingAddressInput } from "@cartwheel/contracts";
import { MAX_SAVED_ADDRESSES } from "@cartwheel/contracts/limits";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTRPC } from "../../lib/trpc.ts";
import { addressSummary } from "../addresses/address.ts";
import { AddressFields, addressInputId } from "./AddressFields.tsx";
import {
  type AddressErrors,
  type AddressField,
  blankAddress,
  browserCountry,
  firstInvalidField,
  validateAddress,
} from "./shipping-form.ts";

/** The radio value of "a new address"; saved addresses use their ids (UUIDs), so it cannot clash. */
const NEW = "new";

/** Where the order goes: a saved address or a new one (optionally saved), checked before sending. */
export function useShipping() {
  const trpc = useTRPC();
  const query = useQuery(trpc.addresses.list.queryOptions());
  const [picked, setPicked] = useState<string | null>(null);
  const [values, setValues] = useState(() => blankAddress(browserCountry()));
  const [saveNew, setSaveNew] = useState(false);
  const [clientErrors, setClientErrors] = useState<AddressErrors>({});
  const addresses = query.data ?? [];
  // The first saved address until the shopper picks; a pick that has since been removed falls back too.
  const choice = picked === NEW || addresses.some((a) => a.id === picked) ? (picked ?? NEW) : (addresses[0]?.id ?? NEW);
  const atLimit = addresses.length >= MAX_SAVED_ADDRESSES;

  /** The address to send, or null (with the messages shown and the first bad input focused). */
  function resolve(): { address: ShippingAddressInput; save: boolean } | null {
    const chosen = addresses.find((a) => a.id === choice);
    if (chosen) return { address: chosen.address, save: false };
    const result = validateAddress(values);
    setClientErrors(result.errors ?? {});
    if (result.address) return { address: result.address, save: saveNew && !atLimit };
    const first = firstInvalidField(result.errors);
    if (first) document.getElementById(addressInputId(first))?.focus();
    return null;
  }

  return {
    query,
    addresses,
    choice,
    choose: setPicked,
    values,
    setField: (field: AddressField, value: string) => setValues((old) => ({ ...old, [field]: value })),
    saveNew,
    setSaveNew,
    atLimit,
    clientErrors,
    resolve,
    /** Submitting waits for the saved addresses, so the choice shown is the one sent. */
    ready: !query.isPending,
  };
}

type Shipping = ReturnType<typeof useShipping>;

export function ShippingSection({
  shipping,
  serverErrors,
  saveError,
}: {
  shipping: Shipping;
  /** The server's messages about the address (placing or saving it), by field. */
  serverErrors: AddressErrors;
  /** Why saving the new address failed, when it is not about a field (e.g. the address limit). */
  saveError: string | null;
}) {
  const { query, addresses, choice, atLimit } = shipping;
  const errors = { ...serverErrors, ...shipping.clientErrors };
  const wholeError = errors[""]?.join(" ");
  return (
    <section aria-labelledby="shipping-title">
      <h2 id="shipping-title">Shipping address</h2>
      {query.isPending && (
        <p className="status" role="status">
          Loading your saved addresses…
        </p>
      )}
      {query.isError && <p className="muted">Your saved addresses could not be loaded. Enter the address below.</p>}
      {addresses.length > 0 && (
        <fieldset className="field address-choice">
          <legend>Ship to</legend>
          {addresses.map(({ id, address }) => (
            <label key={id} className="radio">
              <input
                type="radio"
                name="ship-to"
                value={id}
                checked={choice === id}
                onChange={() => shipping.choose(id)}
              />
              <span>
                {addressSummary(address)}
                <small className="hint"> · Phone {address.phone}</small>
              </span>
            </label>
          ))}
          <label className="radio">
            <input
              type="radio"
              name="ship-to"
              value={NEW}
              checked={choice === NEW}
              onChange={() => shipping.choose(NEW)}
            />
            <span>A new address</span>
          </label>
        </fieldset>
      )}
      {wholeError && (
        <p id="ship-address-error" className="field-error" role="alert">
          {choice === NEW
            ? wholeError
            : `This saved address was not accepted: ${wholeError} Enter it as a new address.`}
        </p>
      )}
      {shipping.ready && choice === NEW && (
        <fieldset className="field new-address" aria-describedby={wholeError ? "ship-address-error" : undefined}>
          <legend className={addresses.length > 0 ? undefined : "visually-hidden"}>New address</legend>
          <AddressFields values={shipping.values} errors={errors} onChange={shipping.setField} />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={shipping.saveNew && !atLimit}
              disabled={atLimit}
              onChange={(e) => shipping.setSaveNew(e.target.checked)}
              aria-describedby={saveError || atLimit ? "ship-save-note" : undefined}
            />
            Save this address to my account
          </label>
          {(saveError || atLimit) && (
            <p id="ship-save-note" className={saveError ? "field-error" : "hint"}>
              {saveError ?? `You have ${MAX_SAVED_ADDRESSES} saved addresses, the most there can be. `}
              {atLimit && !saveError && <Link to="/account">Remove one in your account</Link>}
            </p>
          )}
        </fieldset>
      )}
    </section>
  );
}
