// <glossa-reader> end to end in headless Chromium: the host article's text, elements, attributes
// and listeners are kept; terms are marked where they may be and nowhere else; marking is
// idempotent and undone exactly; the definition popover opens on hover, focus and tap and
// follows WCAG 1.4.13; selections are looked up; broken and hostile glossaries fail safely.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, html, openReady, waitForReady, popoverState, waitForPopover,
  waitForPopoverClosed, focused, inViewport,
  failPage,
} from "./harness.mjs";

const GLOSSARY = "/dist/content/glossary.json";
const glossary = JSON.parse(await readFile(join(ROOT, "content", "glossary.json"), "utf8"));
const ENTRY_IDS = new Set(glossary.entries.map((e) => e.id));
const TITLES = {
  "viewpoint-dotp": 'What does "dictatorship of the proletariat" really mean?',
  "morning-star-lenin": "Breaking up the state and ‘lopping off’ the parasites: Lenin's vision of workers’ power",
};

// Test pages, served beside the demo.
const PAGES = {
  // The widget is imported only after the page has captured the article and attached listeners.
  "/late.html": html(`
<glossa-reader glossary="${GLOSSARY}" article-id="late">
  <article id="late-article" class="post" data-kind="test">
    <h1 id="title">Lenin and dual power</h1>
    <p id="p1" class="lead" title="first">In 1917 <em id="em" data-x="1">Lenin</em> argued that the
      <span id="dp" class="keep" aria-label="phrase">dual power situation</span> could not hold.</p>
    <p id="p2">The soviets and the Provisional Government shared power; <code>Lenin</code> stays code.</p>
    <ul><li id="li">The <strong>Bolsheviks</strong> and the Mensheviks.</li></ul>
  </article>
</glossa-reader>
<script>
  window.__clicks = [];
  document.getElementById("em").addEventListener("click", () => __clicks.push("em"));
  document.getElementById("dp").addEventListener("click", () => __clicks.push("dp"));
  document.getElementById("p2").addEventListener("click", () => __clicks.push("p2"));
  const reader = document.querySelector("glossa-reader");
  window.__before = { html: reader.innerHTML, text: reader.textContent };
  window.__nodes = [...document.getElementById("p1").childNodes];
  window.__elements = [...reader.querySelectorAll("*")];
  import("/dist/glossa.js");
</script>`, { script: false }),

  "/skip.html": html(`
<glossa-reader glossary="${GLOSSARY}" skip=".aside, #also-skipped">
  <article>
    <h1>Lenin</h1><h2>Lenin</h2><h3>Lenin</h3><h4>Lenin</h4><h5>Lenin</h5><h6>Lenin</h6>
    <p id="control">Lenin wrote State and Revolution.</p>
    <p class="s"><code>Lenin</code> <kbd>Lenin</kbd> <a href="#nowhere">Lenin</a> <a href="#x"><em>Lenin</em></a></p>
    <pre class="s">Lenin
  Lenin</pre>
    <form class="s"><button type="button">Lenin</button> <label>Lenin <input value="Lenin"></label>
      <textarea aria-label="t">Lenin</textarea> <select aria-label="s"><option>Lenin</option></select></form>
    <div class="s" contenteditable>Lenin <b>Lenin</b></div>
    <div class="s" contenteditable="true"><p>Lenin</p></div>
    <p class="s" data-glossa-skip>Lenin <em>Lenin</em></p>
    <div class="s" data-glossa-skip><p>Lenin</p></div>
    <p class="s aside">Lenin <em>Lenin</em></p>
    <p class="s" id="also-skipped">Lenin</p>
    <p class="s" id="cross">dual <em>power</em> and Provisional <b>Government</b></p>
  </article>
</glossa-reader>`),

  "/first-only.html": html(`
<glossa-reader glossary="${GLOSSARY}" first-only article-id="first">
  <article>
    <section id="s1"><p>Lenin and Lenin’s soviets. The soviets again.</p><p>Lenin once more, with the soviets.</p></section>
    <section id="s2"><p>Lenin, soviets.</p><p>Lenin. Soviets.</p></section>
  </article>
</glossa-reader>
<glossa-reader glossary="${GLOSSARY}" article-id="every">
  <article>
    <section id="e1"><p>Lenin and Lenin’s soviets. The soviets again.</p><p>Lenin once more, with the soviets.</p></section>
  </article>
</glossa-reader>`),

  "/roles.html": html(`
<glossa-reader glossary="/roles.json">
  <article><p>On quietism.</p><p>On loudism.</p></article>
</glossa-reader>`),
  "/roles.json": [200, JSON.stringify({
    language: "en",
    entries: [
      { id: "quietism", term: "quietism", definition: "A plain definition with nothing to click." },
      { id: "loudism", term: "loudism", definition: "A definition with a link.", link: "https://example.org/loudism" },
    ],
  })],

  // Failures: the article must stay as it was.
  "/fail-404.html": failPage("/missing-glossary.json"),
  "/fail-json.html": failPage("/broken.json"),
  "/broken.json": [200, '{"entries": [{"id": "x", "term": "Lenin",'],
  "/fail-entry.html": failPage("/bad-entry.json"),
  "/bad-entry.json": [200, JSON.stringify({
    entries: [{ id: "lenin", term: "Lenin", definition: "A revolutionary.", see_also: ["no-such-entry"] }],
  })],

  // Hostile glossaries.
  "/hostile-link.html": failPage("/hostile-link.json"),
  "/hostile-link.json": [200, JSON.stringify({
    entries: [
      {
        id: "pwn", term: "<img src=x onerror=window.__pwned=1>", aliases: ["Lenin", '"><svg onload=window.__pwned=1>'],
        definition: "<script>window.__pwned=1</script>", link: "javascript:window.__pwned=1",
      },
    ],
  })],
  "/hostile-text.html": html(`
<glossa-reader glossary="/hostile-text.json" article-id="hostile">
  <article><p>Lenin wrote a quote.</p><p>Then Lenin wrote again.</p></article>
</glossa-reader>
<glossa-index></glossa-index>`),
  "/hostile-text.json": [200, JSON.stringify({
    entries: [
      {
        id: "pwn",
        term: "<img src=x onerror=window.__pwned=1>",
        aliases: ["Lenin", '"><svg onload=window.__pwned=1>'],
        definition: '<script>window.__pwned=1</script> *careful* "><svg onload=window.__pwned=1> ' +
          "[click](javascript:window.__pwned=1) [safe](https://example.org/safe) <b onmouseover=window.__pwned=1>bold</b>",
        see_also: ['q"]><img src=x onerror=window.__pwned=1>'],
        link: "https://example.org/more",
      },
      { id: 'q"]><img src=x onerror=window.__pwned=1>', term: "quote", definition: "<iframe src=javascript:parent.__pwned=1>" },
    ],
  })],
};


