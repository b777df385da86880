import type { RouterOutputs } from "@cartwheel/client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { LoadMore } from "../../components/LoadMore.tsx";
import { Price } from "../../components/Price.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { useTRPC } from "../../lib/trpc.ts";
import { toListInput } from "./catalog-search.ts";
import { CatalogFilters } from "./CatalogFilters.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

type Product = RouterOutputs["catalog"]["list"]["items"][number];

export function CatalogPage() {
  usePageTitle("Catalog");
  const search = useSearch({ from: "/" });
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.catalog.list.infiniteQueryOptions(toListInput(search), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      placeholderData: (previous) => previous,
    }),
  );
  const products = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Catalog</h1>
      <CatalogFilters />
      <QueryState query={query} label="products">
        {() => (
          <>
            {products.length === 0 ? (
              <p className="status">No products match these filters.</p>
            ) : (
              <ul className="product-grid" aria-label="Products" aria-busy={query.isFetching}>
                {products.map((product) => (
                  <ProductCard key={product.id} product={product} />
                ))}
              </ul>
            )}
            <LoadMore query={query} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function ProductCard({ product }: { product: Product }) {
  return (
    <li className="card product-card">
      <h2>
        <Link to="/products/$slug" params={{ slug: product.slug }}>
          {product.name}
        </Link>
      </h2>
      <p className="description">{product.description}</p>
      <p className="card-footer">
        <Price cents={product.priceCents} currency={product.currency} />
        <StockBadge stock={product.stock} />
      </p>
    </li>
  );
}

export function StockBadge({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="badge badge-out">Out of stock</span>;
  if (stock < 5) return <span className="badge badge-low">Only {stock} left</span>;
  return <span className="badge badge-in">In stock</span>;
}
