//! Passage search: BM25 over passages, the article title as a boosted field, passages with
//! every query term ranked first; prefix matching of the word being typed, typo tolerance,
//! exact phrases, exclusions, and glossary synonyms. Hits carry a snippet and highlight
//! ranges in UTF-16 code units.

use crate::distance;
use crate::index::{Index, PassageId};
use crate::query::{self, Chunk, Query, Word};
use crate::tokenize::{mark, utf16_len, Marked, Marks, Span, Tokens, WordTerms};
use crate::word_break;
use serde::Serialize;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Weight of a title match relative to a body match of the same term.
const TITLE_BOOST: f32 = 0.5;
/// BM25 sums are mapped into [0, 1) by `s / (s + SCORE_SCALE)` for the reported score.
const SCORE_SCALE: f32 = 10.0;
/// Words in a snippet; a passage up to `SNIPPET_WORDS + SNIPPET_SLACK` words is shown whole.
const SNIPPET_WORDS: usize = 30;
const SNIPPET_SLACK: usize = 8;
/// A query word typed so far may stand for at most this many indexed words (the most
/// frequent), and a misspelt one for at most `MAX_FUZZY` close spellings.
const MAX_PREFIX: usize = 32;
const MAX_FUZZY: usize = 16;
/// Clauses are tracked in a 32-bit mask per passage.
const MAX_CLAUSES: usize = 32;

/// Options of [`Index::search`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// The most hits to return.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 10 }
    }
}

/// One ranked passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The article's id.
    pub article: String,
    /// The passage's number within its article, from 0.
    pub passage: u32,
    /// Number of query terms the passage matches, plus its BM25 relevance mapped into
    /// [0, 1): hits are in decreasing order of score.
    pub score: f32,
    /// The article's title.
    pub title: String,
    /// The article's URL, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The whole passage.
    pub text: String,
    /// About 30 words of the passage around the best cluster of matches, with `…` where cut.
    pub snippet: String,
    /// Matched words in `snippet`, as UTF-16 ranges.
    pub highlights: Vec<Span>,
    /// Matched words in `text`, as UTF-16 ranges.
    pub text_highlights: Vec<Span>,
    /// The passage's number in the whole index.
    #[serde(skip)]
    pub id: PassageId,
}

/// One way to satisfy a clause.
#[derive(Clone, Debug, PartialEq)]
enum Alternative {
    /// Any of these terms, each with a weight (1 for the word itself, less for a prefix
    /// completion or a close spelling).
    Terms(Vec<(u32, f32)>),
    /// These terms at consecutive positions.
    Phrase(Vec<u32>),
}

/// One thing the query asks for: a word, a phrase, or a glossary term under any of its names.
#[derive(Clone, Debug, Default, PartialEq)]
struct Clause {
    alternatives: Vec<Alternative>,
}

#[derive(Debug, Default)]
struct Plan {
    clauses: Vec<Clause>,
    excluded: Vec<Alternative>,
    /// The terms hits highlight, sorted, each once.
    highlight_terms: Vec<u32>,
    highlight_phrases: Vec<Vec<u32>>,
}

impl Plan {
    /// What hits highlight: every term and phrase a clause can be satisfied by.
    fn collect_highlights(&mut self) {
        for alternative in self.clauses.iter().flat_map(|c| &c.alternatives) {
            match alternative {
                Alternative::Terms(terms) => {
                    self.highlight_terms
                        .extend(terms.iter().map(|&(term, _)| term));
                }
                Alternative::Phrase(terms) => self.highlight_phrases.push(terms.clone()),
            }
        }
        crate::heap::sort(&mut self.highlight_terms);
        self.highlight_terms.dedup();
    }
}

/// Per-passage accumulators of one search. The index keeps one between searches, all zero
/// but for the passages in `touched` and `clause_touched`, so that a search clears what it
/// touched instead of allocating and zeroing three arrays as long as the index.
#[derive(Debug, Default)]
pub(crate) struct Scores {
    total: Vec<f32>,
    matched: Vec<u32>,
    clause: Vec<f32>,
    touched: Vec<u32>,
    clause_touched: Vec<u32>,
    /// Per passage, BM25's length norm `K1 * (1 - B + B * len / avg_len)`, for the index as
    /// it was at `norms.len()` passages: articles are only ever added, so the count says
    /// whether the norms are current.
    norms: Vec<f32>,
    /// Per term, all zero between searches: see [`Scores::best_weights`].
    term_weights: Vec<f32>,
}

