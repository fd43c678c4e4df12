// A static server on a free loopback port for the benchmark's pages:
//   /bench-build/  bench/build/ (corpora, peer bundles, Pagefind sites, generated pages)
//   /bench/        bench/www/ (the harness) and /bench/queries.json
//   /dist/         bench/build/dist/: the snapshot of www/dist/ that run.mjs takes at its start,
//                  so a rebuild during the run changes nothing under test
//   /              www/ (the demo page)
// Every response is cross-origin isolated (COOP + COEP), which gives the pages a 5 µs clock
// instead of a 100 µs one, and may be cached for ten minutes, as on a static host.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { HERE, ROOT, BUILD } from "./common.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
};

const MOUNTS = [
  ["/bench/queries.json", join(HERE, "queries.json")],
  ["/bench-build/", BUILD],
  ["/bench/", join(HERE, "www")],
  ["/dist/", join(BUILD, "dist")],
  ["/", join(ROOT, "www")],
];

export async function serve() {
  const server = createServer(async (req, res) => {
    const headers = {
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
      "cross-origin-resource-policy": "same-origin",
      "cache-control": "max-age=600",
    };
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400, headers);
      return res.end();
    }
    const [prefix, dir] = MOUNTS.find(([p]) => (p.endsWith("/") ? path.startsWith(p) : path === p));
    let file = dir;
    if (prefix.endsWith("/")) {
      const rest = path.slice(prefix.length);
      file = normalize(join(dir, rest === "" || rest.endsWith("/") ? rest + "index.html" : rest));
      if (!file.startsWith(dir + sep)) { res.writeHead(403, headers); return res.end(); }
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}
