//! JSON-shaped input (glossaries, articles, options) and its own small JSON parser, the same
//! natively and in the browser (where JS values reach it as `JSON.stringify`'s text). Reading
//! our inputs through this one small type keeps serde_json, and its number formatting and
//! parsing, out of the WebAssembly binary; serde_json's values are taken too, for the API.

/// Deeper input is refused: hostile JSON must not exhaust the stack of a recursive reader.
pub(crate) const MAX_DEPTH: usize = 64;

/// A JSON value. Objects keep their keys in input order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` in an object (the last one, as `JSON.parse` keeps), or `None`.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A field that must be a string if present (`null` counts as absent).
    pub(crate) fn string_field(&self, key: &str) -> Result<Option<&str>, FieldError> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(FieldError::new(key, "must be a string")),
        }
    }

    /// A field that must be an array of strings if present (`null` counts as absent).
    pub(crate) fn strings_field(&self, key: &str) -> Result<Option<Vec<&str>>, FieldError> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .ok_or_else(|| FieldError::new(key, "must be an array of strings"))
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(_) => Err(FieldError::new(key, "must be an array of strings")),
        }
    }
}

/// A field of the wrong type: `"aliases" must be an array of strings`.
#[derive(Debug)]
pub(crate) struct FieldError {
    key: String,
    problem: &'static str,
}

impl FieldError {
    pub(crate) fn new(key: &str, problem: &'static str) -> FieldError {
        FieldError {
            key: key.to_owned(),
            problem,
        }
    }

    pub(crate) fn message(&self) -> String {
        [&quoted(&self.key), " ", self.problem].concat()
    }
}

/// Shows a user's string in a message, in double quotes, with quotes, backslashes and control
/// characters escaped so that the message stays one readable line. (`{:?}` would do the same
/// but pulls Unicode tables into the wasm binary.)
///
/// Messages are built by concatenating pieces, with this and [`decimal`] for the pieces that
/// are not plain text, rather than by `format!`: no code the wasm build runs formats, so
/// core::fmt stays out of the binary (1.0 kB of the English core's wasm, gzip -9; a new
/// `format!` on a path the wasm runs brings it back, which the size budget catches).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str("\\u{");
                push_digits(&mut out, u64::from(c), 16);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `n` in decimal, for a message (see [`quoted`]).
pub(crate) fn decimal(n: u64) -> String {
    let mut out = String::new();
    push_digits(&mut out, n, 10);
    out
}

/// Appends the digits of `n` in `radix` (2 to 16), lower-case.
fn push_digits(out: &mut String, n: u64, radix: u64) {
    if n >= radix {
        push_digits(out, n / radix, radix);
    }
    out.extend(char::from_digit((n % radix) as u32, radix as u32));
}

/// Bidirectional formatting characters: in a message they could reorder the text around
/// them (an entry's name shown backwards, the message's own words moved), so they are escaped.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A value refused while reading JSON-shaped input, and where it is:
/// `nested more than 64 levels deep at entries[0].meta[0][0]…`.
#[derive(Debug)]
pub(crate) struct Refusal {
    problem: String,
    /// The path to the refused value, innermost step first (pushed as the error unwinds).
    path: Vec<Step>,
}

#[derive(Debug)]
enum Step {
    Key(String),
    Item(usize),
}

/// A message shows this many steps of a path; "…" stands for the rest.
const SHOWN_STEPS: usize = 5;
/// An object key longer than this is cut short in a path.
const SHOWN_KEY_CHARS: usize = 40;

impl Refusal {
    pub(crate) fn too_deep() -> Refusal {
        Refusal {
            problem: TOO_DEEP.to_owned(),
            path: Vec::new(),
        }
    }

    /// The same refusal, inside the value of `key` of an object.
    pub(crate) fn in_key(mut self, key: &str) -> Refusal {
        let key = match key.char_indices().nth(SHOWN_KEY_CHARS) {
            Some((cut, _)) => [&key[..cut], "…"].concat(),
            None => key.to_owned(),
        };
        self.path.push(Step::Key(key));
        self
    }

    /// The same refusal, inside item `i` of an array.
    pub(crate) fn in_item(mut self, i: usize) -> Refusal {
        self.path.push(Step::Item(i));
        self
    }

