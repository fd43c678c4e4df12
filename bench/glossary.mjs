// Generates build/glossary-1000.json: a 1,000-entry English glossary over the Brown corpus's
// own vocabulary (seeded, deterministic), so annotation finds real matches: two-word terms
// from frequent adjacent word pairs, single mid-frequency words, and three-word terms; one
// entry in five has an alias. Entries whose names glossa would reject (two entries claiming
// the same name after case folding and stemming) are dropped, asking the English wasm core
// itself (www/dist/core), until exactly 1,000 remain.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { BUILD, ROOT, STOP, prng, loadCorpus, vocabulary } from "./common.mjs";

const SEED = 0x6c05_5a21;
const ENTRIES = 1000;

function ngrams(corpus, n) {
  const counts = new Map();
  for (const a of corpus) {
    for (const p of a.passages) {
      for (const clause of p.split(/[.,;:!?()\[\]“”"—]|--/)) {
        const toks = clause.trim().split(/\s+/).map((t) => (/^\p{L}+$/u.test(t) ? t.toLowerCase() : null));
        for (let i = 0; i + n <= toks.length; i++) {
          const ws = toks.slice(i, i + n);
          if (ws.some((w) => !w || w.length < 3) || STOP.has(ws[0]) || STOP.has(ws[n - 1])) continue;
          const key = ws.join(" ");
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
  }
  return [...counts].filter(([, c]) => c >= 3).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([k]) => k);
}

export async function generate() {
  const corpus = loadCorpus(500);
  const rng = prng(SEED);
  const single = vocabulary(corpus).filter(([w]) => !STOP.has(w) && w.length >= 5).slice(300, 3000).map(([w]) => w);
  const bigrams = ngrams(corpus, 2);
  const trigrams = ngrams(corpus, 3);
  const names = [];
  const seen = new Set();
  // A crude stem key catches most plural pairs early; glossa's own check below catches the rest.
  const key = (name) => name.split(" ").map((w) => w.replace(/(es|s|ed|ing|ly)$/, "")).join(" ");
  const take = (list, n) => {
    for (let i = 0, made = 0; made < n && i < list.length * 4; i++) {
      const name = rng.pick(list);
      if (!seen.has(name) && !seen.has(key(name))) { seen.add(name); seen.add(key(name)); names.push(name); made++; }
    }
  };
  take(bigrams.slice(0, 4000), 750);
  take(single, 450);
  take(trigrams.slice(0, 1500), 200);
  const entries = names.map((term, i) => ({
    id: `g${i}`,
    term,
    definition: `Generated entry ${i}: a definition of about fifteen words that the popover would show for ${term}.`,
  }));
  // Aliases: one entry in five borrows an unused name.
  const spare = bigrams.slice(3000, 6000).filter((n) => !seen.has(n));
  for (const e of entries) if (rng() < 0.2 && spare.length) e.aliases = [spare.splice(rng.int(0, spare.length - 1), 1)[0]];

  const { initSync, Glossa } = await import(join(ROOT, "www/dist/core/glossa_core.js"));
  initSync({ module: readFileSync(join(ROOT, "www/dist/core/glossa_core_bg.wasm")) });
  const g = new Glossa({ language: "en" });
  let list = entries;
  for (let round = 0; round < 2000; round++) {
    const glossary = { language: "en", entries: list.slice(0, ENTRIES) };
    try {
      g.setGlossary(glossary);
      g.free();
      return glossary;
    } catch (e) {
      // `entry 12 ("grand jury") and entry 40 ("grand juries") both claim ...`: drop the
      // last entry named, by its term.
      const named = [...e.message.matchAll(/entry \d+ \("([^"]*)"\)/g)];
      if (!named.length) throw e;
      const term = named[named.length - 1][1];
      const before = list.length;
      list = list.filter((x) => x.term !== term && !(x.aliases ?? []).includes(term));
      if (list.length === before) throw e;
      if (list.length < ENTRIES) throw new Error(`glossary: too few candidates left (${e.message})`);
    }
  }
  throw new Error("glossary: gave up");
}

if (process.argv[1] && process.argv[1].endsWith("glossary.mjs")) {
  const glossary = await generate();
  mkdirSync(BUILD, { recursive: true });
  writeFileSync(join(BUILD, "glossary-1000.json"), JSON.stringify(glossary));
  console.error(`glossary: ${glossary.entries.length} entries, ${glossary.entries.filter((e) => e.aliases).length} with an alias`);
}
