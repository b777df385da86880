import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createTRPCClient, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OrderTransitions } from "../src/features/staff/OrderTransitions.tsx";
import { TRPCProvider } from "../src/lib/trpc.ts";
import { apiError } from "./api-error.ts";

const order = {
  id: "0190a0a0-0000-7000-8000-0000b816d825",
  version: 2,
  allowedTransitions: ["shipped", "cancelled"] as const,
};

/** A client whose every update is refused as stale, recording what was sent. */
function staleClient(sent: unknown[]) {
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        sent.push(op.input);
        observer.error(
          apiError("CONFLICT", 409, "The order was changed by someone else; reload and try again.", {
            reason: "stale_version",
            details: { currentVersion: 3 },
          }),
        );
        return () => undefined;
      });
  return createTRPCClient<AppRouter>({ links: [link] });
}

afterEach(cleanup);

describe("staff order transitions", () => {
  it("sends the shipment with the version it was decided on, and explains a stale version and reloads", async () => {
    const user = userEvent.setup();
    const sent: unknown[] = [];
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    render(
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={staleClient(sent)} queryClient={queryClient}>
          <OrderTransitions order={order} />
        </TRPCProvider>
      </QueryClientProvider>,
    );

    await user.click(screen.getByRole("button", { name: "Mark shipped" }));
    const dialog = screen.getByRole("dialog", { name: "Mark order B816D825 shipped?" });
    await user.type(screen.getByLabelText("Carrier (optional)"), "DHL");
    await user.type(screen.getByLabelText("Tracking number (optional)"), "JD0001{Enter}");

    expect(sent).toEqual([
      { id: order.id, status: "shipped", expectedVersion: 2, shipment: { carrier: "DHL", trackingNumber: "JD0001" } },
    ]);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/^Someone else changed order B816D825 meanwhile, so nothing was changed\./);
    expect(invalidate).toHaveBeenCalled();
    expect(dialog.hasAttribute("open")).toBe(false);
  });
});
