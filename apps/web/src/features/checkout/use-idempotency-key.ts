import { useState } from "react";
import { newUuid } from "../../lib/uuid.ts";

/**
 * One idempotency key per checkout attempt: made when checkout opens and kept across
 * double clicks and retries, so the server returns the first order instead of placing
 * another. A different cart is a different order, so changing the lines makes a new key
 * (the server rejects one key reused for a different payload).
 */
export function useIdempotencyKey(payloadSignature: string): string {
  const [state, setState] = useState(() => ({ signature: payloadSignature, key: newUuid() }));
  if (state.signature !== payloadSignature) {
    const next = { signature: payloadSignature, key: newUuid() };
    setState(next);
    return next.key;
  }
  return state.key;
}
