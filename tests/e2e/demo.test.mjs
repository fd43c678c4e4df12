// The demo page (www/index.html) end to end in headless Chromium, on a desktop and a phone
// viewport: both readers ready, the articles exactly as in content/articles/*.json and credited
// to their publications, no horizontal overflow, the index of terms with their counts, and a
// clean console. Screenshots for a human to look at go to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, recordGlossaEvents, waitForReady, recordSearchResults, waitForResults,
  waitForPopover, popoverState, searchState, focused,
} from "./harness.mjs";

const ARTIFACTS = join(ROOT, "tests", "e2e", "artifacts");
const IDS = ["viewpoint-dotp", "morning-star-lenin"];
const ARTICLES = Object.fromEntries(await Promise.all(IDS.map(async (id) =>
  [id, JSON.parse(await readFile(join(ROOT, "content", "articles", `${id}.json`), "utf8"))])));
const GLOSSARY = JSON.parse(await readFile(join(ROOT, "content", "glossary.json"), "utf8"));
const ID_OF_TERM = new Map(GLOSSARY.entries.map((e) => [e.term, e.id]));
// How the index files a term: its `sort_as` ("Marx, Karl") when the glossary gives one.
const FILED_AS = new Map(GLOSSARY.entries.map((e) => [e.term, e.sort_as ?? e.term]));
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 700 };
const norm = (s) => s.replace(/\s+/g, " ").trim();

