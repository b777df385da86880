import type { RouterOutputs } from "@cartwheel/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormError } from "../../components/FormError.tsx";
import { Price } from "../../components/Price.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { useTRPC } from "../../lib/trpc.ts";
import { useDebouncedValue } from "../../lib/use-debounced-value.ts";
import { ProductForm } from "./ProductForm.tsx";
import { StockAdjustForm } from "./StockAdjustForm.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

type Product = RouterOutputs["catalog"]["list"]["items"][number];

export function StaffProductsPage() {
  usePageTitle("Products · Staff");
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const q = useDebouncedValue(text.trim(), 300);
  const [creating, setCreating] = useState(false);
  const query = useInfiniteQuery(
    trpc.catalog.list.infiniteQueryOptions(
      { limit: 50, sort: "newest", ...(q ? { q } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: (previous) => previous },
    ),
  );
  const products = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="staff-products-title" className="stack">
      <h2 id="staff-products-title">Products</h2>
      <div className="toolbar">
        <div className="field grow">
          <label htmlFor="staff-q">Search products</label>
          <input id="staff-q" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        {!creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New product
          </button>
        )}
      </div>
      {creating && <ProductForm onDone={() => setCreating(false)} />}
      <QueryState query={query} label="products">
        {() => (
          <>
            <ul className="staff-list" aria-label="Products">
              {products.map((product) => (
                <StaffProductRow key={product.id} product={product} />
              ))}
            </ul>
            <LoadMore query={query} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function StaffProductRow({ product }: { product: Product }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
  const archive = useMutation(trpc.catalog.archive.mutationOptions({ onSuccess }));
  const restore = useMutation(trpc.catalog.restore.mutationOptions({ onSuccess }));
  const archived = product.archivedAt !== null;

  return (
    <li className={archived ? "card staff-row archived" : "card staff-row"}>
      <div className="staff-row-head">
        <strong>{product.name}</strong>
        <Price cents={product.priceCents} currency={product.currency} />
        <span>Stock: {product.stock}</span>
        {archived && <span className="badge badge-out">Archived</span>}
      </div>
      <div className="actions">
        <button
          type="button"
          onClick={() => setEditing((e) => !e)}
          aria-expanded={editing}
          aria-label={`Edit ${product.name}`}
        >
          Edit
        </button>
        {archived ? (
          <button
            type="button"
            onClick={() => restore.mutate({ id: product.id })}
            disabled={restore.isPending}
            aria-label={`Restore ${product.name}`}
          >
            Restore
          </button>
        ) : (
          <button
            type="button"
            onClick={() => archive.mutate({ id: product.id })}
            disabled={archive.isPending}
            aria-label={`Archive ${product.name}`}
          >
            Archive
          </button>
        )}
      </div>
      <FormError error={archive.error ?? restore.error} />
      <StockAdjustForm productId={product.id} productName={product.name} />
      {editing && <ProductForm product={product} onDone={() => setEditing(false)} />}
    </li>
  );
}