impl Index {
    /// Ranked passages for `query`. See the README for the query syntax.
    pub fn search(&self, query: &str, options: &SearchOptions) -> Vec<Hit> {
        if options.limit == 0 || self.passages.is_empty() {
            return Vec::new();
        }
        self.run(
            self.plan(&query::parse(query, &self.analyzer)),
            options.limit,
        )
    }

    /// Passages that mention a glossary entry under any of its names, best first: what a
    /// reader sees under "Where else" in a definition. Empty without a glossary or entry.
    pub fn mentions(&self, entry_id: &str, options: &SearchOptions) -> Vec<Hit> {
        let entry = self.glossary.as_ref().and_then(|g| g.entry_index(entry_id));
        let Some(entry) = entry else {
            return Vec::new();
        };
        let mut plan = Plan {
            clauses: vec![self.synonym_clause(entry)],
            ..Plan::default()
        };
        plan.collect_highlights();
        self.run(plan, options.limit)
    }

    fn run(&self, plan: Plan, limit: usize) -> Vec<Hit> {
        if limit == 0 || plan.clauses.is_empty() || self.passages.is_empty() {
            return Vec::new();
        }
        let ranked = self.rank(&plan, limit);
        // The surface words of every term a hit may highlight: looking passage words up in
        // this small map is much cheaper than in `self.words`.
        let lexicon = self.lexicon();
        let mut relevant = WordTerms::default();
        let phrase_terms = plan.highlight_phrases.iter().flatten();
        for &term in plan.highlight_terms.iter().chain(phrase_terms) {
            for word in lexicon.words_of(term) {
                relevant.insert(word, term);
            }
        }
        // One set of buffers for the hits' words: they grow to the longest passage once.
        let mut marks = Marks::default();
        ranked
            .into_iter()
            .filter_map(|(score, passage)| self.hit(passage, score, &plan, &relevant, &mut marks))
            .collect()
    }

    fn plan(&self, query: &Query) -> Plan {
        let mut plan = Plan::default();
        let mut stop_clauses = Vec::new();
        // The plain (unquoted, not excluded) words in order, and the hyphenated groups among
        // them as (first word, word count, compound).
        let mut plain: Vec<&Word> = Vec::new();
        let mut groups: Vec<(usize, usize, &Word)> = Vec::new();
        for chunk in &query.chunks {
            if chunk.excluded {
                plan.excluded.extend(self.phrase_alternative(chunk));
                continue;
            }
            if chunk.quoted {
                let alternative = self.phrase_alternative(chunk);
                plan.clauses.push(Clause {
                    alternatives: alternative.into_iter().collect(),
                });
                continue;
            }
            let chunk_start = plain.len();
            for word in &chunk.words {
                if word.compound {
                    let first = chunk_start
                        + chunk.words[..]
                            .iter()
                            .filter(|w| !w.compound && w.position < word.position)
                            .count();
                    groups.push((first, plain.len() - first, word));
                } else {
                    plain.push(word);
                }
            }
        }

        let stems: Vec<&str> = plain.iter().map(|w| w.stem.as_str()).collect();
        let terms = self
            .glossary
            .as_ref()
            .map(|g| g.find_in_stems(&stems))
            .unwrap_or_default();
        let last = plain.len().saturating_sub(1);
        let mut i = 0;
        while i < plain.len() {
            if let Some(&(_, len, entry)) = terms.iter().find(|(start, _, _)| *start == i) {
                plan.clauses.push(self.synonym_clause(entry));
                i += len;
            } else if let Some(&(_, len, compound)) = groups.iter().find(|(start, len, _)| {
                // A compound still being typed (`working-cl`) is searched word by word, the
                // last as a prefix.
                *start == i && !(query.prefix_last && start + len - 1 == last)
            }) {
                let parts: Vec<&str> = plain[i..i + len].iter().map(|w| w.stem.as_str()).collect();
                let mut alternatives: Vec<Alternative> =
                    self.phrase_of(&parts).into_iter().collect();
                if let Some(&id) = self.stem_ids.get(&compound.stem) {
                    alternatives.push(Alternative::Terms(vec![(id, 1.0)]));
                }
                plan.clauses.push(Clause { alternatives });
                i += len;
            } else {
                let word = plain[i];
                let prefix = query.prefix_last && i == last;
                let clause = Clause {
                    alternatives: vec![Alternative::Terms(self.expand(word, prefix))],
                };
                if !prefix && self.language().is_stop_word(&word.text) {
                    stop_clauses.push(clause);
                } else {
                    plan.clauses.push(clause);
                }
                i += 1;
            }
        }
        if plan.clauses.is_empty() {
            plan.clauses = stop_clauses;
        }
        plan.clauses.truncate(MAX_CLAUSES);
        plan.collect_highlights();
        plan
    }

