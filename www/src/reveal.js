// Opening a search hit or a "Where else" mention: scroll the passage into view and highlight
// its matched words briefly (CSS Custom Highlight API; no change to the host's DOM), or go to
// the article's URL when it is another page.
import { safeUrl } from "./popover.js";

const HIGHLIGHT = "glossa-hit";
let clearTimer = 0;
/** The passage element flashing now, and its class attribute before (null: none). */
let flashed = null;

/** Elements whose text is not the reader's: program text, and markup when scripts run. */
const UNREAD = "script,style,noscript,template";

/**
 * The pieces of `element`'s text as a reader reads it: each text node, and "\n" for each
 * <br>. textContent would glue the words either side of a <br> into one ("Lenin<br>Trotsky"
 * → "LeninTrotsky") and take in the code of an inline <script> or the markup of a <noscript>.
 */
function* pieces(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.nodeType === Node.ELEMENT_NODE && node.matches(UNREAD) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) yield [n, n.data];
    else if (n.localName === "br") yield [null, "\n"];
  }
}

/** The text of a passage element, as indexed (see pieces). */
export function passageText(element) {
  let text = "";
  for (const [, data] of pieces(element)) text += data;
  return text;
}

/** The text node and offset at UTF-16 offset `at` of `element`'s passageText. */
function pointAt(element, at) {
  let seen = 0;
  for (const [node, data] of pieces(element)) {
    if (node && at <= seen + data.length) return [node, at - seen];
    seen += data.length;
  }
  return null;
}

/** DOM ranges of `spans` (UTF-16 offsets into `text`) where `text` sits inside `element`. */
export function rangesIn(element, text, spans) {
  const base = passageText(element).indexOf(text);
  if (base < 0) return [];
  return spans.flatMap(([start, end]) => {
    const from = pointAt(element, base + start);
    const to = pointAt(element, base + end);
    if (!from || !to) return [];
    const range = new Range();
    range.setStart(...from);
    range.setEnd(...to);
    return [range];
  });
}

/** `#glossa=<article>:<passage>`, and `:<query>` so that the page it opens can highlight it. */
export function fragmentFor(hit, query) {
  const base = `#glossa=${encodeURIComponent(hit.article)}:${hit.passage}`;
  return query ? `${base}:${encodeURIComponent(query)}` : base;
}

/** Parses `#glossa=<article>:<passage>[:<query>]`; null for any other fragment. */
export function parseFragment(hash) {
  const m = /^#glossa=([^:]+):(\d+)(?::([^:]*))?$/.exec(hash);
  if (!m) return null;
  try {
    return { article: decodeURIComponent(m[1]), passage: Number(m[2]), query: decodeURIComponent(m[3] ?? "") };
  } catch {
    return null;
  }
}

/**
 * The URL of a hit on its article's own page (which opens the passage and highlights
 * `query` in it), or "" without one.
 */
export function hitUrl(hit, query) {
  return hit.url ? `${hit.url.split("#")[0]}${fragmentFor(hit, query)}` : "";
}

/** Scrolls `element` to the middle of the viewport, smoothly unless motion is reduced. */
export function scrollToCenter(element) {
  element.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
}

/**
 * Shows a hit: on this page if its article is here, else by following the article's URL,
 * which carries `query` for that page to highlight. Returns false if that URL was refused:
 * only http(s) is followed, since a prebuilt index may say anything (a `javascript:` URL
 * would run in this page).
 */
export function openHit(engine, hit, query) {
  const page = engine.pageArticles.get(hit.article);
  if (!page) {
    if (!hit.url) return true;
    const url = safeUrl(hitUrl(hit, query));
    if (url) location.assign(url);
    return Boolean(url);
  }
  const block = page.element.passageElement(hit.passage) ?? page.element;
  scrollToCenter(block);
  history.replaceState(history.state, "", fragmentFor(hit));
  flash(block, hit.text ? rangesIn(block, hit.text, hit.text_highlights || []) : []);
  return true;
}

function flash(block, ranges) {
  unflash();
  if (globalThis.CSS?.highlights && globalThis.Highlight) {
    CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
  }
  // The outline class is removed again, leaving the class attribute exactly as it was.
  flashed = { block, classes: block.getAttribute("class") };
  block.classList.add("glossa-opened");
  clearTimer = setTimeout(unflash, 2500);
}

/**
 * Ends the flash of an opened passage now, if there is one (inside `within`, if given): its
 * class attribute is as it was, and the highlight is gone. A second passage opened before the
 * first one's flash is over, or a reader destroyed meanwhile, must not keep the class.
 */
export function unflash(within = null) {
  if (!flashed || (within && !within.contains(flashed.block))) return;
  const { block, classes } = flashed;
  flashed = null;
  clearTimeout(clearTimer);
  CSS.highlights?.delete(HIGHLIGHT);
  if (classes === null) block.removeAttribute("class");
  else block.setAttribute("class", classes);
}
