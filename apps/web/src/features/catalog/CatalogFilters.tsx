import { useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { useDebouncedValue } from "../../lib/use-debounced-value.ts";
import { productSorts, type ProductSort } from "@cartwheel/contracts/enums";
import { sortLabels, type CatalogSearch } from "./catalog-search.ts";

const DEBOUNCE_MS = 300;

function toNumberOrUndefined(text: string): number | undefined {
  const n = Number(text.replace(",", "."));
  return text.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Filters write to the URL, so a filtered catalog can be bookmarked, shared and navigated back to. */
export function CatalogFilters() {
  const search = useSearch({ from: "/" });
  const navigate = useNavigate({ from: "/" });
  const [text, setText] = useState(search.q ?? "");
  const [min, setMin] = useState(search.min?.toString() ?? "");
  const [max, setMax] = useState(search.max?.toString() ?? "");
  const typed = useDebouncedValue({ text, min, max }, DEBOUNCE_MS);

  useEffect(() => {
    const q = typed.text.trim() || undefined;
    const nextMin = toNumberOrUndefined(typed.min);
    const nextMax = toNumberOrUndefined(typed.max);
    if (q === search.q && nextMin === search.min && nextMax === search.max) return;
    void navigate({
      search: (prev: CatalogSearch) => ({ ...prev, q, min: nextMin, max: nextMax }),
      replace: true,
    });
  }, [typed, search.q, search.min, search.max, navigate]);

  // Both bounds are kept (the URL says what was asked for); the page says why nothing matches.
  const minPrice = toNumberOrUndefined(min);
  const maxPrice = toNumberOrUndefined(max);
  const priceRangeInverted = minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice;
  const priceError = priceRangeInverted ? "catalog-price-error" : undefined;

  const update = (patch: Partial<CatalogSearch>) =>
    void navigate({ search: (prev: CatalogSearch) => ({ ...prev, ...patch }), replace: true });

  return (
    <form className="filters" role="search" aria-label="Filter products" onSubmit={(e) => e.preventDefault()}>
      <div className="field grow">
        <label htmlFor="catalog-q">Search</label>
        <input
          id="catalog-q"
          type="search"
          placeholder="Search products"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <PriceField id="catalog-min" label="Min price" value={min} onChange={setMin} errorId={priceError} />
      <PriceField id="catalog-max" label="Max price" value={max} onChange={setMax} errorId={priceError} />
      {priceRangeInverted && (
        <p id="catalog-price-error" className="field-error price-range-error" role="alert">
          The min price is above the max price, so no product can match. Lower the min or raise the max.
        </p>
      )}
      <div className="field">
        <label htmlFor="catalog-sort">Sort</label>
        <select
          id="catalog-sort"
          value={search.sort ?? "newest"}
          onChange={(e) => update({ sort: e.target.value as ProductSort })}
        >
          {productSorts.map((sort) => (
            <option key={sort} value={sort}>
              {sortLabels[sort]}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={search.inStock ?? false}
          onChange={(e) => update({ inStock: e.target.checked || undefined })}
        />
        In stock only
      </label>
    </form>
  );
}

/** A price bound; `errorId` names the message explaining why it is invalid, when it is. */
function PriceField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  errorId: string | undefined;
}) {
  return (
    <div className="field narrow">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="decimal"
        value={props.value}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}
