// Shared by the end-to-end tests: a static server for www/ on a free loopback port, and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from "node:http";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { extname, join, normalize, dirname, sep } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
  ".glossa": "application/octet-stream", ".svg": "image/svg+xml", ".png": "image/png",
};

/** Serves `dir` on 127.0.0.1 at a free port; `routes` may override paths with [status, body]. */
export async function serve(dir = join(ROOT, "www"), routes = {}) {
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    if (routes[path]) {
      const [status, body, type = "application/json"] = routes[path];
      res.writeHead(status, { "content-type": type });
      return res.end(body);
    }
    const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
    if (!file.startsWith(dir + sep)) { res.writeHead(403); return res.end(); }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404); res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Launches headless Chromium with a fresh profile; records console errors and warnings. */
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "glossa-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    /** A new page whose console problems collect in `page.problems`. */
    async page(viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.problems = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") page.problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => page.problems.push(`uncaught: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
