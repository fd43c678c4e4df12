// How the widget fetches its wasm core: the Zopfli-gzipped file that scripts/precompress.mjs
// writes, inflated in the page, and the plain wasm beside it when that file cannot be used.
// Every way ends with the article's terms marked, a search answered and nothing else said in
// the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, serve, launch, html, recordGlossaEvents, waitForReady } from "./harness.mjs";

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
  const page = await browser.page();
  try {
    const fetched = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    if (init) await page.addInitScript(init);
    await recordGlossaEvents(page);
    await page.goto(server.url + "/");
    await waitForReady(page);
    const found = await page.evaluate(() => {
      const reader = document.querySelector("glossa-reader");
      return {
        terms: [...document.querySelectorAll("glossa-term")].map((t) => t.textContent),
        hits: reader.engine.glossa.search("dual power").length,
      };
    });
    return { ...found, wasm: fetched.filter((p) => p.includes("_bg.wasm")), problems: page.problems };
  } finally {
    await page.close();
    await server.close();
  }
}

test("the widget fetches the gzipped core, and not the plain wasm", async () => {
  const { terms, hits, wasm, problems } = await load();
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
  assert.deepEqual(wasm, [GZIPPED]);
  assert.deepEqual(problems, []);
});

test("a server that sends the .gz with Content-Encoding: gzip (the browser inflates it) works the same", async () => {
  const gzipped = await readFile(join(ROOT, "www", GZIPPED));
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [200, gzipped, "application/wasm", { "content-encoding": "gzip" }] });
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
  assert.deepEqual(wasm, [GZIPPED]);
  assert.deepEqual(problems, []);
});

test("without the .gz on the server, the plain wasm is loaded", async () => {
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [404, "not found", "text/plain"] });
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
  assert.deepEqual(wasm, [GZIPPED, PLAIN]);
  assert.equal(problems.length, 1);
  assert.match(problems[0], NOT_FOUND);
});

test("a damaged .gz falls back to the plain wasm", async () => {
  const damaged = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);
  const { terms, hits, wasm, problems } = await load({ [GZIPPED]: [200, damaged, "application/octet-stream"] });
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
  assert.deepEqual(wasm, [GZIPPED, PLAIN]);
  assert.deepEqual(problems, []);
});

test("a browser without DecompressionStream loads the plain wasm", async () => {
  const { terms, hits, wasm, problems } = await load({}, () => delete window.DecompressionStream);
  assert.deepEqual(terms, ["Lenin", "dual power"]);
  assert.equal(hits, 1);
  assert.deepEqual(wasm, [PLAIN]);
  assert.deepEqual(problems, []);
});
