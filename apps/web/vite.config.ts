import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // Same-origin in dev too: the refresh cookie and the Origin check work unchanged.
    proxy: { "/trpc": { target: apiTarget, changeOrigin: false } },
  },
  build: {
    target: "es2022",
    // Vite's default 4 KB inlining would put data: URLs in CSS; keep assets as files for a strict CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
