import { ORDER_REFERENCE_HINT } from "@cartwheel/contracts/order-reference";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field, SelectField } from "../../components/Field.tsx";
import { orderStatuses, statusLabels } from "../orders/order-status.ts";
import type { StaffOrderSearch } from "./staff-order-search.ts";

type Errors = Partial<Record<keyof StaffOrderSearch, string[]>>;

const inputId = (field: keyof StaffOrderSearch) => `order-search-${field}`;
const order: (keyof StaffOrderSearch)[] = ["ref", "email", "status", "from", "to"];

/**
 * The staff orders search. It edits a copy of the URL's search and writes it back on submit
 * (not per keystroke: the list then loads once per search, and a screen reader is not
 * interrupted while typing).
 */
export function OrderSearchForm({
  search,
  errors,
  onSearch,
}: {
  search: StaffOrderSearch;
  /** The server's messages for this search, by field (an id that is not one, an invalid e-mail). */
  errors: Errors;
  onSearch: (search: StaffOrderSearch) => void;
}) {
  const [draft, setDraft] = useState(search);
  // The URL changed under the form (back, forward, Clear): show what it now says.
  const searchKey = JSON.stringify(search);
  const [shownKey, setShownKey] = useState(searchKey);
  if (shownKey !== searchKey) {
    setShownKey(searchKey);
    setDraft(search);
  }
  const set = (field: keyof StaffOrderSearch, value: string) =>
    setDraft((old) => ({ ...old, [field]: value === "" ? undefined : value }));
  // After a submit, the server's answer decides: the first field it refused gets the focus.
  const submitted = useRef(false);
  const firstInvalid = order.find((field) => errors[field]?.length);
  useEffect(() => {
    if (!submitted.current || !firstInvalid) return;
    submitted.current = false;
    document.getElementById(inputId(firstInvalid))?.focus();
  }, [firstInvalid]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    submitted.current = true;
    onSearch(draft);
  };
  return (
    <form role="search" aria-label="Search orders" className="filters order-search" onSubmit={submit} noValidate>
      <Field
        id={inputId("ref")}
        label="Order"
        layout="grow"
        value={draft.ref ?? ""}
        onChange={(e) => set("ref", e.target.value)}
        autoComplete="off"
        spellCheck={false}
        errors={errors.ref}
        hint={`${ORDER_REFERENCE_HINT.charAt(0).toUpperCase()}${ORDER_REFERENCE_HINT.slice(1)}.`}
      />
      <Field
        id={inputId("email")}
        label="Customer e-mail"
        layout="grow"
        type="email"
        value={draft.email ?? ""}
        onChange={(e) => set("email", e.target.value)}
        errors={errors.email}
        hint="The whole address."
      />
      <SelectField
        id={inputId("status")}
        label="Status"
        value={draft.status ?? ""}
        onChange={(e) => set("status", e.target.value)}
        errors={errors.status}
      >
        <option value="">All</option>
        {orderStatuses.map((s) => (
          <option key={s} value={s}>
            {statusLabels[s]}
          </option>
        ))}
      </SelectField>
      <Field
        id={inputId("from")}
        label="Placed from"
        type="date"
        value={draft.from ?? ""}
        onChange={(e) => set("from", e.target.value)}
        errors={errors.from}
      />
      <Field
        id={inputId("to")}
        label="Placed to"
        type="date"
        value={draft.to ?? ""}
        onChange={(e) => set("to", e.target.value)}
        errors={errors.to}
        hint="This day included."
      />
      <p className="actions search-actions">
        <button type="submit" className="primary">
          Search
        </button>
        <button type="button" onClick={() => onSearch({})}>
          Clear
        </button>
      </p>
    </form>
  );
}
