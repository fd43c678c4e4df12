// The fixture blog (tests/blog): 22 Markdown posts built by Eleventy, with glossa installed
// from its npm package, one index of every post prebuilt by `glossa index` from the built
// pages, and terms marked at build time by `glossa annotate --html`. It is built twice: as
// a blog would ship it, and with no glossa build step (the widget marks and indexes each page
// itself), so the build-time work can be checked against what the widget does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  serve, launch, ROOT, openReady, waitForPopover, recordSearchResults, waitForResults, searchState,
  waitForReady, recordGlossaEvents,
} from "./harness.mjs";

let scratch, built, widgetOnly, posts, server, widgetServer, browser;

function build(out, env = {}) {
  execFileSync(join(ROOT, "tests", "blog", "build.sh"), [out], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "glossa-blog-"));
  built = join(scratch, "site");
  widgetOnly = join(scratch, "widget-only");
  build(built);
  build(widgetOnly, { GLOSSA_BLOG_WIDGET_ONLY: "1" });
  posts = (await readdir(join(built, "posts"))).sort();
  server = await serve(built);
  widgetServer = await serve(widgetOnly);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await widgetServer?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The marks in a page's reader, in document order, as [entry id, text]. */
const marksIn = (page) => page.$$eval("glossa-reader glossa-term", (marks) =>
  marks.map((m) => [m.dataset.glossaTerm, m.textContent]));

/** The passages the page's engine holds for its own article. */
const ownPassages = (page) => page.evaluate(() => {
  const reader = document.querySelector("glossa-reader");
  return reader.engine.glossa.passages(window.__glossa.ready[0].article);
});

test("the fixture is a real blog: at least 20 posts, each page embedding the widget from the npm package", async () => {
  assert.ok(posts.length >= 20, `${posts.length} posts`);
  for (const post of posts) {
    const page = await readFile(join(built, "posts", post, "index.html"), "utf8");
    assert.match(page, /<script type="module" src="\/glossa\/glossa\.js"><\/script>/, post);
    assert.match(page, /<glossa-reader index="\/glossa\/blog\.glossa">/, post);
  }
  const shipped = JSON.parse(await readFile(join(built, "glossa", "package.json"), "utf8"));
  assert.equal(shipped.name, "glossa");
});

test("build-time marks are in the HTML, exactly where the widget marks the same page itself", async () => {
  let total = 0;
  for (const post of posts) {
    const path = `/posts/${post}/`;
    const source = await readFile(join(built, "posts", post, "index.html"), "utf8");
    const inSource = (source.match(/<glossa-term data-glossa-term=/g) ?? []).length;
    assert.ok(inSource > 0, `${post}: no marks in the built HTML`);

    const prebuilt = await openReady(browser, server.url + path);
    const adopted = await marksIn(prebuilt);
    const ready = await prebuilt.evaluate(() => window.__glossa.ready[0]);
    assert.equal(adopted.length, inSource, `${post}: the widget marked again or dropped marks`);
    assert.equal(ready.terms, inSource, `${post}: glossa:ready counts the adopted marks`);
    assert.deepEqual(prebuilt.problems, [], post);

    const runtime = await openReady(browser, widgetServer.url + path);
    assert.deepEqual(adopted, await marksIn(runtime), `${post}: build-time and runtime marks differ`);
    assert.deepEqual(runtime.problems, [], post);
    await prebuilt.close();
    await runtime.close();
    total += inSource;
  }
  assert.ok(total > 200, `${total} marks in all`);
});

test("the prebuilt index holds each post with the very passages the widget takes from its page", async () => {
  for (const post of posts) {
    const path = `/posts/${post}/`;
    const prebuilt = await openReady(browser, server.url + path);
    const runtime = await openReady(browser, widgetServer.url + path);
    const [fromIndex, fromPage] = [await ownPassages(prebuilt), await ownPassages(runtime)];
    assert.ok(fromIndex.length >= 3, `${post}: ${fromIndex.length} passages`);
    assert.deepEqual(fromIndex, fromPage, post);
    // Chrome around the article (the subscription prompt, "More posts") is not a passage.
    assert.ok(!fromIndex.some((p) => /Subscribe for one email|More posts/.test(p)), post);
    const ids = await prebuilt.evaluate(() => window.__glossa.ready.map((r) => r.article));
    assert.deepEqual(ids, [`${path}#0`], post);
    await prebuilt.close();
    await runtime.close();
  }
});

