//! Native benchmark of the glossa core: tokenising, glossary annotation and parsing, index
//! build and (de)serialisation, and search latency, over a generated English-like corpus.
//!
//! A plain harness (no criterion): `cargo bench --bench core`, with optional arguments after
//! `--`:
//!
//! - `--articles N`  number of generated articles (default 300)
//! - `--json PATH`   also write the figures as JSON to PATH
//!
//! Other arguments (cargo passes `--bench`) are ignored. Everything is deterministic: the
//! corpus, glossary and queries come from a fixed-seed PRNG. Every figure is the median of
//! several repetitions, each loop bounded by an iteration count and a time budget, so the
//! whole run takes well under a minute in release mode. Nothing here asserts on timings.
//! The gzip size of the serialised index comes from the system `gzip`, when there is one.

use glossa::{Analyzer, Article, Glossary, Index, Language, SearchOptions, Tokens};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};
use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 0x676c_6f73_7361_2131;
const DEFAULT_ARTICLES: usize = 300;
const SYLLABLE_WORDS: usize = 20_000;
const ZIPF_EXPONENT: f64 = 1.0;
/// How many of [`COMMON_WORDS`] take the top Zipf ranks; the rest are spread further down.
const TOP_COMMON: usize = 120;
const GLOSSARY_ENTRIES: usize = 1_000;
/// Chance, per word slot of a sentence, that a glossary name is written there instead.
const GLOSSARY_NAME_RATE: f64 = 0.015;
const SEARCH_LIMIT: usize = 10;

/// Repetitions and time budget of each timed figure.
const MAX_REPS: usize = 15;
const MIN_REPS: usize = 5;
const FIGURE_BUDGET: Duration = Duration::from_secs(2);
/// Budget of each search pass (warm-up, timed, timed with limit 1); queries past it are
/// skipped and the report says how many ran.
const SEARCH_BUDGET: Duration = Duration::from_secs(8);

// ---------------------------------------------------------------------------------------
// PRNG and sampling

/// SplitMix64: tiny, fast, and good enough for generating test text.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi] (inclusive).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

/// Draws ranks 0..n with probability proportional to 1 / (rank + 1)^s.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cdf = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cdf }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64() * self.cdf[self.cdf.len() - 1];
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

// ---------------------------------------------------------------------------------------
// Vocabulary

/// Real English words, most frequent first; the stop words come first so that they take the
/// top Zipf ranks, as in real text. A few inflected, accented and contracted forms exercise
/// stemming, diacritic folding and apostrophes.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "it", "was", "for", "on", "as", "with",
    "be", "by", "he", "at", "this", "not", "are", "from", "or", "his", "but", "they", "which",
    "an", "have", "had", "were", "their", "we", "one", "has", "all", "been", "there", "its",
    "would", "who", "more", "she", "her", "can", "if", "what", "when", "so", "no", "into",
    "them", "will", "some", "than", "other", "only", "out", "about", "could", "then", "these",
    "up", "time", "people", "state", "over", "such", "after", "also", "most", "any", "those",
    "new", "between", "before", "through", "under", "being", "both", "each", "while", "where",
    "how", "our", "very", "should", "work", "you", "your", "i", "me", "my", "him", "did", "do",
    "does", "doing", "down", "during", "few", "further", "having", "here", "hers", "just",
    "nor", "now", "off", "once", "own", "same", "theirs", "too", "until", "whom", "why",
    "yours", "ours", "again", "am", "against", "because", "year", "years", "world",
    "government", "power", "party", "workers", "working", "class", "political", "social",
    "history", "question", "country", "city", "war", "movement", "revolution", "society",
    "economic", "public", "system", "right", "rights", "law", "form", "forms", "part", "place",
    "case", "point", "group", "problem", "fact", "hand", "order", "life", "day", "days", "man",
    "men", "woman", "women", "child", "children", "way", "ways", "thing", "things", "house",
    "money", "market", "labour", "capital", "land", "water", "food", "health", "school",
    "education", "family", "community", "council", "councils", "union", "unions", "strike",
    "strikes", "wage", "wages", "struggle", "struggles", "organisation", "organised",
    "democracy", "democratic", "freedom", "equality", "justice", "theory", "practice",
    "idea", "ideas", "book", "books", "writer", "wrote", "written", "said", "says", "argued",
    "argues", "made", "make", "makes", "took", "take", "taken", "gave", "give", "given",
    "began", "became", "become", "came", "come", "went", "going", "known", "know", "thought",
    "think", "seen", "see", "used", "use", "using", "found", "find", "left", "called", "first",
    "last", "long", "great", "little", "old", "young", "early", "late", "large", "small",
    "high", "low", "good", "better", "best", "different", "important", "national",
    "international", "local", "general", "common", "free", "full", "whole", "many", "much",
    "several", "every", "another", "still", "never", "always", "often", "perhaps", "however",
    "therefore", "although", "though", "already", "even", "well", "back", "away", "together",
    "whether", "without", "within", "among", "across", "around", "along", "toward", "towards",
    "upon", "since", "yet", "per", "less", "least", "rather", "café", "naïve", "régime",
    "élite", "façade", "rôle", "déjà", "don't", "isn't", "can't", "won't", "it's", "workers'",
    "people's", "nation's",
];

