import { describe, expect, it } from "vitest";
import { addressLines, countryName } from "../src/features/addresses/address.ts";
import {
  addressErrorsFrom,
  blankAddress,
  firstInvalidField,
  validateAddress,
} from "../src/features/checkout/shipping-form.ts";

const valid = {
  ...blankAddress("de"),
  name: " Ada Lovelace ",
  line1: "Unter den Linden 1",
  city: "Berlin",
  postalCode: "10117",
  phone: "+49 (30) 123-4567",
};

describe("checkout's shipping address", () => {
  it("sends the address as the server stores it: trimmed, country in capitals, phone in bare E.164", () => {
    const { address, errors } = validateAddress(valid);
    expect(errors).toBeUndefined();
    expect(address).toMatchObject({ name: "Ada Lovelace", country: "DE", phone: "+49301234567", line2: "" });
  });

  it("gives the server's own plain messages per field, and the first bad field in form order", () => {
    const { errors } = validateAddress({ ...valid, city: " ", phone: "030 1234" });
    expect(errors?.phone).toEqual(["Enter the phone number with its country code, such as +14155550123."]);
    expect(errors?.city).toEqual(["Enter the city."]);
    expect(errors && firstInvalidField(errors)).toBe("city");
  });

  it("maps the server's field errors under the address's key onto the address's own fields", () => {
    const fieldErrors = {
      "shippingAddress.phone": ["Enter the phone number with its country code, such as +14155550123."],
      "items.0.quantity": ["Enter 1 or more."],
    };
    expect(addressErrorsFrom(fieldErrors, "shippingAddress")).toEqual({
      phone: ["Enter the phone number with its country code, such as +14155550123."],
    });
    // A message for the address as a whole (or a server that keys by the top-level input only).
    expect(addressErrorsFrom({ address: ["Enter the city."] }, "address")).toEqual({ "": ["Enter the city."] });
  });

  it("prints an address with the country's English name and no blank lines", () => {
    expect(countryName("DE")).toBe("Germany");
    const { address } = validateAddress(valid);
    expect(address && addressLines(address)).toEqual(["Ada Lovelace", "Unter den Linden 1", "10117 Berlin", "Germany"]);
  });
});
