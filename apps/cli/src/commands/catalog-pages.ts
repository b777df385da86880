import type { CartwheelClient, RouterOutputs } from "@cartwheel/client";
import { PAGE_SIZE_MAX } from "@cartwheel/contracts";
import { collectPages } from "../runtime/pages.ts";

export type Product = RouterOutputs["catalog"]["list"]["items"][number];

/** Every product matching `q`, walking the keyset pages (staff also see archived ones). */
export async function allProducts(client: CartwheelClient, q?: string): Promise<Product[]> {
  const { items } = await collectPages(
    (cursor) =>
      client.catalog.list.query({
        limit: PAGE_SIZE_MAX,
        sort: "newest",
        ...(q ? { q } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    true,
  );
  return items;
}
