// Each bound of the input schemas, on both sides of the line: the value at the limit is
// accepted and the next one refused, so a limit that drifts from limits.ts fails here.
import { describe, expect, it } from "vitest";
import {
  adjustStockSchema,
  API_KEY_NAME_MAX_LENGTH,
  CATALOG_SEARCH_MAX_LENGTH,
  createApiKeySchema,
  createProductSchema,
  DEFAULT_PAGE_SIZE,
  EMAIL_MAX_LENGTH,
  listProductsSchema,
  listUsersSchema,
  loginSchema,
  MAX_PRICE_CENTS,
  MAX_STOCK,
  MAX_UPSERT_ITEMS,
  myOrdersSchema,
  ORDER_LINE_MAX_QUANTITY,
  ORDER_MAX_LINES,
  PAGE_SIZE_MAX,
  PASSWORD_MAX_INPUT_LENGTH,
  PASSWORD_TOO_LONG,
  placeOrderSchema,
  PRODUCT_DESCRIPTION_MAX_LENGTH,
  PRODUCT_NAME_MAX_LENGTH,
  registerSchema,
  SLUG_MAX_LENGTH,
  timestampSchema,
  updateStatusSchema,
  upsertManySchema,
} from "../src/index.ts";

const id = "0b7e4c1e-8a43-4b38-9a4f-3f0d3c2a1b00";
const product = { slug: "blue-mug", name: "Blue mug", priceCents: 1299 };
const rows = (n: number) => Array.from({ length: n }, () => product);
const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe("product inputs", () => {
  it("bound the slug's length and shape", () => {
    expect(accepts(createProductSchema, { ...product, slug: "a".repeat(SLUG_MAX_LENGTH) })).toBe(true);
    expect(accepts(createProductSchema, { ...product, slug: "a".repeat(SLUG_MAX_LENGTH + 1) })).toBe(false);
    for (const slug of ["Blue-mug", "blue--mug", "-blue", "blue-", "blue mug", ""]) {
      expect({ slug, ok: accepts(createProductSchema, { ...product, slug }) }).toEqual({ slug, ok: false });
    }
  });

  it("bound the name and description, and trim the name", () => {
    expect(accepts(createProductSchema, { ...product, name: "n".repeat(PRODUCT_NAME_MAX_LENGTH) })).toBe(true);
    expect(accepts(createProductSchema, { ...product, name: "n".repeat(PRODUCT_NAME_MAX_LENGTH + 1) })).toBe(false);
    expect(accepts(createProductSchema, { ...product, name: "   " })).toBe(false);
    const description = "d".repeat(PRODUCT_DESCRIPTION_MAX_LENGTH);
    expect(accepts(createProductSchema, { ...product, description })).toBe(true);
    expect(accepts(createProductSchema, { ...product, description: `${description}d` })).toBe(false);
  });

  it("refuse text a database cannot store", () => {
    expect(accepts(createProductSchema, { ...product, name: "nul\u0000" })).toBe(false);
    expect(accepts(createProductSchema, { ...product, name: "lone \uD800 surrogate" })).toBe(false);
    expect(accepts(createProductSchema, { ...product, name: "paired \uD83E\uDD99" })).toBe(true);
  });

  it("bound price and stock, and default currency, description and stock", () => {
    expect(accepts(createProductSchema, { ...product, priceCents: MAX_PRICE_CENTS })).toBe(true);
    expect(accepts(createProductSchema, { ...product, priceCents: MAX_PRICE_CENTS + 1 })).toBe(false);
    expect(accepts(createProductSchema, { ...product, priceCents: -1 })).toBe(false);
    expect(accepts(createProductSchema, { ...product, priceCents: 1.5 })).toBe(false);
    expect(accepts(createProductSchema, { ...product, stock: MAX_STOCK })).toBe(true);
    expect(accepts(createProductSchema, { ...product, stock: MAX_STOCK + 1 })).toBe(false);
    expect(accepts(createProductSchema, { ...product, currency: "usd" })).toBe(false);
    expect(createProductSchema.parse(product)).toEqual({ ...product, description: "", currency: "USD", stock: 0 });
  });

  it("bound a stock adjustment to ±MAX_STOCK, never 0, with a manual reason", () => {
    const adjust = { productId: id, delta: MAX_STOCK, reason: "restock" };
    expect(accepts(adjustStockSchema, adjust)).toBe(true);
    expect(accepts(adjustStockSchema, { ...adjust, delta: -MAX_STOCK })).toBe(true);
    expect(accepts(adjustStockSchema, { ...adjust, delta: MAX_STOCK + 1 })).toBe(false);
    expect(accepts(adjustStockSchema, { ...adjust, delta: 0 })).toBe(false);
    expect(accepts(adjustStockSchema, { ...adjust, reason: "order_placed" })).toBe(false);
  });

  it("take at most MAX_UPSERT_ITEMS rows per upsert", () => {
    expect(accepts(upsertManySchema, { items: rows(MAX_UPSERT_ITEMS) })).toBe(true);
    expect(accepts(upsertManySchema, { items: rows(MAX_UPSERT_ITEMS + 1) })).toBe(false);
    expect(accepts(upsertManySchema, { items: [] })).toBe(false);
  });
});

