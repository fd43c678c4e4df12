// Shared by the end-to-end tests: a static server for www/ on a free loopback port, and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from "node:http";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { extname, join, normalize, dirname, sep } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
  ".glossa": "application/octet-stream", ".svg": "image/svg+xml", ".png": "image/png",
};

/**
 * Serves `dir` on 127.0.0.1 at a free port; `routes` may override paths with
 * [status, body, content type?, extra headers?].
 */
export async function serve(dir = join(ROOT, "www"), routes = {}) {
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    if (routes[path]) {
      const [status, body, type = "application/json", headers = {}] = routes[path];
      res.writeHead(status, { "content-type": type, ...headers });
      return res.end(body);
    }
    const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
    if (!file.startsWith(dir + sep)) { res.writeHead(403); return res.end(); }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404); res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  // close() alone waits for every connection to end, and one Chromium opened ahead of time and
  // has sent nothing on yet is not idle to Node: it kept a test waiting for minutes.
  const close = () => new Promise((r) => {
    server.close(r);
    server.closeAllConnections();
  });
  return { url: `http://127.0.0.1:${port}`, close };
}

/**
 * Launches headless Chromium with a fresh profile; records console errors and warnings.
 * `options` are extra browser-context options, e.g. `{ hasTouch: true, isMobile: true }` for
 * a phone that taps.
 */
