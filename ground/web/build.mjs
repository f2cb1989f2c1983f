// Bundles the console into dist/: index.html, app.js, app.css (uPlot's css included).
// Usage: node build.mjs [--dev]   (--dev keeps names readable and adds source maps)
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");
const dev = process.argv.includes("--dev");

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  absWorkingDir: here,
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: !dev,
  sourcemap: dev ? "linked" : false,
  legalComments: "none",
  outdir: out,
  logLevel: "warning",
});
await build({
  absWorkingDir: here,
  entryPoints: { app: "src/app.css" },
  bundle: true,
  minify: !dev,
  outdir: out,
  logLevel: "warning",
});
await copyFile(join(here, "src/index.html"), join(out, "index.html"));
// The API docs at /docs use Swagger UI from these files, never from a CDN.
const swagger = join(here, "node_modules/swagger-ui-dist");
await mkdir(join(out, "swagger"));
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  await copyFile(join(swagger, file), join(out, "swagger", file));
}
console.log("console built: dist/index.html, dist/app.js, dist/app.css, dist/swagger/");