    /// The problem, and where it is.
    pub(crate) fn message(&self) -> String {
        let mut out = self.problem.clone();
        if self.path.is_empty() {
            return out;
        }
        out.push_str(" at ");
        for (i, step) in self.path.iter().rev().take(SHOWN_STEPS).enumerate() {
            match step {
                Step::Item(n) => {
                    out.push('[');
                    out.push_str(&decimal(*n as u64));
                    out.push(']');
                }
                Step::Key(key) => {
                    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    match (plain, i) {
                        (true, 0) => out.push_str(key),
                        (true, _) => {
                            out.push('.');
                            out.push_str(key);
                        }
                        (false, _) => {
                            out.push('[');
                            out.push_str(&quoted(key));
                            out.push(']');
                        }
                    }
                }
            }
        }
        if self.path.len() > SHOWN_STEPS {
            out.push('…');
        }
        out
    }
}

impl Value {
    /// From serde_json's value, refusing nesting deeper than [`MAX_DEPTH`].
    pub(crate) fn from_serde(value: serde_json::Value) -> Result<Value, String> {
        fn convert(value: serde_json::Value, depth: usize) -> Result<Value, Refusal> {
            if depth > MAX_DEPTH {
                return Err(Refusal::too_deep());
            }
            Ok(match value {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::String(s) => Value::String(s),
                serde_json::Value::Array(items) => Value::Array(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| convert(v, depth + 1).map_err(|e| e.in_item(i)))
                        .collect::<Result<_, _>>()?,
                ),
                serde_json::Value::Object(fields) => Value::Object(
                    fields
                        .into_iter()
                        .map(|(k, v)| match convert(v, depth + 1) {
                            Ok(v) => Ok((k, v)),
                            Err(e) => Err(e.in_key(&k)),
                        })
                        .collect::<Result<_, _>>()?,
                ),
            })
        }
        convert(value, 0).map_err(|e| e.message())
    }

    /// Parses JSON text. An error says what and where, by line and column: a syntax error, or
    /// a value nested deeper than [`MAX_DEPTH`]. The same parser natively and in the
    /// browser, so messages are the same everywhere; in the wasm build it stands in for
    /// serde_json (and for the JS boundary's walk of `JSON.parse`'s objects, which cost the
    /// core more code and imports than this).
    pub(crate) fn parse(json: &str) -> Result<Value, String> {
        let mut parser = Parser { json, at: 0 };
        let value = parser.value(0);
        let value = value.and_then(|value| {
            parser.skip_space();
            if parser.at < json.len() {
                Err(parser.fail("unexpected text after the value"))
            } else {
                Ok(value)
            }
        });
        value.map_err(|Failure(at, what)| located(json, at, what))
    }
}

