export { type AddressBook, createAddressBook, type SavedAddress } from "./address-book.ts";
export { createCatalogService, type CatalogService } from "./catalog-service.ts";
export { customerErasureStep } from "./customer-erasure.ts";
export {
  type CacheStamp,
  type CatalogPageCache,
  type CatalogPageCacheOptions,
  createCatalogPageCache,
} from "./catalog-page-cache.ts";
export type { UpsertResult } from "./catalog-upsert.ts";
export { type CatalogDeps, type CommerceDeps, type CommerceLogger, INITIAL_STOCK_REASON, type Viewer } from "./deps.ts";
export * from "./errors.ts";
export { crossesLowStock, DEFAULT_LOW_STOCK_THRESHOLD } from "./low-stock.ts";
export { createOrderMailReader, type OrderMailReader } from "./order-mail-reader.ts";
export { createOrderService, type OrderService } from "./order-service.ts";
export { createOrderEventHub, type OrderEventHub, StreamEndedError } from "./order-event-hub.ts";
export type { OrderFeedEvent, OrderFeedEventType, OrderFeedFilter } from "./order-feed.ts";
export { allowedTransitions, orderTransitions } from "./order-state.ts";
export type { Customer, Order, OrderDetail, OrderEvent, OrderItem } from "./order-view.ts";
export type { Shipment } from "./shipping.ts";
export type { Product } from "./product-view.ts";
export { createReports, REVENUE_STATUSES, type Reports, type SalesReport } from "./reports.ts";

import { createAddressBook } from "./address-book.ts";
import { createCatalogService } from "./catalog-service.ts";
import type { CommerceDeps } from "./deps.ts";
import { createOrderEventHub } from "./order-event-hub.ts";
import { createOrderMailReader } from "./order-mail-reader.ts";
import { createOrderService } from "./order-service.ts";
import { createReports } from "./reports.ts";

/**
 * The commerce services over one set of dependencies, ready to spread into `Services`: the
 * catalog, orders, the live order-event hub the order service tells of its commits, and the
 * reads of order mail.
 */
export function createCommerceServices(deps: CommerceDeps) {
  const orderEvents = createOrderEventHub({
    database: deps.database,
    feed: deps.database.orderEventFeed,
    onError: (error) => deps.logger?.warn({ err: error }, "reading new order events failed; retrying"),
  });
  return {
    catalog: createCatalogService(deps),
    addresses: createAddressBook(deps),
    orders: createOrderService({ ...deps, orderEventsCommitted: orderEvents.committed }),
    orderEvents,
    /** What order and stock mail reads at send time (the mail jobs). */
    orderMail: createOrderMailReader(deps),
    /** Staff reports (sales), aggregated in SQL. */
    reports: createReports(deps),
  };
}
