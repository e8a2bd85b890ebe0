import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompress, constants, gzip } from "node:zlib";
import { promisify } from "node:util";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const OUT_DIR = new URL("../dist/web", import.meta.url).pathname;

/**
 * Writes a `.br` and a `.gz` twin beside every text asset after the build, so the server sends compressed
 * files without compressing on each request (@fastify/static's `preCompressed`).
 */
function precompress(): Plugin {
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  async function* files(dir: string): AsyncGenerator<string> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* files(path);
      else yield path;
    }
  }
  return {
    name: "tierline-precompress",
    apply: "build",
    async closeBundle() {
      for await (const path of files(OUT_DIR)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(path) || (await stat(path)).size < 512) continue;
        const body = await readFile(path);
        await writeFile(`${path}.br`, await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${path}.gz`, await gz(body, { level: 9 }));
      }
    },
  };
}

// The API runs on its own port in development (`npm run dev:api`); Vite proxies /api to it.
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  plugins: [
    tanstackRouter({
      target: "react",
      autoCodeSplitting: true,
      routesDirectory: new URL("./src/routes", import.meta.url).pathname,
      generatedRouteTree: new URL("./src/routeTree.gen.ts", import.meta.url).pathname,
    }),
    react(),
    precompress(),
  ],
  build: { outDir: OUT_DIR, emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
  server: { proxy: { "/api": { target: process.env.TIERLINE_API_URL ?? "http://127.0.0.1:3000", changeOrigin: false } } },
});
