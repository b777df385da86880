import { customerName, type OrderCustomer } from "./customer.ts";

/** An order's customer by name; an erased one as a grey badge, so staff do not go looking for them. */
export function CustomerName({ customer }: { customer: OrderCustomer }) {
  if (!customer.erased) return <>{customer.name}</>;
  return <span className="badge badge-erased">{customerName(customer)}</span>;
}
