import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import { QueryClient } from "@tanstack/react-query";
import { act, cleanup, render, screen } from "@testing-library/react";
import { createTRPCClient, TRPCClientError, type OperationResultEnvelope, type TRPCLink } from "@trpc/client";
import { observable, type Observer } from "@trpc/server/observable";
import { afterEach, describe, expect, it } from "vitest";
import { LiveIndicator } from "../src/features/orders/LiveIndicator.tsx";
import { useOrderEvents, type OrderEvent, type OrderEventsFilter } from "../src/features/orders/use-order-events.ts";
import { TRPCProvider } from "../src/lib/trpc.ts";

type Stream = Observer<OperationResultEnvelope<unknown, TRPCClientError<AppRouter>>, TRPCClientError<AppRouter>>;

/** A client whose subscriptions the test drives: each one's input and observer. */
function fakeClient() {
  const streams: Array<{ input: unknown; observer: Stream }> = [];
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        streams.push({ input: op.input, observer });
        return () => undefined;
      });
  return { client: createTRPCClient<AppRouter>({ links: [link] }), streams };
}

function Follower({ filter, seen }: { filter: OrderEventsFilter; seen: OrderEvent[] }) {
  const live = useOrderEvents(filter, (event) => seen.push(event));
  return <LiveIndicator state={live} />;
}

afterEach(cleanup);

describe("useOrderEvents and the live indicator", () => {
  it("follows the stream's connection state in text, and hands each event to the page", () => {
    const { client, streams } = fakeClient();
    const seen: OrderEvent[] = [];
    render(
      <TRPCProvider trpcClient={client} queryClient={new QueryClient()}>
        <Follower filter={{ orderId: "o1" }} seen={seen} />
      </TRPCProvider>,
    );
    const stream = streams.at(-1)!;
    expect(stream.input).toEqual({ orderId: "o1" });
    expect(screen.getByRole("status").textContent).toBe("Connecting…");

    act(() => stream.observer.next({ result: { type: "state", state: "pending", error: null } }));
    expect(screen.getByRole("status").textContent).toBe("Live");

    const event = { orderId: "o1", toStatus: "shipped" } as unknown as OrderEvent;
    act(() => stream.observer.next({ result: { type: "data", id: "5", data: { id: "5", data: event } } }));
    expect(seen).toEqual([event]);

    const lost = new TRPCClientError<AppRouter>("network down");
    act(() => stream.observer.next({ result: { type: "state", state: "connecting", error: lost } }));
    expect(screen.getByRole("status").textContent).toBe("Reconnecting… updates paused");

    act(() => stream.observer.error(lost));
    expect(screen.getByRole("status").textContent).toMatch(/^Live updates stopped/);
  });
});