struct Vocabulary {
    /// Words by Zipf rank, most frequent first.
    words: Vec<String>,
    /// Whether the word at each rank is one of [`COMMON_WORDS`].
    is_common: Vec<bool>,
    zipf: Zipf,
}

fn syllable_word(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
        "br", "cr", "dr", "fr", "gr", "pr", "tr", "bl", "cl", "fl", "gl", "pl", "sl", "st", "sp",
        "sk", "sh", "ch", "th", "qu", "",
    ];
    #[rustfmt::skip]
    const VOWELS: &[&str] = &[
        "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "io", "y",
    ];
    #[rustfmt::skip]
    const CODAS: &[&str] = &[
        "", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "rt", "st", "ng", "ck", "x",
    ];
    const SUFFIXES: &[&str] = &["ing", "ed", "s", "es", "ism", "ist", "ation", "ly"];
    let syllables = *rng.pick(&[1, 2, 2, 2, 3, 3, 3, 4]);
    let mut word = String::new();
    for i in 0..syllables {
        let (onset, vowel) = (*rng.pick(ONSETS), *rng.pick(VOWELS));
        word.push_str(onset);
        word.push_str(vowel);
        if i + 1 == syllables || rng.chance(0.3) {
            let coda = *rng.pick(CODAS);
            word.push_str(coda);
        }
    }
    if rng.chance(0.08) {
        let suffix = *rng.pick(SUFFIXES);
        word.push_str(suffix);
    }
    word
}

fn vocabulary(rng: &mut Rng) -> Vocabulary {
    let mut seen: HashSet<String> = HashSet::new();
    let common: Vec<String> = COMMON_WORDS
        .iter()
        .filter(|w| seen.insert(w.to_string()))
        .map(|w| w.to_string())
        .collect();
    let mut generated: Vec<String> = Vec::new();
    while generated.len() < SYLLABLE_WORDS {
        let w = syllable_word(rng);
        if w.len() >= 2 && seen.insert(w.clone()) {
            generated.push(w);
        }
    }
    // The first common words take the top ranks; the rest are spread over ranks up to about
    // 3,000 among the generated words.
    let head = common.len().min(TOP_COMMON);
    let mut ranked: Vec<(String, bool)> =
        common[..head].iter().map(|w| (w.clone(), true)).collect();
    ranked.extend(generated.into_iter().map(|w| (w, false)));
    let spacing = 3_000 / (common.len() - head).max(1);
    for (k, w) in common[head..].iter().enumerate() {
        let at = (head + 1 + k * spacing).min(ranked.len());
        ranked.insert(at, (w.clone(), true));
    }
    let (words, is_common): (Vec<String>, Vec<bool>) = ranked.into_iter().unzip();
    let zipf = Zipf::new(words.len(), ZIPF_EXPONENT);
    Vocabulary {
        words,
        is_common,
        zipf,
    }
}

/// Function-like words kept out of glossary terms: the top common words (the crate's own stop
/// list is private; this is close enough).
fn is_function_word(word: &str) -> bool {
    COMMON_WORDS[..TOP_COMMON].contains(&word)
}