test("terms in code, the skipped aside and links stay unmarked; the accentless spelling is marked", async () => {
  const timeline = await readFile(join(built, "posts", "timeline-and-sources", "index.html"), "utf8");
  const code = timeline.match(/<pre>[\s\S]*?<\/pre>/)[0];
  assert.match(code, /Paris Commune/);
  assert.doesNotMatch(code, /glossa-term/);
  const remembering = await readFile(join(built, "posts", "remembering-the-commune", "index.html"), "utf8");
  const aside = remembering.match(/<aside data-glossa-skip>[\s\S]*?<\/aside>/)[0];
  assert.match(aside, /Paris Commune/);
  assert.doesNotMatch(aside, /glossa-term/);
  const vendome = await readFile(join(built, "posts", "vendome-column", "index.html"), "utf8");
  assert.match(vendome, /<glossa-term data-glossa-term="place-vendome"[^>]*>Place Vendome<\/glossa-term>/);
});

test("a prebuilt mark opens its definition, with 'Where else' linking to other posts", async () => {
  const page = await openReady(browser, `${server.url}/posts/paris-commune/`);
  await page.focus('glossa-term[data-glossa-term="paris-commune"]');
  await waitForPopover(page, "Paris Commune");
  const links = await page.evaluate(() => [...document.querySelector("body > glossa-popover")
    .shadowRoot.querySelectorAll("a.mention")].map((a) => a.getAttribute("href")));
  assert.ok(links.length >= 2, `links: ${links}`);
  const urls = links.map((href) => new URL(href));
  for (const url of urls) {
    assert.match(url.pathname, /^\/posts\/[a-z0-9-]+\/$/);
    assert.match(url.hash, /^#glossa=.+:\d+:Paris%20Commune$/, "the link names the term to highlight");
  }
  assert.ok(urls.some((url) => url.pathname !== "/posts/paris-commune/"), "a link to another post");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("search on one post finds passages in the others and opens them on their own pages", async () => {
  const page = await browser.page();
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}/posts/roman-dictator/`);
  await waitForReady(page);
  await page.locator("glossa-search input").fill("dual power");
  await waitForResults(page, "dual power");
  const state = await searchState(page);
  const hits = await page.evaluate(() => document.querySelector("glossa-search").search("dual power")
    .map(({ article, url }) => ({ article, url })));
  const others = new Set(hits.map((h) => h.article).filter((a) => a !== "/posts/roman-dictator/#0"));
  assert.ok(state.options.length >= 4, `${state.options.length} results`);
  assert.ok(others.size >= 3, `posts found: ${[...others]}`);
  for (const hit of hits) assert.equal(hit.url, hit.article.replace(/#0$/, ""), "each post's URL is its page");

  const chosen = hits.findIndex((h) => h.article === "/posts/petrograd-soviet/#0");
  assert.ok(chosen >= 0, "the Petrograd Soviet post is among the results");
  await page.locator("glossa-search [role=option]").nth(chosen).click();
  await page.waitForURL(/\/posts\/petrograd-soviet\/#glossa=/);
  await waitForReady(page);
  // The passage opened on its own page is highlighted with the search words.
  await page.waitForFunction(() => CSS.highlights?.get("glossa-hit")?.size > 0);
  const highlighted = await page.evaluate(() => [...CSS.highlights.get("glossa-hit")].map((r) => r.toString().toLowerCase()));
  assert.ok(highlighted.some((t) => t.includes("dual") || t.includes("power")), `highlighted: ${highlighted}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
