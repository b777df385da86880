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
  expect(serverNodeFlags()).toContain("--max-semi-space-size=16");
});

test("the root npm start runs the server with the same node flags", () => {
  const root = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  expect(root.scripts.start).toContain(`node ${serverNodeFlags().join(" ")} apps/server/dist/index.mjs`);
});