// ---------------------------------------------------------------------------------------
// Glossary

struct GlossarySpec {
    json: String,
    /// Every name (terms and aliases) in entry order.
    names: Vec<String>,
    /// Which names the corpus mentions, and how often.
    zipf: Zipf,
}

fn content_word(vocab: &Vocabulary, rng: &mut Rng, lo: usize, hi: usize) -> String {
    loop {
        let w = &vocab.words[rng.range(lo, hi.min(vocab.words.len() - 1))];
        if !is_function_word(w) && !w.contains('\'') {
            return w.clone();
        }
    }
}

fn glossary_name(vocab: &Vocabulary, rng: &mut Rng, words: usize) -> String {
    match words {
        1 => content_word(vocab, rng, 60, 8_000),
        2 => format!(
            "{} {}",
            content_word(vocab, rng, 60, 12_000),
            content_word(vocab, rng, 60, 12_000)
        ),
        _ => {
            let joiner = *rng.pick(&["of", "and", "of the", "in", ""]);
            let a = content_word(vocab, rng, 60, 12_000);
            let b = content_word(vocab, rng, 60, 12_000);
            if joiner.is_empty() {
                format!("{a} {b} {}", content_word(vocab, rng, 60, 12_000))
            } else {
                format!("{a} {joiner} {b}")
            }
        }
    }
}

/// 1,000 entries: half one-word terms, the rest two- and three-word (some with "of",
/// "and", "of the", "in" inside), 30% with one or two aliases. No two names share a stem
/// sequence, which `Glossary::from_json` would refuse.
fn glossary(vocab: &Vocabulary, rng: &mut Rng) -> GlossarySpec {
    let analyzer = Analyzer::new(Language::ENGLISH);
    let mut tokens = Tokens::new();
    let mut claimed: HashSet<Vec<String>> = HashSet::new();
    let mut fresh = |name: &str| {
        analyzer.tokenize(name, &mut tokens);
        let stems: Vec<String> = tokens
            .iter()
            .filter(|t| !t.compound)
            .map(|t| t.stem.to_owned())
            .collect();
        claimed.insert(stems)
    };
    let mut entries: Vec<Value> = Vec::with_capacity(GLOSSARY_ENTRIES);
    let mut names: Vec<String> = Vec::new();
    while entries.len() < GLOSSARY_ENTRIES {
        let i = entries.len();
        let len = *rng.pick(&[1, 1, 1, 1, 1, 2, 2, 2, 3, 3]);
        let term = glossary_name(vocab, rng, len);
        if !fresh(&term) {
            continue;
        }
        let mut aliases: Vec<String> = Vec::new();
        if rng.chance(0.3) {
            for _ in 0..rng.range(1, 2) {
                let words = rng.range(1, 2);
                let alias = glossary_name(vocab, rng, words);
                if fresh(&alias) {
                    aliases.push(alias);
                }
            }
        }
        let definition: Vec<String> = (0..rng.range(8, 30))
            .map(|_| vocab.words[vocab.zipf.sample(rng)].clone())
            .collect();
        let mut entry = json!({
            "id": format!("term-{i:04}"),
            "term": term,
            "definition": format!("{}.", definition.join(" ")),
        });
        if !aliases.is_empty() {
            entry["aliases"] = json!(aliases);
        }
        if i > 10 && rng.chance(0.3) {
            let targets: BTreeSet<String> = (0..rng.range(1, 3))
                .map(|_| format!("term-{:04}", rng.range(0, i - 1)))
                .collect();
            entry["see_also"] = json!(targets);
        }
        if rng.chance(0.5) {
            entry["link"] = json!(format!("https://example.org/wiki/term-{i:04}"));
        }
        names.push(term);
        names.extend(aliases);
        entries.push(entry);
    }
    let json = serde_json::to_string_pretty(&json!({"language": "en", "entries": entries}))
        .expect("glossary serialises");
    GlossarySpec {
        json,
        zipf: Zipf::new(names.len(), 0.8),
        names,
    }
}

// ---------------------------------------------------------------------------------------
// Corpus

