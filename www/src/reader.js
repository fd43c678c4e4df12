// <glossa-reader glossary="glossary.json"><article>…</article></glossa-reader>
// Marks the glossary's terms in the article it wraps, explains them in a popover on hover,
// focus or tap, looks up any word the reader selects, and indexes the article for search.
// Attributes: glossary, index (a prebuilt index), lang, first-only, skip (a CSS selector),
// article-id, article-title, article-url.
import { GlossaPopover, defineOnce, richText, safeUrl, el, quote } from "./popover.js";
import { engineFor, prefetchGlossary } from "./engine.js";
import { mark, unmark, MARKER } from "./mark.js";
import { hitUrl, openHit, parseFragment, passageText, unflash } from "./reveal.js";
import { PAGE_CSS, sheet } from "./styles.js";

const HOVER_DELAY = 250;
/** Elements that are passages: paragraphs and their kin, innermost only. */
const BLOCKS = "p,li,blockquote,dd,dt,figcaption,td,th";
const NOT_PASSAGES = "code,pre,script,style,template,[data-glossa-skip]";

/** Dispatches a glossa event from `target`, crossing shadow roots to reach the page. */
export function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
}

function adoptPageStyles() {
  const page = sheet(PAGE_CSS);
  if (!document.adoptedStyleSheets.includes(page)) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];
  }
}

/**
 * The definition card for `entry`, as [its content, whether that is interactive (has links or
 * buttons)]. `anchor` is what "See also" opens its entries by; `exclude` ({article, passage}),
 * if given, is the passage the term is in, left out of "Where else".
 */
export function definitionContent(engine, entry, anchor, exclude) {
  const body = new DocumentFragment();
  body.append(el("h2", { textContent: entry.term }));
  if (entry.aliases.length) {
    // Each alias isolated (<bdi>): a bidi control in one cannot reorder the others.
    const aka = el("p", { class: "aka" }, "Also: ");
    entry.aliases.forEach((alias, i) => aka.append(i ? ", " : "", el("bdi", { textContent: alias })));
    body.append(aka);
  }
  if (entry.definition) body.append(el("p", {}, richText(entry.definition)));
  const related = entry.see_also.map((id) => engine.entries.get(id)).filter(Boolean);
  if (related.length) {
    const list = el("ul");
    for (const other of related) {
      const button = el("button", { type: "button", class: "link", textContent: other.term });
      button.addEventListener("click", () => {
        showEntry(engine, other, anchor);
        GlossaPopover.shared.focusFirst();
      });
      list.append(el("li", {}, button));
    }
    body.append(el("p", { class: "label", textContent: "See also" }), list);
  }
  const link = safeUrl(entry.link);
  if (link) body.append(el("p", {}, el("a", { href: link, rel: "noopener noreferrer", target: "_blank", textContent: "Read more ↗" })));
  let mentions = [];
  try {
    mentions = engine.glossa.mentions(entry.id, { limit: 6 })
      .filter((hit) => !(exclude && hit.article === exclude.article && hit.passage === exclude.passage))
      .slice(0, 5);
  } catch {
    // None listed: the card is still worth showing.
  }
  if (mentions.length) {
    const list = el("ul");
    for (const hit of mentions) {
      const snippet = el("span", {}, highlighted(hit.snippet, hit.highlights));
      const where = el("span", { class: "where", textContent: engine.titleOf(hit) });
      if (engine.pageArticles.has(hit.article) || !hit.url) {
        const button = el("button", { type: "button", class: "link mention" }, where, snippet);
        button.addEventListener("click", () => {
          GlossaPopover.shared.close();
          openHit(engine, hit);
        });
        list.append(el("li", {}, button));
      } else {
        // Another page's passage: a link, unless its URL is not http(s) (see openHit).
        const href = safeUrl(hitUrl(hit, entry.term));
        list.append(el("li", {}, el(href ? "a" : "span", href ? { class: "mention", href } : { class: "mention" }, where, snippet)));
      }
    }
    body.append(el("p", { class: "label", textContent: "Where else" }), list);
  }
  return [body, related.length > 0 || Boolean(link) || mentions.length > 0];
}

/** Text with UTF-16 `spans` wrapped in <mark>, from DOM nodes only. */
export function highlighted(text, spans) {
  const out = new DocumentFragment();
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at || end > text.length) continue;
    out.append(text.slice(at, start), el("mark", { textContent: text.slice(start, end) }));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

/** Shows the card of `entry` by `anchor` (see definitionContent for `exclude`). */
function showEntry(engine, entry, anchor, exclude) {
  const popover = GlossaPopover.shared;
  // Hover, then the focus and the click of one press, all ask for the same card: build it once.
  if (!popover.keepsShowing(anchor, entry.id)) {
    const [body, interactive] = definitionContent(engine, entry, anchor, exclude);
    popover.show(anchor, body, entry.term, interactive, entry.id);
  }
}

