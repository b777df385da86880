import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const apiTarget = process.env.API_URL ?? "http://127.0.0.1:3000";

/**
 * Writes .br and .gz next to each JS/CSS/SVG asset; the server sends them as-is
 * (serveStatic `precompressed`), so production pays for compression once, at build time.
 */
function precompress(): Plugin {
  return {
    name: "cartwheel:precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg)$/.test(fileName)) continue;
        const path = join(dir, fileName);
        const source = readFileSync(path);
        if (source.length < 1024) continue;
        writeFileSync(`${path}.gz`, gzipSync(source, { level: 9 }));
        writeFileSync(`${path}.br`, brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    // Same origin in dev too: the refresh cookie and the Origin check work unchanged.
    proxy: { "/trpc": { target: apiTarget, changeOrigin: false } },
  },
  build: {
    target: "es2022",
    // Keep every asset a file: data: URLs and inline code would need CSP exceptions.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