struct Corpus {
    articles: Vec<Article>,
    /// Occurrences of each vocabulary rank in the text (glossary names not counted).
    counts: Vec<u32>,
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// 8–25 words, capitalised, with commas, the odd semicolon and hyphenated pair, ending in
/// `.`, `?` or `!`; now and then a glossary name in place of a word.
fn sentence(
    vocab: &Vocabulary,
    gloss: &GlossarySpec,
    rng: &mut Rng,
    counts: &mut [u32],
    out: &mut String,
) {
    let n = rng.range(8, 25);
    let mut words: Vec<String> = Vec::with_capacity(n);
    while words.len() < n {
        if rng.chance(GLOSSARY_NAME_RATE) {
            words.push(gloss.names[gloss.zipf.sample(rng)].clone());
            continue;
        }
        let rank = vocab.zipf.sample(rng);
        counts[rank] += 1;
        let w = &vocab.words[rank];
        // Occasional proper-noun capitals for generated words.
        if !vocab.is_common[rank] && rng.chance(0.03) {
            words.push(capitalise(w));
        } else {
            words.push(w.clone());
        }
    }
    for (i, w) in words.iter().enumerate() {
        if i == 0 {
            out.push_str(&capitalise(w));
        } else {
            out.push_str(w);
        }
        if i + 1 == words.len() {
            out.push(*rng.pick(&['.', '.', '.', '.', '.', '.', '.', '.', '?', '!']));
        } else if rng.chance(0.01) {
            out.push('-');
        } else {
            if rng.chance(0.07) {
                out.push(',');
            } else if rng.chance(0.01) {
                out.push(';');
            }
            out.push(' ');
        }
    }
}

/// Articles of 5–30 paragraphs of 2–8 sentences, given as `passages`.
fn corpus(vocab: &Vocabulary, gloss: &GlossarySpec, rng: &mut Rng, articles: usize) -> Corpus {
    let mut counts = vec![0u32; vocab.words.len()];
    let mut out = Vec::with_capacity(articles);
    for a in 0..articles {
        let paragraphs = rng.range(5, 30);
        let mut passages = Vec::with_capacity(paragraphs);
        for _ in 0..paragraphs {
            let mut text = String::new();
            for s in 0..rng.range(2, 8) {
                if s > 0 {
                    text.push(' ');
                }
                sentence(vocab, gloss, rng, &mut counts, &mut text);
            }
            passages.push(text);
        }
        let title: Vec<String> = (0..rng.range(3, 8))
            .map(|_| capitalise(&vocab.words[vocab.zipf.sample(rng)]))
            .collect();
        out.push(Article {
            id: format!("article-{a:04}"),
            title: title.join(" "),
            url: Some(format!("https://example.org/articles/{a:04}")),
            byline: rng.chance(0.5).then(|| "A. Writer".to_owned()),
            passages: Some(passages),
            text: None,
        });
    }
    Corpus {
        articles: out,
        counts,
    }
}

// ---------------------------------------------------------------------------------------
// Queries

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    WordHigh,
    WordMid,
    WordRare,
    TwoWords,
    Prefix,
    Misspelt,
    Phrase,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::WordHigh,
        Kind::WordMid,
        Kind::WordRare,
        Kind::TwoWords,
        Kind::Prefix,
        Kind::Misspelt,
        Kind::Phrase,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::WordHigh => "word, top 100 ranks",
            Kind::WordMid => "word, ranks 100-2000",
            Kind::WordRare => "word, 1-5 occurrences",
            Kind::TwoWords => "two words",
            Kind::Prefix => "prefix, 3-5 letters",
            Kind::Misspelt => "one-edit misspelling",
            Kind::Phrase => "quoted phrase",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Kind::WordHigh => "word_high",
            Kind::WordMid => "word_mid",
            Kind::WordRare => "word_rare",
            Kind::TwoWords => "two_words",
            Kind::Prefix => "prefix",
            Kind::Misspelt => "misspelt",
            Kind::Phrase => "phrase",
        }
    }
}

/// One substitution, insertion or deletion, never of the first letter.
fn misspell(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.range(1, chars.len() - 1);
    let letter = (b'a' + rng.range(0, 25) as u8) as char;
    match rng.range(0, 2) {
        0 => chars[at] = letter,
        1 => chars.insert(at, letter),
        _ => {
            chars.remove(at);
        }
    }
    chars.into_iter().collect()
}