export class GlossaReader extends HTMLElement {
  static define(registry = customElements) {
    GlossaPopover.define(registry);
    defineOnce(registry, "glossa-reader", this);
  }

  static observedAttributes = ["glossary", "index", "lang", "first-only", "skip", "article-id"];

  #engine = null;
  #marks = null;
  #blocks = [];
  #passageBlocks = [];
  #articleId = null;
  #generation = 0;
  #hoverTimer = 0;
  /** The marker a pointer went down on, if its definition was open already; else null. */
  #pressedOpen = null;
  #listeners = [
    ["pointerdown", (e) => this.#pointerDown(e)],
    ["pointerover", (e) => this.#pointerOver(e)],
    ["pointerout", (e) => this.#pointerOut(e)],
    ["focusin", (e) => this.#focusIn(e)],
    ["focusout", (e) => this.#focusOut(e)],
    ["click", (e) => this.#click(e)],
    ["pointerup", () => setTimeout(() => this.#selectionLookup())],
    ["keyup", (e) => { if (e.shiftKey) this.#selectionLookup(); }],
  ];
  #onHashChange = () => this.#openFragment();

  connectedCallback() {
    adoptPageStyles();
    this.#listen("addEventListener");
    this.#start();
  }

  disconnectedCallback() {
    this.#listen("removeEventListener");
    this.destroy();
  }

  /** Adds or removes (`method`) the reader's listeners, on itself and on the window. */
  #listen(method) {
    for (const [type, listener] of this.#listeners) this[method](type, listener);
    globalThis[method]("hashchange", this.#onHashChange);
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected || this.#generation === 0) return;
    this.destroy();
    this.#start();
  }

  /** Removes every mark and closes the popover: the article is exactly as it was. */
  destroy() {
    this.#generation++;
    clearTimeout(this.#hoverTimer);
    const popover = GlossaPopover.current;
    if (popover?.anchor instanceof Node && this.contains(popover.anchor)) popover.close();
    if (this.#marks) unmark(this.#marks);
    this.#marks = null;
    unflash(this);
    if (this.#articleId) this.#engine?.pageArticles.delete(this.#articleId);
  }

  /** The element showing passage `n` of this reader's article, if known. */
  passageElement(n) {
    return this.#passageBlocks[n] ?? null;
  }

  get engine() {
    return this.#engine;
  }

  async #start() {
    const generation = ++this.#generation;
    const glossary = this.getAttribute("glossary");
    prefetchGlossary(glossary);
    try {
      const engine = await engineFor({ index: this.getAttribute("index") || "", lang: this.getAttribute("lang") || "" });
      if (generation !== this.#generation) return;
      this.#engine = engine;
      this.#indexArticle(engine);
      if (glossary) await engine.useGlossary(glossary);
      if (generation !== this.#generation) return;
      const prerendered = this.querySelectorAll(`${MARKER}[data-glossa-term]`);
      if (prerendered.length) {
        // Marked at build time (`glossa annotate --html`): adopt those marks, mark nothing
        // more, and leave them in place on destroy, since they are part of the page.
        this.#marks = { undo: [], markers: [...prerendered] };
      } else if (engine.entries.size) {
        try {
          this.#marks = mark(this, (text) => engine.glossa.annotate(text),
            this.hasAttribute("first-only"), this.getAttribute("skip"));
        } catch (error) {
          // mark() has put the article back; say which article failed, and how.
          throw new Error(`article ${quote(this.#articleId)}: its terms could not be marked (${error?.message || error})`);
        }
      }
      const markers = this.#marks?.markers ?? [];
      emit(this, "glossa:ready", {
        terms: markers.length,
        entries: new Set(markers.map((m) => m.dataset.glossaTerm)).size,
        passages: this.#passageBlocks.length, article: this.#articleId, warnings: [...engine.warnings],
      });
      this.#openFragment();
    } catch (error) {
      if (generation !== this.#generation) return;
      if (this.#marks) unmark(this.#marks);
      this.#marks = null;
      const message = error?.message || String(error);
      console.error(`glossa: ${message}`);
      emit(this, "glossa:error", { message });
    }
  }

  #indexArticle(engine) {
    const skip = this.getAttribute("skip");
    const excluded = skip ? `${NOT_PASSAGES},${skip}` : NOT_PASSAGES;
    this.#blocks = [];
    const texts = [];
    for (const block of this.querySelectorAll(BLOCKS)) {
      if (block.querySelector(BLOCKS) || block.closest(excluded)) continue;
      const text = passageText(block);
      if (!text.trim()) continue;
      this.#blocks.push(block);
      texts.push(text);
    }
    const id = this.getAttribute("article-id") || `${location.pathname}#${[...document.querySelectorAll("glossa-reader")].indexOf(this)}`;
    const title = this.getAttribute("article-title") || this.querySelector("h1,h2")?.textContent.trim() || document.title;
    const url = this.getAttribute("article-url") || location.href.split("#")[0];
    this.#articleId = id;
    const passages = engine.addPageArticle({ id, title, url, passages: texts }, this);
    // The index may split a long paragraph into several passages: map each back to its block,
    // in order, each found after the one before (so that a repeated paragraph maps to its own
    // block). A prebuilt index may hold another version of the text: its start must match.
    this.#passageBlocks = [];
    let b = 0;
    let from = 0;
    for (const passage of passages) {
      const start = passage.slice(0, 40);
      let at = -1;
      let block = b;
      while (block < texts.length && (at = texts[block].indexOf(start, block === b ? from : 0)) < 0) block++;
      if (at < 0) {
        this.#passageBlocks.push(this);
        continue;
      }
      this.#passageBlocks.push(this.#blocks[block]);
      b = block;
      from = at + start.length;
    }
  }

  #openFragment() {
    const target = parseFragment(location.hash);
    if (!target || target.article !== this.#articleId || !this.#engine) return;
    const block = this.passageElement(target.passage);
    if (!block) return;
    // A link from a search or a mention on another page names what to highlight. Without a
    // hit for it, the target itself opens the passage: it has no text, so nothing highlighted.
    let hit = target;
    if (target.query) {
      try {
        hit = this.#engine.glossa.search(target.query, { limit: 200 })
          .find((h) => h.article === target.article && h.passage === target.passage) ?? target;
      } catch {
        // Opened unhighlighted.
      }
    }
    openHit(this.#engine, hit);
  }

  #marker(e) {
    const marker = e.target instanceof Element ? e.target.closest(MARKER) : null;
    return marker && this.contains(marker) && marker.dataset.glossaTerm ? marker : null;
  }

  #passageOf(marker) {
    const block = marker.closest(BLOCKS);
    const passage = this.#passageBlocks.indexOf(block);
    return passage >= 0 ? { article: this.#articleId, passage } : undefined;
  }

  #open(marker) {
    const entry = this.#engine?.entries.get(marker.dataset.glossaTerm);
    if (entry) showEntry(this.#engine, entry, marker, this.#passageOf(marker));
  }

  #pointerOver(e) {
    const marker = this.#marker(e);
    if (!marker || e.pointerType === "touch") return;
    clearTimeout(this.#hoverTimer);
    const popover = GlossaPopover.shared;
    const delay = popover.open ? 0 : HOVER_DELAY;
    this.#hoverTimer = setTimeout(() => this.#open(marker), delay);
  }

  #pointerOut(e) {
    const marker = this.#marker(e);
    if (!marker || marker.contains(e.relatedTarget)) return;
    clearTimeout(this.#hoverTimer);
    const popover = GlossaPopover.shared;
    if (popover.anchor === marker) popover.scheduleClose();
  }

  #focusIn(e) {
    const marker = this.#marker(e);
    // Focus that the popover hands back (Escape, Tab out of it) must not reopen it.
    if (marker && GlossaPopover.shared.returningFocusTo !== marker) this.#open(marker);
  }

  #focusOut(e) {
    const marker = this.#marker(e);
    if (marker && GlossaPopover.shared.anchor === marker) GlossaPopover.shared.scheduleClose(0);
  }

  #pointerDown(e) {
    const marker = this.#marker(e);
    const popover = GlossaPopover.shared;
    this.#pressedOpen = popover.open && popover.anchor === marker ? marker : null;
  }

  #click(e) {
    const marker = this.#marker(e);
    if (!marker) return;
    // A tap toggles; a click opens (hover may have opened it already). The tap's own focus
    // has opened it by now, so "was it open" is read from before the pointer went down.
    const wasOpen = this.#pressedOpen === marker;
    this.#pressedOpen = null;
    if (e.pointerType === "touch" && wasOpen) GlossaPopover.shared.close();
    else this.#open(marker);
  }

  /** Any word on demand: the selected word or phrase, if the glossary knows it. */
  #selectionLookup() {
    const selection = getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount || !this.#engine) return;
    const range = selection.getRangeAt(0);
    if (!this.contains(range.commonAncestorContainer)) return;
    const text = selection.toString().trim();
    if (!text || text.length > 80 || !/\p{L}/u.test(text)) return;
    const anchor = range.cloneRange();
    let entry = null;
    try {
      entry = this.#engine.entries.size ? this.#engine.glossa.lookup(text) : null;
    } catch {
      // Not an entry: offered as a search instead.
    }
    if (entry) {
      showEntry(this.#engine, this.#engine.entries.get(entry.id) ?? entry, anchor);
      return;
    }
    const button = el("button", { type: "button", textContent: "Search passages" });
    button.addEventListener("click", () => {
      GlossaPopover.shared.close();
      emit(this, "glossa:search", { query: text });
    });
    const body = el("div", { class: "action" }, el("span", {}, "“", el("bdi", { textContent: text }), "”"), button);
    GlossaPopover.shared.show(anchor, body, `Search for ${text}`, true); // interactive: a button
  }
}
