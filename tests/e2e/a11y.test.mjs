// Accessibility of the demo page with axe-core, in light and dark colour schemes: on load, with
// a definition popover open, and with search results showing. Any serious or critical violation
// fails. axe-core walks open shadow roots, so the widget's own UI is audited too (checked
// below, so that a test cannot pass by auditing nothing). axe does not see CSS Custom
// Highlights, so the search hit's highlight contrast is measured separately.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  serve, launch, ROOT, recordGlossaEvents, waitForReady, recordSearchResults, waitForResults,
  waitForPopover, popoverState, searchState, hitRanges,
} from "./harness.mjs";

const AXE = await readFile(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const SCHEMES = ["light", "dark"];

let server;
const browsers = {};
before(async () => {
  server = await serve();
  browsers.light = await launch({ colorScheme: "light" });
  browsers.dark = await launch({ colorScheme: "dark" });
});
after(async () => {
  await Promise.all(Object.values(browsers).map((b) => b.close()));
  await server?.close();
});

async function openDemo(scheme) {
  const page = await browsers[scheme].page({ width: 1280, height: 800 });
  await recordGlossaEvents(page);
  await recordSearchResults(page);
  await page.goto(`${server.url}/`);
  await waitForReady(page, 2);
  assert.equal(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), scheme === "dark");
  return page;
}

/**
 * Runs axe on the whole page. Returns the serious and critical violations, a readable report
 * of them, and the shadow hosts whose insides axe examined.
 */
async function audit(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const { violations, hosts, version } = await page.evaluate(async () => {
    const results = await window.axe.run(document);
    const hosts = new Set();
    for (const kind of ["passes", "violations", "incomplete"]) {
      for (const rule of results[kind]) {
        for (const node of rule.nodes) if (Array.isArray(node.target[0])) hosts.add(node.target[0][0]);
      }
    }
    return {
      version: window.axe.version,
      hosts: [...hosts],
      violations: results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" "),
          html: n.html, summary: n.failureSummary,
        })),
      })),
    };
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => [
    `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.map((n) => `    at ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, "\n      ")}`),
  ].join("\n")).join("\n");
  return { serious, report: `axe ${version} found:\n${report}`, hosts: hosts.map((h) => h.replace(/\[.*$/, "")), all: violations };
}

for (const scheme of SCHEMES) {
  test(`axe on load (${scheme})`, async () => {
    const page = await openDemo(scheme);
    const { serious, report, hosts } = await audit(page);
    assert.equal(serious.length, 0, report);
    assert.ok(hosts.includes("glossa-search"), `axe did not look inside <glossa-search>: ${hosts}`);
    assert.ok(hosts.includes("glossa-index"), `axe did not look inside <glossa-index>: ${hosts}`);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test(`axe with a definition popover open (${scheme})`, async () => {
    const page = await openDemo(scheme);
    // A term whose definition has links (a dialog), focused from the keyboard.
    const term = page.locator('glossa-term[data-glossa-term="russian-revolution"]').first();
    await term.focus();
    await waitForPopover(page, "Russian Revolution");
    const popover = await popoverState(page);
    assert.equal(popover.role, "dialog");
    const { serious, report, hosts } = await audit(page);
    assert.ok(hosts.some((h) => h === "glossa-popover" || h === `#${popover.id}`), `axe did not look inside the popover: ${hosts}`);
    assert.equal((await popoverState(page)).open, true, "the popover stayed open during the audit");
    assert.equal(serious.length, 0, report);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test(`axe with search results showing (${scheme})`, async () => {
    const page = await openDemo(scheme);
    await page.locator("glossa-search input").fill("dictatorship");
    await waitForResults(page, "dictatorship");
    await page.keyboard.press("ArrowDown");
    const state = await searchState(page);
    assert.ok(state.options.length > 1);
    assert.equal(state.selected, 0);
    const { serious, report, hosts } = await audit(page);
    assert.ok(hosts.includes("glossa-search"), `axe did not look inside <glossa-search>: ${hosts}`);
    assert.equal(serious.length, 0, report);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

/** WCAG contrast of two CSS colours (rgb()/rgba()), `fg` over `bg` over `base`. */
function contrast(fg, bg, base) {
  const parse = (c) => {
    const m = /^rgba?\(([^)]+)\)$/.exec(c.trim());
    assert.ok(m, `unparsed colour ${c}`);
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const back = over(parse(bg), parse(base));
  const front = over(parse(fg), back);
  const [hi, lo] = [lum(front), lum(back)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const scheme of SCHEMES) {
  test(`an opened search hit's highlighted words stay readable (${scheme})`, async () => {
    const page = await openDemo(scheme);
    await page.locator("glossa-search input").fill("dual power");
    await waitForResults(page, "dual power");
    await page.keyboard.press("Enter");
    const ranges = await hitRanges(page);
    assert.ok(ranges?.length, "a search hit is highlighted");
    const [reader, passage] = ranges[0].where;
    const colours = await page.evaluate(([i, n]) => {
      const block = document.querySelectorAll("glossa-reader")[i].passageElement(n);
      const hit = getComputedStyle(block, "::highlight(glossa-hit)");
      let base = "rgba(0, 0, 0, 0)";
      for (let e = block; e && /rgba\(.*, 0\)$|transparent/.test(base); e = e.parentElement) base = getComputedStyle(e).backgroundColor;
      if (/rgba\(.*, 0\)$|transparent/.test(base)) base = "rgb(255, 255, 255)";
      return { fg: hit.color, bg: hit.backgroundColor, base };
    }, [reader, passage]);
    const ratio = contrast(colours.fg, colours.bg, colours.base);
    assert.ok(ratio >= 4.5, `highlighted text ${colours.fg} on ${colours.bg} (over ${colours.base}) has contrast ${ratio.toFixed(2)}:1 < 4.5:1`);
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}
