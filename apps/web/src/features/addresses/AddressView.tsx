import { addressLines, type Address } from "./address.ts";

/** An address as a block of lines, with the phone under it when the reader needs it (staff, the owner). */
export function AddressView({ address, showPhone = true }: { address: Address; showPhone?: boolean }) {
  return (
    <address className="postal-address">
      {addressLines(address).map((line, index) => (
        <span key={index}>{line}</span>
      ))}
      {showPhone && <span>Phone: {address.phone}</span>}
    </address>
  );
}
