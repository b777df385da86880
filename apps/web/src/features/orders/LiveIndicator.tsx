import type { LiveState } from "./use-order-events.ts";

const labels: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting… updates paused",
  stopped: "Live updates stopped. Reload the page to resume.",
};

/** Tells whether the page is following changes; the text carries the meaning, the colour only repeats it. */
export function LiveIndicator({ state }: { state: LiveState }) {
  return (
    <p role="status" className={`live-indicator live-${state}`} data-live-state={state}>
      <span aria-hidden="true" className="live-dot" />
      {labels[state]}
    </p>
  );
}