    /// The words of a quoted or excluded chunk as one alternative, if every word is indexed.
    fn phrase_alternative(&self, chunk: &Chunk) -> Option<Alternative> {
        let stems: Vec<&str> = chunk
            .words
            .iter()
            .filter(|w| !w.compound)
            .map(|w| w.stem.as_str())
            .collect();
        self.phrase_of(&stems)
    }

    fn phrase_of(&self, stems: &[&str]) -> Option<Alternative> {
        let ids = stems
            .iter()
            .map(|s| self.stem_ids.get(*s).copied())
            .collect::<Option<Vec<u32>>>()?;
        match ids.len() {
            0 => None,
            1 => Some(Alternative::Terms(vec![(ids[0], 1.0)])),
            _ => Some(Alternative::Phrase(ids)),
        }
    }

    /// A glossary term under any of its names, so a query for one finds the others.
    fn synonym_clause(&self, entry: usize) -> Clause {
        let mut alternatives = Vec::new();
        let mut tokens = Tokens::new();
        if let Some(entry) = self.glossary.as_ref().and_then(|g| g.entries().get(entry)) {
            for name in entry.names() {
                self.analyzer.tokenize(name, &mut tokens);
                let stems: Vec<&str> = tokens
                    .iter()
                    .filter(|t| !t.compound)
                    .map(|t| t.stem)
                    .collect();
                alternatives.extend(self.phrase_of(&stems));
            }
        }
        Clause { alternatives }
    }

    /// Terms a query word stands for: its own stem; while being typed, the indexed words it
    /// begins; and when no indexed word is spelt so, indexed words within the allowed edits.
    fn expand(&self, word: &Word, prefix: bool) -> Vec<(u32, f32)> {
        let mut found: Vec<(u32, f32)> = Vec::new();
        let stem_match = self.stem_ids.get(&word.stem).copied();
        if let Some(id) = stem_match {
            found.push((id, 1.0));
        }
        let lexicon = self.lexicon();
        let typed_len = word.text.chars().count();
        if prefix && !word.text.is_empty() {
            let words = lexicon.words[lexicon.with_prefix(&word.text)].iter();
            let weighted =
                words.map(|(w, id)| (*id, typed_len as f32 / w.chars().count().max(1) as f32));
            let mut kept = self.scores.try_borrow_mut().ok();
            let mut fresh = Scores::default();
            let scratch = kept.as_deref_mut().unwrap_or(&mut fresh);
            let mut completions = scratch.best_weights(weighted, self.stems.len());
            self.keep_most_frequent(&mut completions, MAX_PREFIX);
            found.extend(completions);
        }
        // A word no article contains, though its stem matches, may be a misspelling that
        // happens to share a stem with another word ("goverment" and "governess" both stem
        // to "gover"): close spellings are looked for too.
        let unknown_word = stem_match.is_some() && !self.words.contains_key(word.text.as_str());
        if found.is_empty() || (unknown_word && found.len() == 1) {
            let allowed = distance::allowed_edits(typed_len);
            let typed: Vec<char> = word.text.chars().collect();
            let mut close: Vec<(u32, f32)> = distance::close_words(lexicon, &typed, allowed)
                .into_iter()
                .map(|(i, d)| (lexicon.words[i].1, if d <= 1 { 0.6 } else { 0.4 }))
                .collect();
            self.keep_most_frequent(&mut close, MAX_FUZZY);
            // A known word one edit away, of another term, is what was meant: the stem-only
            // match is dropped. Farther spellings only join it, below it.
            if unknown_word && close.iter().any(|c| c.1 >= 0.6 && Some(c.0) != stem_match) {
                found.clear();
            }
            found.extend(close);
        }
        best_per_key(&mut found);
        found
    }

