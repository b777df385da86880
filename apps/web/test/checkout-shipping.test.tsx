import type { CartwheelRouter as AppRouter, RouterOutputs } from "@cartwheel/client";
import { QueryClient } from "@tanstack/react-query";
import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createTRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { afterEach, describe, expect, it } from "vitest";
import { ShippingSection, useShipping } from "../src/features/checkout/ShippingSection.tsx";
import { TRPCProvider } from "../src/lib/trpc.ts";

type Saved = RouterOutputs["addresses"]["list"];
type Resolved = ReturnType<ReturnType<typeof useShipping>["resolve"]>;

/** A client that answers addresses.list with `saved` and refuses anything else. */
function clientWith(saved: Saved) {
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        if (op.path === "addresses.list") {
          observer.next({ result: { type: "data", data: saved } });
          observer.complete();
        } else observer.error(new TRPCClientError(`unexpected ${op.path}`));
        return () => undefined;
      });
  return createTRPCClient<AppRouter>({ links: [link] });
}

function Checkout({ onResolved }: { onResolved: (resolved: Resolved) => void }) {
  const shipping = useShipping();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onResolved(shipping.resolve());
      }}
    >
      <ShippingSection shipping={shipping} serverErrors={{}} saveError={null} />
      <button type="submit">Place order</button>
    </form>
  );
}

function renderCheckout(saved: Saved) {
  const results: Resolved[] = [];
  const queryClient = new QueryClient();
  render(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={clientWith(saved)} queryClient={queryClient}>
        <Checkout onResolved={(resolved) => results.push(resolved)} />
      </TRPCProvider>
    </QueryClientProvider>,
  );
  return results;
}

/** The text an assistive technology reads as the element's description. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
}

const home = {
  id: "0190a0a0-0000-7000-8000-000000000001",
  address: {
    name: "Ada Lovelace",
    line1: "1 Main St",
    line2: "",
    city: "Springfield",
    region: "IL",
    postalCode: "62701",
    country: "US",
    phone: "+14155550123",
  },
  createdAt: "2026-01-01T00:00:00.000Z",
};

afterEach(cleanup);

describe("checkout's shipping address", () => {
  it("checks a new address before sending: the plain message on the phone field, focus there, nothing resolved", async () => {
    const user = userEvent.setup();
    const results = renderCheckout([]);
    await user.type(await screen.findByLabelText("Full name"), "Ada Lovelace");
    await user.type(screen.getByLabelText("Street address"), "1 Main St");
    await user.type(screen.getByLabelText("City"), "Springfield");
    await user.selectOptions(screen.getByLabelText("Country"), "US");
    await user.type(screen.getByLabelText("Phone"), "555 0123");
    await user.click(screen.getByRole("button", { name: "Place order" }));

    expect(results).toEqual([null]);
    const phone = screen.getByLabelText("Phone");
    expect(phone.getAttribute("aria-invalid")).toBe("true");
    expect(description(phone)).toContain("Enter the phone number with its country code, such as +14155550123.");
    expect(document.activeElement).toBe(phone);
    expect(screen.getByLabelText("Full name").getAttribute("aria-invalid")).toBeNull();

    await user.clear(phone);
    await user.type(phone, "+1 415 555 0123");
    await user.click(screen.getByRole("checkbox", { name: "Save this address to my account" }));
    await user.click(screen.getByRole("button", { name: "Place order" }));
    expect(results[1]).toEqual({
      address: expect.objectContaining({ name: "Ada Lovelace", country: "US", phone: "+14155550123" }),
      save: true,
    });
  });

  it("offers saved addresses as radios, the first picked, and a new one on request", async () => {
    const user = userEvent.setup();
    const results = renderCheckout([home]);
    const saved = await screen.findByRole("radio", { name: /Ada Lovelace, 1 Main St, Springfield, United States/ });
    expect((saved as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText("Street address")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Place order" }));
    expect(results[0]).toEqual({ address: home.address, save: false });

    await user.click(screen.getByRole("radio", { name: "A new address" }));
    expect(screen.getByRole("group", { name: "New address" })).toBeTruthy();
    expect(screen.getByLabelText("Street address")).toBeTruthy();
  });
});