describe("listings", () => {
  it("take page sizes from 1 to PAGE_SIZE_MAX, DEFAULT_PAGE_SIZE when absent", () => {
    for (const schema of [listProductsSchema, myOrdersSchema]) {
      expect(schema.parse({}).limit).toBe(DEFAULT_PAGE_SIZE);
      expect(accepts(schema, { limit: PAGE_SIZE_MAX })).toBe(true);
      expect(accepts(schema, { limit: PAGE_SIZE_MAX + 1 })).toBe(false);
      expect(accepts(schema, { limit: 0 })).toBe(false);
    }
    expect(listUsersSchema.parse(undefined)).toEqual({ limit: DEFAULT_PAGE_SIZE });
  });

  it("bound the catalog search text", () => {
    expect(accepts(listProductsSchema, { q: "q".repeat(CATALOG_SEARCH_MAX_LENGTH) })).toBe(true);
    expect(accepts(listProductsSchema, { q: "q".repeat(CATALOG_SEARCH_MAX_LENGTH + 1) })).toBe(false);
  });
});

describe("orders", () => {
  const line = { productId: id, quantity: 1 };
  const order = (items: unknown[]) => ({ items, idempotencyKey: id });

  it("take 1 to ORDER_MAX_LINES lines of 1 to ORDER_LINE_MAX_QUANTITY units", () => {
    expect(accepts(placeOrderSchema, order(Array.from({ length: ORDER_MAX_LINES }, () => line)))).toBe(true);
    expect(accepts(placeOrderSchema, order(Array.from({ length: ORDER_MAX_LINES + 1 }, () => line)))).toBe(false);
    expect(accepts(placeOrderSchema, order([]))).toBe(false);
    expect(accepts(placeOrderSchema, order([{ ...line, quantity: ORDER_LINE_MAX_QUANTITY }]))).toBe(true);
    expect(accepts(placeOrderSchema, order([{ ...line, quantity: ORDER_LINE_MAX_QUANTITY + 1 }]))).toBe(false);
    expect(accepts(placeOrderSchema, order([{ ...line, quantity: 0 }]))).toBe(false);
  });

  it("normalise ids to lowercase and accept only known statuses", () => {
    expect(updateStatusSchema.parse({ id: id.toUpperCase(), status: "paid" }).id).toBe(id);
    expect(accepts(updateStatusSchema, { id, status: "lost" })).toBe(false);
  });
});

describe("accounts", () => {
  const account = { email: "ada@example.com", password: "Purple otters swim", name: "Ada" };

  it("normalise the email and bound its length", () => {
    expect(registerSchema.parse({ ...account, email: "  Ada@Example.COM " }).email).toBe("ada@example.com");
    const local = "a".repeat(EMAIL_MAX_LENGTH - "@example.com".length);
    expect(accepts(registerSchema, { ...account, email: `${local}@example.com` })).toBe(true);
    expect(accepts(registerSchema, { ...account, email: `${local}a@example.com` })).toBe(false);
  });

  it("bound only the password's size, with the rule's message", () => {
    const longest = "p".repeat(PASSWORD_MAX_INPUT_LENGTH);
    expect(accepts(registerSchema, { ...account, password: longest })).toBe(true);
    const refused = registerSchema.safeParse({ ...account, password: `${longest}p` });
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([PASSWORD_TOO_LONG]);
    // A short or common password is the rules' business (passwordProblem in @cartwheel/auth).
    expect(accepts(registerSchema, { ...account, password: "x" })).toBe(true);
    expect(accepts(loginSchema, { ...account, password: "" })).toBe(false);
  });

  it("bound API key names and expiry timestamps", () => {
    const key = { name: "k".repeat(API_KEY_NAME_MAX_LENGTH), role: "staff" };
    expect(accepts(createApiKeySchema, key)).toBe(true);
    expect(accepts(createApiKeySchema, { ...key, name: `${key.name}k` })).toBe(false);
    expect(accepts(createApiKeySchema, { ...key, role: "owner" })).toBe(false);
    expect(accepts(timestampSchema, "9999-12-31T23:59:59.999Z")).toBe(true);
    expect(accepts(timestampSchema, "+010000-01-01T00:00:00.000Z")).toBe(false);
  });
});
