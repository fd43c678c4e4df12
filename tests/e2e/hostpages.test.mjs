// The reader around an article as real pages write them: nested inline markup, a table,
// footnotes, <br>, <wbr>, soft hyphens, Arabic and Hebrew right to left, Chinese and
// Japanese, an iframe, inline SVG, a form control, React's comment nodes, an inline script
// and noscript, text a script built in pieces, and listeners the page attached before the
// widget came. Marking keeps every
// node, attribute and listener, draws the text where it was, finds terms where a reader sees
// them; search reads the text as a reader does; destroy() puts back every node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, html, recordGlossaEvents, waitForReady, waitForPopover, waitForPopoverClosed,
  recordSearchResults, waitForResults, searchState, hitRanges, glyphBoxes,
} from "./harness.mjs";

// The demo glossary, with the names of three entries in other scripts.
const GLOSSARY = JSON.parse(await readFile(join(ROOT, "content", "glossary.json"), "utf8"));
const ALIASES = {
  lenin: ["لينين", "לנין", "列宁", "レーニン"],
  dotp: ["ديكتاتورية البروليتاريا", "דיקטטורת הפרולטריון", "无产阶级专政", "プロレタリア独裁"],
  soviet: ["苏维埃"],
};
for (const entry of GLOSSARY.entries) entry.aliases.push(...(ALIASES[entry.id] ?? []));

// Served without the widget: each test loads it once the page has been recorded as it was.
const ARTICLE = `
<glossa-search></glossa-search>
<glossa-reader glossary="/world.json" article-id="world">
  <article id="world">
    <h1>Dual power in 1917</h1>
    <p id="nested">In <b>1917 <i>the <span class="x">soviets</span></i></b> and the <a href="#fn1">Provisional
      Government</a> shared <em>dual <strong>power</strong></em>; <span>dual</span> <span>power</span> again, and
      <span id="clickable" data-x="1">Lenin <u>argued</u></span> it could not hold.<sup id="ref1"><a href="#fn1" id="fnref">1</a></sup></p>
    <p id="shy">The dic&shy;ta&shy;tor&shy;ship of the pro&shy;le&shy;tar&shy;iat, as Lenin wrote.</p>
    <p id="wbr">The dictator<wbr>ship of the prole<wbr>tariat; dual<wbr> power; Lenin<wbr>’s soviets.</p>
    <p id="br">Lenin<br>Kamenev<br>and the soviets</p>
    <table id="table">
      <caption>Who held power</caption>
      <thead><tr><th>Body</th><th>Role</th></tr></thead>
      <tbody>
        <tr><td>Soviets</td><td>Workers' councils holding dual power</td></tr>
        <tr><td>Provisional Government</td><td>The bourgeois state</td></tr>
      </tbody>
    </table>
    <p id="ar" dir="rtl" lang="ar">قال لينين إن ديكتاتورية البروليتاريا ضرورية.</p>
    <p id="he" dir="rtl" lang="he">לנין כתב על דיקטטורת הפרולטריון.</p>
    <p id="zh" lang="zh">马克思主张无产阶级专政。列宁与苏维埃。</p>
    <p id="ja" lang="ja">レーニンはプロレタリア独裁を論じた。</p>
    <figure>
      <iframe id="frame" title="A frame" srcdoc="<p>Lenin and the soviets, inside an iframe.</p>"></iframe>
      <figcaption>A frame about the Paris Commune.</figcaption>
    </figure>
    <p id="svg">An icon <svg width="40" height="20" viewBox="0 0 40 20" role="img" aria-label="Lenin"><title>Lenin</title><text x="0" y="15">Lenin</text></svg> beside the soviets.</p>
    <p id="form"><label>Lenin <input id="input" value="Lenin"></label> and the soviets.</p>
    <p id="react">The dual <!-- -->power<!-- --> of the soviets.</p>
    <p id="nodes"></p>
    <p id="script">Lenin<script>window.__inline = "Kerensky";</script> and <noscript><img src="x" alt="Kornilov"></noscript>the soviets.</p>
    <p id="again">Lenin spoke.</p>
    <p id="again2">Lenin spoke.</p>
    <ol class="footnotes"><li id="fn1">Lenin, <cite>The Dual Power</cite>, 1917. <a href="#ref1" id="back">↩</a></li></ol>
  </article>
</glossa-reader>
<script>
  // Text a script built in pieces: three adjacent text nodes, one of them white space.
  document.getElementById("nodes").append("Their dual", " ", "power of the soviets.");

  // The page's own listeners, attached before the widget: on an element holding a term, one
  // delegated to the article, one capturing, one on a form control.
  window.__events = [];
  const article = document.getElementById("world");
  document.getElementById("clickable").addEventListener("click", () => __events.push("clickable"));
  article.addEventListener("click", (e) => { if (e.target.closest("#clickable")) __events.push("delegated"); });
  article.addEventListener("click", () => __events.push("capture"), true);
  document.getElementById("input").addEventListener("input", (e) => __events.push("input:" + e.target.value));
  window.__frameLoads = 0;
  document.getElementById("frame").addEventListener("load", () => __frameLoads++);

  // Every node of the reader with its children, and the markup, as the page made them.
  const reader = document.querySelector("glossa-reader");
  const tree = (root) => {
    const out = [];
    const walk = (n) => { out.push([n, [...n.childNodes]]); n.childNodes.forEach(walk); };
    walk(root);
    return out;
  };
  window.__tree = tree;
  window.__before = { html: reader.innerHTML, text: reader.textContent, tree: tree(reader) };
</script>`;

