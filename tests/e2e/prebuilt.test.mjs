// A blog with a prebuilt index (the `index` attribute): search on one post finds passages in the
// others and links to them; "Where else" links to other posts; following a link opens the
// passage on its own page. The index is built here with the same wasm core the page loads.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, html, openReady, waitForPopover, recordGlossaEvents, recordSearchResults,
  waitForResults, searchState, waitForReady, buildIndex,
} from "./harness.mjs";

const GLOSSARY = await readFile(join(ROOT, "content", "glossary.json"), "utf8");
const POSTS = [
  {
    id: "post-a", title: "Dual power in 1917", url: "/post-a.html",
    passages: [
      "After February the soviets and the Provisional Government shared power.",
      "Lenin argued that this dual power could not last for long.",
    ],
  },
  {
    id: "post-b", title: "The Commune of 1871", url: "/post-b.html",
    passages: [
      "The Paris Commune held the city for seventy-two days in the spring.",
      "Its barricades in Belleville were the last to fall; Lenin later studied the Commune closely.",
    ],
  },
];

const postPage = (post) => html(`
<header><glossa-search index="/site.glossa"></glossa-search></header>
<glossa-reader glossary="/dist/content/glossary.json" index="/site.glossa" article-id="${post.id}"
  article-title="${post.title}" article-url="${post.url}">
  <article><h1>${post.title}</h1>${post.passages.map((p) => `<p>${p}</p>`).join("")}</article>
</glossa-reader>`);

let server, browser;
before(async () => {
  const index = await buildIndex(POSTS, GLOSSARY);
  server = await serve(undefined, {
    "/site.glossa": [200, index, "application/octet-stream"],
    "/post-a.html": postPage(POSTS[0]),
    "/post-b.html": postPage(POSTS[1]),
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("search on one post finds a passage in another, and Enter opens it on its own page", async () => {
  const page = await browser.page();
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}/post-a.html`);
  await waitForReady(page);
  await page.locator("glossa-search input").fill("belleville");
  await waitForResults(page, "belleville");
  const state = await searchState(page);
  assert.equal(state.options.length, 1, JSON.stringify(state));
  assert.match(state.options[0].text, /The Commune of 1871/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/post-b\.html#glossa=post-b:1$/);
  await waitForReady(page);
  const opened = await page.evaluate(() => {
    const block = document.querySelector("glossa-reader").passageElement(1);
    const r = block.getBoundingClientRect();
    const ranges = [...(CSS.highlights.get("glossa-hit") ?? [])];
    return {
      text: block.textContent,
      visible: r.bottom > 0 && r.top < innerHeight,
      inBlock: ranges.every((range) => block.contains(range.startContainer)),
    };
  });
  assert.match(opened.text, /Belleville/);
  assert.equal(opened.visible, true);
  assert.equal(opened.inBlock, true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("'Where else' in a definition links to the other post's passage", async () => {
  const page = await openReady(browser, `${server.url}/post-a.html`);
  await page.locator('glossa-term[data-glossa-term="lenin"]').first().focus();
  await waitForPopover(page, "Vladimir Lenin");
  const links = await page.evaluate(() =>
    [...document.querySelector("glossa-popover").shadowRoot.querySelectorAll("a.mention")].map((a) => ({
      href: a.getAttribute("href"),
      where: a.querySelector(".where")?.textContent,
    })));
  assert.deepEqual(links, [{ href: `${server.url}/post-b.html#glossa=post-b:1:Vladimir%20Lenin`, where: "The Commune of 1871" }]);
  assert.deepEqual(page.problems, []);
  await page.close();
});
