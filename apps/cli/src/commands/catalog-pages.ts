import type { CartwheelClient, RouterOutputs } from "@cartwheel/client";
import { PAGE_SIZE_MAX } from "@cartwheel/contracts";

export type Product = RouterOutputs["catalog"]["list"]["items"][number];

/** Every product matching `q`, walking the keyset pages (staff also see archived ones). */
export async function allProducts(client: CartwheelClient, q?: string): Promise<Product[]> {
  const products: Product[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.catalog.list.query({
      limit: PAGE_SIZE_MAX,
      sort: "newest",
      ...(q ? { q } : {}),
      ...(cursor ? { cursor } : {}),
    });
    products.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return products;
}
