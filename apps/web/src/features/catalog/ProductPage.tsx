import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { Price } from "../../components/Price.tsx";
import { NotFoundPage } from "../../components/NotFoundPage.tsx";
import { isMissing, QueryState } from "../../components/QueryState.tsx";
import { usePageTitle } from "../../lib/page-title.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { useCartStore } from "../cart/cart-context.tsx";
import { ORDER_LINE_MAX_QUANTITY } from "@cartwheel/contracts/limits";
import { StockBadge } from "./CatalogPage.tsx";

export function ProductPage() {
  const { slug } = useParams({ from: "/products/$slug" });
  const trpc = useTRPC();
  const query = useQuery(trpc.catalog.bySlug.queryOptions({ slug }));
  const cart = useCartStore();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<number | null>(null);
  usePageTitle(query.data?.name ?? (isMissing(query.error) ? "Product not found" : "Product"));

  return (
    <section>
      <p>
        <Link to="/">← Back to catalog</Link>
      </p>
      <QueryState
        query={query}
        label="this product"
        notFound={
          <NotFoundPage title="Product not found">
            <p>There is no product at this address. It may have been renamed or taken out of the catalog.</p>
          </NotFoundPage>
        }
      >
        {() => {
          const product = query.data!;
          const max = Math.min(ORDER_LINE_MAX_QUANTITY, product.stock);
          const onSubmit = (event: FormEvent) => {
            event.preventDefault();
            const { id: productId, slug: productSlug, name, priceCents, currency } = product;
            cart.add({ productId, slug: productSlug, name, priceCents, currency }, quantity);
            setAdded(quantity);
          };
          return (
            <article className="product-detail">
              <h1>{product.name}</h1>
              <p className="lead">
                <Price cents={product.priceCents} currency={product.currency} /> <StockBadge stock={product.stock} />
              </p>
              <p className="description">{product.description}</p>
              <form className="add-to-cart" onSubmit={onSubmit}>
                <div className="field narrow">
                  <label htmlFor="quantity">Quantity</label>
                  <input
                    id="quantity"
                    type="number"
                    min={1}
                    max={Math.max(1, max)}
                    value={quantity}
                    onChange={(e) =>
                      setQuantity(Math.max(1, Math.min(ORDER_LINE_MAX_QUANTITY, Number(e.target.value) || 1)))
                    }
                  />
                </div>
                <button type="submit" className="primary" disabled={product.stock <= 0}>
                  Add to cart
                </button>
              </form>
              {added !== null && (
                <p role="status" className="success">
                  Added {added} to your cart. <Link to="/cart">View cart</Link>
                </p>
              )}
            </article>
          );
        }}
      </QueryState>
    </section>
  );
}
