// The demo page end to end in headless Chromium: articles shown with their text intact and
// terms marked, definitions on focus, hover and Escape, passage search that opens the passage,
// and a clean console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch, ROOT } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openDemo(viewport) {
  const page = await browser.page(viewport);
  await page.goto(`${server.url}/`);
  await page.waitForSelector("body[data-glossa-ready]");
  assert.equal(await page.getAttribute("body", "data-glossa-ready"), "true");
  return page;
}

test("articles keep their exact text and have glossary terms marked", async () => {
  const page = await openDemo();
  for (const id of ["viewpoint-dotp", "morning-star-lenin"]) {
    const article = JSON.parse(await readFile(join(ROOT, "content", "articles", `${id}.json`), "utf8"));
    const shown = await page.$$eval(`#glossa-${id} [data-passage]`, (ps) => ps.map((p) => p.textContent));
    assert.deepEqual(shown, article.passages, id);
  }
  const terms = await page.$$eval("[data-glossa-term]", (ms) => ms.map((m) => [m.dataset.glossaTerm, m.textContent]));
  assert.ok(terms.length >= 20, `only ${terms.length} terms marked`);
  const dotp = terms.filter(([, text]) => /dictatorship of the proletariat/i.test(text));
  assert.ok(dotp.length >= 5, "every 'dictatorship of the proletariat' is one marked term");
  assert.ok(terms.some(([, text]) => text === "dual power"), "dual power is marked");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a term's definition opens on focus and hover and closes on Escape", async () => {
  const page = await openDemo();
  const marker = page.locator('[data-glossa-term="dual-power"]').first();
  await marker.focus();
  const box = page.locator("#definition");
  await box.waitFor({ state: "visible" });
  assert.match(await box.textContent(), /dual power/i);
  assert.equal(await marker.getAttribute("aria-expanded"), "true");
  assert.equal(await marker.getAttribute("aria-describedby"), "definition");
  await page.keyboard.press("Escape");
  await box.waitFor({ state: "hidden" });
  assert.equal(await marker.getAttribute("aria-expanded"), "false");
  await page.locator('[data-glossa-term="paris-commune"]').first().hover();
  await box.waitFor({ state: "visible" });
  assert.match(await box.textContent(), /Paris Commune/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("focus moving from a term into its definition's link keeps the definition open", async () => {
  const page = await openDemo();
  await page.locator('[data-glossa-term="dual-power"]').first().focus();
  await page.locator("#definition").waitFor({ state: "visible" });
  await page.locator("#definition a").focus();
  assert.equal(await page.locator("#definition").isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Read more");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a deep link opens its passage and a malformed fragment is harmless", async () => {
  const page = await browser.page();
  await page.goto(`${server.url}/#glossa-morning-star-lenin-1`);
  await page.waitForSelector("body[data-glossa-ready]");
  assert.equal(await page.getAttribute("body", "data-glossa-ready"), "true");
  const top = await page.locator("#glossa-morning-star-lenin-1").evaluate((p) => p.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 900, `passage at ${top}px`);
  await page.goto(`${server.url}/#%E0%A4%A`);
  await page.waitForSelector("body[data-glossa-ready]");
  assert.equal(await page.getAttribute("body", "data-glossa-ready"), "true");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("search finds passages as you type and opens the chosen one", async () => {
  const page = await openDemo();
  const input = page.locator("#search-input");
  await input.pressSequentially("sovi");
  await page.locator("#search-results li").first().waitFor();
  assert.match(await page.locator("#search-results").textContent(), /soviet/i);

  await input.fill("dual power");
  await page.locator("#search-results li").first().waitFor();
  const first = page.locator("#search-results button").first();
  assert.match(await first.textContent(), /dual power situation could not hold/);
  assert.equal(await first.locator("mark").first().textContent(), "dual power");
  assert.match(await page.locator("#search-status").textContent(), /passages? found/);
  await first.click();
  await page.waitForFunction(() => location.hash === "#glossa-morning-star-lenin-2");
  assert.ok(await page.locator("#glossa-morning-star-lenin-2").evaluate((p) => p.classList.contains("flash")));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the demo fits a 375 px wide phone", async () => {
  const page = await openDemo({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