// Where terms are found, block by block: [id, [[entry, text as marked], ...]].
const EXPECTED = [
  // Not across elements ("dual <strong>power</strong>"), not in a link; inside nesting, yes.
  ["nested", [["soviet", "soviets"], ["lenin", "Lenin"]]],
  ["shy", [["dotp", "dic\u00ADta\u00ADtor\u00ADship of the pro\u00ADle\u00ADtar\u00ADiat"], ["lenin", "Lenin"]]],
  ["wbr", [["dotp", "dictatorship of the proletariat"], ["dual-power", "dual power"], ["lenin", "Lenin’s"], ["soviet", "soviets"]]],
  ["br", [["lenin", "Lenin"], ["soviet", "soviets"]]],
  ["table", [["soviet", "Soviets"], ["soviet", "Workers' councils"], ["dual-power", "dual power"],
    ["provisional-government", "Provisional Government"], ["bourgeoisie", "bourgeois"]]],
  ["ar", [["lenin", "لينين"], ["dotp", "ديكتاتورية البروليتاريا"]]],
  ["he", [["lenin", "לנין"], ["dotp", "דיקטטורת הפרולטריון"]]],
  ["zh", [["dotp", "无产阶级专政"], ["lenin", "列宁"], ["soviet", "苏维埃"]]],
  ["ja", [["lenin", "レーニン"], ["dotp", "プロレタリア独裁"]]],
  ["frame", []],
  ["svg", [["soviet", "soviets"]]],
  ["form", [["soviet", "soviets"]]],
  ["react", [["dual-power", "dual power"], ["soviet", "soviets"]]],
  ["nodes", [["dual-power", "dual power"], ["soviet", "soviets"]]],
  ["script", [["lenin", "Lenin"], ["soviet", "soviets"]]],
  ["fn1", [["lenin", "Lenin"], ["dual-power", "Dual Power"]]],
];