    fn keep_most_frequent(&self, terms: &mut Vec<(u32, f32)>, most: usize) {
        if terms.len() > most {
            let df = |t: &(u32, f32)| self.postings.get(t.0 as usize).map_or(0, |p| p.count);
            // Ties go to the lower term id, so that the choice does not depend on the order
            // the terms came in.
            crate::heap::top_k(terms, most, |a, b| {
                (df(a), a.1, std::cmp::Reverse(a.0)) > (df(b), b.1, std::cmp::Reverse(b.0))
            });
        }
    }

    fn idf(&self, passages_with_term: u32) -> f32 {
        let n = self.passages.len() as f32;
        let df = passages_with_term as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// (score, passage) of the best `limit` passages, best first.
    fn rank(&self, plan: &Plan, limit: usize) -> Vec<(f32, u32)> {
        let mut kept = self.scores.try_borrow_mut().ok();
        let mut fresh = Scores::default();
        let scores = kept.as_deref_mut().unwrap_or(&mut fresh);
        scores.start(self);
        let mut title_boosts: Vec<Vec<(u32, f32)>> = Vec::with_capacity(plan.clauses.len());
        for (c, clause) in plan.clauses.iter().enumerate() {
            scores.clause_touched.clear();
            let mut title_terms: Vec<(u32, f32)> = Vec::new();
            for alternative in &clause.alternatives {
                match alternative {
                    Alternative::Terms(terms) => {
                        for &(term, weight) in terms {
                            let Some(postings) = self.postings.get(term as usize) else {
                                continue;
                            };
                            let idf = self.idf(postings.count);
                            let mut reader = postings.reader();
                            while let Some((passage, tf)) = reader.next_passage(None) {
                                scores.offer(passage, weight * idf * scores.tf_part(tf, passage));
                            }
                            title_terms.push((term, weight * idf));
                        }
                    }
                    Alternative::Phrase(terms) => {
                        let idf: f32 = terms
                            .iter()
                            .filter_map(|&t| self.postings.get(t as usize))
                            .map(|p| self.idf(p.count))
                            .sum();
                        for (passage, count) in self.phrase_passages(terms) {
                            scores.offer(passage, idf * scores.tf_part(count, passage));
                        }
                    }
                }
            }
            title_boosts.push(self.title_boosts(&title_terms));
            scores.close_clause(1 << c);
        }
        // The title is part of every passage's context, like a field of the article: a
        // passage found by its own words also matches the terms of its article's title.
        for &passage in &scores.touched {
            let p = passage as usize;
            let Some(article) = self.passages.get(p).map(|r| r.article) else {
                continue;
            };
            for (c, boosts) in title_boosts.iter().enumerate() {
                if let Ok(i) = boosts.binary_search_by_key(&article, |b| b.0) {
                    scores.total[p] += boosts[i].1;
                    scores.matched[p] |= 1 << c;
                }
            }
        }
        for alternative in &plan.excluded {
            for passage in self.passages_with(alternative) {
                if let Some(m) = scores.matched.get_mut(passage as usize) {
                    *m = 0;
                }
            }
        }
        let mut ranked: Vec<(f32, u32)> = scores
            .touched
            .iter()
            .filter(|&&p| scores.matched[p as usize] != 0)
            .map(|&p| {
                let s = scores.total[p as usize];
                (
                    scores.matched[p as usize].count_ones() as f32 + s / (s + SCORE_SCALE),
                    p,
                )
            })
            .collect();
        // Best score first; equal scores in passage order.
        crate::heap::top_k(&mut ranked, limit, |a, b| {
            a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)).is_gt()
        });
        ranked
    }

    /// Per article whose title has one of the clause's terms, the title's score (best term),
    /// sorted by article.
    fn title_boosts(&self, terms: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut best = Vec::new();
        for &(term, weighted_idf) in terms {
            best.extend(
                self.title_articles(term)
                    .map(|article| (article, TITLE_BOOST * weighted_idf)),
            );
        }
        best_per_key(&mut best);
        best
    }

    fn passages_with(&self, alternative: &Alternative) -> Vec<u32> {
        match alternative {
            Alternative::Terms(terms) => {
                let mut out = Vec::new();
                for &(term, _) in terms {
                    if let Some(postings) = self.postings.get(term as usize) {
                        let mut reader = postings.reader();
                        while let Some((passage, _)) = reader.next_passage(None) {
                            out.push(passage);
                        }
                    }
                }
                out
            }
            Alternative::Phrase(terms) => self
                .phrase_passages(terms)
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
        }
    }

    /// Passages where `terms` occur at consecutive positions, with the number of occurrences.
    ///
    /// The terms' postings are read in step, each list moving on to the passage the others
    /// are at, so only the positions of the current entries are held and compared.
    fn phrase_passages(&self, terms: &[u32]) -> Vec<(u32, u32)> {
        if terms.is_empty() {
            return Vec::new();
        }
        let mut readers = Vec::with_capacity(terms.len());
        for &term in terms {
            let Some(postings) = self.postings.get(term as usize) else {
                return Vec::new();
            };
            readers.push(postings.reader());
        }
        // Positions are decoded only in passages that have every term: a phrase with a
        // common word ("the girl") steps over most of that word's list.
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
        let mut at: Vec<u32> = Vec::with_capacity(terms.len());
        for reader in readers.iter_mut() {
            let Some((passage, _)) = reader.next_passage(None) else {
                return Vec::new();
            };
            at.push(passage);
        }
        let mut out = Vec::new();
        loop {
            let target = at.iter().copied().max().unwrap_or(0);
            let mut aligned = true;
            for k in 0..readers.len() {
                if at[k] < target {
                    readers[k].skip_below(target);
                }
                while at[k] < target {
                    let Some((passage, _)) = readers[k].next_passage(None) else {
                        return out;
                    };
                    at[k] = passage;
                }
                aligned &= at[k] == target;
            }
            if !aligned {
                continue;
            }
            for (reader, positions) in readers.iter().zip(&mut positions) {
                if reader.positions(positions).is_none() {
                    return out;
                }
            }
            let count = positions[0]
                .iter()
                .filter(|&&p| {
                    positions.iter().enumerate().skip(1).all(|(k, list)| {
                        p.checked_add(k as u32)
                            .is_some_and(|q| list.binary_search(&q).is_ok())
                    })
                })
                .count() as u32;
            if count > 0 {
                out.push((target, count));
            }
            for k in 0..readers.len() {
                let Some((passage, _)) = readers[k].next_passage(None) else {
                    return out;
                };
                at[k] = passage;
            }
        }
    }

    /// The hit for a ranked passage. `relevant` maps the surface words of the terms the plan
    /// highlights (in phrases too) to their terms.
    fn hit(
        &self,
        passage_id: u32,
        score: f32,
        plan: &Plan,
        relevant: &WordTerms,
        marks: &mut Marks,
    ) -> Option<Hit> {
        let passage = self.passages.get(passage_id as usize)?;
        let article = self.articles.get(passage.article as usize)?;
        let text = passage.text.as_str();
        // The passage's words, each with its term if the plan may highlight it. Every word of
        // an indexed passage is in `self.words`, which maps it to the term it was first filed
        // under: no need to stem the passage again. (A word two stems share, `resume` of
        // "resume" and "résumé", highlights only for the first.) Words of other terms have
        // none, except the parts of a highlighted compound (below).
        mark(text, relevant, marks);
        let words = &mut marks.words;

        // Matched words as ranges of word indices.
        let highlighted = |term: Option<u32>| {
            term.is_some_and(|t| plan.highlight_terms.binary_search(&t).is_ok())
        };
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (i, word) in words.iter().enumerate() {
            if highlighted(word.term) {
                ranges.push((i, i + 1));
            }
        }
        for &(first, last, term) in &marks.compounds {
            if highlighted(term) {
                // The snippet window counts the distinct terms of highlighted words.
                for word in &mut words[first..last] {
                    if word.term.is_none() {
                        let part = self.analyzer.normalize(&text[word.start..word.end]);
                        word.term = self.words.get(&part).copied();
                    }
                }
                ranges.push((first, last));
            }
        }
        for phrase in plan.highlight_phrases.iter().filter(|p| !p.is_empty()) {
            for (i, window) in words.windows(phrase.len()).enumerate() {
                if window.iter().zip(phrase).all(|(w, &t)| w.term == Some(t)) {
                    ranges.push((i, i + phrase.len()));
                }
            }
        }
        crate::heap::sort(&mut ranges);
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }

        let (from, to) = snippet_window(&merged, words);
        let n = words.len();
        let mut start = if from == 0 { 0 } else { words[from].start };
        let mut end = if to >= n {
            text.len()
        } else {
            words[to - 1].end
        };
        // Keep the punctuation that clings to the first and last word (quotes, a full stop),
        // but never walk into the neighbouring words: text without spaces (CJK) has none.
        let clings = |c: char| !c.is_whitespace() && !word_break::is_alphanumeric(c);
        if from > 0 {
            start = text[..start].trim_end_matches(clings).len();
        }
        if to < n {
            end = text.len() - text[end..].trim_start_matches(clings).len();
        }
        let lead = if from > 0 { "… " } else { "" };
        let tail = if to < n { " …" } else { "" };
        let snippet = [lead, &text[start..end], tail].concat();
        let shift = utf16_len(&text[..start]) as i64 - utf16_len(lead) as i64;
        let relative = |s: u32| (s as i64 - shift).max(0) as u32;

        let span_of =
            |(a, b): (usize, usize)| Span::new(words[a].span.start, words[b - 1].span.end);
        let text_highlights: Vec<Span> = merged.iter().map(|&r| span_of(r)).collect();
        let highlights = merged
            .iter()
            .filter(|&&(a, b)| a >= from && b <= to)
            .map(|&r| {
                let span = span_of(r);
                Span::new(relative(span.start), relative(span.end))
            })
            .collect();
        Some(Hit {
            article: article.id.clone(),
            passage: passage_id - article.first_passage,
            score,
            title: article.title.clone(),
            url: article.url.clone(),
            text: text.to_owned(),
            snippet,
            highlights,
            text_highlights,
            id: PassageId(passage_id),
        })
    }
}

