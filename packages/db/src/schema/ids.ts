import { v7 } from "uuid";

/** Time-ordered ids: new rows land at the end of the primary-key index and sort by creation. */
export const newId = (): string => v7();