export async function launch(options = {}) {
  const profile = await mkdtemp(join(tmpdir(), "glossa-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...options,
  });
  return {
    context,
    /** A new page whose console problems collect in `page.problems`. */
    async page(viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.problems = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") page.problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => page.problems.push(`uncaught: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A whole HTML page around `body` that loads the widget from /dist/glossa.js (unless
 * `script: false`, for pages that load it themselves), for serve()'s `routes`.
 */
export function htmlPage(body, { head = "", script = true, title = "glossa test page" } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  ${script ? '<script type="module" src="/dist/glossa.js"></script>' : ""}
  ${head}
</head>
<body>
${body}
</body>
</html>`;
}

/** A route entry for serve(): an HTML page. */
export const html = (body, options) => [200, htmlPage(body, options), "text/html; charset=utf-8"];

/**
 * A route entry for serve(): a page whose reader loads `glossaryUrl`, for tests of a glossary
 * the widget refuses. `window.__before` holds the article's markup before the widget ran, as
 * the article must stay exactly as it was.
 */
export function failPage(glossaryUrl) {
  return html(`
<glossa-reader glossary="${glossaryUrl}">
  <article id="post"><h1>Lenin</h1><p id="p">Lenin argued that the <em>dual power</em> situation could not hold.</p></article>
</glossa-reader>
<script>window.__before = document.querySelector("glossa-reader").innerHTML;</script>`);
}

/**
 * Records the widget's events on `page` from its first script on: `window.__glossa.ready`
 * (details of glossa:ready, with bubbles/composed), `.error` (glossa:error details) and
 * `.search` (glossa:search details). Call before page.goto().
 */
export async function recordGlossaEvents(page) {
  await page.addInitScript(() => {
    const log = (window.__glossa = { ready: [], error: [], search: [] });
    for (const [type, list] of [["glossa:ready", log.ready], ["glossa:error", log.error], ["glossa:search", log.search]]) {
      document.addEventListener(type, (e) => list.push({
        ...e.detail,
        bubbles: e.bubbles,
        composed: e.composed,
        target: e.target?.localName ?? null,
      }), true);
    }
  });
}

/**
 * The paths of the core wasm files (`…_bg.wasm`, `…_bg.wasm.gz`) `page` requests from now on,
 * in order, in the returned array.
 */
export function recordWasmRequests(page) {
  const paths = [];
  page.on("request", (r) => {
    const { pathname } = new URL(r.url());
    // glossa_core_bg.wasm(.gz), or as a bundler renames it (glossa_core_bg-HASH.wasm).
    if (/_bg(\.wasm|-[^/]*\.wasm$)/.test(pathname)) paths.push(pathname);
  });
  return paths;
}

/** Waits until `count` glossa:ready events have been recorded (see recordGlossaEvents). */
export async function waitForReady(page, count = 1) {
  await page.waitForFunction((n) => window.__glossa.ready.length >= n, count);
}

/**
 * Opens `url` in a new page that records the widget's events, and waits for `readers` readers.
 * `setUp(page)`, if given, runs before the page loads (init scripts, request listeners).
 */
export async function openReady(browser, url, { viewport, readers = 1, setUp } = {}) {
  const page = await browser.page(viewport);
  await setUp?.(page);
  await recordGlossaEvents(page);
  await page.goto(url);
  if (readers) await waitForReady(page, readers);
  return page;
}

/** The page's shared definition popover: whether it is open, its role and text. */
export async function popoverState(page) {
  return page.evaluate(() => {
    const p = document.querySelector("body > glossa-popover");
    if (!p) return { open: false };
    return {
      open: !p.hidden,
      id: p.id,
      role: p.getAttribute("role"),
      label: p.getAttribute("aria-label"),
      heading: p.shadowRoot.querySelector("h2")?.textContent ?? null,
      text: p.shadowRoot.textContent,
    };
  });
}

/** Waits for the popover to be open (and, if given, to show the heading `heading`). */
export async function waitForPopover(page, heading) {
  await page.waitForFunction((h) => {
    const p = document.querySelector("body > glossa-popover");
    return p && !p.hidden && (h == null || p.shadowRoot.querySelector("h2")?.textContent === h);
  }, heading ?? null);
}

/** Waits for the popover to be closed. */
export async function waitForPopoverClosed(page) {
  await page.waitForFunction(() => {
    const p = document.querySelector("body > glossa-popover");
    return !p || p.hidden;
  });
}

/** Describes the focused element, down through open shadow roots. */
export async function focused(page) {
  return page.evaluate(() => {
    const path = [];
    let a = document.activeElement;
    while (a) {
      path.push(a.localName);
      const inner = a.shadowRoot?.activeElement;
      if (!inner) break;
      a = inner;
    }
    return { path: path.join(" > "), text: a?.textContent ?? "", term: a?.dataset?.glossaTerm ?? null };
  });
}

/** Whether `selector`'s first match (light DOM) is at least partly in the viewport. */
export async function inViewport(page, handleOrSelector) {
  const handle = typeof handleOrSelector === "string" ? await page.$(handleOrSelector) : handleOrSelector;
  return handle.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  });
}

/**
 * Records the details of every `glossa:results` event (`{query, count}`, sent by
 * <glossa-search> each time it has shown the results of a query) in `window.__glossaResults`.
 * Call before page.goto().
 */
export async function recordSearchResults(page) {
  await page.addInitScript(() => {
    const log = (window.__glossaResults = []);
    document.addEventListener("glossa:results", (e) => log.push({ ...e.detail }), true);
  });
}

/** Waits until the search box's latest shown results are those of exactly `query`. */
export async function waitForResults(page, query) {
  await page.waitForFunction((q) => {
    const log = window.__glossaResults;
    return log.length > 0 && log[log.length - 1].query === q;
  }, query);
}

/**
 * Everything a user (or assistive technology) can see of the page's first <glossa-search>:
 * the input's value and ARIA state, its label, the live region and the options.
 */
export async function searchState(page) {
  return page.evaluate(() => {
    const root = document.querySelector("glossa-search").shadowRoot;
    const input = root.querySelector("input");
    const controls = input.getAttribute("aria-controls");
    const list = controls ? root.getElementById(controls) : null;
    const status = root.querySelector("[role=status]");
    const options = [...root.querySelectorAll("[role=option]")];
    return {
      value: input.value,
      role: input.getAttribute("role"),
      expanded: input.getAttribute("aria-expanded"),
      autocomplete: input.getAttribute("aria-autocomplete"),
      controls,
      activedescendant: input.getAttribute("aria-activedescendant"),
      labels: [...input.labels].map((l) => l.textContent),
      listRole: list?.getAttribute("role") ?? null,
      listVisible: Boolean(list && list.getClientRects().length),
      status: status?.textContent ?? null,
      statusLive: status?.getAttribute("aria-live") ?? null,
      options: options.map((o) => ({
        id: o.id,
        inList: Boolean(list?.contains(o)),
        selected: o.getAttribute("aria-selected"),
        title: o.querySelector(".title")?.textContent ?? null,
        text: o.textContent,
        marks: [...o.querySelectorAll("mark")].map((m) => m.textContent),
      })),
      selected: options.findIndex((o) => o.getAttribute("aria-selected") === "true"),
    };
  });
}

/**
 * The ranges of the `glossa-hit` CSS highlight: each one's text and where it lies, as
 * `[reader index, passage number]` (via reader.passageElement(n)), or null outside passages.
 */
export async function hitRanges(page) {
  return page.evaluate(() => {
    const highlight = globalThis.CSS?.highlights?.get("glossa-hit");
    if (!highlight) return null;
    const readers = [...document.querySelectorAll("glossa-reader")];
    return [...highlight].map((range) => {
      let where = null;
      readers.forEach((reader, i) => {
        for (let n = 0, block; (block = reader.passageElement(n)); n++) {
          if (block !== reader && block.contains(range.startContainer) && block.contains(range.endContainer)) where = [i, n];
        }
      });
      return { text: range.toString(), where };
    });
  });
}

/** Waits until passage `n` of the `reader`-th <glossa-reader> has its centre in the viewport. */
export async function waitForPassageInView(page, reader, n) {
  await page.waitForFunction(([i, p]) => {
    const block = document.querySelectorAll("glossa-reader")[i]?.passageElement(p);
    if (!block) return false;
    const r = block.getBoundingClientRect();
    const middle = (r.top + r.bottom) / 2;
    return middle > 0 && middle < innerHeight;
  }, [reader, n]);
}

/**
 * A prebuilt index of `articles` (with `glossary`, JSON text, if given), as `glossa index`
 * would write it, made in Node with the every-language core (the English one, which the
 * page loads, reads indexes but does not write them), as the npm package's Node entry does.
 */
export async function buildIndex(articles, glossary) {
  const core = await import(pathToFileURL(join(ROOT, "www", "dist", "core-intl", "glossa_core.js")));
  core.initSync({ module: await readFile(join(ROOT, "www", "dist", "core-intl", "glossa_core_bg.wasm")) });
  const glossa = new core.Glossa();
  for (const article of articles) glossa.addArticle(article);
  if (glossary) glossa.setGlossary(glossary);
  const bytes = Buffer.from(glossa.toBytes());
  glossa.free();
  return bytes;
}

/**
 * Records, from the page's first script on, the longest time its main thread was blocked:
 * a timer due every 50 ms notes how late it ran, in `window.__stall` (ms). Call before
 * page.goto(); read with longestStall(page).
 */
export async function watchStalls(page) {
  await page.addInitScript(() => {
    window.__stall = 0;
    let due = performance.now() + 50;
    const tick = () => {
      const now = performance.now();
      window.__stall = Math.max(window.__stall, now - due);
      due = now + 50;
      setTimeout(tick, 50);
    };
    setTimeout(tick, 50);
  });
}

/** The longest the page's main thread was blocked so far, in ms (see watchStalls). */
export const longestStall = (page) => page.evaluate(() => window.__stall);

/** How long (ms) the page takes to answer: a frame, then a timer. */
export function roundTrip(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const start = performance.now();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
  }));
}

/** Every dialog (alert, confirm, prompt) the page opens, dismissed at once. */
export function recordDialogs(page) {
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

/**
 * The outerHTML (cut to 120 characters) of every element matching `selector` in the document
 * and in every open shadow root.
 */
export function queryEverywhere(page, selector) {
  return page.evaluate((selector) => {
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const e of roots[i].querySelectorAll("*")) if (e.shadowRoot) roots.push(e.shadowRoot);
    }
    return roots.flatMap((r) => [...r.querySelectorAll(selector)].map((e) => e.outerHTML.slice(0, 120)));
  }, selector);
}

/**
 * Where each character of `selector`'s text is drawn, relative to the element's own box:
 * [left, top] of its first box, to the half pixel, in text order (null for characters drawn
 * nowhere, such as a bidi control). The same list before and after marking means the reader
 * sees the same text in the same places, bidi reordering and line breaks included.
 */
export function glyphBoxes(page, selector) {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    const origin = element.getBoundingClientRect();
    const out = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const range = new Range();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        const r = range.getClientRects()[0];
        out.push(r && r.width ? [Math.round((r.left - origin.left) * 2) / 2, Math.round((r.top - origin.top) * 2) / 2] : null);
      }
    }
    return out;
  }, selector);
}