/// Why JSON text did not parse, and where: a syntax error (what was expected), or a value
/// nested too deep.
struct Failure(usize, &'static str);

/// The refusal of a value nested deeper than [`MAX_DEPTH`], by the parser. It gives the line
/// and column, not the path [`Refusal`] gives: with the path's code, and the error type that
/// carried it, the English wasm was 0.64 kB larger (gzip -9 of a scratch build as
/// scripts/build.sh builds it: 64,319 against 63,680 B), and this input is absurd or hostile.
const TOO_DEEP: &str = "nested more than 64 levels deep";

/// A recursive descent over JSON text, at most [`MAX_DEPTH`] levels deep (so the stack is
/// safe from hostile nesting).
struct Parser<'a> {
    json: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        let b = self.json.as_bytes();
        while b
            .get(self.at)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    /// The next byte that is not white space, skipped to.
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.json.as_bytes().get(self.at).copied()
    }

    fn fail(&self, what: &'static str) -> Failure {
        self.fail_at(self.at, what)
    }

    /// A syntax error at byte `at`: the input's end, if it ends there.
    fn fail_at(&self, at: usize, what: &'static str) -> Failure {
        if at >= self.json.len() {
            Failure(at, "unexpected end of input")
        } else {
            Failure(at, what)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Failure> {
        let next = self.peek();
        // Refused for its depth even where the input ends ("[" 65 times).
        if depth > MAX_DEPTH {
            return Err(Failure(self.at, TOO_DEEP));
        }
        let b = self.json.as_bytes();
        match next {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => {
                let end =
                    skip_number(b, self.at).map_err(|at| self.fail_at(at, "invalid number"))?;
                let number = number(&self.json[self.at..end]);
                self.at = end;
                Ok(Value::Number(number))
            }
            _ => {
                let rest = &b[self.at..];
                let (value, word): (_, &[u8]) = if rest.starts_with(b"true") {
                    (Value::Bool(true), b"true")
                } else if rest.starts_with(b"false") {
                    (Value::Bool(false), b"false")
                } else if rest.starts_with(b"null") {
                    (Value::Null, b"null")
                } else {
                    return Err(self.fail("expected a value"));
                };
                self.at += word.len();
                Ok(value)
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Failure> {
        self.at += 1;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Failure> {
        self.at += 1;
        let mut fields = Vec::new();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            if self.peek() != Some(b'"') {
                let what = if fields.is_empty() {
                    "expected a string key or '}'"
                } else {
                    "expected a string key"
                };
                return Err(self.fail(what));
            }
            let key = self.string()?;
            if self.peek() != Some(b':') {
                return Err(self.fail("expected ':'"));
            }
            self.at += 1;
            fields.push((key, self.value(depth + 1)?));
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(fields));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    /// The string starting at `self.at`, unescaped. A `\u` escape of half a surrogate pair
    /// with no other half becomes U+FFFD, as the browser's strings become Rust's.
    fn string(&mut self) -> Result<String, Failure> {
        let b = self.json.as_bytes();
        let end = skip_string(b, self.at).map_err(|at| self.fail_at(at, "invalid string"))?;
        let inner = &self.json[self.at + 1..end - 1];
        self.at = end;
        if !inner.contains('\\') {
            return Ok(inner.to_owned());
        }
        let mut out = String::with_capacity(inner.len());
        let mut rest = inner;
        while let Some(slash) = rest.find('\\') {
            out.push_str(&rest[..slash]);
            let escape = rest.as_bytes()[slash + 1];
            rest = &rest[slash + 2..];
            let c = match escape {
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    // skip_string checked that four hex digits follow.
                    let unit = |hex: &str| {
                        hex.chars()
                            .take(4)
                            .fold(0, |n, c| n << 4 | c.to_digit(16).unwrap_or(0))
                    };
                    let high = unit(rest);
                    rest = &rest[4..];
                    let low = rest.strip_prefix("\\u").map(unit);
                    match (high, low) {
                        (0xD800..=0xDBFF, Some(low @ 0xDC00..=0xDFFF)) => {
                            rest = &rest[6..];
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                                .unwrap_or('\u{fffd}')
                        }
                        _ => char::from_u32(high).unwrap_or('\u{fffd}'),
                    }
                }
                // `"`, `\\` and `/` stand for themselves.
                other => char::from(other),
            };
            out.push(c);
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A JSON number's value, read digit by digit: exact for whole numbers up to 2^53, which
/// is all any input uses numbers for (`limit`), and close otherwise, though not always the
/// nearest f64: the glossary fuzz target checks that it is within a relative 1e-9 of
/// serde_json's reading (a number near f64's smallest may read as 0).
/// (`str::parse::<f64>`, exact always, would bring core's float parser into the wasm.)
fn number(text: &str) -> f64 {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(e) => (&text[..e], text[e + 1..].trim_start_matches('+')),
        None => (text, "0"),
    };
    let mut value = 0.0f64;
    let mut scale = 0i32;
    let mut fraction = false;
    let mut significant = 0;
    for c in mantissa.bytes() {
        if c == b'.' {
            fraction = true;
        } else if significant < 19 {
            // Past 19 significant digits an f64 holds no more: the rest only scale.
            significant += usize::from(value != 0.0 || c != b'0');
            value = value * 10.0 + f64::from(c - b'0');
            scale -= i32::from(fraction);
        } else {
            scale += i32::from(!fraction);
        }
    }
    let exponent = exponent
        .strip_prefix('-')
        .map_or_else(|| digits_value(exponent), |digits| -digits_value(digits));
    // Zero times a power of ten past f64's range would be NaN.
    let value = if value == 0.0 {
        0.0
    } else {
        value * 10f64.powi(scale.saturating_add(exponent))
    };
    if negative {
        -value
    } else {
        value
    }
}

/// Decimal digits as a number, saturating (an exponent past any f64's is as good as any).
fn digits_value(digits: &str) -> i32 {
    digits.bytes().fold(0i32, |n, c| {
        n.saturating_mul(10).saturating_add(i32::from(c - b'0'))
    })
}

/// "`what` at line L column C" for byte `at` of `json` (column in characters).
fn located(json: &str, at: usize, what: &str) -> String {
    let before = &json.as_bytes()[..at.min(json.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    // Characters are counted as the bytes that start one (not 10xxxxxx): the same count as
    // decoding, even when `at` splits a character, and no UTF-8 decoder in the wasm.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    [
        what,
        " at line ",
        &decimal(line as u64),
        " column ",
        &decimal(column as u64),
    ]
    .concat()
}

/// The end of the string starting at `b[at] == b'"'`, or where it goes wrong.
fn skip_string(b: &[u8], at: usize) -> Result<usize, usize> {
    let mut i = at + 1;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => return Ok(i + 1),
            b'\\' => match b.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u')
                    if b.len() >= i + 6 && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) =>
                {
                    i += 6
                }
                _ => return Err(i),
            },
            0..=0x1F => return Err(i),
            _ => i += 1,
        }
    }
    Err(b.len())
}

/// The end of the number starting at `b[at]`, or where it goes wrong.
fn skip_number(b: &[u8], at: usize) -> Result<usize, usize> {
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = at + usize::from(b[at] == b'-');
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i),
        _ => return Err(i),
    }
    if b.get(i) == Some(&b'.') {
        let end = digits(i + 1);
        if end == i + 1 {
            return Err(end);
        }
        i = end;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return Err(end);
        }
        i = end;
    }
    Ok(i)
}

