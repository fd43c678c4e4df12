// The engine shared by every glossa element on a page: one wasm instance, one index per
// `index` URL (or one for the page's own articles), glossaries fetched once per URL.
//
// Two builds of the core sit beside this file: core/ stems English only and is what almost
// every page loads; core-intl/ has every Snowball stemmer and is loaded only for another
// language (a `lang` attribute, or a prebuilt index in that language).
import { MAX_FORMATTED, quote, richTextProblems } from "./popover.js";
import initEnglish, { Glossa as EnglishGlossa } from "./core/glossa_core.js";
import { instantiate } from "./core-loader.js";

// The English core's glue is a static import: the browser fetches and evaluates it with this
// module instead of a round trip later, which put tens of milliseconds between the script
// starting and the wasm starting to compile (and www/dist/glossa.js has it bundled in). Its
// wasm still loads only when first needed.
// The other core is imported on demand. Each import is spelled out so that bundlers (Vite,
// esbuild, webpack) see both cores.
const CORES = {
  en: async () => ({ default: initEnglish, Glossa: EnglishGlossa }),
  intl: () => import("./core-intl/glossa_core.js"),
};
// Each core's wasm as the widget fetches it, gzipped, and the plain wasm it falls back to
// (see core-loader.js). Spelled out, so that bundlers emit both files and rename them alike.
const WASM = {
  en: () => [new URL("./core/glossa_core_bg.wasm.gz", import.meta.url), new URL("./core/glossa_core_bg.wasm", import.meta.url)],
  intl: () => [new URL("./core-intl/glossa_core_bg.wasm.gz", import.meta.url), new URL("./core-intl/glossa_core_bg.wasm", import.meta.url)],
};
const cores = new Map();
const engines = new Map();
const glossaries = new Map();

/** At most this many warnings are listed for one glossary; a count stands for the rest. */
const MAX_WARNINGS = 10;

/** Fetches `url` relative to the page; a failure says which URL and why. */
async function fetchOk(url, kind) {
  let response;
  try {
    response = await fetch(new URL(url, document.baseURI));
  } catch (error) {
    throw new Error(`${kind} ${url}: could not be fetched (${error.message})`);
  }
  if (!response.ok) throw new Error(`${kind} ${url}: HTTP ${response.status}`);
  return response;
}

export class Engine extends EventTarget {
  /** Ids of the articles this page added to the index. */
  #added = new Set();
  /** Whether the index came with articles (a prebuilt index). */
  #prebuilt;
  /** The glossary being set or set, and its setting: readers sharing a URL share it. */
  #glossaryUrl = null;
  #glossaryDone = null;

  constructor(glossa) {
    super();
    this.glossa = glossa;
    this.#prebuilt = glossa.articleCount > 0;
    /** Article id → {element, title}: the articles shown on this page. */
    this.pageArticles = new Map();
    this.#refreshEntries(); // this.entries: id → entry, of the glossary set
    /** What the glossary asked for that the widget refused, each a sentence; see #setGlossary. */
    this.warnings = [];
  }

  #refreshEntries() {
    this.entries = new Map(this.glossa.entries().map((e) => [e.id, e]));
  }

  /** Sets the glossary from a URL (not empty), once per engine and URL however many readers ask. */
  useGlossary(url) {
    if (this.#glossaryUrl !== url) {
      const done = this.#setGlossary(url);
      this.#glossaryUrl = url;
      this.#glossaryDone = done;
      done.catch(() => {
        if (this.#glossaryDone === done) this.#glossaryUrl = null;
      });
    }
    return this.#glossaryDone;
  }

  async #setGlossary(url) {
    prefetchGlossary(url);
    let text;
    try {
      text = await glossaries.get(url);
    } catch (error) {
      glossaries.delete(url);
      throw error;
    }
    try {
      this.glossa.setGlossary(text);
    } catch (error) {
      throw new Error(`glossary ${url}: ${error.message}`);
    }
    this.#refreshEntries();
    this.warnings = glossaryWarnings(url, this.entries.values());
    for (const warning of this.warnings) console.warn(`glossa: ${warning}`);
    this.dispatchEvent(new Event("change"));
  }

  /**
   * Indexes an article shown on this page, unless a prebuilt index already holds it, and
   * returns its passages as the index numbers them.
   */
  addPageArticle(article, element) {
    // Only a prebuilt index or an earlier reader can hold the article already: a fresh index
    // is not asked, since its answer would be an error, and errors are slow to make.
    let passages = null;
    if (this.#prebuilt || this.#added.has(article.id)) {
      try {
        passages = this.glossa.passages(article.id);
      } catch {
        // Not in the index after all: added below.
      }
    }
    if (!passages) {
      this.glossa.addArticle(article);
      this.#added.add(article.id);
      passages = this.glossa.passages(article.id);
    }
    this.pageArticles.set(article.id, { element, title: article.title });
    this.dispatchEvent(new Event("change"));
    return passages;
  }

  /** The title to show for a hit: the page's own for an article shown here. */
  titleOf(hit) {
    return this.pageArticles.get(hit.article)?.title ?? hit.title;
  }
}

