// Everything the browser pages need, under bench/build/ (git-ignored):
// - peers/<engine>.js: each peer's npm package bundled into one minified ES module (esbuild),
//   the form a site would ship, and what the payload figures count;
// - pagefind/<size>/: one HTML page per article (a <p> per passage), and Pagefind's bundle
//   built from them by its CLI (native, timed here: Pagefind builds no index in the browser);
// - reader-30k.html: a generated ~30 KB article page around <glossa-reader>.
// Usage: node prepare.mjs [--sizes 50,500,2000]
import { mkdirSync, rmSync, writeFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { HERE, BUILD, loadCorpus } from "./common.mjs";

export const PEERS = {
  minisearch: 'export { default } from "minisearch";',
  flexsearch: 'export { Document, Charset } from "flexsearch";',
  lunr: 'import lunr from "lunr"; export default lunr;',
  orama: 'export { create, insert, search, save, load } from "@orama/orama";',
  fuse: 'export { default } from "fuse.js";',
};

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function bundlePeers() {
  const dir = join(BUILD, "peers");
  mkdirSync(dir, { recursive: true });
  for (const [name, contents] of Object.entries(PEERS)) {
    await build({
      stdin: { contents, resolveDir: HERE, loader: "js" },
      bundle: true, minify: true, format: "esm", platform: "browser", target: "es2020",
      outfile: join(dir, `${name}.js`), logLevel: "warning",
    });
  }
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
}

function pagefindSite(size) {
  const articles = loadCorpus(size);
  const root = join(BUILD, "pagefind", String(size));
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "a"), { recursive: true });
  for (const a of articles) {
    const body = a.passages.map((p) => `<p>${escape(p)}</p>`).join("\n");
    writeFileSync(join(root, "a", `${a.id}.html`), `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<title>${escape(a.title)}</title></head><body><main data-pagefind-body><h1>${escape(a.title)}</h1>\n${body}\n</main></body></html>\n`);
  }
  const bin = join(HERE, "node_modules", ".bin", "pagefind");
  const t0 = performance.now();
  const run = spawnSync(bin, ["--site", root, "--output-subdir", "pagefind", "--quiet"], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`pagefind failed on ${size}: ${run.stderr || run.stdout}`);
  const files = walk(join(root, "pagefind")).map((f) => ({ path: relative(join(root, "pagefind"), f), bytes: statSync(f).size }));
  writeFileSync(join(root, "build.json"), JSON.stringify({ ms, files }, null, 1));
  console.error(`pagefind ${size}: ${articles.length} pages indexed in ${(ms / 1000).toFixed(1)} s`);
}

function readerPage() {
  // The 30 KB article: passages of the Brown texts in order until 30,000 bytes of text.
  const passages = [];
  let bytes = 0;
  for (const a of loadCorpus(50)) {
    for (const p of a.passages) {
      if (bytes >= 30000) break;
      passages.push(p);
      bytes += Buffer.byteLength(p);
    }
  }
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>A generated 30 KB article</title>
  <link rel="icon" href="data:,">
  <script type="module" src="/dist/glossa.js"></script>
</head>
<body>
  <glossa-reader glossary="/bench-build/glossary-1000.json" article-id="brown-30k">
    <article>
      <h1>A generated 30 KB article</h1>
${passages.map((p) => `      <p>${escape(p)}</p>`).join("\n")}
    </article>
  </glossa-reader>
</body>
</html>
`;
  writeFileSync(join(BUILD, "reader-30k.html"), html);
  return bytes;
}

if (process.argv[1] && process.argv[1].endsWith("prepare.mjs")) {
  const i = process.argv.indexOf("--sizes");
  const sizes = (i > 0 ? process.argv[i + 1] : "50,500,2000").split(",").map(Number);
  await bundlePeers();
  for (const size of sizes) {
    const stamp = join(BUILD, "pagefind", String(size), "build.json");
    const corpusFile = join(BUILD, "corpus", `${size === 2000 ? 500 : size}.json`);
    if (existsSync(stamp) && statSync(stamp).mtimeMs > statSync(corpusFile).mtimeMs) continue;
    pagefindSite(size);
  }
  const bytes = readerPage();
  console.error(`prepare: peers bundled, reader page of ${bytes} bytes of text`);
}
