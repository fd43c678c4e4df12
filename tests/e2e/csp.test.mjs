// The widget under a strict Content-Security-Policy: no inline script or style, wasm allowed
// only through 'wasm-unsafe-eval'. The demo page must work in full, with no violation reported.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serve, launch, ROOT, recordGlossaEvents, waitForReady, waitForPopover } from "./harness.mjs";

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'none'";

let server, browser;
before(async () => {
  const demo = await readFile(join(ROOT, "www", "index.html"), "utf8");
  server = await serve(undefined, {
    "/strict.html": [200, demo, "text/html; charset=utf-8", { "content-security-policy": POLICY }],
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("under script-src 'self' 'wasm-unsafe-eval' and style-src 'self' the demo works, with no violation", async () => {
  const page = await browser.page();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await recordGlossaEvents(page);
  const response = await page.goto(`${server.url}/strict.html`);
  assert.equal(response.headers()["content-security-policy"], POLICY);
  await waitForReady(page, 2);

  // Styles from constructable sheets apply: a marked term is underlined.
  const term = page.locator('glossa-term[data-glossa-term="dual-power"]').first();
  assert.match(await term.evaluate((t) => getComputedStyle(t).textDecorationLine), /underline/);
  // The popover opens, placed by script (CSSOM, not a style attribute in markup).
  await term.focus();
  await waitForPopover(page, "dual power");
  // Search runs in the wasm core.
  await page.locator("glossa-search input").fill("commune");
  await page.waitForFunction(() =>
    document.querySelector("glossa-search").shadowRoot.querySelectorAll("[role=option]").length > 0);

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.problems, []);
  await page.close();
});
