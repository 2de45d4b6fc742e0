import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The CSP the desktop app runs under (src-tauri/tauri.conf.json). `vite preview` serves the
// production build with it, so a browser check proves the bundle needs nothing else.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src ipc: http://ipc.localhost";

export default defineConfig({
  plugins: [react()],
  // Tauri serves dist/ from its own origin; relative paths keep every asset on 'self'.
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The app icon lives in the repo's icons/ folder (shared with the bundlers).
    fs: { allow: [".", "../icons"] },
    // The browser dev mode (`cargo xtask web`): commands and events go to the dev web host,
    // which runs the real core over the demo tenant on 127.0.0.1.
    proxy: {
      "/api": { target: `http://127.0.0.1:${process.env.ELEVATE_WEBHOST_PORT ?? "5174"}` },
    },
  },
  preview: {
    port: 4173,
    strictPort: true,
    headers: { "Content-Security-Policy": CSP },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Never inline assets as data: URIs: the CSP allows images from 'self' only.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    mockReset: true,
  },
});
