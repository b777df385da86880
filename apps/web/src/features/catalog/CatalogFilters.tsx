import { useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { Field } from "../../components/Field.tsx";
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
      {/* One message explains both bounds, so it is linked here rather than given as errors. */}
      {(
        [
          ["catalog-min", "Min price", min, setMin],
          ["catalog-max", "Max price", max, setMax],
        ] as const
      ).map(([id, label, value, setValue]) => (
        <Field
          key={id}
          id={id}
          label={label}
          layout="narrow"
          inputMode="decimal"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={priceRangeInverted || undefined}
          aria-describedby={priceError}
        />
      ))}
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
