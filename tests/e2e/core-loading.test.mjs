// How the widget fetches its wasm core: the Zopfli-gzipped file that scripts/precompress.mjs
// writes, inflated in the page, and the plain wasm beside it when that file cannot be used.
// Every way ends with the article's terms marked, a search answered and nothing else said in
// the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { ROOT, serve, launch, html, openReady, recordWasmRequests } from "./harness.mjs";

const GZIPPED = "/dist/core/glossa_core_bg.wasm.gz";
const PLAIN = "/dist/core/glossa_core_bg.wasm";
const PAGE = html(`
<glossa-reader glossary="/dist/content/glossary.json">
  <article id="post"><h1>Lenin</h1><p>Lenin argued that the dual power situation could not hold.</p></article>
</glossa-reader>`);
const NOT_FOUND = /^error: Failed to load resource: the server responded with a status of 404/;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * Opens the test page with `routes` added (the demo's files otherwise), runs `init` in the
 * page first if given, and waits for the reader. Returns what it found and what it fetched.
 */
async function load(routes = {}, init) {
  const server = await serve(join(ROOT, "www"), { "/": PAGE, ...routes });
  let page;
  try {
    let wasm;
    page = await openReady(browser, server.url + "/", {
      setUp: async (p) => {
        wasm = recordWasmRequests(p);
        if (init) await p.addInitScript(init);
      },
    });
    const found = await page.evaluate(() => {
      const reader = document.querySelector("glossa-reader");
      return {
        terms: [...document.querySelectorAll("glossa-term")].map((t) => t.textContent),
        hits: reader.engine.glossa.search("dual power").length,
      };
    });
    return { ...found, wasm, problems: page.problems };
  } finally {
    await page?.close();
    await server.close();
  }
}

/** The test page worked: both terms marked, and a search finds the passage. */
function assertWorks({ terms, hits }) {
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
}

test("the widget fetches the gzipped core, and not the plain wasm", async () => {
  const { terms, hits, wasm, problems } = await load();
  assertWorks({ terms, hits });
  assert.deepEqual(wasm, [GZIPPED]);
  assert.deepEqual(problems, []);
});

test("a server that sends the .gz with Content-Encoding: gzip (the browser inflates it) works the same", async () => {
  const gzipped = await readFile(join(ROOT, "www", GZIPPED));
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [200, gzipped, "application/wasm", { "content-encoding": "gzip" }] });
  assertWorks({ terms, hits });
  assert.deepEqual(wasm, [GZIPPED]);
  assert.deepEqual(problems, []);
});

test("without the .gz on the server, the plain wasm is loaded", async () => {
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [404, "not found", "text/plain"] });
  assertWorks({ terms, hits });
  assert.deepEqual(wasm, [GZIPPED, PLAIN]);
  assert.equal(problems.length, 1);
  assert.match(problems[0], NOT_FOUND);
});

test("a damaged .gz falls back to the plain wasm", async () => {
  const damaged = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [200, damaged, "application/octet-stream"] });
  assertWorks({ terms, hits });
  assert.deepEqual(wasm, [GZIPPED, PLAIN]);
  assert.deepEqual(problems, []);
});

test("a browser without DecompressionStream loads the plain wasm", async () => {
  const { terms, hits, wasm, problems } = await load({}, () => delete window.DecompressionStream);
  assertWorks({ terms, hits });
  assert.deepEqual(wasm, [PLAIN]);
  assert.deepEqual(problems, []);
});

test("a .gz from a build with other imports fails to link, and the plain wasm is loaded", async () => {
  // The glue's import module is named after a hash of the imports (scripts/short-imports.mjs);
  // another name stands for a wasm from another build.
  const widget = await readFile(join(ROOT, "www", "dist", "glossa.js"), "utf8");
  const [module] = widget.match(/\bg[0-9a-f]{8}(?=:\{)/) ?? [];
  assert.ok(module, "the glue bundled in glossa.js names its import module g + 8 hex digits");
  const wasm = gunzipSync(await readFile(join(ROOT, "www", GZIPPED)));
  const other = Buffer.from(wasm.toString("latin1").replaceAll(module, "g00000000"), "latin1");
  assert.notDeepEqual(other, wasm);
  const { terms, hits, wasm: fetched, problems } = await load({ [GZIPPED]: [200, gzipSync(other), "application/octet-stream"] });
  assertWorks({ terms, hits });
  assert.deepEqual(fetched, [GZIPPED, PLAIN]);
  assert.deepEqual(problems, []);
});

test("a page in another language fetches the gzipped core with every stemmer, and only that", async () => {
  const glossary = JSON.stringify({ language: "de", entries: [{ term: "Doppelherrschaft", definition: "Zwei Mächte zugleich." }] });
  const { terms, wasm, problems } = await load({
    "/": html(`
<glossa-reader lang="de" glossary="/de.json">
  <article id="post"><h1>Russland 1917</h1><p>Die Doppelherrschaften endeten im Oktober.</p></article>
</glossa-reader>`),
    "/de.json": [200, glossary],
  });
  assert.deepEqual(terms, ["Doppelherrschaften"]);
  assert.deepEqual(wasm, ["/dist/core-intl/glossa_core_bg.wasm.gz"]);
  assert.deepEqual(problems, []);
});
