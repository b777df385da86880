import type { Locator, Page } from "playwright-core";
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

/** A shipping address as a shopper types it (country as its ISO code, for the select). */
export interface AddressEntry {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
  phone: string;
}

export const sampleAddress: AddressEntry = {
  name: "Ada Lovelace",
  line1: "1 Main Street",
  city: "Springfield",
  region: "IL",
  postalCode: "62701",
  country: "US",
  phone: "+1 415 555 0123",
};

/** Fills checkout's new-address form, choosing "A new address" first when saved ones are offered. */
export async function enterShippingAddress(page: Page, address: AddressEntry, { save = false } = {}): Promise<void> {
  const name = page.getByLabel("Full name", { exact: true });
  const newChoice = page.getByRole("radio", { name: "A new address" });
  // The saved addresses load first; then either their radios or the empty form is there.
  await name.or(newChoice).first().waitFor();
  if (await newChoice.isVisible()) await newChoice.check();
  await name.fill(address.name);
  await page.getByLabel("Street address").fill(address.line1);
  await page.getByLabel("Apartment, suite, floor").fill(address.line2 ?? "");
  await page.getByLabel("City").fill(address.city);
  await page.getByLabel("State, province or region").fill(address.region ?? "");
  await page.getByLabel("Postal code").fill(address.postalCode ?? "");
  await page.getByLabel("Country").selectOption(address.country);
  await page.getByLabel("Phone", { exact: true }).fill(address.phone);
  if (save) await page.getByRole("checkbox", { name: "Save this address to my account" }).check();
}

/**
 * From anywhere: Cart → Checkout, with `address` entered (null leaves the form to the
 * caller), ready to press "Place order".
 */
export async function openCheckout(page: Page, address: AddressEntry | null = sampleAddress): Promise<void> {
  await page.getByRole("link", { name: "Cart", exact: true }).click();
  await page.getByRole("heading", { name: "Your cart" }).waitFor();
  await page.getByRole("link", { name: "Checkout", exact: true }).click();
  await page.getByRole("button", { name: "Place order", exact: true }).waitFor();
  if (address) await enterShippingAddress(page, address);
}

/**
 * Presses an order's transition button in `scope` (a row, or the staff order page) and
 * confirms it in the dialog it opens, entering the shipment when given.
 */
export async function confirmTransition(
  page: Page,
  scope: Locator | Page,
  action: string,
  shipment?: { carrier: string; trackingNumber: string },
): Promise<void> {
  await scope.getByRole("button", { name: action, exact: true }).click();
  // Closed dialogs are not in the accessibility tree, so this is the one just opened.
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  if (shipment) {
    await dialog.getByLabel("Carrier").fill(shipment.carrier);
    await dialog.getByLabel("Tracking number").fill(shipment.trackingNumber);
  }
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
}

/** Returns the id of the order page the browser landed on after placing an order. */
export async function waitForPlacedOrder(page: Page): Promise<string> {
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  await page.getByText("Your order has been placed").waitFor();
  return new URL(page.url()).pathname.split("/").pop()!;
}
