// <glossa-search> on the demo page end to end in headless Chromium: results as you type, the
// ARIA combobox + listbox pattern, keyboard use, opening a hit (scroll, highlight, deep link),
// the live region, "/" to focus, deep links on load, and hostile queries.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, recordGlossaEvents, waitForReady, recordSearchResults, waitForResults,
  searchState, hitRanges, waitForPassageInView, waitForPopover, focused,
} from "./harness.mjs";

const article = async (id) => JSON.parse(await readFile(join(ROOT, "content", "articles", `${id}.json`), "utf8"));
const VIEWPOINT = await article("viewpoint-dotp");
const LENIN = await article("morning-star-lenin");
// The demo page's readers, in document order.
const READER = { "viewpoint-dotp": 0, "morning-star-lenin": 1 };
const COUNT = /^(No passages found|1 passage found|([2-9]|[1-9]\d+) passages found)$/;

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The demo page at `path` (may carry a fragment), with both readers ready. */
async function openDemo(path = "/", viewport) {
  const page = await browser.page(viewport);
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}${path}`);
  await waitForReady(page, 2);
  return page;
}

const input = (page) => page.locator("glossa-search input");

/** Replaces the query (as a paste would) and waits for its results. */
async function query(page, text) {
  await input(page).fill(text);
  await waitForResults(page, text);
  return searchState(page);
}

/** Types `text` into the box one key at a time, returning the state after each key. */
async function typeSlowly(page, text) {
  await input(page).click();
  const states = [];
  for (let i = 1; i <= text.length; i++) {
    await page.keyboard.type(text[i - 1]);
    await waitForResults(page, text.slice(0, i));
    states.push(await searchState(page));
  }
  return states;
}

/** The distinct words of highlight ranges, lower-cased and sorted. */
const words = (ranges) => [...new Set(ranges.flatMap((r) => r.text.toLowerCase().split(/\s+/)))].sort();

/** The passage of `article` whose text contains `fragment` (normalised whitespace). */
function passageWith(art, fragment) {
  const i = art.passages.findIndex((p) => p.includes(fragment));
  assert.ok(i >= 0, `no passage of ${art.id} contains ${JSON.stringify(fragment)}`);
  return i;
}

test("results appear as you type, with the article's title and the matched words marked", async () => {
  const page = await openDemo();
  const states = await typeSlowly(page, "dual pow");
  for (const [i, state] of states.entries()) {
    assert.equal(state.value, "dual pow".slice(0, i + 1));
    if (state.value.trim()) {
      assert.match(state.status, COUNT, `status after ${JSON.stringify(state.value)}`);
    }
  }
  // "dual" alone already finds the one passage that says "dual power".
  const dual = states[3];
  assert.equal(dual.options.length, 1);
  assert.equal(dual.status, "1 passage found");
  assert.deepEqual(dual.options[0].marks.map((m) => m.toLowerCase()), ["dual"]);

  const done = states.at(-1);
  assert.ok(done.options.length >= 2, "the prefix 'pow' finds more passages than 'dual'");
  assert.equal(done.status, `${done.options.length} passages found`);
  assert.equal(done.expanded, "true");
  // Both words first: the passage with "dual power" leads, both words marked, "pow" as a prefix.
  assert.equal(done.options[0].title, LENIN.title);
  assert.deepEqual(done.options[0].marks.map((m) => m.toLowerCase()), ["dual", "power"]);
  assert.match(done.options[0].text, /the dual power situation could not hold/);
  const titles = new Set([VIEWPOINT.title, LENIN.title]);
  for (const option of done.options) {
    assert.ok(titles.has(option.title), `unknown title ${option.title}`);
    assert.ok(option.marks.length > 0, `no <mark> in ${option.text}`);
    for (const m of option.marks) assert.match(m, /^(dual|pow\w*)$/i, `marked ${m}`);
    // The snippet is the passage's own text (cut with … where it was shortened).
    const art = option.title === LENIN.title ? LENIN : VIEWPOINT;
    const snippet = option.text.slice(option.title.length).replace(/^…\s*|\s*…$/g, "").replace(/\s+/g, " ");
    assert.ok(art.passages.some((p) => p.replace(/\s+/g, " ").includes(snippet)), `snippet not from ${art.id}: ${snippet}`);
  }
  // The other article's passages that say "power" are found through the prefix too.
  assert.ok(done.options.some((o) => o.title === VIEWPOINT.title), "only one article searched");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the box is a labelled ARIA combobox that controls a listbox of options", async () => {
  const page = await openDemo();
  const label = await page.getAttribute("glossa-search", "label");
  let state = await searchState(page);
  assert.equal(state.role, "combobox");
  assert.equal(state.expanded, "false");
  assert.equal(state.autocomplete, "list");
  assert.equal(state.activedescendant, null);
  assert.deepEqual(state.labels, [label]);
  assert.equal(state.listRole, "listbox");
  assert.equal(state.listVisible, false, "an empty list is not shown");
  // The accessible name comes from the label, as Playwright's role engine computes it.
  await page.getByRole("combobox", { name: label }).waitFor();

  state = await query(page, "soviet");
  assert.ok(state.options.length >= 2);
  assert.equal(state.expanded, "true");
  assert.equal(state.listVisible, true);
  assert.equal(state.activedescendant, null, "nothing is active before the arrows are used");
  const ids = state.options.map((o) => o.id);
  assert.equal(new Set(ids).size, ids.length, "option ids are unique");
  for (const option of state.options) {
    assert.ok(option.id, "every option has an id for aria-activedescendant");
    assert.ok(option.inList, "options are inside the controlled listbox");
    assert.equal(option.selected, "false");
  }
  assert.equal(await page.getByRole("listbox").count(), 1);
  assert.equal(await page.getByRole("option").count(), state.options.length);

  await page.keyboard.press("ArrowDown");
  state = await searchState(page);
  assert.equal(state.selected, 0);
  assert.equal(state.activedescendant, state.options[0].id);
  assert.deepEqual(await focused(page), { path: "glossa-search > input", text: "", term: null }, "focus stays in the box");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("ArrowDown and ArrowUp move the active option one step at a time", async () => {
  const page = await openDemo();
  const typed = await query(page, "dictatorship");
  assert.ok(typed.options.length >= 4, `only ${typed.options.length} results`);
  const path = [];
  for (const key of ["ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp"]) {
    await page.keyboard.press(key);
    const state = await searchState(page);
    path.push(state.selected);
    assert.equal(state.activedescendant, state.options[state.selected]?.id);
    assert.equal(state.options.filter((o) => o.selected === "true").length, 1, "exactly one option is selected");
  }
  assert.deepEqual(path, [0, 1, 2, 1]);
  // Enter opens the active option (the second), not the first.
  const second = (await searchState(page)).options[1];
  await page.keyboard.press("Enter");
  const status = (await searchState(page)).status;
  assert.equal(status, `Opened a passage of ${second.title}`);
  const [art, passage] = /^#glossa=([^:]+):(\d+)$/.exec(await page.evaluate(() => location.hash)).slice(1);
  const text = await page.evaluate(([i, n]) => document.querySelectorAll("glossa-reader")[i].passageElement(n).textContent, [READER[art], Number(passage)]);
  const snippet = second.text.slice(second.title.length).replace(/^…\s*|\s*…$/g, "");
  assert.ok(text.includes(snippet), "Enter opened the passage of the second option");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("ArrowUp from the box moves to the last option", async () => {
  const page = await openDemo();
  const typed = await query(page, "dictatorship");
  assert.ok(typed.options.length >= 3);
  await page.keyboard.press("ArrowUp");
  const state = await searchState(page);
  assert.equal(state.selected, typed.options.length - 1);
  assert.equal(state.activedescendant, state.options.at(-1).id);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Enter opens the active result: scrolled into view, matched words highlighted, URL fragment set", async () => {
  const page = await openDemo();
  const typed = await query(page, "dual power");
  assert.equal(typed.options[0].title, LENIN.title);
  const passage = 1 + passageWith(LENIN, "the dual power situation"); // after the standfirst
  assert.equal(await page.evaluate((n) => document.querySelectorAll("glossa-reader")[1].passageElement(n).textContent.includes("dual power situation"), passage), true);
  assert.equal(await page.evaluate(() => scrollY), 0);

  await page.keyboard.press("ArrowDown");
  assert.equal((await searchState(page)).selected, 0);
  await page.keyboard.press("Enter");
  // The highlight is set at once and cleared after a while: read it first.
  const ranges = await hitRanges(page);
  assert.ok(ranges, "CSS.highlights has a glossa-hit highlight");
  assert.ok(ranges.length >= 1, "nothing highlighted");
  for (const r of ranges) {
    assert.deepEqual(r.where, [1, passage], `range ${JSON.stringify(r.text)} is outside the opened passage`);
    assert.match(r.text, /^(dual|power)(\s+(dual|power))*$/i, "only the matched words are highlighted");
  }
  assert.deepEqual(words(ranges), ["dual", "power"]);
  assert.equal(await page.evaluate(() => location.hash), `#glossa=morning-star-lenin:${passage}`);
  assert.equal((await searchState(page)).status, `Opened a passage of ${LENIN.title}`);
  await waitForPassageInView(page, 1, passage);
  assert.ok(await page.evaluate(() => scrollY) > 0, "the page scrolled");

  // The highlight and the outline are brief, and the passage's class attribute is put back.
  const block = await page.evaluateHandle((n) => document.querySelectorAll("glossa-reader")[1].passageElement(n), passage);
  assert.equal(await block.evaluate((b) => b.classList.contains("glossa-opened")), true);
  await page.waitForFunction((b) => !CSS.highlights.has("glossa-hit") && !b.hasAttribute("class"), block, { timeout: 10_000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Enter without choosing opens the first result; clicking a result opens that one", async () => {
  const page = await openDemo();
  let state = await query(page, "Kristin Ross");
  assert.equal(state.options.length, 1);
  await page.keyboard.press("Enter");
  const ross = passageWith(VIEWPOINT, "Kristin Ross");
  assert.equal(await page.evaluate(() => location.hash), `#glossa=viewpoint-dotp:${ross}`);
  await waitForPassageInView(page, 0, ross);
  const ranges = await hitRanges(page);
  assert.deepEqual(words(ranges), ["kristin", "ross"]);
  assert.ok(ranges.every((r) => r.where?.[0] === 0 && r.where[1] === ross), "highlight outside the passage");

  state = await query(page, "withering");
  assert.equal(state.options.length, 1);
  await page.getByRole("option").first().click();
  const withering = passageWith(VIEWPOINT, "withering away");
  assert.equal(await page.evaluate(() => location.hash), `#glossa=viewpoint-dotp:${withering}`);
  assert.deepEqual((await hitRanges(page)).map((r) => r.where), [[0, withering]]);
  await waitForPassageInView(page, 0, withering);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the live region announces how many passages were found, or that none were", async () => {
  const page = await openDemo();
  let state = await searchState(page);
  // The live region is in the page before anything is announced, and says nothing yet.
  assert.equal(state.status, "");
  assert.equal(state.statusLive, "polite");
  assert.equal(await page.getByRole("status").count(), 1);

  state = await query(page, "Blanqui");
  assert.equal(state.status, "1 passage found");
  assert.equal(state.options.length, 1);
  state = await query(page, "revolution");
  assert.equal(state.status, `${state.options.length} passages found`);
  assert.ok(state.options.length > 1);
  state = await query(page, "xylophone");
  assert.equal(state.status, "No passages found");
  assert.equal(state.options.length, 0);
  assert.equal(state.expanded, "false");
  state = await query(page, "   ");
  assert.equal(state.status, "", "a blank query announces nothing");
  assert.equal(state.options.length, 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Escape clears the box and closes the list", async () => {
  const page = await openDemo();
  let state = await query(page, "Lenin");
  assert.ok(state.options.length > 0);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  await waitForResults(page, "");
  state = await searchState(page);
  assert.equal(state.value, "");
  assert.equal(state.options.length, 0);
  assert.equal(state.expanded, "false");
  assert.equal(state.activedescendant, null);
  assert.equal(state.listVisible, false);
  assert.equal(state.status, "");
  assert.equal((await focused(page)).path, "glossa-search > input", "focus stays in the box");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("'/' focuses the box from anywhere outside a text field, without typing a slash", async () => {
  const page = await openDemo();
  // From the page itself.
  await page.locator("footer p").click();
  assert.equal((await focused(page)).path, "body");
  await page.keyboard.press("/");
  assert.equal((await focused(page)).path, "glossa-search > input");
  assert.equal((await searchState(page)).value, "");
  // From a marked term (its definition is open).
  await page.locator("glossa-term").first().focus();
  await waitForPopover(page);
  await page.keyboard.press("/");
  assert.equal((await focused(page)).path, "glossa-search > input");
  assert.equal((await searchState(page)).value, "");
  // In the box, "/" is just a character.
  await page.keyboard.type("a/b");
  assert.equal((await searchState(page)).value, "a/b");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("'/' typed in another text field stays there", async () => {
  const page = await openDemo();
  await page.evaluate(() => {
    const form = document.createElement("form");
    form.innerHTML = '<input id="other" aria-label="other"><textarea id="area" aria-label="area"></textarea>' +
      '<div id="editable" contenteditable="true" aria-label="editable"></div><select id="pick" aria-label="pick"><option>a</option></select>';
    document.querySelector("footer").append(form);
  });
  for (const id of ["other", "area", "editable"]) {
    await page.locator(`#${id}`).click();
    await page.keyboard.type("a/b");
    const { text, path } = await page.evaluate((id) => {
      const el = document.getElementById(id);
      return { text: "value" in el && el.localName !== "div" ? el.value : el.textContent, path: document.activeElement.id };
    }, id);
    assert.equal(text, "a/b", `${id} got its slash`);
    assert.equal(path, id, `${id} kept focus`);
  }
  assert.equal((await searchState(page)).value, "");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("'/' focuses the box from a button inside the widget's own elements", async () => {
  const page = await openDemo();
  await page.locator("glossa-index button:not([disabled])").first().focus();
  assert.equal((await focused(page)).path, "glossa-index > button");
  await page.keyboard.press("/");
  assert.equal((await focused(page)).path, "glossa-search > input", "from an index button");

  // A definition with links is a dialog; Tab moves into it.
  const term = page.locator('glossa-term[data-glossa-term="russian-revolution"]').first();
  await term.focus();
  await waitForPopover(page);
  await page.keyboard.press("Tab");
  assert.match((await focused(page)).path, /^glossa-popover > (a|button)$/);
  await page.keyboard.press("/");
  assert.equal((await focused(page)).path, "glossa-search > input", "from a button in the popover");
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("both articles are searchable and each result opens in its own article", async () => {
  const page = await openDemo();
  for (const [q, art, fragment] of [
    ["Blanqui", VIEWPOINT, "Louis Auguste Blanqui"],
    ["tsarism", LENIN, "implosion of tsarism"],
    ["Second International", LENIN, "Second International"],
    ["Gorbachev", VIEWPOINT, "Gorbachev"],
  ]) {
    const state = await query(page, q);
    assert.ok(state.options.length >= 1, `${q}: nothing found`);
    assert.ok(state.options.every((o) => o.title === art.title), `${q}: results outside ${art.id}`);
    await page.keyboard.press("Enter");
    const n = passageWith(art, fragment) + (art === LENIN ? 1 : 0); // the standfirst is passage 0
    assert.equal(await page.evaluate(() => location.hash), `#glossa=${art.id}:${n}`, q);
    const ranges = await hitRanges(page);
    assert.ok(ranges.length > 0 && ranges.every((r) => r.where?.[0] === READER[art.id] && r.where[1] === n), `${q}: highlight outside the passage`);
    await waitForPassageInView(page, READER[art.id], n);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("a deep link opens its passage when the page loads, and when the fragment changes", async () => {
  const last = LENIN.passages.length; // the standfirst is passage 0, so the last is passages.length
  const page = await openDemo(`/#glossa=morning-star-lenin:${last}`, { width: 1280, height: 800 });
  await waitForPassageInView(page, 1, last);
  assert.ok(await page.evaluate(() => scrollY) > 0, "the page scrolled down to the passage");
  const block = await page.evaluateHandle((n) => document.querySelectorAll("glossa-reader")[1].passageElement(n), last);
  assert.equal(await block.evaluate((b) => b.textContent.startsWith("With the February revolution")), true);
  assert.equal(await block.evaluate((b) => b.classList.contains("glossa-opened")), true, "the opened passage is outlined");

  // Following a link to another passage on the same page.
  const first = 0;
  await page.evaluate((n) => { location.hash = `#glossa=viewpoint-dotp:${n}`; }, first);
  await waitForPassageInView(page, 0, first);
  assert.equal(await page.evaluate(() => document.querySelectorAll("glossa-reader")[0].passageElement(0).classList.contains("glossa-opened")), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("fragments that name no passage are ignored quietly", async () => {
  for (const hash of [
    "#glossa=morning-star-lenin:5", "#glossa=no-such-article:1", "#glossa=viewpoint-dotp:-1",
    "#glossa=viewpoint-dotp:abc", "#glossa=%E0%A4%A:1", "#glossa=", "#glossa=viewpoint-dotp:99999999999999999999",
  ]) {
    const page = await openDemo(`/${hash}`, { width: 1280, height: 800 });
    // Give the readers a frame after ready to act on the fragment.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.evaluate(() => scrollY), 0, `${hash} scrolled`);
    assert.equal(await page.locator(".glossa-opened").count(), 0, `${hash} outlined something`);
    assert.deepEqual(page.problems, [], hash);
    await page.close();
  }
});

test("hostile queries are shown as text, with no console errors and a sensible status", async () => {
  const page = await openDemo();
  const dangerous = () => page.evaluate(() => {
    let n = 0;
    const walk = (root) => {
      n += root.querySelectorAll("img, svg, script, iframe, object, embed, style, link").length;
      for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return { n, pwned: window.__pwned ?? null, html: document.querySelector("glossa-search").shadowRoot.querySelector("[role=listbox]").innerHTML };
  });
  const before = await dangerous();
  const queries = [
    "<img src=x onerror=window.__pwned=1>",
    '"><svg onload=window.__pwned=1> power',
    "<script>window.__pwned=1</script> dual",
    "x".repeat(10_000),
    "power ".repeat(1_700),
    "\ud800",
    "dual \udfff power \ud800",
    "!!! ??? ... ;;; ---",
    "\u201c\u201d\u2014 \u2026 ()[]{}",
    '"unterminated',
    '"dual power',
    "-",
    "-power",
    "dual\u0000power",
  ];
  for (const q of queries) {
    // Set the value as an input method would: fill() cannot type lone surrogates, and they
    // would not survive the trip to the page as a string, so they go as UTF-16 code units.
    const units = Array.from({ length: q.length }, (_, i) => q.charCodeAt(i));
    const echoed = await page.evaluate((units) => {
      const box = document.querySelector("glossa-search").shadowRoot.querySelector("input");
      box.focus();
      box.value = units.map((u) => String.fromCharCode(u)).join("");
      box.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true }));
      return Array.from({ length: box.value.length }, (_, i) => box.value.charCodeAt(i));
    }, units);
    if (units.some((u) => u >= 0xd800 && u <= 0xdfff)) {
      assert.ok(echoed.some((u) => u >= 0xd800 && u <= 0xdfff), "the lone surrogate reached the box");
    }
    await page.waitForFunction(() => {
      const log = window.__glossaResults;
      return log.length && log[log.length - 1].query === document.querySelector("glossa-search").shadowRoot.querySelector("input").value;
    });
    const state = await searchState(page);
    const shown = JSON.stringify(q.slice(0, 40));
    assert.match(state.status, COUNT, `${shown}: status ${JSON.stringify(state.status)}`);
    assert.equal(state.expanded, String(state.options.length > 0), shown);
    const now = await dangerous();
    assert.equal(now.pwned, null, `${shown} ran script`);
    assert.equal(now.n, before.n, `${shown} inserted elements`);
    assert.doesNotMatch(now.html, /<(img|svg|script)/i, shown);
    for (const option of state.options) assert.ok(option.title === VIEWPOINT.title || option.title === LENIN.title, shown);
  }
  // Sensible answers to the ones that say something.
  assert.equal((await query(page, '"dual power')).status, "1 passage found", "an unterminated phrase still finds the phrase");
  assert.equal((await query(page, "x".repeat(10_000))).status, "No passages found");
  assert.equal((await query(page, "!!! ??? ... ;;; ---")).status, "No passages found");
  assert.ok((await query(page, "power ".repeat(1_700))).options.length > 0, "a long query of real words still finds them");
  // And the box still works.
  const state = await query(page, "dual power");
  assert.equal(state.options[0].title, LENIN.title);
  assert.deepEqual(page.problems, []);
  await page.close();
});
