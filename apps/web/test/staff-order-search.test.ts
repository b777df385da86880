import { describe, expect, it } from "vitest";
import { parseStaffOrderSearch, toOrderListInput } from "../src/features/staff/staff-order-search.ts";

describe("staff order search in the URL", () => {
  it("keeps what was typed and drops malformed values", () => {
    expect(
      parseStaffOrderSearch({ ref: " #b816d825 ", email: "ada@example.com", status: "paid", from: "2026-03-01" }),
    ).toEqual({ ref: "#b816d825", email: "ada@example.com", status: "paid", from: "2026-03-01" });
    expect(parseStaffOrderSearch({ ref: " ", email: 5n, status: "lost", from: "2026-02-30", to: "yesterday" })).toEqual(
      {},
    );
  });

  it("takes back a digits-only short id that the router read as a number", () => {
    // ?ref=12345678 typed by hand is JSON-parsed to a number before validateSearch sees it.
    expect(parseStaffOrderSearch({ ref: 12345678 })).toEqual({ ref: "12345678" });
  });

  it("leaves the reference for the server to judge, so its message reaches the field", () => {
    expect(toOrderListInput(parseStaffOrderSearch({ ref: "not-an-order" }))).toEqual({
      limit: 50,
      reference: "not-an-order",
    });
  });

  it("sends the days as local midnights with an offset, the 'to' day included whole", () => {
    const input = toOrderListInput({ from: "2026-03-01", to: "2026-03-31" });
    expect(input.placedFrom).toBe(new Date(2026, 2, 1).toISOString());
    expect(input.placedBefore).toBe(new Date(2026, 3, 1).toISOString());
    expect(input.placedFrom).toMatch(/Z$/);
  });
});
