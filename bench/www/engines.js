// The engines under test, each behind the same small interface, configured as BENCHMARKS.md
// documents. Every engine indexes passages (paragraphs), with the article title as a second,
// boosted field where the engine has field boosts, except Pagefind, which indexes one HTML page
// per article (built by its CLI) and returns pages.
//
//   load()                 imports the engine (not timed as index work)
//   build(corpus)          a fresh index over corpus = {articles, docs}
//   search(index, q)       the engine's results for q, at most LIMIT of them, as the engine
//                          returns them (awaited when the engine is asynchronous)
//   ids(results, corpus)   "article:passage" keys (Pagefind: "article") for relevance and zero hits
//   serialize(index)       a string or Uint8Array that load() turns back into an index
//   restore(data, corpus)  an index from serialize()'s output
//   dispose(index)         frees what the engine does not leave to the garbage collector
export const LIMIT = 10;

const PEERS = "/bench-build/peers";

/** Words of a query for engines without a query language: quotes and minus signs dropped. */
const plain = (q) => q.replace(/["-]/g, " ").trim();

export const ENGINES = {
  glossa: {
    label: "glossa",
    async load() {
      const mod = await import("/dist/core/glossa_core.js");
      this.wasm = await mod.default();
      this.Glossa = mod.Glossa;
    },
    build({ articles }) {
      const g = new this.Glossa({ language: "en" });
      for (const a of articles) g.addArticle({ id: a.id, title: a.title, passages: a.passages });
      this.articleCount = articles.length;
      return g;
    },
    search: (g, q) => g.search(q, { limit: LIMIT }),
    ids: (hits) => hits.map((h) => `${h.article}:${h.passage}`),
    // The English core reads indexes but does not write them: its serialised index is the one
    // run.mjs wrote in Node from the same articles (named by their count, which is the corpus
    // size), fetched as a site serves it. Its serialize_ms is that fetch, not a toBytes.
    async serialize() {
      const url = `/bench-build/index/${this.articleCount}.glossa`;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (run.mjs writes it)`);
      return new Uint8Array(await response.arrayBuffer());
    },
    restore(bytes) { return this.Glossa.fromBytes(bytes); },
    dispose: (g) => g.free(),
    wasmBytes() { return this.wasm.memory.buffer.byteLength; },
  },

  minisearch: {
    label: "MiniSearch",
    options: {
      fields: ["title", "text"],
      storeFields: [],
      searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
    },
    async load() { this.MiniSearch = (await import(`${PEERS}/minisearch.js`)).default; },
    build({ docs }) {
      const ms = new this.MiniSearch(this.options);
      ms.addAll(docs);
      return ms;
    },
    search: (ms, q) => ms.search(plain(q)).slice(0, LIMIT),
    ids: (results, { docs }) => results.map((r) => docs[r.id].key),
    serialize: (ms) => JSON.stringify(ms),
    restore(json) { return this.MiniSearch.loadJSON(json, this.options); },
  },

  flexsearch: {
    label: "FlexSearch",
    async load() {
      const m = await import(`${PEERS}/flexsearch.js`);
      this.Document = m.Document;
      this.options = {
        tokenize: "forward",
        encoder: m.Charset.LatinBalance,
        document: { id: "id", index: ["title", "text"] },
      };
    },
    build({ docs }) {
      const index = new this.Document(this.options);
      for (const d of docs) index.add(d);
      return index;
    },
    search: (index, q) => index.search(plain(q), { limit: LIMIT, suggest: true, merge: true }),
    ids: (results, { docs }) => results.map((r) => docs[r.id].key),
    async serialize(index) {
      const parts = {};
      await index.export((key, data) => { parts[key] = data; });
      return JSON.stringify(parts);
    },
    async restore(json) {
      const index = new this.Document(this.options);
      const parts = JSON.parse(json);
      for (const key of Object.keys(parts)) await index.import(key, parts[key]);
      return index;
    },
  },

  lunr: {
    label: "Lunr",
    async load() { this.lunr = (await import(`${PEERS}/lunr.js`)).default; },
    build({ docs }) {
      return this.lunr(function () {
        this.ref("id");
        this.field("title", { boost: 2 });
        this.field("text");
        for (const d of docs) this.add(d);
      });
    },
    // Each word: exact (stemmed, boosted), as a prefix, and within one edit from 4 letters.
    search(index, q) {
      const lunr = this.lunr;
      const terms = plain(q).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      return index.query((b) => {
        for (const t of terms) {
          b.term(t, { boost: 10 });
          b.term(t, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
          if (t.length >= 4) b.term(t, { usePipeline: false, editDistance: 1 });
        }
      }).slice(0, LIMIT);
    },
    ids: (results, { docs }) => results.map((r) => docs[r.ref].key),
    serialize: (index) => JSON.stringify(index),
    restore(json) { return this.lunr.Index.load(JSON.parse(json)); },
  },

  orama: {
    label: "Orama",
    schema: { title: "string", text: "string" },
    async load() { this.o = await import(`${PEERS}/orama.js`); },
    async build({ docs }) {
      const db = this.o.create({ schema: this.schema });
      for (const d of docs) {
        const r = this.o.insert(db, { id: String(d.id), title: d.title, text: d.text });
        if (r && typeof r.then === "function") await r;
      }
      return db;
    },
    search(db, q) {
      return this.o.search(db, { term: plain(q), limit: LIMIT, tolerance: 1, boost: { title: 2 } });
    },
    ids: (results, { docs }) => results.hits.map((h) => docs[Number(h.id)].key),
    serialize(db) { return JSON.stringify(this.o.save(db)); },
    async restore(json) {
      const db = this.o.create({ schema: this.schema });
      await this.o.load(db, JSON.parse(json));
      return db;
    },
  },

  fuse: {
    label: "Fuse.js",
    options: {
      keys: [{ name: "title", weight: 2 }, { name: "text", weight: 1 }],
      ignoreLocation: true, threshold: 0.3, includeScore: true,
    },
    async load() { this.Fuse = (await import(`${PEERS}/fuse.js`)).default; },
    build({ docs }) { return new this.Fuse(docs, this.options); },
    search: (fuse, q) => fuse.search(plain(q), { limit: LIMIT }),
    ids: (results) => results.map((r) => r.item.key),
    serialize: (fuse) => JSON.stringify(fuse.getIndex()),
    restore(json, { docs }) { return new this.Fuse(docs, this.options, this.Fuse.parseIndex(JSON.parse(json))); },
  },
};

/**
 * Pagefind, as a site uses it: pagefind.js from the bundle its CLI wrote, searching in the
 * main thread (`noWorker: true`) or in its default web worker. A query's time covers search()
 * and data() of the top LIMIT pages (their excerpt and highlights: what a results list shows).
 */
export function pagefind(size, worker) {
  const base = `/bench-build/pagefind/${size}/pagefind/`;
  return {
    label: worker ? "Pagefind (worker)" : "Pagefind (main thread)",
    async open() {
      this.pf = await import(`${base}pagefind.js`);
      await this.pf.options({ basePath: base, noWorker: !worker });
      await this.pf.init();
      await this.pf.filters(); // resolves once the wasm, entry and metadata are loaded
      return this.pf;
    },
    async search(pf, q) {
      const t0 = performance.now();
      const r = await pf.search(q);
      this.inner = performance.now() - t0; // search() alone, without data()
      return Promise.all(r.results.slice(0, LIMIT).map((x) => x.data()));
    },
    ids: (pages) => pages.map((d) => d.url.replace(/^.*\/a\//, "").replace(/\.html$/, "")),
  };
}
