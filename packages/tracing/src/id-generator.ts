import { randomFillSync } from "node:crypto";
import type { IdGenerator } from "@opentelemetry/sdk-trace";

const POOL_BYTES = 4096;
const INVALID = { 32: "0".repeat(32), 16: "0".repeat(16) } as const;

/**
 * Trace and span ids cut from a pool of random bytes, hex-encoded 4 KiB at a time: the
 * SDK's generator encodes each id on its own, a native call per id that shows in the cost
 * of starting a span. The bytes come from the CSPRNG, so ids are unguessable.
 */
export class PooledIdGenerator implements IdGenerator {
  #hex = "";
  #offset = 0;

  generateTraceId(): string {
    return this.#take(32);
  }

  generateSpanId(): string {
    return this.#take(16);
  }

  #take(length: 16 | 32): string {
    if (this.#offset + length > this.#hex.length) {
      this.#hex = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString("hex");
      this.#offset = 0;
    }
    const id = this.#hex.slice(this.#offset, (this.#offset += length));
    // All zeros is the invalid id (W3C Trace Context); 2^-64 at worst, but never sent.
    return id === INVALID[length] ? this.#take(length) : id;
  }
}