/// One weight per key, the best, sorted by key: per term, the best way a word reached it
/// (`soviet`, `soviets` → one stem); per article, its title's best boost.
fn best_per_key(terms: &mut Vec<(u32, f32)>) {
    crate::heap::sort_by(terms, |a, b| {
        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).is_lt()
    });
    terms.dedup_by_key(|t| t.0);
}

impl Scores {
    /// The best weight of each term among `weighted` (terms below `terms`, weights above
    /// zero), in order of first appearance, through a per-term array kept zeroed, as the
    /// per-passage ones are: only the terms seen are reset. A short prefix begins thousands
    /// of words, and sorting them by term took 20 % longer for one-letter prefixes than a
    /// hash map (`cargo run --release --example brown` with such queries: p50 498 against
    /// 412 µs); an array allocated and zeroed per search would cost every keystroke time in
    /// proportion to the index.
    fn best_weights(
        &mut self,
        weighted: impl Iterator<Item = (u32, f32)>,
        terms: usize,
    ) -> Vec<(u32, f32)> {
        if self.term_weights.len() < terms {
            self.term_weights.resize(terms, 0.0);
        }
        let mut out: Vec<(u32, f32)> = Vec::new();
        for (term, weight) in weighted {
            let Some(best) = self.term_weights.get_mut(term as usize) else {
                continue;
            };
            if *best == 0.0 {
                out.push((term, 0.0));
            }
            *best = best.max(weight);
        }
        for (term, weight) in &mut out {
            *weight = std::mem::take(&mut self.term_weights[*term as usize]);
        }
        out
    }

