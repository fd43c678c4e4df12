// The definition popover: one per page, in its own shadow root. It follows WCAG 1.4.13:
// dismissible (Escape), hoverable (the pointer may move onto it), persistent (until dismissed
// or pointer and focus leave). It stays inside the viewport by flipping and shifting.
import { POPOVER_CSS, themedShadow } from "./styles.js";

const GAP = 6;
const MARGIN = 8;

/**
 * `*emphasis*` and `[text](url)` in a definition. A URL may hold balanced parentheses
 * (Wikipedia's `…/Commune_(1871)`). No part can match across the delimiter that starts
 * another candidate (`*`, `[`, `(`), so matching stays linear on hostile text: the pattern
 * before this one backtracked quadratically over a definition of a million `[`.
 */
const RICH = /\*([^*\n]+)\*|\[([^[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g;

/**
 * A definition formats this many `*emphasis*` and links at most; the rest shows as written.
 * A megabyte of `*a* ` made 262,144 <em> elements, which took seconds to lay out.
 */
export const MAX_FORMATTED = 1000;

/** Definition text with `*emphasis*` and `[text](http…)` links, built from DOM nodes. */
export function richText(text) {
  const out = new DocumentFragment();
  let at = 0;
  let formatted = 0;
  for (const m of text.matchAll(RICH)) {
    if (++formatted > MAX_FORMATTED) break;
    out.append(text.slice(at, m.index));
    if (m[1] !== undefined) {
      out.append(el("em", { textContent: m[1] }));
    } else {
      const href = safeUrl(m[3]);
      out.append(href ? el("a", { href, rel: "noopener noreferrer", textContent: m[2] }) : m[0]);
    }
    at = m.index + m[0].length;
  }
  out.append(text.slice(at));
  return out;
}

/**
 * What richText will not do for a definition, as [refused, spans]: `refused`, the URLs of
 * `[text](url)` links it shows as text (not http(s)); `spans`, how many emphases and links it
 * holds (only MAX_FORMATTED are formatted).
 */
export function richTextProblems(text) {
  const refused = [];
  let spans = 0;
  for (const m of text.matchAll(RICH)) {
    spans++;
    if (m[3] !== undefined && !safeUrl(m[3])) refused.push(m[3]);
  }
  return [refused, spans];
}

/**
 * `value` in double quotes for a message: escaped, cut short, and bidi controls written out as
 * the core writes them (`\u{202e}`), so that a hostile string cannot reorder the message.
 */
export function quote(value, max = 100) {
  const text = String(value);
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(short).replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** An http(s) URL (absolute or relative to the page), or null: never `javascript:` or `data:`. */
export function safeUrl(link) {
  if (typeof link !== "string" || !link) return null;
  try {
    const url = new URL(link, document.baseURI);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Registers `element` as `name` in `registry`, unless the name is taken already. */
export function defineOnce(registry, name, element) {
  if (!registry.get(name)) registry.define(name, element);
}

/** An element with attributes `props` (`textContent` is its text) and `children`. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "textContent") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

export class GlossaPopover extends HTMLElement {
  static define(registry = customElements) {
    defineOnce(registry, "glossa-popover", this);
  }

  static #instance = null;

  /** The page's popover, if there is one yet. */
  static get current() {
    if (!GlossaPopover.#instance?.isConnected) {
      GlossaPopover.#instance = document.querySelector("body > glossa-popover");
    }
    return GlossaPopover.#instance;
  }

  /** The page's popover, created on first use. */
  static get shared() {
    if (!GlossaPopover.current) {
      GlossaPopover.#instance = document.body.appendChild(document.createElement("glossa-popover"));
    }
    return GlossaPopover.#instance;
  }

  #card;
  #anchor = null;
  #returningTo = null;
  #key = null;
  #closeTimer = 0;
  #onViewportChange = () => this.#place();
  #onKeydown = (e) => this.#keydown(e);
  #onPointerDown = (e) => {
    const path = e.composedPath();
    if (path.includes(this) || (this.#anchor instanceof Node && path.includes(this.#anchor))) return;
    this.close();
  };

  constructor() {
    super();
    const root = themedShadow(this, POPOVER_CSS);
    this.#card = el("div", { class: "card", part: "popover" });
    root.append(this.#card);
  }

  connectedCallback() {
    if (!this.id) this.id = "glossa-popover";
    this.hidden = true;
    this.#listen("addEventListener");
  }

  disconnectedCallback() {
    this.#listen("removeEventListener");
    this.close();
  }

  /** Adds or removes (`method`) the popover's listeners on itself. */
  #listen(method) {
    this[method]("pointerenter", this.#cancelClose);
    this[method]("pointerleave", this.#scheduleCloseFromPointer);
    this[method]("focusout", this.#focusLeft);
  }

  get anchor() {
    return this.#anchor;
  }

  /** The anchor focus is being handed back to, while that happens (see #closeToAnchor). */
  get returningFocusTo() {
    return this.#returningTo;
  }

  get open() {
    return !this.hidden;
  }

  /**
   * Shows `content` (a fragment) next to `anchor` (an element, or a Range for a selection).
   * `interactive` content (links, buttons) makes the popover a dialog, named `label`, else a
   * tooltip. `key` names the content for keepsShowing.
   */
  show(anchor, content, label, interactive, key = null) {
    this.#cancelClose();
    if (this.#anchor && this.#anchor !== anchor) this.#release();
    const wasHidden = this.hidden;
    this.#anchor = anchor;
    this.#key = key;
    this.setAttribute("role", interactive ? "dialog" : "tooltip");
    if (interactive) this.setAttribute("aria-label", label);
    else this.removeAttribute("aria-label");
    this.#card.replaceChildren(content);
    this.hidden = false;
    this.#describe(anchor, true);
    this.#place();
    if (wasHidden) this.#followPage("addEventListener");
  }

  /**
   * Whether the popover already shows content `key` for `anchor`; if so it stays open (a
   * pending close is cancelled), so callers need not build the same content again.
   */
  keepsShowing(anchor, key) {
    if (this.hidden || key == null || this.#anchor !== anchor || this.#key !== key) return false;
    this.#cancelClose();
    return true;
  }

  close() {
    this.#cancelClose();
    if (this.hidden && !this.#anchor) return;
    this.hidden = true;
    this.#release();
    this.#followPage("removeEventListener");
  }

  /** Adds or removes (`method`) the listeners an open popover has on the page. */
  #followPage(method) {
    globalThis[method]("scroll", this.#onViewportChange, { passive: true, capture: true });
    globalThis[method]("resize", this.#onViewportChange, { passive: true });
    document[method]("keydown", this.#onKeydown, true);
    document[method]("pointerdown", this.#onPointerDown, true);
  }

  /** Closes after a short delay, unless the pointer or focus comes (back) to the popover. */
  scheduleClose(delay = 300) {
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => {
      if (!this.matches(":hover") && !this.contains(document.activeElement) && !this.#anchorHasFocus()) this.close();
    }, delay);
  }

  /** Moves focus to the first link or button in the popover, if any. */
  focusFirst() {
    const first = this.shadowRoot.querySelector("a[href],button");
    first?.focus();
    return Boolean(first);
  }

  /** Closes, and focuses the anchor without its focus handler opening the popover again. */
  #closeToAnchor() {
    const anchor = this.#anchor;
    this.close();
    if (!(anchor instanceof Element) || !anchor.isConnected) return;
    this.#returningTo = anchor;
    try {
      anchor.focus({ preventScroll: true });
    } finally {
      this.#returningTo = null;
    }
  }

  #anchorHasFocus() {
    return this.#anchor instanceof Element && this.#anchor === document.activeElement;
  }

  #release() {
    const anchor = this.#anchor;
    this.#anchor = null;
    this.#describe(anchor, false);
  }

  /** Marks an element `anchor` as expanded or not, and as described by the popover while it is. */
  #describe(anchor, expanded) {
    if (!(anchor instanceof Element)) return;
    anchor.setAttribute("aria-expanded", expanded);
    const ids = (anchor.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== this.id);
    if (expanded) ids.push(this.id);
    if (ids.length) anchor.setAttribute("aria-describedby", ids.join(" "));
    else anchor.removeAttribute("aria-describedby");
  }

  #cancelClose = () => clearTimeout(this.#closeTimer);
  #scheduleCloseFromPointer = () => this.scheduleClose();
  #focusLeft = (e) => {
    if (!this.contains(e.relatedTarget) && e.relatedTarget !== this.#anchor) this.scheduleClose(0);
  };

  #keydown(e) {
    const focused = this.shadowRoot.activeElement;
    if (e.key === "Escape" && this.open) {
      // Escape dismisses without moving focus, unless focus was inside what it closes.
      if (this.contains(document.activeElement) || focused) this.#closeToAnchor();
      else this.close();
      e.stopPropagation();
    } else if (e.key === "Tab" && this.open && !e.shiftKey && this.#anchorHasFocus()) {
      if (this.focusFirst()) e.preventDefault();
    } else if (e.key === "Tab" && this.open && focused) {
      const focusable = [...this.shadowRoot.querySelectorAll("a[href],button")];
      const at = focusable.indexOf(focused);
      const leaving = e.shiftKey ? at === 0 : at === focusable.length - 1;
      if (leaving && this.#anchor instanceof Element) {
        this.#closeToAnchor();
        // Shift+Tab stops on the term; Tab goes on from the term as if the popover were
        // spliced in after it: the browser moves focus after this handler, from the term.
        if (e.shiftKey) e.preventDefault();
      }
    }
  }

  #place() {
    if (this.hidden || !this.#anchor) return;
    const rect = this.#anchor.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    // Measure the card at its natural height, then never let it cover its own anchor: below
    // if it fits, else above if it fits, else on the roomier side, scrolling inside.
    this.#card.style.maxHeight = "";
    const card = this.#card.getBoundingClientRect();
    const below = height - MARGIN - (rect.bottom + GAP);
    const above = rect.top - GAP - MARGIN;
    const placeBelow = card.height <= below || (card.height > above && below >= above);
    const room = Math.max(placeBelow ? below : above, 0);
    const cardHeight = Math.min(card.height, room);
    if (cardHeight < card.height) this.#card.style.maxHeight = `${Math.floor(cardHeight)}px`;
    let top = placeBelow ? rect.bottom + GAP : rect.top - GAP - cardHeight;
    // An anchor scrolled off screen drags the card no further than the viewport's edge.
    top = Math.max(MARGIN, Math.min(top, height - MARGIN - cardHeight));
    const left = Math.max(MARGIN, Math.min(rect.left, width - MARGIN - card.width));
    this.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }
}