/**
 * What the widget will not do for a glossary the core accepted: a link in a definition that
 * is not http(s) is shown as text, and so is formatting past MAX_FORMATTED spans. Listed so
 * that the glossary's author can find it.
 */
function glossaryWarnings(url, entries) {
  const warnings = [];
  let more = 0;
  const warn = (warning) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(`glossary ${url}: ${warning}`);
    else more++;
  };
  let i = 0;
  for (const entry of entries) {
    i++;
    const [refused, spans] = richTextProblems(entry.definition);
    const which = `entry ${i} (${quote(entry.term)})`;
    for (const link of refused) warn(`${which}: the link ${quote(link)} in its definition is not http(s); it is shown as text`);
    if (spans > MAX_FORMATTED) {
      warn(`${which}: its definition has ${spans} emphases and links; past the first ${MAX_FORMATTED} they are shown as written`);
    }
  }
  if (more) warnings.push(`glossary ${url}: ${more} more warnings like these`);
  return warnings;
}

/** The `Glossa` class of one core build, its wasm instantiated once. */
function core(which) {
  return once(cores, which, () => CORES[which]().then(async (module) => {
    await instantiate(module.default, ...WASM[which]());
    return module.Glossa;
  }));
}

/**
 * The promise `map` holds for `key`, made by `create` on first use; dropped if it fails, so
 * that a later use tries again.
 */
function once(map, key, create) {
  if (!map.has(key)) {
    const promise = create();
    map.set(key, promise);
    promise.catch(() => map.delete(key));
  }
  return map.get(key);
}

const isEnglish = (lang) => !lang || /^(en([-_].*)?|english)$/i.test(lang.trim());
const otherLanguage = (error) => /unsupported language/.test(error?.message ?? "");

/** Starts fetching a glossary (once per URL), so that it downloads while the wasm compiles. */
export function prefetchGlossary(url) {
  if (url && !glossaries.has(url)) {
    const text = fetchOk(url, "glossary").then((r) => r.text());
    text.catch(() => {}); // reported by useGlossary, which awaits it
    glossaries.set(url, text);
  }
}

/** The engine for an index URL (`""`: the page's own articles), created once. */
export function engineFor({ index = "", lang = "" } = {}) {
  const key = `${index}\u0000${index ? "" : lang}`;
  return once(engines, key, async () => {
    if (index) {
      const [bytes, English] = await Promise.all([
        fetchOk(index, "index").then(async (r) => new Uint8Array(await r.arrayBuffer())),
        core("en"),
      ]);
      try {
        try {
          return new Engine(English.fromBytes(bytes));
        } catch (error) {
          if (!otherLanguage(error)) throw error;
          return new Engine((await core("intl")).fromBytes(bytes));
        }
      } catch (error) {
        throw new Error(`index ${index}: ${error.message}`);
      }
    }
    const Glossa = await core(isEnglish(lang) ? "en" : "intl");
    return new Engine(new Glossa(lang ? { language: lang } : undefined));
  });
}

/** Every engine created so far, for elements that serve all of them. */
export async function allEngines() {
  const settled = await Promise.allSettled(engines.values());
  return settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
}