    /// Zeroes what the last search touched and fits the arrays to the index's passages.
    fn start(&mut self, index: &Index) {
        let passages = index.passages.len();
        if self.norms.len() != passages {
            let avg_len = index.avg_len();
            self.norms.clear();
            self.norms.extend(
                (index.passages.iter()).map(|p| K1 * (1.0 - B + B * p.len as f32 / avg_len)),
            );
        }
        for &p in self.touched.iter().chain(&self.clause_touched) {
            let p = p as usize;
            if p < self.total.len() {
                self.total[p] = 0.0;
                self.matched[p] = 0;
                self.clause[p] = 0.0;
            }
        }
        self.touched.clear();
        self.clause_touched.clear();
        self.total.resize(passages, 0.0);
        self.matched.resize(passages, 0);
        self.clause.resize(passages, 0.0);
    }

    /// BM25's term-frequency part for `tf` occurrences in `passage`.
    fn tf_part(&self, tf: u32, passage: u32) -> f32 {
        let norm = self.norms.get(passage as usize).copied().unwrap_or(K1);
        let tf = tf as f32;
        tf * (K1 + 1.0) / (tf + norm)
    }

    /// A score for the passage from one alternative of the current clause: the best counts.
    fn offer(&mut self, passage: u32, score: f32) {
        if let Some(best) = self.clause.get_mut(passage as usize) {
            if *best == 0.0 {
                self.clause_touched.push(passage);
            }
            *best = best.max(score);
        }
    }

