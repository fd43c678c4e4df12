// In-page steps of the benchmark, called one at a time by bench/run.mjs (which measures memory
// between them over CDP). Every loop is bounded by a count and a time budget. Times are
// performance.now() differences; the page is cross-origin isolated, so its clock ticks in
// 5 µs steps rather than 100 µs.
import { ENGINES, LIMIT, pagefind } from "./engines.js";

const state = {};
const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

/** Every WebAssembly.Memory the page created (the init script in run.mjs records them). */
function wasmBytes() {
  return (globalThis.__wasmMemories ?? []).reduce((s, m) => s + m.buffer.byteLength, 0);
}

async function gzipSize(data) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

const byteLength = (data) => (typeof data === "string" ? new TextEncoder().encode(data).byteLength : data.byteLength);

async function loadCorpus(size) {
  const base = await (await fetch(`/bench-build/corpus/${size === 2000 ? 500 : size}.json`)).json();
  const articles = [];
  const reps = size === 2000 ? 4 : 1;
  for (let r = 0; r < reps; r++) for (const a of base) articles.push(r ? { ...a, id: `${a.id}-r${r}` } : a);
  const docs = [];
  for (const a of articles) {
    a.passages.forEach((text, passage) => docs.push({ id: docs.length, key: `${a.id}:${passage}`, title: a.title, text }));
  }
  return { articles, docs };
}

/** Runs fn over the queries within budget ms; returns [{q, kind, ms, result}] for those run. */
async function pass(engine, index, queries, budget, keep) {
  const out = [];
  const end = now() + budget;
  for (const { q, kind } of queries) {
    if (now() > end) break;
    const t0 = now();
    let r = engine.search(index, q);
    if (r && typeof r.then === "function") r = await r;
    const ms = now() - t0;
    out.push({ q, kind, ms, inner: engine.inner, result: keep ? r : null });
  }
  return out;
}

function latency(samples) {
  const s = samples.map((x) => x.ms).sort((a, b) => a - b);
  const at = (f) => (s.length ? s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)] : null);
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

/**
 * The query passes of one page, in steps that run.mjs calls one at a time: a warm-up pass
 * (zero hits, top 5 of the samples), timed passes, then the figures, merged with the times
 * of the engine's pages in earlier rounds. The budget counts the page's own passes.
 */
class QueryPasses {
  constructor(engine, index, corpus, { queries, samples }, budget) {
    Object.assign(this, { engine, index, corpus, queries, samples, budget });
    this.spent = 0;
    this.ran = 0;
    // Each query's times over the timed passes that reached it.
    this.per = queries.map(() => []);
    this.inner = queries.map(() => []);
  }

  async warmUp() {
    const { engine, index, corpus } = this;
    const t0 = now();
    // The results are counted here, not kept for the figures: Pagefind's hold whole pages,
    // and its memory is measured after this pass.
    const warm = await pass(engine, index, this.queries, this.budget, true);
    this.warmed = warm.length;
    this.zero = {};
    let hits = 0;
    for (const { kind, result } of warm) {
      const found = engine.ids(result, corpus).length;
      hits += found;
      this.zero[kind] ??= { zero: 0, of: 0 };
      this.zero[kind].of++;
      if (found === 0) this.zero[kind].zero++;
    }
    this.hitsPerQuery = hits / (warm.length || 1);
    this.top = {};
    for (const s of this.samples) {
      let r = engine.search(index, s.q);
      if (r && typeof r.then === "function") r = await r;
      this.top[s.q] = engine.ids(r, corpus).slice(0, 5);
      if (r && r[0]?.snippet !== undefined) this.top[s.q + "\u0000snippets"] = r.slice(0, 5).map((h) => h.snippet);
    }
    this.spent += now() - t0;
  }

  /** One timed pass within what is left of the budget; false when nothing was left. */
  async timedPass() {
    const left = this.budget - this.spent;
    if (left <= 0) return false;
    const t0 = now();
    const timed = await pass(this.engine, this.index, this.queries, left, false);
    this.spent += now() - t0;
    timed.forEach((t, i) => {
      this.per[i].push(t.ms);
      if (t.inner !== undefined) this.inner[i].push(t.inner);
    });
    // Only whole passes count: one the budget cut short shows in the report's notes.
    if (timed.length === this.queries.length) this.ran++;
    return timed.length === this.queries.length;
  }

  /** Each query's times so far, for figures() in another page of the same engine. */
  times() {
    return { per: this.per, inner: this.inner, ran: this.ran };
  }

  /**
   * Each query's time is its median over the timed passes, here and in `others` (times() of
   * other pages of the same engine, each with its own JIT's choices).
   */
  figures(others = []) {
    for (const o of others) {
      o.per.forEach((t, i) => this.per[i].push(...t));
      o.inner.forEach((t, i) => this.inner[i].push(...t));
      this.ran += o.ran;
    }
    const { queries } = this;
    const samplesMs = queries.map((q, i) => ({ kind: q.kind, ms: median(this.per[i]) })).filter((x) => x.ms !== null);
    const innerMs = queries.map((q, i) => ({ kind: q.kind, ms: median(this.inner[i]) })).filter((x) => x.ms !== null);
    const byKind = {};
    for (const kind of new Set(queries.map((q) => q.kind))) byKind[kind] = latency(samplesMs.filter((x) => x.kind === kind));
    return {
      passes: this.ran, queries: queries.length, measured: samplesMs.length, warmed: this.warmed,
      latency: latency(samplesMs), by_kind: byKind,
      ...(innerMs.length ? { latency_search_only: latency(innerMs) } : {}), zero_hits: this.zero, top5: this.top,
      hits_per_query: this.hitsPerQuery,
    };
  }
}

