import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { linkTargets, localTarget, namedDocuments } from "../src/markdown-links.ts";
import { repoFiles, repoRoot } from "../src/repo-files.ts";

const markdownFiles = repoFiles((path) => path.endsWith(".md"));
const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

/** Where a reference from `file` to `target` lands: beside the file, or from the repo root for "/…". */
const resolveFrom = (file: string, target: string) =>
  target.startsWith("/") ? join(repoRoot, target) : join(repoRoot, dirname(file), target);

describe("markdown helpers", () => {
  it("finds inline, image and reference links outside code, and drops URLs and anchors", () => {
    const markdown = [
      "See [the guide](docs/guide.md#setup) and ![chart](img/c.png 'x').",
      "[site](https://example.com) [top](#top) `[code](not-a-link.md)`",
      "```",
      "[fenced](fenced.md)",
      "```",
      "[ref]: ../other.md",
    ].join("\n");
    expect(linkTargets(markdown).map(localTarget)).toEqual(["docs/guide.md", "img/c.png", null, null, "../other.md"]);
  });

  it("finds markdown documents named in inline code", () => {
    expect(namedDocuments("Read `packages/db/README.md`, not `npm test`.")).toEqual(["packages/db/README.md"]);
  });
});

describe("the repo's documents", () => {
  it("are found", () => {
    expect(markdownFiles).toContain("README.md");
    expect(markdownFiles.length).toBeGreaterThan(10);
  });

  it("link only to files that exist", () => {
    const broken = markdownFiles.flatMap((file) =>
      linkTargets(read(file))
        .map(localTarget)
        .filter((target): target is string => target !== null && !existsSync(resolveFrom(file, target)))
        .map((target) => `${file} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("name only documents that exist", () => {
    const missing = markdownFiles.flatMap((file) =>
      namedDocuments(read(file))
        .filter((doc) => !existsSync(resolveFrom(file, doc)) && !existsSync(join(repoRoot, doc)))
        .map((doc) => `${file} names ${doc}`),
    );
    expect(missing).toEqual([]);
  });
});

describe("absolute paths of a machine", () => {
  // A home, a container's work tree or a temp folder means nothing on a reader's machine.
  const machinePath = /(?<![\w.~-])\/(?:home|root|work|tmp|Users|mnt)\/[\w.-]/;
  const textFile = /(\.(md|ts|tsx|mts|mjs|js|json|ya?ml|sh|toml|sql|css|html)|Dockerfile|\/run|\.env\.example)$/;

  it("are recognized", () => {
    // Spelled in pieces so this file does not trip its own check.
    expect(machinePath.test(["see ", "home", "ann", "README.md"].join("/"))).toBe(true);
    expect(machinePath.test(["DATABASE_URL=file://", "tmp", "shop.db"].join("/"))).toBe(true);
    expect(machinePath.test("https://example.com/work/x and ./tmp/x")).toBe(false);
  });

  it("appear in no document, source or script", () => {
    const offending = repoFiles((path) => textFile.test(path)).flatMap((file) =>
      read(file)
        .split("\n")
        .flatMap((line, index) => (machinePath.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});