/// A fixed list of 320 queries of mixed kinds. Complete words end with a space (a finished
/// word); prefixes do not, so the index treats them as still being typed.
fn queries(vocab: &Vocabulary, corpus: &Corpus, rng: &mut Rng) -> Vec<(Kind, String)> {
    let analyzer = Analyzer::new(Language::ENGLISH);
    let mut out = Vec::new();
    for _ in 0..40 {
        let w = &vocab.words[rng.range(0, 99)];
        out.push((Kind::WordHigh, format!("{w} ")));
    }
    for _ in 0..40 {
        let w = &vocab.words[rng.range(100, 1_999)];
        out.push((Kind::WordMid, format!("{w} ")));
    }
    let rare: Vec<usize> = (0..vocab.words.len())
        .filter(|&r| (1..=5).contains(&corpus.counts[r]))
        .collect();
    for _ in 0..40.min(rare.len()) {
        let w = &vocab.words[*rng.pick(&rare)];
        out.push((Kind::WordRare, format!("{w} ")));
    }
    for _ in 0..60 {
        let a = &vocab.words[vocab.zipf.sample(rng)];
        let b = &vocab.words[vocab.zipf.sample(rng)];
        out.push((Kind::TwoWords, format!("{a} {b} ")));
    }
    let mut prefixes = 0;
    while prefixes < 60 {
        let w = &vocab.words[vocab.zipf.sample(rng)];
        let len = rng.range(3, 5);
        if w.chars().count() > len && w.is_ascii() {
            out.push((Kind::Prefix, w[..len].to_owned()));
            prefixes += 1;
        }
    }
    // Misspellings of words that occur, which are neither a vocabulary word nor share the
    // stem of one (else they would match exactly and never reach the typo tolerance).
    let known: HashSet<&str> = vocab.words.iter().map(String::as_str).collect();
    let known_stems: HashSet<String> = vocab.words.iter().map(|w| analyzer.stem(w)).collect();
    let mut misspelt = 0;
    while misspelt < 60 {
        let rank = vocab.zipf.sample(rng);
        let w = &vocab.words[rank];
        if rank < 50 || corpus.counts[rank] == 0 || w.len() < 5 || !w.is_ascii() || w.contains('\'')
        {
            continue;
        }
        let typo = misspell(w, rng);
        if known.contains(typo.as_str()) || known_stems.contains(&analyzer.stem(&typo)) {
            continue;
        }
        out.push((Kind::Misspelt, format!("{typo} ")));
        misspelt += 1;
    }
    // Runs of 2–4 consecutive words of a passage, punctuation stripped.
    let mut phrases = 0;
    while phrases < 20 {
        let article = rng.pick(&corpus.articles);
        let passage = rng.pick(article.passages.as_deref().unwrap_or(&[]));
        let words: Vec<&str> = passage.split_whitespace().collect();
        let len = rng.range(2, 4);
        if words.len() <= len {
            continue;
        }
        let at = rng.range(0, words.len() - len);
        let phrase: Vec<String> = words[at..at + len]
            .iter()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .replace('-', " ")
            })
            .collect();
        out.push((Kind::Phrase, format!("\"{}\"", phrase.join(" "))));
        phrases += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// Measurement

struct Timing {
    samples: Vec<Duration>,
}

impl Timing {
    fn median(&self) -> Duration {
        let mut s = self.samples.clone();
        s.sort_unstable();
        let n = s.len();
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2
        }
    }

    fn min(&self) -> Duration {
        self.samples.iter().copied().min().unwrap_or_default()
    }

    fn max(&self) -> Duration {
        self.samples.iter().copied().max().unwrap_or_default()
    }

    fn json(&self) -> Value {
        json!({
            "median_ms": ms(self.median()),
            "min_ms": ms(self.min()),
            "max_ms": ms(self.max()),
            "reps": self.samples.len(),
        })
    }

    fn describe(&self) -> String {
        format!(
            "median of {} (min {:.2}, max {:.2} ms)",
            self.samples.len(),
            ms(self.min()),
            ms(self.max()),
        )
    }
}

