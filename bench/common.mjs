// Shared by the generators: a seeded PRNG and the corpus vocabulary.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "..");
export const BUILD = join(HERE, "build");

/** mulberry32: a tiny deterministic PRNG; `rng()` is uniform in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  rng.int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  rng.pick = (items) => items[Math.floor(rng() * items.length)];
  return rng;
}

export const STOP = new Set(`a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves also may might must shall upon one
two said like many much even new well back still way own us`.split(/\s+/));

/** The articles of a corpus size: 50 and 500 as written, 2,000 as the 500 four times over. */
export function loadCorpus(size) {
  if (size === 2000) return expand(loadCorpus(500), 4);
  return JSON.parse(readFileSync(join(BUILD, "corpus", `${size}.json`), "utf8"));
}

/** The corpus `articles` repeated `times` times, with distinct ids (as the page's harness does). */
export function expand(articles, times) {
  const out = [];
  for (let r = 0; r < times; r++) {
    for (const a of articles) out.push(r ? { ...a, id: `${a.id}-r${r}` } : a);
  }
  return out;
}

/** Lower-case letter-only words of `text` (apostrophe words and numbers are skipped). */
export function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u).filter((w) => /^\p{L}+$/u.test(w));
}

/** Word frequencies over the corpus: [[word, count], ...] by decreasing count, then word. */
export function vocabulary(articles) {
  const counts = new Map();
  for (const a of articles) {
    for (const p of a.passages) for (const w of words(p)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}
