/** The fields of an order's customer that staff pages show. */
export interface OrderCustomer {
  id: string;
  name: string;
  email: string;
  erased: boolean;
}

export const ERASED_CUSTOMER = "Erased customer";

/**
 * The name staff see: an erased account's stored name already reads so, but the flag decides,
 * so the page never depends on what the server wrote into the row.
 */
export const customerName = (customer: OrderCustomer): string => (customer.erased ? ERASED_CUSTOMER : customer.name);
