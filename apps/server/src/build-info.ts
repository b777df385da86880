import { readFileSync } from "node:fs";

/** Replaced at bundle time by tsdown (see tsdown.config.ts); undefined when running src. */
declare const CARTWHEEL_BUILD: { version: string; commit: string | null } | undefined;

export interface BuildInfo {
  version: string;
  commit: string | null;
}

function fromSource(): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return { version: pkg.version, commit: null };
}

/** Version and commit; GIT_COMMIT (e.g. set by the container build) wins over the built-in one. */
export function buildInfo(gitCommit: string | undefined): BuildInfo {
  const built = typeof CARTWHEEL_BUILD === "undefined" ? fromSource() : CARTWHEEL_BUILD;
  return { version: built.version, commit: gitCommit ?? built.commit };
}
