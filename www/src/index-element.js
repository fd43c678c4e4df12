// <glossa-index>: the glossary's terms from A to Z, each with the number of times it is
// marked on this page; choosing one moves focus to its first occurrence (opening its
// definition).
import { allEngines } from "./engine.js";
import { defineOnce, el } from "./popover.js";
import { MARKER } from "./mark.js";
import { scrollToCenter } from "./reveal.js";
import { INDEX_CSS, themedShadow } from "./styles.js";

/** Longer glossaries are listed only by the terms on the page. */
const MAX_LISTED = 1000;
const COLLATOR = new Intl.Collator(undefined, { sensitivity: "base" });

/** The letter a term files under: its first letter without accents, or "#". */
function letterOf(term) {
  const first = term.normalize("NFD").replace(/\p{M}/gu, "").trim().charAt(0).toUpperCase();
  return /\p{L}/u.test(first) ? first : "#";
}

export class GlossaIndex extends HTMLElement {
  static define(registry = customElements) {
    defineOnce(registry, "glossa-index", this);
  }

  #root;
  #queued = false;
  // Each reader's glossa:ready asks for a render: the ones of one moment make one.
  #refresh = () => {
    if (this.#queued) return;
    this.#queued = true;
    requestAnimationFrame(() => {
      this.#queued = false;
      if (this.isConnected) this.#render();
    });
  };

  constructor() {
    super();
    this.#root = themedShadow(this, INDEX_CSS);
  }

  connectedCallback() {
    if (!this.hasAttribute("role")) this.setAttribute("role", "navigation");
    if (!this.hasAttribute("aria-label")) this.setAttribute("aria-label", "Glossary terms");
    document.addEventListener("glossa:ready", this.#refresh);
    this.#refresh();
  }

  disconnectedCallback() {
    document.removeEventListener("glossa:ready", this.#refresh);
  }

  async #render() {
    const engines = await allEngines();
    const entries = new Map();
    for (const engine of engines) for (const [id, entry] of engine.entries) entries.set(id, entry);
    const counts = new Map();
    for (const marker of document.querySelectorAll(`${MARKER}[data-glossa-term]`)) {
      counts.set(marker.dataset.glossaTerm, (counts.get(marker.dataset.glossaTerm) || 0) + 1);
    }
    // A glossary too long to browse (a whole dictionary) would make the page lay out
    // hundreds of thousands of buttons: list only the terms on this page, and say so.
    let listed = [...entries.values()];
    const abridged = listed.length > MAX_LISTED;
    if (abridged) listed = listed.filter((entry) => counts.has(entry.id));
    // Filed by `sort_as` when the glossary gives one ("Marx, Karl"), else by the term.
    const key = (entry) => entry.sort_as || entry.term;
    // One collator for the whole sort: localeCompare makes one per comparison.
    listed.sort((a, b) => COLLATOR.compare(key(a), key(b)));
    const groups = new Map();
    for (const entry of listed) {
      const letter = letterOf(key(entry));
      if (!groups.has(letter)) groups.set(letter, []);
      groups.get(letter).push(entry);
    }
    const out = el("div", { class: "groups", part: "groups" });
    for (const [letter, group] of groups) {
      const list = el("ul", { part: "list" });
      for (const entry of group) {
        const count = counts.get(entry.id) || 0;
        const button = el("button", { type: "button", part: "term", textContent: entry.term });
        if (count) button.addEventListener("click", () => this.#goTo(entry.id));
        else button.disabled = true;
        const tally = el("span", { class: "count" }, `(${count}`, el("span", { class: "hidden", textContent: " on this page" }), ")");
        list.append(el("li", {}, button, " ", tally));
      }
      // Letters flow in columns, each letter's terms kept together under its heading.
      out.append(el("div", { class: "group" }, el("h2", { part: "letter", textContent: letter }), list));
    }
    if (abridged) {
      const note = `Only the terms on this page are listed: ${listed.length.toLocaleString()} of the glossary's ${entries.size.toLocaleString()}.`;
      this.#root.replaceChildren(el("p", { class: "note", part: "note", textContent: note }), out);
    } else {
      this.#root.replaceChildren(out);
    }
  }

  #goTo(id) {
    // Compared, not put in a selector: CSS.escape turns a NUL in an id into U+FFFD.
    const marker = [...document.querySelectorAll(`${MARKER}[data-glossa-term]`)].find((m) => m.dataset.glossaTerm === id);
    if (!marker) return;
    scrollToCenter(marker);
    marker.focus({ preventScroll: true });
  }
}