    fn close_clause(&mut self, bit: u32) {
        for &passage in &self.clause_touched {
            let p = passage as usize;
            if self.matched[p] == 0 {
                self.touched.push(passage);
            }
            self.matched[p] |= bit;
            self.total[p] += self.clause[p];
            self.clause[p] = 0.0;
        }
    }
}

/// Word range `[from, to)` of the snippet: the passage if short, else the window of
/// `SNIPPET_WORDS` with the most distinct matched terms (then the most matched words),
/// shifted so that its matches sit in the middle. `matches` are ranges of word indices,
/// sorted and not overlapping (as `hit` merges them).
fn snippet_window(matches: &[(usize, usize)], words: &[Marked]) -> (usize, usize) {
    let n = words.len();
    if n <= SNIPPET_WORDS + SNIPPET_SLACK {
        return (0, n);
    }
    // Each matched word in order, with its term (a compound's part may have none).
    let mut marked: Vec<(usize, u32)> = Vec::new();
    for &(a, b) in matches {
        for (i, word) in words.iter().enumerate().take(b).skip(a) {
            marked.push((i, word.term.unwrap_or(u32::MAX)));
        }
    }
    let mut best = (0, 0, 0usize);
    let mut distinct: Vec<u32> = Vec::new();
    // The matched words of the window from `from`: marked[first..last].
    let (mut first, mut last) = (0, 0);
    for from in 0..=n - SNIPPET_WORDS {
        while first < marked.len() && marked[first].0 < from {
            first += 1;
        }
        while last < marked.len() && marked[last].0 < from + SNIPPET_WORDS {
            last += 1;
        }
        let count = last.saturating_sub(first);
        if count == 0 || (count, count) <= (best.0, best.1) {
            continue;
        }
        distinct.clear();
        distinct.extend(marked[first..last].iter().map(|m| m.1));
        crate::heap::sort(&mut distinct);
        distinct.dedup();
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, from);
        }
    }
    // Centre the matches of the chosen window in it, so they have context on both sides.
    let in_window = |&&(i, _): &&(usize, u32)| (best.2..best.2 + SNIPPET_WORDS).contains(&i);
    let from = match (
        marked.iter().find(in_window),
        marked.iter().rfind(in_window),
    ) {
        (Some(&(first, _)), Some(&(last, _))) => {
            let slack = SNIPPET_WORDS - (last - first + 1);
            first.saturating_sub(slack / 2).min(n - SNIPPET_WORDS)
        }
        _ => best.2,
    };
    (from, from + SNIPPET_WORDS)
}
