// The bench must measure the server as production starts it: the flags of apps/server's
// `npm start` (which the bench reads) are the ones the container image runs with too.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { dockerfile, serverNodeFlags } from "../src/paths.ts";

test("the container starts the server with the same node flags as npm start, which the bench uses", () => {
  const command = /^CMD (\[.*\])$/m.exec(readFileSync(dockerfile, "utf8"))?.[1];
  expect(command).toBeDefined();
  expect(JSON.parse(command!)).toEqual(["node", ...serverNodeFlags(), "apps/server/dist/index.mjs"]);
  expect(serverNodeFlags()).toContain("--heap-growing-percent=50");
});