/// Runs `f` at most [`MAX_REPS`] times, stopping once [`FIGURE_BUDGET`] is spent and at
/// least [`MIN_REPS`] runs are done, and in any case once twice the budget is spent or a
/// single run takes the whole budget. Returns the timings and the last run's result; the
/// other results are dropped outside the timed region.
fn measure<R>(mut f: impl FnMut() -> R) -> (Timing, R) {
    let started = Instant::now();
    let mut samples = Vec::new();
    loop {
        let t = Instant::now();
        let out = black_box(f());
        let took = t.elapsed();
        samples.push(took);
        let spent = started.elapsed();
        if samples.len() >= MAX_REPS
            || (spent >= FIGURE_BUDGET && samples.len() >= MIN_REPS)
            || took >= FIGURE_BUDGET
            || spent >= FIGURE_BUDGET * 2
        {
            return (Timing { samples }, out);
        }
        drop(out);
    }
}

/// Runs each query once (at most [`SEARCH_BUDGET`] in all): (kind, latency, hit count).
fn search_pass(
    index: &Index,
    queries: &[(Kind, String)],
    limit: usize,
) -> Vec<(Kind, Duration, usize)> {
    let options = SearchOptions { limit };
    let started = Instant::now();
    let mut out = Vec::with_capacity(queries.len());
    for (kind, q) in queries {
        let t = Instant::now();
        let hits = index.search(black_box(q), &options);
        let took = t.elapsed();
        out.push((*kind, took, black_box(hits).len()));
        if started.elapsed() >= SEARCH_BUDGET {
            break;
        }
    }
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// The value at quantile `q` of `sorted` (nearest rank).
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted_times<'a>(rows: impl Iterator<Item = &'a (Kind, Duration, usize)>) -> Vec<Duration> {
    let mut times: Vec<Duration> = rows.map(|r| r.1).collect();
    times.sort_unstable();
    times
}

/// Gzip size by piping through the system `gzip -6`, if there is one.
fn gzip_size(bytes: &[u8]) -> Option<usize> {
    let mut child = Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    output.status.success().then_some(output.stdout.len())
}

// ---------------------------------------------------------------------------------------

struct Args {
    articles: usize,
    json: Option<String>,
}

fn args() -> Args {
    let mut parsed = Args {
        articles: DEFAULT_ARTICLES,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        if let Some(v) = arg.strip_prefix("--json=") {
            parsed.json = Some(v.to_owned());
        } else if let Some(v) = arg.strip_prefix("--articles=") {
            parsed.articles = v.parse().expect("--articles takes a number");
        } else if arg == "--json" {
            parsed.json = Some(it.next().expect("--json takes a path"));
        } else if arg == "--articles" {
            parsed.articles = it
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--articles takes a number");
        }
        // Anything else (cargo's `--bench`, filters) is ignored.
    }
    parsed.articles = parsed.articles.max(1);
    parsed
}