// Natively only: the tests parse with serde_json.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_numbers_as_format_would() {
        for n in [0, 7, 10, 99, 100, 4_294_967_296, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn quoted_escapes_what_would_break_a_one_line_message() {
        let rows = [
            ("plain", "dual power", "\"dual power\""),
            ("quote", "say \"hi\"", "\"say \\\"hi\\\"\""),
            ("newline", "a\nb", "\"a\\nb\""),
            ("control", "a\u{1b}b", "\"a\\u{1b}b\""),
            ("accents and emoji", "Vendôme 🚩", "\"Vendôme 🚩\""),
            (
                "bidi override and isolate",
                "evil\u{202e}txt.exe\u{2067}",
                "\"evil\\u{202e}txt.exe\\u{2067}\"",
            ),
            ("Arabic letter mark", "a\u{61c}b", "\"a\\u{61c}b\""),
        ];
        for (name, input, expected) in rows {
            assert_eq!(quoted(input), expected, "{name}");
        }
    }

    #[test]
    fn fields_of_the_wrong_type_are_named() {
        let v = Value::parse(r#"{"a": "x", "b": ["y", 1], "c": 3, "n": null}"#).unwrap();
        assert_eq!(v.string_field("a").unwrap(), Some("x"));
        assert_eq!(v.string_field("n").unwrap(), None);
        assert_eq!(v.string_field("missing").unwrap(), None);
        assert_eq!(
            v.string_field("c").unwrap_err().message(),
            "\"c\" must be a string"
        );
        assert_eq!(
            v.strings_field("b").unwrap_err().message(),
            "\"b\" must be an array of strings"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let err = Value::parse(&deep).unwrap_err();
        assert!(err.contains("nested more than 64"), "{err}");
        assert!(TOO_DEEP.contains(&decimal(MAX_DEPTH as u64)));
        // The message says where: the line and column of the first value too deep.
        let nested = "[".repeat(70) + &"]".repeat(70);
        let json = format!(
            "{{\"entries\": [\n  {{\"term\": \"x\"}},\n  {{\"term\": \"y\", \"the meta\": {nested}}}\n]}}"
        );
        assert_eq!(
            Value::parse(&json).unwrap_err(),
            "nested more than 64 levels deep at line 3 column 91"
        );
        // The limit is exact: the object under "a" is level 1, so 63 arrays reach level 64.
        let at_limit = |arrays: usize| {
            format!(
                r#"{{"a": {{"b": {}}}}}"#,
                "[".repeat(arrays) + &"]".repeat(arrays)
            )
        };
        assert!(Value::parse(&at_limit(63)).is_ok());
        assert_eq!(
            Value::parse(&at_limit(64)).unwrap_err(),
            "nested more than 64 levels deep at line 1 column 76"
        );
        let fine = format!("{}{}", "[".repeat(30), "]".repeat(30));
        assert!(Value::parse(&fine).is_ok());
    }

    #[test]
    fn syntax_errors_say_what_was_expected_and_where() {
        let rows: [(&str, &str, Option<&str>); 14] = [
            (
                "valid object",
                r#"{"a": [1, -2.5e3, "x\n", true, null], "b": {}}"#,
                None,
            ),
            ("valid scalar", " 0 ", None),
            (
                "bracket for brace",
                r#"{"entries": [}"#,
                Some("expected a value at line 1 column 14"),
            ),
            (
                "missing comma",
                "{\"a\": 1\n  \"b\": 2}",
                Some("expected ',' or '}' at line 2 column 3"),
            ),
            (
                "trailing comma",
                "[1, 2,]",
                Some("expected a value at line 1 column 7"),
            ),
            (
                "unquoted key",
                "{a: 1}",
                Some("expected a string key or '}' at line 1 column 2"),
            ),
            (
                "missing colon",
                r#"{"a" 1}"#,
                Some("expected ':' at line 1 column 6"),
            ),
            (
                "bad escape",
                r#"["\x"]"#,
                Some("invalid string at line 1 column 3"),
            ),
            (
                "control character",
                "[\"a\tb\"]",
                Some("invalid string at line 1 column 4"),
            ),
            (
                "leading zero",
                "[01]",
                Some("expected ',' or ']' at line 1 column 3"),
            ),
            (
                "bare dot",
                "[1.]",
                Some("invalid number at line 1 column 4"),
            ),
            (
                "unterminated",
                r#"{"a": "b"#,
                Some("unexpected end of input at line 1 column 9"),
            ),
            (
                "text after",
                "{} x",
                Some("unexpected text after the value at line 1 column 4"),
            ),
            (
                "column counts characters",
                "[\"é\", é]",
                Some("expected a value at line 1 column 7"),
            ),
        ];
        for (name, input, expected) in rows {
            assert_eq!(Value::parse(input).err().as_deref(), expected, "{name}");
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(input).is_ok(),
                expected.is_none(),
                "{name}: agrees with serde_json on validity"
            );
        }
        // Unclosed and deep: refused for its depth, before the end is reached.
        let deep = "[".repeat(100_000);
        assert_eq!(
            Value::parse(&deep).unwrap_err(),
            "nested more than 64 levels deep at line 1 column 66"
        );
        // Ending just where it gets too deep: refused for its depth, as before the end.
        assert_eq!(
            Value::parse(&"[".repeat(65)).unwrap_err(),
            "nested more than 64 levels deep at line 1 column 66"
        );
        assert_eq!(
            Value::parse(&"[".repeat(64)).unwrap_err(),
            "unexpected end of input at line 1 column 65"
        );
    }

    #[test]
    fn values_are_read_as_json_parse_reads_them() {
        use Value::*;
        let s = |text: &str| String(text.to_owned());
        let rows = [
            (
                "string with escapes",
                r#""a\"b\\c\/d\n\t\r\b\f""#,
                s("a\"b\\c/d\n\t\r\u{8}\u{c}"),
            ),
            ("unicode escapes", r#""\u00e9\u4e2d""#, s("é中")),
            ("surrogate pair", r#""\ud83d\udea9""#, s("🚩")),
            ("lone high surrogate", r#""\ud83d!""#, s("\u{fffd}!")),
            ("lone low surrogate", r#""\udea9""#, s("\u{fffd}")),
            ("raw UTF-8", "\"Vendôme 🚩\"", s("Vendôme 🚩")),
            ("whole number", "10", Number(10.0)),
            ("negative fraction", "-2.5", Number(-2.5)),
            ("exponent", "25e-1", Number(2.5)),
            ("capital exponent with sign", "1E+3", Number(1000.0)),
            ("zero", "-0", Number(-0.0)),
            ("past any f64", "1e400", Number(f64::INFINITY)),
            ("zero with a huge exponent", "0e400", Number(0.0)),
            (
                "more digits than an f64 holds",
                "1000000000000000000000.5",
                Number(1e21),
            ),
            (
                "literals",
                "[true, false, null]",
                Array(vec![Bool(true), Bool(false), Null]),
            ),
            (
                "object keeps order and repeats",
                r#"{"b": 1, "a": 2, "b": 3}"#,
                Object(vec![
                    ("b".into(), Number(1.0)),
                    ("a".into(), Number(2.0)),
                    ("b".into(), Number(3.0)),
                ]),
            ),
        ];
        for (name, input, expected) in rows {
            assert_eq!(Value::parse(input), Ok(expected), "{name}");
        }
        // Whole numbers are exact up to 2^53, as a limit must be.
        for n in [0u64, 1, 9, 10, 123_456_789, 1 << 53] {
            assert_eq!(Value::parse(&n.to_string()), Ok(Number(n as f64)), "{n}");
        }
    }
}
