// Scenario 6: the JavaScript a first visit downloads before the web app runs: index.html's
// entry script plus every modulepreload, gzipped (level 9) from the Vite build output.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { ScenarioResult } from "../context.ts";
import { webDist } from "../paths.ts";

function initialScripts(html: string): string[] {
  const sources = [
    ...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
  ].map((match) => match[1]!);
  return [...new Set(sources)];
}

export async function webScenario(): Promise<ScenarioResult> {
  const indexHtml = join(webDist, "index.html");
  if (!existsSync(indexHtml)) throw new Error("apps/web is not built: run `npm run build` first");
  const files = initialScripts(readFileSync(indexHtml, "utf8"));
  if (files.length === 0) throw new Error("apps/web/dist/index.html references no module script");
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(webDist, file.replace(/^\//, "")));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return {
    rows: [
      {
        scenario: "web",
        subject: "initial JS (entry + modulepreload), gzip",
        value: gzip,
        unit: "B",
        note: `${files.length} files, ${raw} B raw`,
      },
    ],
    metrics: { "web.initialJsGzipBytes": gzip },
  };
}
