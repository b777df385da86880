// Type-level contract of `error.data`: checking `reason` is enough to read that reason's
// `details`, with no cast, and a misspelt field or reason is a compile error. Checked by
// the compiler (`npm run typecheck`, and vitest's typecheck pass for *.test-d.ts).
import { describe, expectTypeOf, it } from "vitest";
import { type CartwheelErrorData, errorData, errorDetails, type ErrorDetails } from "../src/index.ts";

interface ShortLine {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

declare const data: CartwheelErrorData;

describe("error details", () => {
  it("are typed by the reason they come with", () => {
    expectTypeOf(errorData).returns.toEqualTypeOf<CartwheelErrorData | undefined>();
    if (data.reason === "insufficient_stock") {
      expectTypeOf(data.details.shortages).toEqualTypeOf<ShortLine[]>();
      // @ts-expect-error the field is `shortages`
      void data.details.shortage;
    }
    if (data.reason === "throttled") expectTypeOf(data.details.retryAfterSeconds).toEqualTypeOf<number>();
    if (data.reason === undefined) expectTypeOf(data.details).toEqualTypeOf<undefined>();
    // @ts-expect-error no such reason
    void (data.reason === "insufficient_stok");
  });

  it("are typed when looked up by reason", () => {
    const details = errorDetails(new Error("any"), "insufficient_stock");
    expectTypeOf(details).toEqualTypeOf<{ shortages: ShortLine[] } | undefined>();
    expectTypeOf<ErrorDetails<"invalid_transition">["allowed"]>().toEqualTypeOf<
      ("pending" | "paid" | "shipped" | "delivered" | "cancelled")[]
    >();
    // @ts-expect-error no such reason
    errorDetails(new Error("any"), "out_of_stock");
  });
});