let server, browser;
before(async () => {
  server = await serve(undefined, {
    "/world.html": html(ARTICLE, { script: false }),
    "/world.json": [200, JSON.stringify(GLOSSARY)],
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The article page, recorded as it was; then the widget, ready. */
async function openWorld({ load = true } = {}) {
  const page = await browser.page();
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}/world.html`);
  await page.waitForFunction(() => window.__frameLoads === 1);
  await page.evaluate(() => { document.getElementById("frame").contentWindow.__kept = "not reloaded"; });
  if (load) await loadWidget(page);
  return page;
}

async function loadWidget(page) {
  await page.evaluate(() => import("/dist/glossa.js"));
  await waitForReady(page);
}

/**
 * Whether two glyph boxes (see glyphBoxes) are the same place: within a pixel, as text
 * shaped in pieces may land a fraction of a pixel off; a glyph of another form (Arabic
 * letters joined differently) or a reordered run moves by several.
 */
function nearly(a, b) {
  return a === b || (a !== null && b !== null && Math.abs(a[0] - b[0]) <= 1 && Math.abs(a[1] - b[1]) <= 1);
}

/** The iframe still holds what the test put in it, and loaded once. */
async function assertFrameKept(page) {
  assert.deepEqual(await page.evaluate(() => [window.__frameLoads, document.getElementById("frame").contentWindow.__kept]),
    [1, "not reloaded"]);
}

test("marking keeps the article's text, markup and nodes, and finds terms where a reader sees them", async () => {
  const page = await openWorld();
  const found = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id,
    [...document.getElementById(id).querySelectorAll("glossa-term")].map((m) => [m.dataset.glossaTerm, m.textContent])])),
  EXPECTED.map(([id]) => id));
  assert.deepEqual(Object.entries(found), EXPECTED);

  const kept = await page.evaluate(() => {
    const reader = document.querySelector("glossa-reader");
    const unwrapped = reader.cloneNode(true);
    for (const m of unwrapped.querySelectorAll("glossa-term")) m.replaceWith(...m.childNodes);
    // Every node the page made is still in the article; all but <wbr> and comments inside a
    // term have the parent they had.
    const moved = window.__before.tree.filter(([node]) => node !== reader)
      .filter(([node]) => !node.isConnected || !reader.contains(node)
        || (node.parentNode.localName === "glossa-term" && !(node.localName === "wbr" || node.nodeType === Node.COMMENT_NODE)))
      .map(([node]) => node.nodeName);
    const parents = window.__before.tree.flatMap(([parent, children]) => children.map((c) => [c, parent]))
      .filter(([child, parent]) => child.parentNode !== parent && child.parentNode.localName !== "glossa-term")
      .map(([child]) => child.nodeName);
    return {
      text: reader.textContent === window.__before.text,
      markup: unwrapped.innerHTML === window.__before.html,
      moved,
      parents,
      wbrInTerms: [...reader.querySelectorAll("glossa-term wbr")].length,
      commentsInTerms: [...reader.querySelectorAll("glossa-term")].filter((m) => [...m.childNodes].some((n) => n.nodeType === Node.COMMENT_NODE)).length,
    };
  });
  assert.deepEqual(kept, { text: true, markup: true, moved: [], parents: [], wbrInTerms: 4, commentsInTerms: 1 });
  await assertFrameKept(page);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("right-to-left, Chinese, Japanese, soft-hyphenated and <wbr> text is drawn exactly where it was", async () => {
  const page = await openWorld({ load: false });
  const blocks = ["#ar", "#he", "#zh", "#ja", "#shy", "#wbr", "#react"];
  const before = await Promise.all(blocks.map((b) => glyphBoxes(page, b)));
  await loadWidget(page);
  assert.ok(await page.locator("#ar glossa-term, #he glossa-term").count() >= 4);
  const after = await Promise.all(blocks.map((b) => glyphBoxes(page, b)));
  for (const [i, block] of blocks.entries()) {
    const moved = after[i].flatMap((box, j) => (nearly(box, before[i][j]) ? [] : [[j, before[i][j], box]]));
    assert.deepEqual(moved, [], `${block}: characters moved ([index, before, after])`);
  }
  // A term in a right-to-left paragraph opens its definition like any other.
  await page.locator('#he glossa-term[data-glossa-term="dotp"]').focus();
  await waitForPopover(page, "dictatorship of the proletariat");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the page's listeners still fire through marked terms; links, footnotes and form controls still work", async () => {
  const page = await openWorld();
  await page.locator('#clickable glossa-term[data-glossa-term="lenin"]').click();
  await waitForPopover(page, "Vladimir Lenin");
  assert.deepEqual(await page.evaluate(() => window.__events), ["capture", "clickable", "delegated"]);
  await page.keyboard.press("Escape");
  await waitForPopoverClosed(page);

  await page.locator("#input").fill("Lenin and Kautsky");
  assert.deepEqual((await page.evaluate(() => window.__events)).at(-1), "input:Lenin and Kautsky");
  // The footnote reference and its back-link go where they pointed, with no widget in the way.
  await page.locator("#fnref").click();
  await page.waitForFunction(() => location.hash === "#fn1");
  await page.locator("#back").click();
  await page.waitForFunction(() => location.hash === "#ref1");
  assert.equal(await page.locator("glossa-popover:not([hidden])").count(), 0);
  await assertFrameKept(page);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("search reads a <br> as a break, skips inline script and noscript, and opens each passage on its own block", async () => {
  const page = await openWorld();
  const input = page.locator("glossa-search input");
  // "Lenin<br>Kamenev<br>and the soviets" is three words, not "LeninKamenevand".
  await input.fill("Kamenev");
  await waitForResults(page, "Kamenev");
  assert.equal((await searchState(page)).options.length, 1);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => CSS.highlights.get("glossa-hit")?.size > 0);
  const reader = await page.evaluateHandle(() => document.querySelector("glossa-reader"));
  const opened = await page.evaluate(() => document.querySelector(".glossa-opened")?.id);
  assert.equal(opened, "br");
  assert.deepEqual((await hitRanges(page)).map((r) => r.text), ["Kamenev"]);

  // The code of an inline script and the markup inside noscript are not the article's text.
  for (const query of ["Kerensky", "Kornilov", "inline"]) {
    await input.fill(query);
    await waitForResults(page, query);
    assert.equal((await searchState(page)).status, "No passages found", query);
  }

  // Two identical paragraphs are two passages on two blocks; a second hit opened before the
  // first one's outline has faded leaves the first block's class attribute as it was.
  const blocks = await reader.evaluate((r) => {
    const out = [];
    for (let n = 0, block; (block = r.passageElement(n)); n++) out.push(block.id || block.localName);
    return out;
  });
  assert.deepEqual(blocks, ["nested", "shy", "wbr", "br", "th", "th", "td", "td", "td", "td", "ar", "he", "zh", "ja", "figcaption", "svg", "form", "react", "nodes", "script", "again", "again2", "fn1"]);
  await input.fill("spoke");
  await waitForResults(page, "spoke");
  assert.equal((await searchState(page)).options.length, 2);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".glossa-opened"));
  const first = await page.evaluate(() => document.querySelector(".glossa-opened").id);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction((id) => document.querySelector(".glossa-opened")?.id !== id, first);
  const classes = await page.evaluate(() => ({
    again: document.getElementById("again").getAttribute("class"),
    again2: document.getElementById("again2").getAttribute("class"),
  }));
  assert.deepEqual(Object.values(classes).sort(), ["glossa-opened", null].sort(), JSON.stringify(classes));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("destroy() puts back every node, mid-flash too, and leaves the iframe alone", async () => {
  const page = await openWorld();
  // Open a passage (its block gets an outline class for a moment), and a definition.
  await page.locator("glossa-search input").fill("Kamenev");
  await waitForResults(page, "Kamenev");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".glossa-opened"));
  await page.locator('#wbr glossa-term[data-glossa-term="dotp"]').focus();
  await waitForPopover(page, "dictatorship of the proletariat");

  const restored = await page.evaluate(() => {
    const reader = document.querySelector("glossa-reader");
    reader.destroy();
    const now = window.__tree(reader);
    const same = now.length === window.__before.tree.length && now.every(([node, children], i) => {
      const [was, wasChildren] = window.__before.tree[i];
      return node === was && children.length === wasChildren.length && children.every((c, j) => c === wasChildren[j]);
    });
    return { html: reader.innerHTML === window.__before.html, nodes: same, markers: document.querySelectorAll("glossa-term").length };
  });
  assert.deepEqual(restored, { html: true, nodes: true, markers: 0 });
  await waitForPopoverClosed(page);
  await assertFrameKept(page);
  assert.deepEqual(page.problems, []);
  await page.close();
});
