import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

export interface InitialJs {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

/**
 * The JavaScript a first visit must download before the app runs: the entry script and
 * every chunk index.html preloads. Lazy chunks (the staff area) are not counted.
 */
export function measureInitialJs(distDir: string): InitialJs {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  let rawBytes = 0;
  let gzipBytes = 0;
  let brotliBytes = 0;
  for (const file of new Set(files)) {
    const source = readFileSync(join(distDir, file.replace(/^\//, "")));
    rawBytes += source.length;
    gzipBytes += gzipSync(source, { level: 9 }).length;
    brotliBytes += brotliCompressSync(source).length;
  }
  return { files: [...new Set(files)], rawBytes, gzipBytes, brotliBytes };
}