window.bench = {
  wasmBytes,

  async setup(name, size) {
    state.queries = await (await fetch("/bench/queries.json")).json();
    state.corpus = await loadCorpus(size);
    state.size = size;
    state.engine = ENGINES[name];
    const t0 = now();
    await state.engine.load();
    return { load_ms: now() - t0, docs: state.corpus.docs.length, articles: state.corpus.articles.length };
  },

  /** The first build, kept as the index the queries run on. */
  async buildFirst() {
    const t0 = now();
    state.index = await state.engine.build(state.corpus);
    return now() - t0;
  },

  /** More builds (each disposed), until `reps` in all or the budget is spent. */
  async buildMore(reps, budget) {
    const times = [];
    const end = now() + budget;
    for (let i = 0; i < reps && now() < end; i++) {
      const t0 = now();
      const index = await state.engine.build(state.corpus);
      times.push(now() - t0);
      state.engine.dispose?.(index);
    }
    return times;
  },

  /** Serialises the index (timed, repeated), sizes it, then restores it `reps` times. */
  async serialization(reps, budget) {
    const e = state.engine;
    const ser = [];
    let data;
    const end = now() + budget;
    for (let i = 0; i < reps && (i === 0 || now() < end); i++) {
      const t0 = now();
      data = await e.serialize(state.index);
      ser.push(now() - t0);
    }
    const raw = byteLength(data);
    const gzip = await gzipSize(data);
    const load = [];
    let restored;
    for (let i = 0; i < reps && (i === 0 || now() < end); i++) {
      if (restored) e.dispose?.(restored);
      const t0 = now();
      restored = await e.restore(data, state.corpus);
      load.push(now() - t0);
    }
    // The restored index must answer as the built one does.
    let same = 0;
    const checks = state.queries.samples;
    for (const s of checks) {
      const a = e.ids(await e.search(state.index, s.q), state.corpus).join();
      const b = e.ids(await e.search(restored, s.q), state.corpus).join();
      if (a === b) same++;
    }
    e.dispose?.(restored);
    return { serialize_ms: median(ser), raw, gzip, load_ms: median(load), load_reps: load.length, restored_same: `${same}/${checks.length}` };
  },

  /** The warm-up pass of the query passes (see QueryPasses), on the index built or opened. */
  async queriesWarmUp(budget) {
    state.passes = new QueryPasses(state.engine, state.index, state.corpus, state.queries, budget);
    await state.passes.warmUp();
  },

  /** One timed pass; false once the budget is spent. */
  queriesPass: () => state.passes.timedPass(),

  queriesTimes: () => state.passes.times(),

  queriesFigures: (others) => state.passes.figures(others),

  // Pagefind: open (load) the bundle, then the same query passes.
  async pagefindOpen(size, worker) {
    state.queries = await (await fetch("/bench/queries.json")).json();
    state.engine = pagefind(size, worker);
    state.corpus = null;
    const t0 = now();
    state.index = await state.engine.open();
    return now() - t0;
  },

  async pagefindFirstQuery(q) {
    const t0 = now();
    await state.engine.search(state.index, q);
    return now() - t0;
  },

  // glossa only: annotation and tokenising throughput, glossary parse time.
  async annotation(size, reps, budget) {
    const mod = await import("/dist/core/glossa_core.js");
    await mod.default();
    const glossaryText = await (await fetch("/bench-build/glossary-1000.json")).text();
    const { articles } = await loadCorpus(size);
    const texts = articles.map((a) => a.passages.join("\n\n"));
    const bytes = texts.reduce((s, t) => s + new TextEncoder().encode(t).byteLength, 0);
    const g = new mod.Glossa({ language: "en" });
    const parse = [];
    for (let i = 0; i < reps; i++) {
      const t0 = now();
      g.setGlossary(glossaryText);
      parse.push(now() - t0);
    }
    // One untimed pass first, as the latency figures have: the browser compiles the wasm
    // with its baseline compiler and optimises the hot functions while that pass runs, which
    // made it half as fast as the rest and the median swing with how many passes the budget
    // allowed. Its time is reported apart, as `first`: what a page's first annotate() costs.
    const run = () => {
      const times = [];
      let matches = 0;
      const end = now() + budget;
      for (let i = 0; i <= reps && (i < 2 || now() < end); i++) {
        matches = 0;
        const t0 = now();
        for (const t of texts) matches += g.annotate(t).length;
        times.push(now() - t0);
      }
      const [first, ...timed] = times;
      return { ms: median(timed), first_ms: first, reps: timed.length, matches };
    };
    const annotate = run();
    // Tokenising: annotate() with a one-entry glossary that never matches, so the time is that
    // of splitting, normalising and stemming the words (plus one lookup each).
    g.setGlossary({ language: "en", entries: [{ term: "zqxjvw" }] });
    const tokenise = run();
    g.free();
    return {
      bytes, articles: articles.length, glossary_bytes: glossaryText.length,
      glossary_parse_ms: median(parse),
      annotate: { ...annotate, mb_s: bytes / 1e6 / (annotate.ms / 1000), first_mb_s: bytes / 1e6 / (annotate.first_ms / 1000) },
      tokenise: { ...tokenise, mb_s: bytes / 1e6 / (tokenise.ms / 1000) },
    };
  },
};
