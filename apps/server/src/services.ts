import type { Services } from "@cartwheel/api";
import { createCommerceServices } from "@cartwheel/commerce";
import { createDatabase } from "@cartwheel/db";
import type { Logger } from "@cartwheel/observability";
import type { Config } from "./config.ts";

/** Opens every long-lived dependency the server needs, once, at start. */
export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const database = await createDatabase(config.DATABASE_URL);
  const now = () => new Date();
  return { database, logger, now, ...createCommerceServices({ database, now, logger }) };
}

/** Releases what createServices opened. */
export async function closeServices(services: Services): Promise<void> {
  await services.database.close();
}
