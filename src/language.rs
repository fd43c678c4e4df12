//! Languages: which Snowball stemmer and which stop words an index or glossary uses.

use crate::error::{Error, ErrorKind};
use crate::value::quoted;
use rust_stemmers::Algorithm;

/// (code, English name, stemmer). English is always compiled in; the rest only with the
/// `all-languages` feature, so a wasm build for an English blog can leave them out.
const SUPPORTED: &[(&str, &str, Algorithm)] = &[
    ("en", "english", Algorithm::English),
    #[cfg(feature = "all-languages")]
    ("ar", "arabic", Algorithm::Arabic),
    #[cfg(feature = "all-languages")]
    ("da", "danish", Algorithm::Danish),
    #[cfg(feature = "all-languages")]
    ("nl", "dutch", Algorithm::Dutch),
    #[cfg(feature = "all-languages")]
    ("fi", "finnish", Algorithm::Finnish),
    #[cfg(feature = "all-languages")]
    ("fr", "french", Algorithm::French),
    #[cfg(feature = "all-languages")]
    ("de", "german", Algorithm::German),
    #[cfg(feature = "all-languages")]
    ("el", "greek", Algorithm::Greek),
    #[cfg(feature = "all-languages")]
    ("hu", "hungarian", Algorithm::Hungarian),
    #[cfg(feature = "all-languages")]
    ("it", "italian", Algorithm::Italian),
    #[cfg(feature = "all-languages")]
    ("no", "norwegian", Algorithm::Norwegian),
    #[cfg(feature = "all-languages")]
    ("pt", "portuguese", Algorithm::Portuguese),
    #[cfg(feature = "all-languages")]
    ("ro", "romanian", Algorithm::Romanian),
    #[cfg(feature = "all-languages")]
    ("ru", "russian", Algorithm::Russian),
    #[cfg(feature = "all-languages")]
    ("es", "spanish", Algorithm::Spanish),
    #[cfg(feature = "all-languages")]
    ("sv", "swedish", Algorithm::Swedish),
    #[cfg(feature = "all-languages")]
    ("ta", "tamil", Algorithm::Tamil),
    #[cfg(feature = "all-languages")]
    ("tr", "turkish", Algorithm::Turkish),
];

/// Function words that carry no topic in English queries. Only queries consult this list:
/// the index keeps every word, so quoted phrases such as "dictatorship of the proletariat"
/// still match word for word. One string, sorted and separated by spaces: a slice of `&str`
/// would add 8 bytes of pointer and length per word to the wasm, which gzip barely shrinks.
const ENGLISH_STOP_WORDS: &str = "\
    a about after again all also am an and any are as at be been before being between both \
    but by can could did do does doing down during each few for from further had has have \
    having he her here hers him his how i if in into is it its just me more most my no nor \
    not now of off on once only or other our ours out over own same she should so some such \
    than that the their theirs them then there these they this those through to too under \
    until up very was we were what when where which while who whom why will with would you \
    your yours";

/// A language the tokeniser can stem. Parse one with [`Language::from_code`]; the default
/// is English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Language(u8);

impl Language {
    /// English, the default.
    pub const ENGLISH: Language = Language(0);

    /// Parses an ISO 639-1 code (`"en"`, `"fr"`), a BCP 47 tag whose primary subtag is one
    /// (`"en-GB"`), or an English language name (`"french"`), case-insensitively.
    pub fn from_code(code: &str) -> Result<Language, Error> {
        let wanted = code.trim().to_ascii_lowercase();
        let primary = wanted.split(['-', '_']).next().unwrap_or("");
        SUPPORTED
            .iter()
            .position(|(c, name, _)| *c == primary || *name == wanted)
            .map(|i| Language(i as u8))
            .ok_or_else(|| {
                let codes: Vec<&str> = SUPPORTED.iter().map(|(c, _, _)| *c).collect();
                Error::new(
                    ErrorKind::Language,
                    [
                        "unsupported language ",
                        &quoted(code),
                        ": supported are ",
                        &codes.join(", "),
                    ]
                    .concat(),
                )
            })
    }

    /// The ISO 639-1 code, e.g. `"en"`.
    pub fn code(self) -> &'static str {
        SUPPORTED[self.0 as usize].0
    }

    pub(crate) fn stemmer(self) -> rust_stemmers::Stemmer {
        rust_stemmers::Stemmer::create(SUPPORTED[self.0 as usize].2)
    }

    /// Whether `word` (already normalised) is a stop word in this language.
    pub(crate) fn is_stop_word(self, word: &str) -> bool {
        self == Language::ENGLISH && ENGLISH_STOP_WORDS.split(' ').any(|w| w == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_one_space_apart() {
        let words: Vec<&str> = ENGLISH_STOP_WORDS.split(' ').collect();
        assert!(
            words.windows(2).all(|w| w[0] < w[1]),
            "sorted, one space apart"
        );
        assert_eq!(words.len(), 115);
        assert!(Language::ENGLISH.is_stop_word("the"));
        assert!(!Language::ENGLISH.is_stop_word("state"));
    }

    #[test]
    fn codes_parse() {
        let rows = [
            ("en", Some("en")),
            ("EN-gb", Some("en")),
            ("english", Some("en")),
            ("xx", None),
            ("", None),
        ];
        for (input, expected) in rows {
            assert_eq!(
                Language::from_code(input).ok().map(Language::code),
                expected,
                "{input}"
            );
        }
    }

    #[cfg(feature = "all-languages")]
    #[test]
    fn other_languages_parse() {
        assert_eq!(Language::from_code("fr-CA").unwrap().code(), "fr");
        assert_eq!(Language::from_code("Russian").unwrap().code(), "ru");
    }

    #[test]
    fn unsupported_language_lists_the_supported_ones() {
        let err = Language::from_code("klingon").unwrap_err();
        assert!(err.to_string().contains("\"klingon\""));
        assert!(err.to_string().contains("en"));
    }
}
