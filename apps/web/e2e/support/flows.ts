import type { Page } from "playwright-core";
import type { Credentials } from "./api.ts";

/** The signed-in header is the proof that a sign-in or sign-up worked. */
async function waitSignedIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
}

/** Signs up, is told to check the mailbox (sign-up signs nobody in), then signs in from there. */
export async function signUp(page: Page, credentials: Credentials): Promise<void> {
  const { name, email, password } = credentials;
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up", exact: true }).click();
  const told = page.locator("section.auth-page");
  await told.getByRole("heading", { name: "Check your e-mail" }).waitFor();
  await told.getByRole("link", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await waitSignedIn(page);
}

export async function signIn(page: Page, { email, password }: Credentials): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await waitSignedIn(page);
}

/** Searches the catalog like a shopper, opens the product and adds `quantity` of it. */
export async function addToCart(page: Page, search: string, productName: string, quantity: number): Promise<void> {
  await page.getByRole("link", { name: "Catalog", exact: true }).click();
  await page.getByLabel("Search").fill(search);
  // The debounced search lands in the URL, so the filter survives reloads and sharing.
  await page.waitForURL((url) => url.searchParams.get("q") === search);
  await page.getByRole("list", { name: "Products" }).getByRole("link", { name: productName, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: productName }).waitFor();
  await page.getByLabel("Quantity").fill(String(quantity));
  await page.getByRole("button", { name: "Add to cart", exact: true }).click();
  await page.getByText(`Added ${quantity} to your cart`).waitFor();
}

/** From anywhere: Cart → Checkout, ready to press "Place order". */
export async function openCheckout(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Cart", exact: true }).click();
  await page.getByRole("heading", { name: "Your cart" }).waitFor();
  await page.getByRole("link", { name: "Checkout", exact: true }).click();
  await page.getByRole("button", { name: "Place order", exact: true }).waitFor();
}

/** Returns the id of the order page the browser landed on after placing an order. */
export async function waitForPlacedOrder(page: Page): Promise<string> {
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  await page.getByText("Your order has been placed").waitFor();
  return new URL(page.url()).pathname.split("/").pop()!;
}
