import { fileURLToPath } from "node:url";

export const webDist = fileURLToPath(new URL("../../dist", import.meta.url));
export const serverEntry = fileURLToPath(new URL("../../../server/dist/index.mjs", import.meta.url));
/** Screenshots of failing e2e tests and measurement runs (gitignored). */
export const artifactsDir = fileURLToPath(new URL("../../../../test-artifacts", import.meta.url));