fn main() {
    let args = args();
    let run_started = Instant::now();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let debug = cfg!(debug_assertions);
    println!("glossa core benchmark");
    println!(
        "  machine: {cores} cores, {} build{}",
        if debug { "debug" } else { "release" },
        if debug {
            " (debug_assertions on: figures are not representative)"
        } else {
            ""
        }
    );

    // Corpus, glossary and queries.
    let t = Instant::now();
    let mut rng = Rng(SEED);
    let vocab = vocabulary(&mut rng);
    let gloss = glossary(&vocab, &mut rng);
    let corpus = corpus(&vocab, &gloss, &mut rng, args.articles);
    let queries = queries(&vocab, &corpus, &mut rng);
    let generation = t.elapsed();
    let passages: Vec<&str> = corpus
        .articles
        .iter()
        .flat_map(|a| a.passages.as_deref().unwrap_or(&[]))
        .map(String::as_str)
        .collect();
    let text_bytes: usize = passages.iter().map(|p| p.len()).sum();
    let distinct_used = corpus.counts.iter().filter(|&&c| c > 0).count();
    println!(
        "  corpus: {} articles, {} paragraphs, {:.2} MB; vocabulary {} words ({} used); \
         generated in {:.0} ms",
        corpus.articles.len(),
        passages.len(),
        text_bytes as f64 / 1e6,
        vocab.words.len(),
        distinct_used,
        ms(generation)
    );
    println!(
        "  glossary: {GLOSSARY_ENTRIES} entries, {} names, {} KB of JSON; {} queries",
        gloss.names.len(),
        gloss.json.len() / 1024,
        queries.len()
    );
    println!();

    // Tokenising.
    let analyzer = Analyzer::new(Language::ENGLISH);
    let mut tokens = Tokens::new();
    let mut words = 0usize;
    let mut token_count = 0usize;
    for p in &passages {
        analyzer.tokenize(p, &mut tokens);
        token_count += tokens.len();
        words += tokens.iter().filter(|t| !t.compound).count();
    }
    let (tokenize, _) = measure(|| {
        let mut n = 0;
        for p in &passages {
            analyzer.tokenize(black_box(p), &mut tokens);
            n += tokens.len();
        }
        n
    });
    let tokenize_mbs = mb_per_s(text_bytes, tokenize.median());
    println!(
        "tokenise        {tokenize_mbs:>9.1} MB/s  {words} words, {token_count} tokens; {}",
        tokenize.describe()
    );

    // Glossary parse.
    let (parse, glossary) =
        measure(|| Glossary::from_json(black_box(&gloss.json)).expect("glossary parses"));
    println!(
        "glossary parse  {:>9.2} ms    {} entries; {}",
        ms(parse.median()),
        glossary.entries().len(),
        parse.describe()
    );

    // Annotation.
    let (annotate, matches) = measure(|| {
        let mut n = 0;
        for p in &passages {
            n += glossary.annotate(black_box(p)).len();
        }
        n
    });
    let annotate_mbs = mb_per_s(text_bytes, annotate.median());
    println!(
        "annotate        {annotate_mbs:>9.1} MB/s  {matches} matches; {}",
        annotate.describe()
    );

    // Index build.
    let (build, mut index) = measure(|| {
        let mut index = Index::new(Language::ENGLISH);
        for a in &corpus.articles {
            index.add_article(a).expect("article is valid");
        }
        index
    });
    println!(
        "index build     {:>9.1} ms    {} articles, {} passages, {words} words ({:.1} MB/s); {}",
        ms(build.median()),
        index.article_count(),
        index.passage_count(),
        mb_per_s(text_bytes, build.median()),
        build.describe()
    );
    // The search index carries the glossary, as the CLI's `--glossary` does: glossary names
    // in queries become synonym clauses, and the serialised index includes the glossary.
    index.set_glossary(glossary.clone()).expect("same language");

    // Serialisation.
    let bytes = index.to_bytes();
    let gzip = gzip_size(&bytes);
    let (to_bytes, _) = measure(|| index.to_bytes());
    let (from_bytes, _) = measure(|| Index::from_bytes(black_box(&bytes)).expect("index loads"));
    println!(
        "index size      {:>9} B     {:.2}x the text, with glossary; gzip -6: {}",
        bytes.len(),
        bytes.len() as f64 / text_bytes as f64,
        gzip.map_or_else(
            || "skipped (no gzip)".to_owned(),
            |g| format!("{g} B ({:.2}x the text)", g as f64 / text_bytes as f64)
        )
    );
    println!(
        "to_bytes        {:>9.2} ms    {}",
        ms(to_bytes.median()),
        to_bytes.describe()
    );
    println!(
        "from_bytes      {:>9.2} ms    {}",
        ms(from_bytes.median()),
        from_bytes.describe()
    );

    // Search: a warm-up pass (which also builds the lazy lexicon), then each query once with
    // limit 10, then once more with limit 1 to show what the snippets of 9 more hits cost.
    let warmed = search_pass(&index, &queries, SEARCH_LIMIT).len();
    let results = search_pass(&index, &queries, SEARCH_LIMIT);
    let results_1 = search_pass(&index, &queries, 1);
    let all = sorted_times(results.iter());
    println!();
    println!(
        "search          {} of {} queries run (after a warm-up of {warmed}), limit {SEARCH_LIMIT}",
        results.len(),
        queries.len()
    );
    println!(
        "  latency: p50 {:.0} µs, p95 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        us(percentile(&all, 0.50)),
        us(percentile(&all, 0.95)),
        us(percentile(&all, 0.99)),
        us(all.last().copied().unwrap_or_default()),
    );
    println!(
        "  {:<22} {:>7} {:>8} {:>8} {:>8} {:>9} {:>13}",
        "kind", "queries", "p50 µs", "p95 µs", "max µs", "zero-hit", "p50 limit 1"
    );
    let mut kinds_json = serde_json::Map::new();
    for kind in Kind::ALL {
        let rows: Vec<&(Kind, Duration, usize)> = results.iter().filter(|r| r.0 == kind).collect();
        let times = sorted_times(rows.iter().copied());
        let times_1 = sorted_times(results_1.iter().filter(|r| r.0 == kind));
        let zero = rows.iter().filter(|r| r.2 == 0).count();
        let (p50, p95, max, p50_1) = (
            us(percentile(&times, 0.50)),
            us(percentile(&times, 0.95)),
            us(times.last().copied().unwrap_or_default()),
            us(percentile(&times_1, 0.50)),
        );
        println!(
            "  {:<22} {:>7} {p50:>8.0} {p95:>8.0} {max:>8.0} {zero:>9} {p50_1:>13.0}",
            kind.name(),
            rows.len(),
        );
        kinds_json.insert(
            kind.key().to_owned(),
            json!({
                "description": kind.name(),
                "queries": rows.len(),
                "p50_us": p50,
                "p95_us": p95,
                "max_us": max,
                "zero_hit": zero,
                "p50_us_limit_1": p50_1,
            }),
        );
    }
    let mut slowest: Vec<(Duration, usize)> =
        results.iter().enumerate().map(|(i, r)| (r.1, i)).collect();
    slowest.sort_unstable_by_key(|&(d, i)| (std::cmp::Reverse(d), i));
    slowest.truncate(5);
    println!(
        "  slowest: {}",
        slowest
            .iter()
            .map(|&(d, i)| format!("{:?} {:.0} µs", queries[i].1, us(d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let total = run_started.elapsed();
    println!();
    println!("total {:.1} s", total.as_secs_f64());

    if let Some(path) = &args.json {
        let report = json!({
            "machine": {"cores": cores, "debug_build": debug},
            "corpus": {
                "seed": SEED,
                "articles": corpus.articles.len(),
                "paragraphs": passages.len(),
                "text_bytes": text_bytes,
                "words": words,
                "tokens": token_count,
                "vocabulary": vocab.words.len(),
                "vocabulary_used": distinct_used,
                "glossary_entries": GLOSSARY_ENTRIES,
                "glossary_names": gloss.names.len(),
                "glossary_json_bytes": gloss.json.len(),
                "generation_ms": ms(generation),
            },
            "tokenize": {"mb_per_s": tokenize_mbs, "timing": tokenize.json()},
            "annotate": {"mb_per_s": annotate_mbs, "matches": matches, "timing": annotate.json()},
            "glossary_parse": {"entries": glossary.entries().len(), "timing": parse.json()},
            "index_build": {
                "articles": index.article_count(),
                "passages": index.passage_count(),
                "words": words,
                "timing": build.json(),
            },
            "index_bytes": {
                "bytes": bytes.len(),
                "gzip_bytes": gzip,
                "to_bytes": to_bytes.json(),
                "from_bytes": from_bytes.json(),
            },
            "search": {
                "limit": SEARCH_LIMIT,
                "queries": queries.len(),
                "measured": results.len(),
                "p50_us": us(percentile(&all, 0.50)),
                "p95_us": us(percentile(&all, 0.95)),
                "p99_us": us(percentile(&all, 0.99)),
                "max_us": us(all.last().copied().unwrap_or_default()),
                "kinds": kinds_json,
                "slowest": slowest
                    .iter()
                    .map(|&(d, i)| json!({
                        "query": queries[i].1,
                        "kind": queries[i].0.key(),
                        "us": us(d),
                    }))
                    .collect::<Vec<_>>(),
            },
            "total_s": total.as_secs_f64(),
        });
        let text = serde_json::to_string_pretty(&report).expect("report serialises");
        std::fs::write(path, text + "\n").unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("wrote {path}");
    }
}
