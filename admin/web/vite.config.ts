import { defineConfig } from "vite";

// The dev server passes both APIs through like the workspace's origin does (admin/origin.py).
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: {
    proxy: { "/api": "http://127.0.0.1:8000", "/session": "http://127.0.0.1:8000" },
  },
});
