// <glossa-search [index="site.glossa"] [label="…"] [placeholder="…"] [limit="8"]>
// A search box over every article's passages, with results as you type. It follows the
// ARIA combobox + listbox pattern: arrows move through results, Enter opens one, Escape
// clears; the number of results is announced; "/" anywhere focuses the box.
import { engineFor } from "./engine.js";
import { defineOnce, el, quote } from "./popover.js";
import { emit, highlighted } from "./reader.js";
import { openHit } from "./reveal.js";
import { SEARCH_CSS, themedShadow } from "./styles.js";

let instances = 0;

/** Whether a key pressed on `target` (the innermost element, inside shadow roots too) types text. */
function isTyping(target) {
  return target instanceof Element && Boolean(target.closest("input,textarea,select,[contenteditable]") || target.isContentEditable);
}

export class GlossaSearch extends HTMLElement {
  static define(registry = customElements) {
    defineOnce(registry, "glossa-search", this);
  }

  static observedAttributes = ["label", "placeholder", "index"];

  #input;
  #list;
  #status;
  #label;
  #hits = [];
  #active = -1;
  #pending = 0;
  #engine = null;
  #prefix = `glossa-search-${++instances}`;
  #onSlash = (e) => {
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.composedPath()[0])) {
      e.preventDefault();
      this.#input.focus();
    }
  };
  #onEngineChange = () => {
    if (this.#input.value) this.#schedule();
  };
  #onSearchRequest = (e) => {
    if (typeof e.detail?.query !== "string") return;
    this.#input.value = e.detail.query;
    this.#input.focus();
    this.#run();
  };

  constructor() {
    super();
    const root = themedShadow(this, SEARCH_CSS);
    const inputId = `${this.#prefix}-input`;
    const listId = `${this.#prefix}-list`;
    this.#label = el("label", { part: "label", for: inputId });
    this.#input = el("input", {
      id: inputId, type: "search", part: "input", role: "combobox", autocomplete: "off", spellcheck: "false",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
    });
    this.#status = el("p", { class: "status", part: "status", role: "status", "aria-live": "polite" });
    this.#list = el("ul", { id: listId, role: "listbox", part: "results" });
    root.append(this.#label, this.#input, this.#status, this.#list);
    this.#input.addEventListener("input", () => this.#schedule());
    this.#input.addEventListener("keydown", (e) => this.#keydown(e));
    this.#list.addEventListener("click", (e) => {
      const option = e.target.closest?.("[role=option]");
      if (option) this.#open(Number(option.dataset.index));
    });
  }

  connectedCallback() {
    this.#render();
    document.addEventListener("keydown", this.#onSlash);
    document.addEventListener("glossa:search", this.#onSearchRequest);
    engineFor({ index: this.getAttribute("index") || "", lang: this.getAttribute("lang") || "" }).then(
      (engine) => {
        if (!this.isConnected) return;
        this.#engine = engine;
        engine.addEventListener("change", this.#onEngineChange);
        this.#onEngineChange();
      },
      (error) => this.#fail(error?.message || String(error), "Search is unavailable."),
    );
  }

  disconnectedCallback() {
    document.removeEventListener("keydown", this.#onSlash);
    document.removeEventListener("glossa:search", this.#onSearchRequest);
    this.#engine?.removeEventListener("change", this.#onEngineChange);
    cancelAnimationFrame(this.#pending);
    this.#pending = 0;
  }

  attributeChangedCallback() {
    this.#render();
  }

  /** Runs a query programmatically. */
  search(query) {
    this.#input.value = query;
    this.#run();
    return this.#hits;
  }

  #render() {
    this.#label.textContent = this.getAttribute("label") || "Search the articles";
    this.#input.placeholder = this.getAttribute("placeholder") || "Search… (press / to focus)";
  }

  /** One search per frame however fast the keys come: the keystroke itself does no search. */
  #schedule() {
    cancelAnimationFrame(this.#pending);
    this.#pending = requestAnimationFrame(() => {
      this.#pending = 0;
      this.#run();
    });
  }

  #run() {
    const query = this.#input.value;
    const limit = Number(this.getAttribute("limit")) || 8;
    this.#hits = this.#engine && query.trim() ? this.#engine.glossa.search(query, { limit }) : [];
    this.#active = -1;
    this.#list.replaceChildren(...this.#hits.map((hit, i) => el(
      "li", { id: `${this.#prefix}-option-${i}`, role: "option", "aria-selected": "false", "data-index": i, part: "result" },
      el("span", { class: "title", textContent: this.#engine.titleOf(hit) }), highlighted(hit.snippet, hit.highlights),
    )));
    const count = this.#hits.length;
    // setAttribute writes a boolean as "true" or "false".
    this.#input.setAttribute("aria-expanded", count > 0);
    this.#input.removeAttribute("aria-activedescendant");
    this.#status.textContent = !query.trim() ? "" : count ? `${count} passage${count === 1 ? "" : "s"} found` : "No passages found";
    emit(this, "glossa:results", { query, count });
  }

  #select(index) {
    const options = this.#list.children;
    if (!options.length) return;
    this.#active = (index + options.length) % options.length;
    for (const [i, option] of [...options].entries()) option.setAttribute("aria-selected", i === this.#active);
    const option = options[this.#active];
    this.#input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  #open(index) {
    const hit = this.#hits[index];
    if (!hit) return; // a hit means the engine is there: it found it
    const title = this.#engine.titleOf(hit);
    this.#status.textContent = `Opened a passage of ${title}`;
    if (!openHit(this.#engine, hit, this.#input.value)) {
      const index = this.getAttribute("index");
      this.#fail(`${index ? `index ${index}: ` : ""}article ${quote(hit.article)} has the URL ${quote(hit.url)}, ` +
        "which is not http(s): not followed", `The link of ${title} was refused.`);
    }
  }

  /** Reports a failure: the status line says it, a glossa:error and the console say why. */
  #fail(message, status) {
    console.error(`glossa: ${message}`);
    this.#status.textContent = status;
    emit(this, "glossa:error", { message });
  }

  #keydown(e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      // Results still waiting for their frame are shown first, so the arrow moves in them.
      if (this.#pending) {
        cancelAnimationFrame(this.#pending);
        this.#pending = 0;
        this.#run();
      }
      e.preventDefault();
      const down = e.key === "ArrowDown";
      this.#select(this.#active < 0 ? (down ? 0 : -1) : this.#active + (down ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      this.#open(this.#active >= 0 ? this.#active : 0);
    } else if (e.key === "Escape" && this.#input.value) {
      e.preventDefault();
      this.#input.value = "";
      this.#run();
    }
  }
}
