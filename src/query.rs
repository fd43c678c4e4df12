//! The query language: plain words, `"quoted phrases"`, `-excluded` words or phrases. The
//! last plain word is a prefix while the reader is still typing it (no trailing space).

use crate::tokenize::{Analyzer, Tokens};
use crate::word_break;

/// At most this many chunks of a query are read; the rest is ignored, so a pasted essay
/// cannot make one keystroke slow.
const MAX_CHUNKS: usize = 32;
/// And at most this many words in all, however they are joined (`a-b-c-…`, `a/b/c/…`).
const MAX_WORDS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub stem: String,
    /// The words of a hyphenated compound are parts; the compound itself follows them and
    /// shares the position of its first part.
    pub compound: bool,
    pub position: u32,
}

/// A run of query text: one quoted phrase, or one whitespace-delimited chunk (which may still
/// hold several words, as `working-class` or `state/revolution` do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub excluded: bool,
    pub quoted: bool,
    pub words: Vec<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Query {
    pub chunks: Vec<Chunk>,
    /// Whether the last word is incomplete and should match as a prefix.
    pub prefix_last: bool,
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}'
    )
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '\u{2212}')
}

pub(crate) fn parse(query: &str, analyzer: &Analyzer) -> Query {
    let mut chunks = Vec::new();
    let mut tokens = Tokens::new();
    let mut rest = query;
    let mut last_plain = false;
    let mut words_left = MAX_WORDS;
    while chunks.len() < MAX_CHUNKS && words_left > 0 {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        let mut excluded = false;
        if is_minus(first) {
            let after = &rest[first.len_utf8()..];
            if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
                excluded = true;
                rest = after;
            }
        }
        let quoted = rest.chars().next().is_some_and(is_quote);
        let body;
        if quoted {
            let open = rest.chars().next().map_or(1, char::len_utf8);
            let inside = &rest[open..];
            let close = inside.find(is_quote).unwrap_or(inside.len());
            body = &inside[..close];
            let skip = inside[close..].chars().next().map_or(0, char::len_utf8);
            rest = &inside[close + skip..];
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || is_quote(c))
                .unwrap_or(rest.len());
            body = &rest[..end];
            rest = &rest[end..];
        }
        analyzer.tokenize(body, &mut tokens);
        let words: Vec<Word> = tokens
            .iter()
            .take(words_left)
            .map(|t| Word {
                text: t.text.to_owned(),
                stem: t.stem.to_owned(),
                compound: t.compound,
                position: t.position,
            })
            .collect();
        words_left -= words.len();
        last_plain = !quoted && !excluded && !words.is_empty() && rest.is_empty();
        if !words.is_empty() {
            chunks.push(Chunk {
                excluded,
                quoted,
                words,
            });
        }
    }
    let typing = query
        .chars()
        .last()
        .is_some_and(word_break::is_alphanumeric);
    Query {
        chunks,
        prefix_last: last_plain && typing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn summary(query: &str) -> (Vec<String>, bool) {
        let q = parse(query, &Analyzer::new(Language::ENGLISH));
        let chunks = q
            .chunks
            .iter()
            .map(|c| {
                let words: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
                let mark = match (c.excluded, c.quoted) {
                    (true, true) => "-\"",
                    (true, false) => "-",
                    (false, true) => "\"",
                    (false, false) => "",
                };
                [mark, &words.join(" ")].concat()
            })
            .collect();
        (chunks, q.prefix_last)
    }

    #[test]
    fn query_table() {
        let rows: [(&str, &str, &[&str], bool); 10] = [
            ("words, typing the last", "dual pow", &["dual", "pow"], true),
            (
                "trailing space ends the word",
                "dual power ",
                &["dual", "power"],
                false,
            ),
            (
                "phrase",
                "\"dictatorship of the proletariat\"",
                &["\"dictatorship of the proletariat"],
                false,
            ),
            (
                "curly quotes",
                "“dual power” soviets",
                &["\"dual power", "soviets"],
                true,
            ),
            ("unterminated phrase", "\"dual pow", &["\"dual pow"], false),
            (
                "exclusion",
                "state -revolution",
                &["state", "-revolution"],
                false,
            ),
            (
                "excluded phrase",
                "power -\"dual power\"",
                &["power", "-\"dual power"],
                false,
            ),
            (
                "lone minus is nothing",
                "state - power",
                &["state", "power"],
                true,
            ),
            (
                "hyphenated",
                "working-class",
                &["working class workingclass"],
                true,
            ),
            ("empty", "   ", &[], false),
        ];
        for (name, input, chunks, prefix) in rows {
            assert_eq!(
                summary(input),
                (chunks.iter().map(|s| s.to_string()).collect(), prefix),
                "{name}"
            );
        }
    }

    #[test]
    fn chunks_are_bounded() {
        let q = parse(&"word ".repeat(1000), &Analyzer::new(Language::ENGLISH));
        assert_eq!(q.chunks.len(), MAX_CHUNKS);
    }
}
