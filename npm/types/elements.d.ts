/// <reference lib="esnext.disposable" />
// (wasm-bindgen's classes implement Symbol.dispose, for `using`.)
// The custom elements of "glossa/elements" (not registered) and "glossa" (registered).
import type { Glossa, GlossaryEntry } from "../core/glossa_core.js";

/** The engine the elements of a page share: one wasm instance and index per `index` URL. */
export interface Engine extends EventTarget {
  readonly glossa: Glossa;
  /** Glossary entries by id. */
  readonly entries: Map<string, GlossaryEntry>;
}

/**
 * `<glossa-reader glossary="glossary.json"><article>…</article></glossa-reader>`: marks the
 * glossary's terms in the article it wraps, explains them in a popover, and indexes the
 * article for search. Attributes: `glossary`, `index`, `lang`, `first-only`, `skip`,
 * `article-id`, `article-title`, `article-url`.
 */
export declare class GlossaReader extends HTMLElement {
  static define(registry?: CustomElementRegistry): void;
  /** Removes every mark the reader added and closes its popover. */
  destroy(): void;
  /** The element showing passage `n` of this reader's article. */
  passageElement(n: number): Element | null;
  readonly engine: Engine | null;
}

/**
 * `<glossa-search>`: a search box over every article on the page, or over a prebuilt index
 * (`index` attribute). Attributes: `label`, `placeholder`, `index`.
 */
export declare class GlossaSearch extends HTMLElement {
  static define(registry?: CustomElementRegistry): void;
  /** Runs a search as if typed into the box. */
  search(query: string): void;
}

/** `<glossa-index>`: the A–Z list of glossary terms, with their counts on the page. */
export declare class GlossaIndex extends HTMLElement {
  static define(registry?: CustomElementRegistry): void;
}

/** The one popover the readers share; created by them. */
export declare class GlossaPopover extends HTMLElement {
  static define(registry?: CustomElementRegistry): void;
  readonly open: boolean;
  close(): void;
}

/** The engine for an index URL (`""`: the page's own articles), created once per page. */
export declare function engineFor(options?: { index?: string; lang?: string }): Promise<Engine>;

export interface GlossaReadyDetail {
  /** Marks in the article. */
  terms: number;
  /** Distinct glossary entries marked. */
  entries: number;
  passages: number;
  article: string;
}

declare global {
  interface HTMLElementTagNameMap {
    "glossa-reader": GlossaReader;
    "glossa-search": GlossaSearch;
    "glossa-index": GlossaIndex;
    "glossa-popover": GlossaPopover;
  }
  // On the elements, and on document and window, where they bubble to.
  interface GlobalEventHandlersEventMap {
    "glossa:ready": CustomEvent<GlossaReadyDetail>;
    "glossa:error": CustomEvent<{ message: string }>;
    "glossa:search": CustomEvent<{ query: string }>;
    "glossa:results": CustomEvent<{ query: string; count: number }>;
  }
}
