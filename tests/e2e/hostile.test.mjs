// Hostile glossaries, articles and indexes in headless Chromium. Markup, event handlers,
// javascript:/data:/vbscript: URLs, SVG and MathML tricks, attribute breakers and bidi controls
// stay text and run nothing (under Trusted Types, so no HTML string ever reaches a sink);
// a 1 MB definition, 100,000 entries, 100,000 terms in one paragraph and JSON nested
// 100,000 deep neither freeze nor break the page; whatever the widget refuses, it reports.
// reader.test.mjs has the first hostile cases (a javascript: entry link, markup in each
// field); these go further.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, html, openReady, recordGlossaEvents, waitForReady, waitForPopover,
  popoverState, recordSearchResults, waitForResults, searchState, buildIndex, watchStalls,
  longestStall, roundTrip, recordDialogs, queryEverywhere, glyphBoxes, focused,
  failPage,
} from "./harness.mjs";

const GLOSSARY = "/dist/content/glossary.json";
/**
 * The longest the page's main thread may be blocked while the widget works. Generous, for a
 * busy two-core machine (the worst here, 100,000 terms in one paragraph, takes about 4 s):
 * the failures it catches took from 25 s to many minutes.
 */
const MAX_STALL = 10_000;
/** The longest a frame and a timer may take to come round once the widget is done. */
const MAX_ROUND_TRIP = 2000;
const TRUSTED_TYPES = "require-trusted-types-for 'script'; trusted-types 'none'";
const MB = 1 << 20;

/** Elements no glossary or article string may ever become. */
const DANGEROUS = "img, svg, math, iframe, object, embed, template, noscript, form, style, body meta, body link, frame";

// A glossary of tricks: markup that sanitisers have famously let through (mutation XSS in
// SVG, MathML and noscript), links in every scheme, and ids that break attribute selectors.
const TRICKS = {
  entries: [
    {
      id: "svg",
      term: "<svg><animate onbegin=window.__pwned=1 attributeName=x dur=1s>",
      aliases: ["Lenin"],
      definition: "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1></style></mglyph></table></mtext></math> " +
        "[data](data:text/html,<script>parent.__pwned=1</script>) [vb](vbscript:msgbox(1)) [caps](JaVaScRiPt:window.__pwned=1) " +
        "[wiki](https://en.wikipedia.org/wiki/Paris_Commune_(1871)) [rel](/glossary/lenin) [proto](//example.org/x)",
      see_also: ["a\"b'c\\d]</glossa-term>\n", "\u0000nul"],
    },
    {
      id: "a\"b'c\\d]</glossa-term>\n",
      term: "soviet",
      aliases: ['<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">'],
      definition: "<template><img src=x onerror=window.__pwned=1></template>",
      sort_as: "<iframe srcdoc='<script>parent.__pwned=1</script>'>",
    },
    {
      id: "\u0000nul",
      term: "dual power",
      definition: "<a href=javascript:window.__pwned=1>click</a> <form action=javascript:window.__pwned=1><button>go</button></form>",
    },
  ],
};
const REFUSED = ["data:text/html,<script>parent.__pwned=1</script>", "vbscript:msgbox(1)", "JaVaScRiPt:window.__pwned=1"];

// Links that reject the whole glossary (the core checks an entry's `link`).
const BAD_LINKS = [
  ["data:text/html,<script>alert(1)</script>", "must use http or https"],
  ["vbscript:msgbox(1)", "must use http or https"],
  ["  JAVASCRIPT:alert(1)", "must use http or https"],
  ["java\tscript:alert(1)", "contains control characters"],
];

// Definitions of 1 MB.
const BIG_DEFINITIONS = [
  { id: "prose", term: "Lenin", definition: "A very long definition. ".repeat(MB / 24) },
  // Each of these made the definition's markup pattern backtrack for minutes.
  { id: "brackets", term: "soviet", definition: "[".repeat(MB) },
  { id: "open-links", term: "dual power", definition: "[x](".repeat(MB / 4) },
  // 262,144 emphases.
  { id: "emphasis", term: "Paris Commune", definition: "*a* ".repeat(MB / 4) },
];