let server, browser, touch;
before(async () => {
  server = await serve(undefined, PAGES);
  [browser, touch] = await Promise.all([
    launch(),
    launch({ hasTouch: true, isMobile: true, viewport: { width: 320, height: 640 } }),
  ]);
});
after(async () => {
  await browser?.close();
  await touch?.close();
  await server?.close();
});

const demo = (viewport) => openReady(browser, `${server.url}/`, { viewport, readers: 2 });

/** Polls `fn` (in Node) until it returns truthy, or fails after `timeout` ms. */
async function until(fn, message, timeout = 3000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) assert.fail(message);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Number of markers in each reader, and of markers nested in markers. */
function markerCounts(page) {
  return page.evaluate(() => ({
    counts: [...document.querySelectorAll("glossa-reader")].map((r) => r.querySelectorAll("glossa-term").length),
    nested: document.querySelectorAll("glossa-term glossa-term").length,
  }));
}

async function centerOf(locator) {
  await locator.evaluate((m) => m.scrollIntoView({ block: "center" }));
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

// ---------------------------------------------------------------------------------------------
// Text integrity

test("each article keeps its exact text, elements and attributes after marking", async () => {
  const page = await demo();
  const articles = await page.evaluate(async () => {
    const raw = new DOMParser().parseFromString(await (await fetch(location.pathname)).text(), "text/html");
    return [...document.querySelectorAll("glossa-reader article")].map((live) => {
      const original = raw.getElementById(live.id);
      const unwrapped = live.cloneNode(true);
      for (const m of unwrapped.querySelectorAll("glossa-term")) m.replaceWith(...m.childNodes);
      unwrapped.normalize();
      const expected = original.cloneNode(true);
      expected.normalize();
      const attrs = (root) => [...root.querySelectorAll("*")].filter((e) => e.localName !== "glossa-term")
        .map((e) => [e.localName, ...[...e.attributes].map((a) => `${a.name}=${a.value}`)].join(" "));
      return {
        id: live.id,
        markers: live.querySelectorAll("glossa-term").length,
        liveText: live.textContent, rawText: original.textContent,
        liveHtml: unwrapped.outerHTML, rawHtml: expected.outerHTML,
        liveElements: attrs(live), rawElements: attrs(original),
      };
    });
  });
  assert.deepEqual(articles.map((a) => a.id), ["viewpoint-dotp", "morning-star-lenin"]);
  for (const a of articles) {
    assert.ok(a.markers > 5, `${a.id}: only ${a.markers} markers`);
    assert.equal(a.liveText, a.rawText, `${a.id}: textContent changed`);
    assert.deepEqual(a.liveElements, a.rawElements, `${a.id}: elements or attributes changed`);
    assert.equal(a.liveHtml, a.rawHtml, `${a.id}: markup (without markers) changed`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("elements, text nodes and event listeners of the host article survive marking", async () => {
  const page = await openReady(browser, `${server.url}/late.html`);
  const state = await page.evaluate(() => {
    const reader = document.querySelector("glossa-reader");
    const p1 = document.getElementById("p1");
    return {
      markers: [...reader.querySelectorAll("glossa-term")].map((m) => m.dataset.glossaTerm),
      text: reader.textContent === window.__before.text,
      elements: window.__elements.every((e) => e.isConnected && reader.contains(e)),
      nodes: window.__nodes.every((n) => n.parentNode === p1),
    };
  });
  assert.ok(state.markers.includes("lenin") && state.markers.includes("dual-power"), state.markers.join());
  assert.equal(state.text, true, "textContent changed");
  assert.equal(state.elements, true, "an element of the article was replaced");
  assert.equal(state.nodes, true, "a text node of the article was replaced");

  for (const marker of ['#em [data-glossa-term="lenin"]', '#dp [data-glossa-term="dual-power"]', '#p2 [data-glossa-term="soviet"]']) {
    await page.locator(marker).click();
    await waitForPopover(page);
    await page.keyboard.press("Escape"); // the definition might cover the next term
    await waitForPopoverClosed(page);
  }
  assert.deepEqual(await page.evaluate(() => window.__clicks), ["em", "dp", "p2"]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Marking

test("glossa:ready bubbles, is composed and counts; markers are focusable with data-glossa-term", async () => {
  const page = await demo();
  const { events, readers } = await page.evaluate(() => ({
    events: window.__glossa.ready,
    readers: [...document.querySelectorAll("glossa-reader")].map((r) => {
      const ms = [...r.querySelectorAll("glossa-term")];
      return { article: r.getAttribute("article-id"), terms: ms.length, entries: new Set(ms.map((m) => m.dataset.glossaTerm)).size };
    }),
  }));
  assert.equal(events.length, 2, JSON.stringify(events));
  for (const r of readers) {
    const e = events.find((x) => x.article === r.article);
    assert.ok(e, `no glossa:ready for ${r.article}`);
    assert.equal(e.bubbles, true);
    assert.equal(e.composed, true);
    assert.equal(e.target, "glossa-reader");
    assert.equal(e.terms, r.terms, `${r.article}: detail.terms`);
    assert.equal(e.entries, r.entries, `${r.article}: detail.entries`);
    assert.ok(Number.isInteger(e.passages) && e.passages > 0, `${r.article}: detail.passages ${e.passages}`);
  }

  const markers = await page.$$eval("glossa-term", (ms) => ms.map((m) => {
    m.focus();
    return {
      term: m.dataset.glossaTerm, text: m.textContent, tabIndex: m.tabIndex,
      focused: document.activeElement === m, inReader: Boolean(m.closest("glossa-reader article")),
    };
  }));
  assert.ok(markers.length >= 60, `${markers.length} markers`);
  for (const m of markers) {
    assert.ok(ENTRY_IDS.has(m.term), `unknown data-glossa-term ${m.term}`);
    assert.equal(m.tabIndex, 0, `${m.term} not in the tab order`);
    assert.equal(m.focused, true, `${m.term} not focusable`);
    assert.ok(m.text.trim() && m.inReader, `${m.term}: ${JSON.stringify(m)}`);
  }
  assert.ok(markers.some((m) => m.term === "dotp" && m.text === "dictatorship of the proletariat"));
  assert.ok(markers.some((m) => m.term === "dual-power" && m.text === "dual power"));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("terms are never marked in code, pre, kbd, links, headings, form controls, editable or skipped parts", async () => {
  const page = await openReady(browser, `${server.url}/skip.html`);
  const found = await page.$$eval("glossa-term", (ms) => ms.map((m) => ({
    term: m.dataset.glossaTerm, text: m.textContent, where: m.parentElement.closest("[id], [class]")?.outerHTML.slice(0, 60),
    control: Boolean(m.closest("#control")),
  })));
  assert.deepEqual(found.filter((m) => !m.control), [], "marked where it must not be");
  assert.deepEqual(found.map((m) => m.term).sort(), ["lenin", "state-and-revolution"]);
  // A match across element boundaries ("dual <em>power</em>") is skipped.
  assert.equal(await page.locator('[data-glossa-term="dual-power"], [data-glossa-term="provisional-government"]').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("first-only marks each term once per section", async () => {
  const page = await openReady(browser, `${server.url}/first-only.html`, { readers: 2 });
  const bySection = await page.evaluate(() => Object.fromEntries(["s1", "s2", "e1"].map((id) => [
    id, [...document.getElementById(id).querySelectorAll("glossa-term")].map((m) => m.dataset.glossaTerm).sort(),
  ])));
  assert.deepEqual(bySection.s1, ["lenin", "soviet"]);
  assert.deepEqual(bySection.s2, ["lenin", "soviet"]);
  assert.ok(bySection.e1.length > 2, `without first-only every occurrence is marked: ${bySection.e1}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Idempotence, destroy and restore

test("re-adding a reader, toggling its attributes or loading the script twice never marks twice", async () => {
  const page = await demo();
  const initial = await markerCounts(page);
  assert.equal(initial.nested, 0);
  const again = async (change) => {
    await page.evaluate(() => { window.__glossa.ready.length = 0; });
    await page.evaluate(change);
    await waitForReady(page, 1);
    return markerCounts(page);
  };

  // Removed and put back where it was.
  assert.deepEqual(await again(() => {
    const r = document.querySelector("glossa-reader");
    const [parent, next] = [r.parentNode, r.nextSibling];
    r.remove();
    parent.insertBefore(r, next);
  }), initial);
  // Moved within the document in one step (disconnected and connected again synchronously).
  assert.deepEqual(await again(() => {
    const r = document.querySelector("glossa-reader");
    r.parentNode.insertBefore(r, r.nextSibling);
  }), initial);
  // Attributes toggled.
  const firstOnly = await again(() => document.querySelector("glossa-reader").setAttribute("first-only", ""));
  assert.equal(firstOnly.nested, 0);
  assert.ok(firstOnly.counts[0] < initial.counts[0], `first-only: ${firstOnly.counts} vs ${initial.counts}`);
  assert.deepEqual(await again(() => document.querySelector("glossa-reader").removeAttribute("first-only")), initial);
  assert.deepEqual(await again(() => document.querySelector("glossa-reader").setAttribute("skip", ".nothing-matches")), initial);
  // Several changes at once: still one set of marks.
  assert.deepEqual(await again(() => {
    const r = document.querySelectorAll("glossa-reader")[1];
    r.setAttribute("skip", ".a");
    r.setAttribute("skip", ".b");
    r.remove();
    document.querySelector("main").prepend(r);
  }), { counts: [initial.counts[1], initial.counts[0]], nested: 0 });

  // The bundle imported a second time (another URL, so another module instance).
  await page.evaluate(() => import("/dist/glossa.js?again"));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  const after = await markerCounts(page);
  assert.equal(after.nested, 0);
  assert.deepEqual(after.counts.toSorted(), initial.counts.toSorted());
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("remove() and destroy() restore the original DOM exactly", async () => {
  const page = await openReady(browser, `${server.url}/late.html`);
  const restored = () => page.evaluate(() => {
    const reader = document.querySelector("glossa-reader") ?? window.__detached;
    const p1 = reader.querySelector("#p1");
    return {
      html: reader.innerHTML === window.__before.html ? "same" : reader.innerHTML,
      markers: reader.querySelectorAll("glossa-term").length,
      nodes: p1.childNodes.length === window.__nodes.length && window.__nodes.every((n, i) => p1.childNodes[i] === n),
    };
  });
  assert.ok(await page.locator("glossa-term").count() > 3);

  // Open a definition first: removing the reader must close it too.
  await page.locator('glossa-term[data-glossa-term="lenin"]').first().focus();
  await waitForPopover(page, "Vladimir Lenin");
  await page.evaluate(() => { window.__detached = document.querySelector("glossa-reader"); window.__detached.remove(); });
  assert.deepEqual(await restored(), { html: "same", markers: 0, nodes: true });
  assert.equal((await popoverState(page)).open, false, "popover left open for a removed reader");

  await page.evaluate(() => { window.__glossa.ready.length = 0; document.body.prepend(window.__detached); });
  await waitForReady(page, 1);
  assert.ok(await page.locator("glossa-term").count() > 3, "marked again after re-adding");
  await page.evaluate(() => document.querySelector("glossa-reader").destroy());
  assert.deepEqual(await restored(), { html: "same", markers: 0, nodes: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("destroy() puts the demo's articles back exactly as in the page source", async () => {
  const page = await demo();
  const diffs = await page.evaluate(async () => {
    const raw = new DOMParser().parseFromString(await (await fetch(location.pathname)).text(), "text/html");
    for (const r of document.querySelectorAll("glossa-reader")) r.destroy();
    return [...document.querySelectorAll("glossa-reader")].map((r) => [r.innerHTML, raw.getElementById(r.getAttribute("article-id")).parentElement.innerHTML]);
  });
  for (const [live, source] of diffs) assert.equal(live, source);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// The popover

test("hover opens after a short delay; the pointer can move onto the popover, which stays until the pointer leaves", async () => {
  const page = await demo();
  const marker = page.locator('[data-glossa-term="dual-power"]').first();
  const { x, y } = await centerOf(marker);
  await page.mouse.move(x, y);
  assert.equal((await popoverState(page)).open, false, "opened without the hover delay");
  await waitForPopover(page, "dual power");

  // Move down onto the card and stay there past the close delay: still open (hoverable).
  const card = await page.locator("glossa-popover .card").boundingBox();
  assert.ok(card.y > y, "popover expected below the term");
  await page.mouse.move(Math.min(x, card.x + card.width - 10), card.y + 15, { steps: 5 });
  await page.waitForTimeout(500);
  const state = await popoverState(page);
  assert.equal(state.open, true, "closed while the pointer is on it");
  assert.equal(state.heading, "dual power");

  // The pointer leaves both: it closes.
  await page.mouse.move(2, 2, { steps: 2 });
  await waitForPopoverClosed(page);
  assert.equal(await marker.getAttribute("aria-expanded"), "false");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Escape closes a hovered popover without moving focus or pointer", async () => {
  const page = await demo();
  const marker = page.locator('[data-glossa-term="paris-commune"]').first();
  const { x, y } = await centerOf(marker);
  await page.mouse.move(x, y);
  await waitForPopover(page, "Paris Commune");
  const focusBefore = await focused(page);
  await page.keyboard.press("Escape");
  await waitForPopoverClosed(page);
  assert.deepEqual(await focused(page), focusBefore);
  await page.waitForTimeout(350); // longer than the hover delay: it must not reopen by itself
  assert.equal((await popoverState(page)).open, false);
  assert.equal(await marker.getAttribute("aria-expanded"), "false");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Tab to a term opens its definition with aria-expanded and aria-describedby; Escape keeps focus there", async () => {
  const page = await demo();
  let f;
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    f = await focused(page);
    if (f.term) break;
  }
  assert.equal(f.path, "glossa-term", `Tab never reached a term: ${f.path}`);
  const marker = page.locator("glossa-term:focus");
  await waitForPopover(page);
  const state = await popoverState(page);
  assert.ok(state.id, "the popover element has an id");
  assert.equal(await marker.getAttribute("aria-expanded"), "true");
  assert.deepEqual((await marker.getAttribute("aria-describedby")).split(/\s+/), [state.id]);
  assert.equal(await page.evaluate((id) => document.getElementById(id)?.localName, state.id), "glossa-popover");
  assert.equal(state.role, "dialog", "a definition with links and buttons is a dialog");
  assert.ok(state.label, "the dialog has an accessible name");
  assert.equal(state.heading, glossary.entries.find((e) => e.id === f.term).term);

  await page.keyboard.press("Escape");
  await waitForPopoverClosed(page);
  assert.deepEqual(await focused(page), f, "Escape moved focus");
  assert.equal(await marker.getAttribute("aria-expanded"), "false");
  assert.equal(await marker.getAttribute("aria-describedby"), null);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Tab goes from a term through its definition's controls and on to the next term (no keyboard trap)", async () => {
  const page = await demo();
  const first = page.locator("glossa-term").first();
  const second = await page.locator("glossa-term").nth(1).textContent();
  await first.focus();
  await waitForPopover(page);
  const seen = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    seen.push(f.path.includes("glossa-popover") ? `popover:${f.text}` : `${f.path}:${f.text}`);
    if (f.term && f.text === second && f.path === "glossa-term") break;
  }
  assert.equal(seen.at(-1), `glossa-term:${second}`, `focus went ${seen.join(" → ")}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Escape with focus inside the definition closes it and returns focus to the term", async () => {
  const page = await demo();
  const marker = page.locator('[data-glossa-term="dual-power"]').first();
  await marker.focus();
  await waitForPopover(page, "dual power");
  await page.keyboard.press("Tab");
  assert.match((await focused(page)).path, /glossa-popover > (button|a)/);
  await page.keyboard.press("Escape");
  const closed = await page.waitForFunction(() => document.querySelector("glossa-popover").hidden, null, { timeout: 1000 })
    .then(() => true, () => false);
  assert.equal(closed, true, "still open after Escape");
  assert.equal((await focused(page)).term, "dual-power");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the popover is a tooltip for a plain definition and a dialog when it holds links", async () => {
  const page = await openReady(browser, `${server.url}/roles.html`);
  await page.locator('[data-glossa-term="quietism"]').focus();
  await waitForPopover(page, "quietism");
  let state = await popoverState(page);
  assert.equal(state.role, "tooltip");
  assert.equal(await page.evaluate(() => document.querySelector("glossa-popover").shadowRoot.querySelectorAll("a, button").length), 0);
  assert.equal(await page.locator('[data-glossa-term="quietism"]').getAttribute("aria-describedby"), state.id);

  await page.locator('[data-glossa-term="loudism"]').focus();
  await waitForPopover(page, "loudism");
  state = await popoverState(page);
  assert.equal(state.role, "dialog");
  assert.equal(state.label, "loudism");
  assert.equal(await page.locator('[data-glossa-term="quietism"]').getAttribute("aria-expanded"), "false");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("on a 320 px touch screen a tap opens the definition inside the viewport, and a second tap closes it", async () => {
  const page = await openReady(touch, `${server.url}/`, { viewport: { width: 320, height: 640 }, readers: 2 });
  assert.equal(await page.evaluate(() => innerWidth), 320);

  // The terms nearest each edge of the column, each scrolled to the bottom of the screen so
  // that the popover must flip above it.
  const picks = await page.$$eval("glossa-term", (ms) => {
    const r = ms.map((m, i) => [i, m.getBoundingClientRect()]);
    const right = r.toSorted((a, b) => b[1].right - a[1].right).slice(0, 2).map(([i]) => i);
    const left = r.toSorted((a, b) => a[1].left - b[1].left)[0][0];
    return [...new Set([...right, left, 0, ms.length - 1])];
  });
  for (const i of picks) {
    const marker = page.locator("glossa-term").nth(i);
    for (const block of ["end", "start"]) {
      // Tap the middle of the term's first line box (a term may wrap over two lines).
      const at = await marker.evaluate((m, b) => {
        m.scrollIntoView({ block: b });
        const r = m.getClientRects()[0];
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }, block);
      await page.touchscreen.tap(at.x, at.y);
      await waitForPopover(page);
      const fit = await page.evaluate(() => {
        const r = document.querySelector("glossa-popover").shadowRoot.querySelector(".card").getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, w: innerWidth, h: innerHeight };
      });
      const term = await marker.getAttribute("data-glossa-term");
      assert.ok(fit.left >= 0 && fit.top >= 0 && fit.right <= fit.w && fit.bottom <= fit.h,
        `${term} (${block}): popover ${JSON.stringify(fit)} outside the viewport`);
      assert.equal(await marker.getAttribute("aria-expanded"), "true");
      const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.localName, at);
      assert.equal(onTop, "glossa-term", `${term} (${block}): the popover covers its own term`);
      await page.touchscreen.tap(at.x, at.y);
      await waitForPopoverClosed(page);
    }
  }
  // A tap elsewhere closes it too.
  const marker = page.locator('[data-glossa-term="dual-power"]').first();
  await marker.tap();
  await waitForPopover(page, "dual power");
  await page.locator("footer").tap();
  await waitForPopoverClosed(page);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, "sideways scroll");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a see-also entry replaces the popover's content with that entry", async () => {
  const page = await demo();
  await page.locator('[data-glossa-term="dotp"]').first().focus();
  await waitForPopover(page, "dictatorship of the proletariat");
  await page.locator("glossa-popover").getByRole("button", { name: "proletariat", exact: true }).click();
  await waitForPopover(page, "proletariat");
  const state = await popoverState(page);
  assert.match(state.text, /Also: proletarian/);
  assert.match((await focused(page)).path, /glossa-popover > (button|a)/, "focus moves into the new content");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("'Where else' lists passages in both articles, and choosing one scrolls to it", async () => {
  const page = await demo();
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.locator('#viewpoint-dotp [data-glossa-term="dotp"]').first().focus();
  await waitForPopover(page, "dictatorship of the proletariat");
  const mentions = page.locator("glossa-popover button.mention");
  const where = await page.locator("glossa-popover .mention .where").allTextContents();
  assert.ok(where.includes(TITLES["viewpoint-dotp"]), `mentions: ${where}`);
  assert.ok(where.includes(TITLES["morning-star-lenin"]), `mentions: ${where}`);

  const target = mentions.filter({ hasText: "precondition of any progress" });
  const snippet = (await target.locator("span:not(.where)").textContent()).replace(/^…\s*|\s*…$/g, "");
  await page.evaluate(() => scrollTo(0, 0));
  await target.click();
  await waitForPopoverClosed(page);
  await page.waitForFunction(() => /^#glossa=morning-star-lenin:\d+$/.test(location.hash));
  const passage = await page.evaluate(() => Number(location.hash.split(":")[1]));
  const block = await page.evaluateHandle((n) => document.querySelectorAll("glossa-reader")[1].passageElement(n), passage);
  assert.ok((await block.evaluate((b) => b.textContent)).includes(snippet), "the hash names the passage that was chosen");
  await page.waitForFunction((b) => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }, block);
  assert.ok(await inViewport(page, block));
  assert.deepEqual(page.problems, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Any word, on demand

/** Selects `word` (its n-th occurrence in a text node under `selector`) and returns its rectangle. */
function selectWord(page, selector, word, { pointerup = true } = {}) {
  return page.evaluate(({ selector, word, pointerup }) => {
    const root = document.querySelector(selector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.data.indexOf(word);
      if (at < 0) continue;
      const range = new Range();
      range.setStart(n, at);
      range.setEnd(n, at + word.length);
      range.startContainer.parentElement.scrollIntoView({ block: "center" });
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (pointerup) n.parentElement.dispatchEvent(new PointerEvent("pointerup", { bubbles: true, composed: true, pointerType: "mouse" }));
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    throw new Error(`${word} not found under ${selector}`);
  }, { selector, word, pointerup });
}

test("double-clicking a word the glossary knows opens its definition", async () => {
  const page = await demo();
  // "Haider" in the credit line is not marked (data-glossa-skip), but the glossary knows it.
  const { x, y } = await selectWord(page, "#viewpoint-dotp .credit", "Haider", { pointerup: false });
  await page.evaluate(() => getSelection().removeAllRanges());
  await page.mouse.dblclick(x, y);
  await waitForPopover(page, "Asad Haider");
  assert.equal(await page.evaluate(() => getSelection().toString().trim()), "Haider");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("selecting a term, or a spelling the glossary knows, opens its definition", async () => {
  const page = await demo();
  await selectWord(page, '#viewpoint-dotp glossa-term[data-glossa-term="lenin"]', "Lenin");
  await waitForPopover(page, "Vladimir Lenin");
  // "soviets" is an inflection of the entry "soviet".
  await page.keyboard.press("Escape");
  await waitForPopoverClosed(page);
  await selectWord(page, '#morning-star-lenin glossa-term[data-glossa-term="soviet"]', "soviets");
  await waitForPopover(page, "soviet");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("selecting an unknown word offers 'Search passages', which fills the search box", async () => {
  const page = await demo();
  await selectWord(page, "#viewpoint-dotp", "anniversary");
  await waitForPopover(page);
  const state = await popoverState(page);
  assert.match(state.text, /anniversary/);
  await page.locator("glossa-popover").getByRole("button", { name: "Search passages" }).click();
  await waitForPopoverClosed(page);
  const search = await page.evaluate(() => {
    const root = document.querySelector("glossa-search").shadowRoot;
    return {
      value: root.querySelector("input").value,
      focused: root.activeElement === root.querySelector("input"),
      status: root.querySelector("[role=status]").textContent,
      marks: [...root.querySelectorAll("[role=option] mark")].map((m) => m.textContent.toLowerCase()),
    };
  });
  assert.equal(search.value, "anniversary");
  assert.equal(search.focused, true);
  assert.match(search.status, /^1 passage found$/);
  assert.deepEqual(search.marks, ["anniversary"]);
  assert.deepEqual(page.problems, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Failure

for (const [name, path, pattern] of [
  ["a glossary URL that answers 404", "/fail-404.html", /missing-glossary\.json.*404/],
  ["a glossary that is not valid JSON", "/fail-json.html", /not valid JSON/],
  ["a glossary with an invalid entry (see_also to an unknown id)", "/fail-entry.html", /see_also names unknown id "no-such-entry"/],
]) {
  test(`${name}: the article is unchanged, with one glossa:error and one console error`, async () => {
    const page = await openReady(browser, `${server.url}${path}`, { readers: 0 });
    await page.waitForFunction(() => window.__glossa.error.length > 0);
    const result = await page.evaluate(() => ({
      errors: window.__glossa.error,
      ready: window.__glossa.ready.length,
      unchanged: document.querySelector("glossa-reader").innerHTML === window.__before,
      markers: document.querySelectorAll("glossa-term").length,
    }));
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(result.errors[0].message, pattern);
    assert.equal(result.errors[0].bubbles, true);
    assert.equal(result.errors[0].composed, true);
    assert.equal(result.ready, 0);
    assert.equal(result.unchanged, true, "article changed");
    assert.equal(result.markers, 0);
    // Chromium itself logs the failed request of a 404 ("Failed to load resource"); that
    // line is the browser's, not the widget's.
    await until(() => page.problems.some((p) => p.startsWith("error: glossa:")), "no console error from the widget");
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    const problems = page.problems.filter((p) => !/^error: Failed to load resource: .* 404 /.test(p));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^error: glossa: /);
    assert.match(problems[0], pattern);
    await page.close();
  });
}

// ---------------------------------------------------------------------------------------------
// Hostile glossaries

test("a hostile glossary with a javascript: link is rejected with glossa:error and runs nothing", async () => {
  const page = await openReady(browser, `${server.url}/hostile-link.html`, { readers: 0 });
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.waitForFunction(() => window.__glossa.error.length > 0);
  const result = await page.evaluate(() => ({
    errors: window.__glossa.error.map((e) => e.message),
    unchanged: document.querySelector("glossa-reader").innerHTML === window.__before,
    created: document.querySelectorAll("img, svg, iframe, glossa-term").length + document.querySelectorAll("script").length - 2,
    pwned: window.__pwned,
  }));
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /javascript:.*must use http or https/);
  assert.equal(result.unchanged, true);
  assert.equal(result.created, 0);
  assert.equal(result.pwned, undefined);
  assert.deepEqual(dialogs, []);
  await until(() => page.problems.length > 0, "no console error");
  assert.equal(page.problems.length, 1, page.problems.join("\n"));
  assert.match(page.problems[0], /^error: glossa: glossary \/hostile-link\.json: .*must use http or https/);
  await page.close();
});

test("markup in a glossary's strings is shown as text, never parsed or run", async () => {
  const page = await openReady(browser, `${server.url}/hostile-text.html`);
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  const [hostile, quote] = JSON.parse(PAGES["/hostile-text.json"][1]).entries;

  await page.locator('glossa-term[data-glossa-term="pwn"]').first().focus();
  await waitForPopover(page, hostile.term);
  const shown = await page.evaluate(() => {
    const root = document.querySelector("glossa-popover").shadowRoot;
    return {
      dangerous: [...root.querySelectorAll("img, script, svg, iframe, object, embed, b, [onerror], [onload], [onmouseover]")].map((e) => e.outerHTML),
      heading: root.querySelector("h2").textContent,
      aka: root.querySelector(".aka").textContent,
      definition: root.querySelector("h2 ~ p:not(.aka)").textContent,
      em: [...root.querySelectorAll("em")].map((e) => e.textContent),
      links: [...root.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")]),
      buttons: [...root.querySelectorAll("button")].map((b) => b.textContent),
    };
  });
  assert.deepEqual(shown.dangerous, []);
  assert.equal(shown.heading, hostile.term);
  assert.equal(shown.aka, `Also: ${hostile.aliases.join(", ")}`);
  assert.ok(shown.definition.includes("<script>window.__pwned=1</script>"), shown.definition);
  assert.ok(shown.definition.includes('"><svg onload=window.__pwned=1>'), shown.definition);
  assert.ok(shown.definition.includes("[click](javascript:window.__pwned=1)"), shown.definition);
  assert.ok(shown.definition.includes("<b onmouseover=window.__pwned=1>bold</b>"), shown.definition);
  assert.deepEqual(shown.em, ["careful"]);
  assert.deepEqual(shown.links, [["safe", "https://example.org/safe"], ["Read more ↗", "https://example.org/more"]]);
  assert.ok(shown.buttons.includes("quote"), `see-also buttons: ${shown.buttons}`);

  // The see-also entry, whose id is an attribute breaker, opens too; so does its index entry.
  await page.locator("glossa-popover").getByRole("button", { name: "quote", exact: true }).click();
  await waitForPopover(page, "quote");
  assert.equal(await page.evaluate(() => document.querySelector("glossa-popover").shadowRoot.querySelector("h2 + p").textContent), quote.definition);
  await page.keyboard.press("Escape");
  await page.locator("glossa-index").getByRole("button", { name: "quote", exact: true }).click();
  assert.equal((await focused(page)).term, quote.id);
  await waitForPopover(page, "quote");

  const everywhere = await page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll("*")].filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
    return roots.flatMap((r) => [...r.querySelectorAll("img, svg, iframe, object, embed, script:not([type=module])")].map((e) => e.outerHTML));
  });
  assert.deepEqual(everywhere, []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  // The refused link is reported to the glossary's author: in glossa:ready and the console.
  const warning = 'glossary /hostile-text.json: entry 1 ("<img src=x onerror=window.__pwned=1>"): ' +
    'the link "javascript:window.__pwned=1" in its definition is not http(s); it is shown as text';
  assert.deepEqual(await page.evaluate(() => window.__glossa.ready.map((r) => r.warnings)), [[warning]]);
  assert.deepEqual(page.problems, [`warning: glossa: ${warning}`]);
  await page.close();
});