let server, browser;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDemo(viewport) {
  const page = await browser.page(viewport);
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}/`);
  await waitForReady(page, 2);
  return page;
}

/** Whether the page scrolls sideways. */
const overflow = (page) => page.evaluate(() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth,
  wide: [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(0, 5).map((e) => `${e.localName}${e.id ? `#${e.id}` : ""}${e.className ? `.${e.className}` : ""}`),
}));

for (const [name, viewport] of [["desktop 1280×800", DESKTOP], ["phone 375×700", PHONE]]) {
  test(`demo page, ${name}: both readers ready, articles as published and credited, no sideways scroll`, async () => {
    const page = await openDemo(viewport);
    const ready = await page.evaluate(() => window.__glossa);
    assert.deepEqual(ready.error, []);
    assert.deepEqual(ready.ready.map((r) => r.article).sort(), [...IDS].sort());
    for (const r of ready.ready) {
      assert.ok(r.terms > 0 && r.entries > 0, `${r.article}: no terms marked`);
      assert.equal(r.target, "glossa-reader");
    }

    for (const id of IDS) {
      const art = ARTICLES[id];
      const shown = await page.evaluate((id) => {
        const reader = document.querySelector(`glossa-reader[article-id="${id}"]`);
        const article = reader.querySelector(`article#${id}`);
        const body = [...article.querySelectorAll(":scope > p:not(.credit):not(.standfirst)")];
        const indexed = reader.engine.glossa.passages(id);
        return {
          title: article.querySelector("h2")?.textContent,
          standfirst: article.querySelector(".standfirst")?.textContent ?? "",
          credit: article.querySelector(".credit")?.textContent ?? null,
          body: body.map((p) => p.textContent),
          indexed,
          // Which page paragraph each indexed passage opens (reader.passageElement).
          opens: indexed.map((_, n) => body.indexOf(reader.passageElement(n))),
        };
      }, id);
      assert.equal(norm(shown.title), norm(art.title), `${id}: title`);
      assert.equal(norm(shown.standfirst), norm(art.standfirst), `${id}: standfirst`);
      assert.deepEqual(shown.body.map(norm), art.passages.map(norm), `${id}: the article's paragraphs`);
      // Every published paragraph is searchable as a passage of its own, and opens itself.
      for (const [k, passage] of art.passages.entries()) {
        const n = shown.indexed.findIndex((p) => norm(p) === norm(passage));
        assert.ok(n >= 0, `${id}: paragraph ${k} is not a passage of the index`);
        assert.equal(shown.opens[n], k, `${id}: passage ${n} opens paragraph ${shown.opens[n]}, not ${k}`);
      }
      assert.equal(norm(shown.credit ?? ""), norm(art.credit), `${id}: credit`);
      // The credit is on screen when scrolled to, readable-sized, and not cut off.
      const credit = page.locator(`article#${id} .credit`);
      await credit.scrollIntoViewIfNeeded();
      assert.ok(await credit.isVisible(), `${id}: credit hidden`);
      const box = await credit.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, width: r.width, height: r.height, font: parseFloat(getComputedStyle(e).fontSize), clipped: e.scrollWidth > e.clientWidth };
      });
      assert.ok(box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= viewport.width, `${id}: credit box ${JSON.stringify(box)}`);
      assert.ok(box.font >= 12, `${id}: credit font ${box.font}px`);
      assert.equal(box.clipped, false, `${id}: credit clipped`);
    }
    // The credits are not marked up as glossary terms.
    assert.equal(await page.locator(".credit glossa-term").count(), 0);

    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.innerWidth, `page is ${o.scrollWidth}px wide in a ${o.innerWidth}px viewport; too wide: ${o.wide}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test(`demo page, ${name}: the index lists the glossary's terms A–Z with their counts on the page`, async () => {
    const page = await openDemo(viewport);
    const index = await page.evaluate(() => {
      const root = document.querySelector("glossa-index").shadowRoot;
      return {
        letters: [...root.querySelectorAll("h2")].map((h) => h.textContent),
        items: [...root.querySelectorAll("li")].map((li) => ({
          term: li.querySelector("button").textContent,
          disabled: li.querySelector("button").disabled,
          count: li.querySelector(".count").textContent,
          letter: li.closest("ul").previousElementSibling.textContent,
        })),
      };
    });
    const markers = await page.evaluate(() => {
      const counts = {};
      for (const m of document.querySelectorAll("glossa-term[data-glossa-term]")) counts[m.dataset.glossaTerm] = (counts[m.dataset.glossaTerm] || 0) + 1;
      return counts;
    });
    const ready = await page.evaluate(() => window.__glossa.ready.reduce((n, r) => n + r.terms, 0));
    assert.equal(index.items.length, GLOSSARY.entries.length, "every glossary entry is listed");
    const terms = index.items.map((i) => i.term);
    const filed = terms.map((t) => FILED_AS.get(t));
    assert.deepEqual(filed, [...filed].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" })), "terms are A–Z as filed");
    // People by surname, titles without their article.
    const letterOf = (term) => index.items.find((i) => i.term === term)?.letter;
    assert.equal(letterOf("Karl Marx"), "M");
    assert.equal(letterOf("The Civil War in France"), "C");
    assert.equal(letterOf("dual power"), "D");
    assert.deepEqual(index.letters, [...new Set(index.letters)].sort(), "one heading per letter, A–Z");
    let total = 0;
    for (const item of index.items) {
      const id = ID_OF_TERM.get(item.term);
      assert.ok(id, `unknown term ${item.term}`);
      const count = markers[id] || 0;
      assert.equal(item.count, `(${count} on this page)`, `${item.term}: count, as a screen reader reads it`);
      assert.equal(item.disabled, count === 0, `${item.term}: a term not on the page cannot be chosen`);
      total += count;
    }
    assert.equal(total, ready, "the counts add up to the terms the readers marked");
    assert.ok(index.items.filter((i) => !i.disabled).length >= 20, "at least 20 terms are on the page");
    assert.equal(index.items.find((i) => i.term === "dual power")?.count, "(1 on this page)");

    // Choosing a term goes to its first occurrence and explains it.
    await page.locator("glossa-index button", { hasText: /^dual power$/ }).click();
    await page.waitForFunction(() => document.activeElement?.dataset?.glossaTerm === "dual-power");
    assert.equal((await focused(page)).term, "dual-power");
    await waitForPopover(page, "dual power");
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

test("screenshots: desktop full page, 375 px with a definition open, desktop with search results", async () => {
  // Desktop, the whole page.
  let page = await openDemo(DESKTOP);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(ARTIFACTS, "desktop-full.png"), fullPage: true });
  assert.deepEqual(page.problems, []);

  // Desktop with search results showing and the second one active.
  await page.locator("glossa-search input").fill("dictatorship");
  await waitForResults(page, "dictatorship");
  await page.keyboard.press("ArrowDown");
  const state = await searchState(page);
  assert.ok(state.options.length > 1 && state.selected === 0);
  const results = await page.evaluate(() => {
    const r = document.querySelector("glossa-search").shadowRoot.querySelector("[role=listbox]").getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, height: r.height };
  });
  assert.ok(results.height > 0 && results.left >= 0 && results.right <= DESKTOP.width, `results box ${JSON.stringify(results)}`);
  await page.screenshot({ path: join(ARTIFACTS, "desktop-search.png") });
  assert.ok((await overflow(page)).scrollWidth <= DESKTOP.width);
  assert.deepEqual(page.problems, []);
  await page.close();

  // A phone with a definition open (focused from the keyboard, so it stays open).
  page = await openDemo(PHONE);
  const term = page.locator('glossa-term[data-glossa-term="dictatorship"]').first();
  await term.scrollIntoViewIfNeeded();
  await term.focus();
  await waitForPopover(page);
  const pop = await page.evaluate(() => {
    const card = document.querySelector("body > glossa-popover").shadowRoot.querySelector(".card").getBoundingClientRect();
    return { left: card.left, right: card.right, top: card.top, bottom: card.bottom };
  });
  assert.ok(pop.left >= 0 && pop.right <= PHONE.width && pop.top >= 0 && pop.bottom <= PHONE.height, `popover card ${JSON.stringify(pop)} leaves the 375×700 viewport`);
  assert.equal((await popoverState(page)).open, true);
  await page.screenshot({ path: join(ARTIFACTS, "phone-popover.png") });
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `page is ${o.scrollWidth}px wide with the popover open: ${o.wide}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
