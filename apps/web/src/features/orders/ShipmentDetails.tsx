import type { RouterOutputs } from "@cartwheel/client";

type Shipment = NonNullable<RouterOutputs["orders"]["byId"]["shipment"]>;

/** Carrier and tracking number as staff entered them when shipping; either may be blank. */
export function ShipmentDetails({ shipment }: { shipment: Shipment }) {
  return (
    <dl className="facts">
      {shipment.carrier && (
        <>
          <dt>Carrier</dt>
          <dd>{shipment.carrier}</dd>
        </>
      )}
      {shipment.trackingNumber && (
        <>
          <dt>Tracking number</dt>
          <dd>{shipment.trackingNumber}</dd>
        </>
      )}
    </dl>
  );
}
