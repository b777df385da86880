import type { Schema } from "@cartwheel/db";

type ProductRow = Schema["products"]["$inferSelect"];

/** A product as the API returns it. */
export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    priceCents: row.priceCents,
    currency: row.currency,
    stock: row.stock,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