// 100,000 entries, and the few a page uses.
const HUGE = {
  entries: [
    { id: "lenin", term: "Lenin", definition: "A revolutionary." },
    { id: "soviet", term: "soviet", definition: "A council." },
    ...Array.from({ length: 100_000 }, (_, i) => ({ id: `t${i}`, term: `term ${i}`, definition: `Definition number ${i}.` })),
  ],
};

const DEEP_OPEN = '{"entries": [{"term": "Lenin", "meta": ';
const PARAGRAPH_TERMS = 50_000; // "Lenin and the soviets. " repeated: two terms each

let server, browser, index;
before(async () => {
  index = await buildIndex([
    { id: "evil-js", title: "Evil JS", url: "javascript:window.__pwned=1//", passages: ["Petrograd soviets and dual power."] },
    { id: "evil-data", title: "Evil data", url: "data:text/html,<script>alert(1)</script>", passages: ["Moscow soviets."] },
    { id: "evil-\u202Ebidi", title: "Evil bidi", url: "vbscript:msgbox(1)//\u202Egnp.exe", passages: ["Tiflis soviets."] },
    { id: "fine", title: "Fine", url: "/fine.html", passages: ["Kronstadt soviets."] },
  ], await readFile(join(ROOT, "content", "glossary.json"), "utf8"));
  server = await serve(undefined, {
    "/tricks.html": [200, htmlOf(`
<p id="host">The host page's own text.</p>
<glossa-reader glossary="/tricks.json" article-id="tricks">
  <article><p id="p">Lenin and the soviets held dual power.</p></article>
</glossa-reader>
<glossa-index></glossa-index>`), "text/html; charset=utf-8", { "content-security-policy": TRUSTED_TYPES }],
    "/tricks.json": [200, JSON.stringify(TRICKS)],

    ...Object.fromEntries(BAD_LINKS.flatMap(([link], i) => [
      [`/bad-link-${i}.html`, failPage(`/bad-link-${i}.json`)],
      [`/bad-link-${i}.json`, [200, JSON.stringify({ entries: [{ term: "Lenin", definition: "A revolutionary.", link }] })]],
    ])),

    // The widget is loaded by the test, once it has seen where the text is drawn.
    "/bidi.html": html(`
<glossa-reader glossary="/bidi.json" article-id="bidi">
  <article>
    <p id="override">Before \u202Ethe dual power and Lenin\u202C after, and \u2067Lenin\u2069 isolated.</p>
    <p id="rtl" dir="rtl">\u05DC\u05E0\u05D9\u05DF Lenin \u05D5\u05D4\u05E1\u05D5\u05D1\u05D9\u05D8\u05D9\u05DD dual power.</p>
  </article>
</glossa-reader>`, { script: false }),
    "/bidi.json": [200, JSON.stringify({
      entries: [
        { id: "lenin", term: "Lenin", aliases: ["\u202EUlyanov", "Ilyich"], definition: "\u202EA revolutionary." },
        { id: "dual-power", term: "dual power", definition: "Two powers." },
      ],
    })],
    "/bidi-bad.html": failPage("/bidi-bad.json"),
    "/bidi-bad.json": [200, JSON.stringify({ entries: [{ term: "\u202Enined", definition: "x", link: "ftp://example.org/" }] })],

    "/big-definitions.html": html(`
<p id="host">The host page's own text.</p>
<glossa-reader glossary="/big-definitions.json" article-id="big">
  <article><p>Lenin, the soviets, dual power and the Paris Commune.</p></article>
</glossa-reader>`),
    "/big-definitions.json": [200, JSON.stringify({ entries: BIG_DEFINITIONS })],

    "/huge.html": html(`
<p id="host">The host page's own text.</p>
<glossa-search></glossa-search>
<glossa-reader glossary="/huge.json" article-id="huge">
  <article><p>Lenin and the soviets; term 99999 and term 5.</p></article>
</glossa-reader>
<glossa-index></glossa-index>`),
    "/huge.json": [200, JSON.stringify(HUGE)],

    "/deep.html": failPage("/deep.json"),
    "/deep.json": [200, `{"entries": [{"term": "Lenin", "meta": ${"[".repeat(100_000)}${"]".repeat(100_000)}}]}`],
    "/deep-open.html": failPage("/deep-open.json"),
    "/deep-open.json": [200, `${DEEP_OPEN}${"[".repeat(1_000_000)}`],

    // Markup-like text, an id and title that break attributes, 100,000 terms in one paragraph.
    "/article.html": html(`
<p id="host">The host page's own text.</p>
<glossa-search></glossa-search>
<glossa-reader glossary="${GLOSSARY}" article-id='"><img src=x onerror=window.__pwned=1>:0'
  article-title="&lt;script>window.__pwned=1&lt;/script> Title">
  <article>
    <p id="markup">&lt;img src=x onerror=window.__pwned=1&gt;Lenin&lt;/glossa-term&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt; and the soviets</p>
    <p id="many">${"Lenin and the soviets. ".repeat(PARAGRAPH_TERMS)}</p>
  </article>
</glossa-reader>`, { script: false }),

    "/midway.html": html(`
<glossa-reader glossary="${GLOSSARY}" article-id="midway">
  <article><p>Lenin and the soviets.</p><p>Dual power, <em>Lenin</em> wrote.</p><p>The Paris Commune.</p><p>Soviets again.</p></article>
</glossa-reader>
<script>window.__before = document.querySelector("glossa-reader").innerHTML;</script>`),

    "/evil.glossa": [200, index, "application/octet-stream"],
    "/evil-index.html": html(`
<glossa-search index="/evil.glossa"></glossa-search>
<glossa-reader glossary="${GLOSSARY}" index="/evil.glossa" article-id="here">
  <article><p>Lenin and the soviets.</p></article>
</glossa-reader>`),
    "/fine.html": html(`
<glossa-reader glossary="${GLOSSARY}" index="/evil.glossa" article-id="fine">
  <article><p>Kronstadt soviets.</p></article>
</glossa-reader>`),
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function htmlOf(body) {
  return html(body)[1];
}


/** A page that records the widget's events, dialogs and stalls, opened at `path`. */
async function open(path, { readers = 1 } = {}) {
  const page = await browser.page();
  page.dialogs = recordDialogs(page);
  await watchStalls(page);
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.sample}`));
  });
  await page.goto(`${server.url}${path}`);
  if (readers) await waitForReady(page, readers);
  return page;
}

/** Nothing ran: no trap set, no dialog, no event-handler attribute anywhere, no violation. */
async function assertNothingRan(page) {
  const state = await page.evaluate(() => {
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const e of roots[i].querySelectorAll("*")) if (e.shadowRoot) roots.push(e.shadowRoot);
    }
    const handlers = roots.flatMap((r) => [...r.querySelectorAll("*")])
      .filter((e) => [...e.attributes].some((a) => a.name.startsWith("on")))
      .map((e) => e.outerHTML.slice(0, 80));
    return { pwned: window.__pwned, handlers, violations: window.__violations ?? [] };
  });
  assert.deepEqual(state, { pwned: undefined, handlers: [], violations: [] });
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(await queryEverywhere(page, DANGEROUS), []);
}

/** The page answers promptly now, and was never blocked for long while the widget worked. */
async function assertResponsive(page) {
  const trip = await roundTrip(page);
  assert.ok(trip < MAX_ROUND_TRIP, `a frame and a timer took ${Math.round(trip)} ms`);
  const stall = await longestStall(page);
  assert.ok(stall < MAX_STALL, `the main thread was blocked for ${Math.round(stall)} ms`);
}

/** The glossa:error of a refused glossary, with the article left as it was. */
async function refusedGlossary(path) {
  const page = await open(path, { readers: 0 });
  await page.waitForFunction(() => window.__glossa.error.length > 0);
  const result = await page.evaluate(() => ({
    errors: window.__glossa.error.map((e) => e.message),
    ready: window.__glossa.ready.length,
    unchanged: document.querySelector("glossa-reader").innerHTML === window.__before,
  }));
  assert.equal(result.ready, 0);
  assert.equal(result.unchanged, true, "the article changed");
  assert.equal(result.errors.length, 1, result.errors.join("\n"));
  assert.deepEqual(page.problems, [`error: glossa: ${result.errors[0]}`]);
  await assertNothingRan(page);
  await assertResponsive(page);
  return { page, message: result.errors[0] };
}

// ---------------------------------------------------------------------------------------------
// Glossary strings

test("SVG, MathML and noscript tricks, attribute-breaking ids and links in every scheme stay inert under Trusted Types", async () => {
  const page = await open("/tricks.html");
  const hostBefore = "The host page's own text.";
  const seen = {};
  for (const entry of TRICKS.entries) {
    // Every entry's definition is opened from the index: its id must find its marker.
    await page.keyboard.press("Escape");
    await page.locator("glossa-index").getByRole("button", { name: entry.term, exact: true }).click();
    assert.equal((await focused(page)).term, entry.id, `the index did not find ${JSON.stringify(entry.id)}`);
    await waitForPopover(page, entry.term);
    seen[entry.id] = await page.evaluate(() => {
      const root = document.querySelector("glossa-popover").shadowRoot;
      return {
        aka: root.querySelector(".aka")?.textContent ?? null,
        definition: root.querySelector("h2 ~ p:not(.aka)")?.textContent ?? null,
        links: [...root.querySelectorAll("a")].map((a) => [a.textContent, a.href]),
        buttons: [...root.querySelectorAll("button")].map((b) => b.textContent),
      };
    });
  }
  const [svg, soviet, dual] = TRICKS.entries;
  assert.equal(seen.svg.aka, "Also: Lenin");
  // Refused links stay as written; the others become links with only their text shown.
  assert.equal(seen.svg.definition, svg.definition.replace(/\[(wiki|rel|proto)\]\((?:[^()\s]|\([^()\s]*\))+\)/g, "$1"));
  assert.deepEqual(seen.svg.links, [
    ["wiki", "https://en.wikipedia.org/wiki/Paris_Commune_(1871)"],
    ["rel", `${server.url}/glossary/lenin`],
    ["proto", "http://example.org/x"],
  ]);
  assert.deepEqual(seen.svg.buttons, ["soviet", "dual power"]);
  assert.equal(seen[soviet.id].aka, `Also: ${soviet.aliases[0]}`);
  assert.equal(seen[soviet.id].definition, soviet.definition);
  assert.equal(seen[dual.id].definition, dual.definition);
  assert.deepEqual(seen[dual.id].links, []);

  // The see-also buttons reach entries whose ids break attributes and selectors.
  await page.locator('glossa-term[data-glossa-term="svg"]').focus();
  await waitForPopover(page, svg.term);
  await page.locator("glossa-popover").getByRole("button", { name: "dual power", exact: true }).click();
  await waitForPopover(page, "dual power");

  // Each refused link is reported, naming its entry.
  const warnings = REFUSED.map((link) => `glossary /tricks.json: entry 1 (${JSON.stringify(svg.term)}): ` +
    `the link ${JSON.stringify(link)} in its definition is not http(s); it is shown as text`);
  assert.deepEqual(await page.evaluate(() => window.__glossa.ready[0].warnings), warnings);
  assert.deepEqual(page.problems, warnings.map((w) => `warning: glossa: ${w}`));
  assert.equal(await page.locator("#host").textContent(), hostBefore);
  assert.equal(await page.locator("#p").textContent(), "Lenin and the soviets held dual power.");
  await assertNothingRan(page);
  await page.close();
});

for (const [i, [link, problem]] of BAD_LINKS.entries()) {
  test(`an entry link ${JSON.stringify(link)} rejects the glossary, naming the entry and the link`, async () => {
    const { page, message } = await refusedGlossary(`/bad-link-${i}.html`);
    assert.equal(message, `glossary /bad-link-${i}.json: entry 1 ("Lenin"): link ${JSON.stringify(link)} ${problem}`);
    await page.close();
  });
}

test("bidi controls stay inside their own string: the popover's other words and the article keep their order", async () => {
  const page = await open("/bidi.html", { readers: 0 });
  const before = await glyphBoxes(page, "article");
  await page.evaluate(() => import("/dist/glossa.js"));
  await waitForReady(page);
  assert.deepEqual(
    await page.$$eval("glossa-term", (ms) => ms.map((m) => m.dataset.glossaTerm)),
    ["dual-power", "lenin", "lenin", "lenin", "dual-power"],
  );
  // Marking moved no character: the overridden run, the isolate and the RTL paragraph are
  // drawn exactly as before.
  assert.deepEqual(await glyphBoxes(page, "article"), before);

  await page.locator("#override glossa-term[data-glossa-term=lenin]").first().focus();
  await waitForPopover(page, "Lenin");
  // "Ilyich", after an alias holding an unterminated right-to-left override, still reads
  // left to right, as does the label before the aliases.
  const order = await page.evaluate(() => {
    const aka = document.querySelector("glossa-popover").shadowRoot.querySelector(".aka");
    // Where each character of `word` is drawn, found in the text nodes under .aka.
    const lefts = (word) => {
      const walker = document.createTreeWalker(aka, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.data.indexOf(word);
        if (at < 0) continue;
        const range = new Range();
        return [...word].map((_, i) => {
          range.setStart(n, at + i);
          range.setEnd(n, at + i + 1);
          return range.getBoundingClientRect().left;
        });
      }
      return null;
    };
    return { label: lefts("Also:"), ilyich: lefts("Ilyich"), text: aka.textContent };
  });
  assert.equal(order.text, "Also: \u202EUlyanov, Ilyich");
  const ascending = (xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
  assert.ok(ascending(order.label), `"Also:" drawn out of order: ${order.label}`);
  assert.ok(ascending(order.ilyich), `"Ilyich" drawn reversed: ${order.ilyich}`);
  assert.deepEqual(page.problems, []);
  await assertNothingRan(page);
  await page.close();
});

test("an error message shows a bidi control escaped, so it cannot reorder the message", async () => {
  const { page, message } = await refusedGlossary("/bidi-bad.html");
  assert.equal(message, 'glossary /bidi-bad.json: entry 1 ("\\u{202e}nined"): link "ftp://example.org/" must use http or https');
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Size and depth

test("1 MB definitions, also of hostile brackets and emphasis, open promptly in a popover that scrolls", async () => {
  const page = await open("/big-definitions.html");
  for (const entry of BIG_DEFINITIONS) {
    const term = page.locator(`glossa-term[data-glossa-term="${entry.id}"]`);
    await term.focus();
    await waitForPopover(page, entry.term);
    const shown = await page.evaluate(() => {
      const card = document.querySelector("glossa-popover").shadowRoot.querySelector(".card");
      const r = card.getBoundingClientRect();
      return {
        length: card.querySelector("h2 + p").textContent.length,
        inViewport: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth,
        scrolls: card.scrollHeight > card.clientHeight,
        sideways: card.scrollWidth > card.clientWidth,
      };
    });
    // Everything is shown (trimmed, as the core keeps it) but the asterisks of the emphases
    // formatted, which are the first thousand.
    const definition = entry.definition.trim();
    const expected = definition.length - (entry.id === "emphasis" ? 2 * 1000 : 0);
    assert.deepEqual(shown, { length: expected, inViewport: true, scrolls: true, sideways: false }, entry.id);
    await page.keyboard.press("Escape");
    await assertResponsive(page);
  }
  const warning = 'glossary /big-definitions.json: entry 4 ("Paris Commune"): its definition has 262144 emphases ' +
    "and links; past the first 1000 they are shown as written";
  assert.deepEqual(await page.evaluate(() => window.__glossa.ready[0].warnings), [warning]);
  assert.deepEqual(page.problems, [`warning: glossa: ${warning}`]);
  assert.equal(await page.locator("#host").textContent(), "The host page's own text.");
  await assertNothingRan(page);
  await page.close();
});

test("100,000 entries: terms are marked, definitions and search work, the index lists only this page's terms", async () => {
  const page = await open("/huge.html");
  const ready = await page.evaluate(() => window.__glossa.ready[0]);
  assert.equal(ready.terms, 4);
  assert.deepEqual(await page.$$eval("glossa-term", (ms) => ms.map((m) => m.textContent)), ["Lenin", "soviets", "term 99999", "term 5"]);
  await assertResponsive(page);

  // A glossary too long to browse: the index lists the page's terms and says so.
  await page.waitForFunction(() => document.querySelector("glossa-index").shadowRoot.querySelector("li"));
  const listed = await page.evaluate(() => {
    const root = document.querySelector("glossa-index").shadowRoot;
    return { note: root.querySelector(".note")?.textContent, terms: [...root.querySelectorAll("li button")].map((b) => b.textContent) };
  });
  assert.deepEqual(listed, {
    note: "Only the terms on this page are listed: 4 of the glossary's 100,002.",
    terms: ["Lenin", "soviet", "term 5", "term 99999"],
  });

  await page.locator('glossa-term[data-glossa-term="t99999"]').focus();
  await waitForPopover(page, "term 99999");
  assert.match((await popoverState(page)).text, /Definition number 99999\./);
  await page.locator("glossa-search input").fill("soviets");
  await waitForResults(page, "soviets");
  assert.equal((await searchState(page)).status, "1 passage found");
  await assertResponsive(page);
  assert.equal(await page.locator("#host").textContent(), "The host page's own text.");
  assert.deepEqual(page.problems, []);
  await assertNothingRan(page);
  await page.close();
});

test("a glossary nested 100,000 levels deep is refused, saying how deep and where", async () => {
  const { page, message } = await refusedGlossary("/deep.html");
  assert.equal(message, "glossary /deep.json: glossary is not valid JSON: nested more than 64 levels deep at line 1 column 102");
  await page.close();
});

test("a glossary that opens 1,000,000 arrays and ends is refused where it gets too deep", async () => {
  // One pass reads it: the nesting is refused where it passes 64 levels, before the end of
  // the text (which would be the next problem: every array is left open).
  const { page, message } = await refusedGlossary("/deep-open.html");
  assert.equal(message, "glossary /deep-open.json: glossary is not valid JSON: nested more than 64 levels deep at line 1 column 102");
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Article text and prebuilt indexes

test("a core failure part way through marking leaves the article exactly as it was, and says where", async () => {
  const page = await open("/midway.html");
  assert.ok(await page.locator("glossa-term").count() >= 5);
  // The core traps (as a wasm panic would) on the third text it is given; marking starts over.
  await page.evaluate(() => {
    const reader = document.querySelector("glossa-reader");
    const { glossa } = reader.engine;
    const annotate = glossa.annotate.bind(glossa);
    let calls = 0;
    glossa.annotate = (text) => {
      if (++calls === 3) throw new WebAssembly.RuntimeError("unreachable");
      return annotate(text);
    };
    reader.setAttribute("first-only", "");
  });
  await page.waitForFunction(() => window.__glossa.error.length > 0);
  const message = 'article "midway": its terms could not be marked (unreachable)';
  assert.deepEqual(await page.evaluate(() => window.__glossa.error.map((e) => e.message)), [message]);
  assert.equal(await page.evaluate(() => document.querySelector("glossa-reader").innerHTML === window.__before), true,
    "the article was left half marked");
  assert.deepEqual(page.problems, [`error: glossa: ${message}`]);
  await assertNothingRan(page);
  await page.close();
});

test("hostile article text, id and title stay text; a paragraph of 100,000 terms is marked and put back", async () => {
  const page = await open("/article.html", { readers: 0 });
  const before = await page.evaluate(() => ({
    html: document.querySelector("glossa-reader").innerHTML,
    text: document.body.textContent,
    elements: document.querySelectorAll("*").length,
  }));
  await page.evaluate(() => import("/dist/glossa.js"));
  await waitForReady(page);
  const ready = await page.evaluate(() => window.__glossa.ready[0]);
  assert.equal(ready.terms, 2 + 2 * PARAGRAPH_TERMS);
  const marked = await page.evaluate(() => ({
    text: document.body.textContent,
    markup: [...document.querySelectorAll("#markup glossa-term")].map((m) => m.textContent),
    other: document.querySelectorAll("*").length - document.querySelectorAll("glossa-term, glossa-popover").length,
  }));
  assert.equal(marked.text, before.text, "the page's text changed");
  assert.deepEqual(marked.markup, ["Lenin", "soviets"]);
  assert.equal(marked.other, before.elements, "elements other than markers appeared");
  await assertResponsive(page);

  // The title is shown as text in search results, and opening one puts the id in the URL.
  await page.locator("glossa-search input").fill("onerror");
  await waitForResults(page, "onerror");
  const state = await searchState(page);
  assert.equal(state.options.length, 1);
  assert.equal(state.options[0].title, "<script>window.__pwned=1</script> Title");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash.startsWith("#glossa="));
  assert.equal(await page.evaluate(() => location.hash), `#glossa=${encodeURIComponent('"><img src=x onerror=window.__pwned=1>:0')}:0`);
  // Fragments no widget wrote are ignored: bad escapes, huge or missing passages.
  for (const hash of ["#glossa=%E0%A4%A:0", "#glossa=x:99999999999999999999", `#glossa=${encodeURIComponent('"><img src=x onerror=window.__pwned=1>:0')}:7`, "#glossa=:"]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((h) => location.hash === h, hash);
  }

  await page.evaluate(() => document.querySelector("glossa-reader").destroy());
  assert.equal(await page.evaluate(() => document.querySelector("glossa-reader").innerHTML), before.html);
  await assertResponsive(page);
  assert.deepEqual(page.problems, []);
  await assertNothingRan(page);
  await page.close();
});

test("a prebuilt index whose articles link to javascript:, data: or vbscript: URLs: never followed, and reported", async () => {
  const page = await open("/evil-index.html");
  const start = page.url();
  // The message quotes what it refused, bidi controls written out.
  for (const [i, [query, article, url, title]] of [
    ["petrograd", '"evil-js"', '"javascript:window.__pwned=1//"', "Evil JS"],
    ["moscow", '"evil-data"', '"data:text/html,<script>alert(1)</script>"', "Evil data"],
    ["tiflis", '"evil-\\u{202e}bidi"', '"vbscript:msgbox(1)//\\u{202e}gnp.exe"', "Evil bidi"],
  ].entries()) {
    await page.locator("glossa-search input").fill(query);
    await waitForResults(page, query);
    await page.locator("glossa-search input").press("Enter");
    await page.waitForFunction((n) => window.__glossa.error.length === n, i + 1);
    const message = `index /evil.glossa: article ${article} has the URL ${url}, which is not http(s): not followed`;
    assert.equal(await page.evaluate(() => window.__glossa.error.at(-1).message), message);
    assert.equal((await searchState(page)).status, `The link of ${title} was refused.`);
    assert.equal(page.problems.at(-1), `error: glossa: ${message}`);
  }
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  assert.equal(page.url(), start, "the page navigated");
  assert.equal(page.problems.length, 3, page.problems.join("\n"));
  await assertNothingRan(page);

  // In a definition's "Where else" those passages are shown without a link.
  await page.locator('glossa-term[data-glossa-term="soviet"]').focus();
  await waitForPopover(page, "soviet");
  const mentions = await page.evaluate(() => [...document.querySelector("glossa-popover").shadowRoot.querySelectorAll(".mention")]
    .map((m) => [m.querySelector(".where").textContent, m.localName, m.getAttribute("href")]));
  assert.deepEqual(mentions.sort(), [
    ["Evil JS", "span", null], ["Evil bidi", "span", null], ["Evil data", "span", null],
    ["Fine", "a", `${server.url}/fine.html#glossa=fine:0:soviet`],
  ]);

  // An http(s) URL is still followed.
  await page.keyboard.press("Escape");
  await page.locator("glossa-search input").fill("kronstadt");
  await waitForResults(page, "kronstadt");
  await page.locator("glossa-search input").press("Enter");
  await page.waitForURL(`${server.url}/fine.html#glossa=fine:0:kronstadt`);
  await page.close();
});
