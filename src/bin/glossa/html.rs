//! Built HTML pages as the widget sees them.
//!
//! - [`articles`] returns the articles of a page: each `<glossa-reader>`'s content split into
//!   the passages the widget itself would index (so a prebuilt index and the page agree on
//!   passage numbers), or, on a page without one, its main content without navigation,
//!   headers, footers, sidebars and subscription prompts.
//! - [`mark`] wraps glossary terms in `<glossa-term>` exactly where the widget would, so a
//!   page shows its marks before any script runs; everything else is left byte for byte.
//!
//! Both stream the page through lol_html. It builds no tree, so the open elements are kept on
//! a stack here, closing the few end tags HTML lets authors omit (`<p>`, `<li>`, cells).

use glossa::{Article, Glossary};
use lol_html::html_content::{ContentType, Element, TextChunk, TextType};
use lol_html::{doc_text, element, HtmlRewriter, Selector, Settings};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Subtrees whose text the widget never marks (www/src/mark.js `SKIPPED`).
const NOT_MARKED: &[&str] = &[
    "code", "pre", "kbd", "samp", "var", "a", "h1", "h2", "h3", "h4", "h5", "h6", "button",
    "input", "textarea", "select", "option", "label", "script", "style", "noscript", "template",
    "svg", "math", "iframe", MARKER,
];
/// Elements that are passages, innermost only (www/src/reader.js `BLOCKS`).
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "blockquote",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
];
/// Subtrees that are never passages (www/src/reader.js `NOT_PASSAGES`).
const NOT_PASSAGES: &[&str] = &["pre", "code", "script", "style", "template"];
/// Elements whose text is not part of a passage (www/src/reveal.js `UNREAD`).
const UNREAD: &[&str] = &["script", "style", "noscript", "template"];
/// Elements that separate sections for `first-only` (www/src/mark.js `SECTION`).
const SECTIONS: &[&str] = &["section", "article", READER];
/// Page chrome left out of a page without a reader.
const CHROME: &[&str] = &[
    "nav", "header", "footer", "aside", "form", "dialog", "menu", "script", "style", "template",
    "noscript",
];
/// Class or id words that mark page chrome (a part of a hyphenated or underscored name).
const CHROME_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "footer",
    "header",
    "masthead",
    "menu",
    "modal",
    "nav",
    "navbar",
    "newsletter",
    "paywall",
    "popup",
    "promo",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "toolbar",
];
/// Class or id phrases that mark page chrome ("more from this author" lists).
const CHROME_PHRASES: &[&str] = &["more-from", "read-next", "recommended", "sign-up"];
/// Tags whose start closes an open `<p>` (the HTML parser's rule, abridged).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

pub const READER: &str = "glossa-reader";
pub const MARKER: &str = "glossa-term";

/// One open element.
struct Frame {
    id: usize,
    tag: String,
    /// Its subtree is never marked.
    unmarked: bool,
    /// Its subtree holds no passage.
    no_passage: bool,
    /// Page chrome, for pages without a reader.
    chrome: bool,
    /// Which readers' `skip` selectors it matches.
    skipped_by: Vec<usize>,
    /// The reader this element is, if it is one.
    reader: Option<usize>,
    /// The passage text gathered so far, if it is a block.
    block: Option<Block>,
    /// The heading text gathered so far, if it is its article's first `h1`/`h2`.
    heading: Option<String>,
    /// Whether its text is the document title.
    title: bool,
}

struct Block {
    text: String,
    nested: bool,
}

/// A reader on the page, or the main content of a page without one.
#[derive(Default)]
struct Root {
    attributes: HashMap<String, String>,
    heading: Option<String>,
    passages: Vec<String>,
    first_only: bool,
}

/// A text node the widget would mark, with the article and section it is in.
struct MarkSite {
    node: usize,
    root: usize,
    section: usize,
    text: Decoded,
}

/// What one pass over a page found.
#[derive(Default)]
struct Scan {
    roots: Vec<Root>,
    title: String,
    canonical: Option<String>,
    sites: Vec<MarkSite>,
    /// Whether the page already holds marks (an earlier `mark`), so marking twice is a no-op.
    already_marked: bool,
}

/// How a page is read: by its readers, or (with none) by the first element matching `main`.
enum Mode {
    /// With each reader's `skip` selector, checked to parse.
    Readers { skips: Vec<Option<String>> },
    /// The first element matching the selector, or the whole document if none is given.
    Main(Option<&'static str>),
}

struct State {
    mode_readers: bool,
    stack: Vec<Frame>,
    next_id: usize,
    nodes: usize,
    pending: String,
    scan: Scan,
    /// The root (reader or main element) currently open, by index into `scan.roots`.
    open_root: Option<usize>,
    roots_seen: usize,
    /// Whether the document's title has been read.
    title_seen: bool,
    /// Why the page cannot be read as the widget reads it.
    error: Option<String>,
}

impl State {
    fn in_root(&self) -> Option<usize> {
        self.open_root
    }

    /// Whether the text under the top of the stack is marked in reader `root`.
    fn markable(&self, root: usize) -> bool {
        self.stack
            .iter()
            .all(|f| f.reader.is_some() || (!f.unmarked && !f.skipped_by.contains(&root)))
    }

    fn close_until(&mut self, id: usize) {
        if !self.stack.iter().any(|f| f.id == id) {
            return;
        }
        while let Some(frame) = self.stack.pop() {
            let done = frame.id == id;
            self.finish(frame);
            if done {
                break;
            }
        }
    }

    /// Closes the open elements a start tag `tag` implicitly ends, as the HTML parser does:
    /// the nearest open element it ends (an open `p` for a block, the open cell for a cell,
    /// the open item for an item), with everything opened inside it, unless a scope boundary
    /// (a table, a list) comes first.
    fn close_implied(&mut self, tag: &str) {
        let (ends, boundary): (&[&str], &[&str]) = match tag {
            "td" | "th" => (&["td", "th"], &["table", "template"]),
            "tr" => (&["tr", "td", "th"], &["table", "template"]),
            "tbody" | "thead" | "tfoot" => (
                &["tbody", "thead", "tfoot", "tr", "td", "th"],
                &["table", "template"],
            ),
            "li" => (
                &["li"],
                &["ul", "ol", "menu", "table", "td", "th", "template"],
            ),
            "dd" | "dt" => (&["dd", "dt"], &["dl", "table", "td", "th", "template"]),
            "option" | "optgroup" => (&["option"], &["select", "template"]),
            _ if CLOSES_P.contains(&tag) => (
                &["p"],
                &[
                    "table", "td", "th", "caption", "button", "template", "svg", "math", "object",
                ],
            ),
            _ => return,
        };
        let mut found = None;
        for frame in self.stack.iter().rev() {
            if ends.contains(&frame.tag.as_str()) {
                found = Some(frame.id);
                break;
            }
            if boundary.contains(&frame.tag.as_str()) || frame.reader.is_some() {
                break;
            }
        }
        // A new item also closes a `p` open inside the old one, which the search above
        // passes through: it stops at the item itself.
        if let Some(id) = found {
            self.close_until(id);
        }
    }

    fn finish(&mut self, frame: Frame) {
        if frame.title {
            self.title_seen = true;
        }
        if frame.reader.is_some() {
            self.open_root = None;
        }
        let Some(root) = self.open_root.or(frame.reader) else {
            return;
        };
        if let Some(block) = frame.block {
            if !block.nested && !block.text.trim().is_empty() {
                self.scan.roots[root].passages.push(block.text);
            }
        }
        if let Some(heading) = frame.heading {
            let heading = heading.trim().to_owned();
            self.scan.roots[root].heading.get_or_insert(heading);
        }
    }

    fn text(&mut self, raw: &str, kind: TextType) {
        let node = self.nodes;
        self.nodes += 1;
        let entities = matches!(kind, TextType::Data | TextType::RCData);
        let decoded = if entities {
            Decoded::new(raw)
        } else {
            Decoded::literal(raw)
        };
        if self.stack.iter().any(|f| f.title) && self.open_root.is_none() {
            self.scan.title.push_str(&decoded.text);
        }
        let Some(root) = self.in_root() else {
            return;
        };
        // As www/src/reveal.js passageText: program text and <noscript> markup are not read.
        let unread = self.stack.iter().any(|f| UNREAD.contains(&f.tag.as_str()));
        let chrome = unread || (!self.mode_readers && self.stack.iter().any(|f| f.chrome));
        for frame in self.stack.iter_mut() {
            if let Some(heading) = frame.heading.as_mut() {
                heading.push_str(&decoded.text);
            }
            if !chrome {
                if let Some(block) = frame.block.as_mut() {
                    block.text.push_str(&decoded.text);
                }
            }
        }
        if self.mode_readers
            && kind == TextType::Data
            && decoded.text.chars().any(|c| !c.is_whitespace())
            && self.markable(root)
        {
            let section = self
                .stack
                .iter()
                .rev()
                .find(|f| SECTIONS.contains(&f.tag.as_str()))
                .map_or(0, |f| f.id);
            self.scan.sites.push(MarkSite {
                node,
                root,
                section,
                text: decoded,
            });
        }
    }
}

fn is_chrome(element: &Element) -> bool {
    let tag = element.tag_name();
    if CHROME.contains(&tag.as_str())
        || element.has_attribute("hidden")
        || element.get_attribute("aria-hidden").as_deref() == Some("true")
        || matches!(
            element.get_attribute("role").as_deref(),
            Some("navigation" | "banner" | "contentinfo" | "complementary" | "dialog")
        )
    {
        return true;
    }
    ["class", "id"].iter().any(|name| {
        element.get_attribute(name).is_some_and(|value| {
            value.split_whitespace().any(|name| {
                let name = name.to_ascii_lowercase();
                CHROME_PHRASES.iter().any(|p| name.contains(p))
                    || name
                        .split(['-', '_'])
                        .any(|word| CHROME_WORDS.contains(&word))
            })
        })
    })
}

fn checked_selector(source: &str, what: &str) -> Result<String, String> {
    source
        .parse::<Selector>()
        .map(|_| source.to_owned())
        .map_err(|e| format!("{what} {source:?} is not a selector this tool supports ({e})"))
}

/// Runs the one streaming pass both [`articles`] and [`mark`] start with.
fn scan(html: &str) -> Result<Scan, String> {
    let (mode, already_marked) = pick_mode(html)?;
    let mode_readers = matches!(mode, Mode::Readers { .. });
    let state = Rc::new(RefCell::new(State {
        mode_readers,
        stack: Vec::new(),
        next_id: 1,
        nodes: 0,
        pending: String::new(),
        scan: Scan::default(),
        open_root: None,
        roots_seen: 0,
        title_seen: false,
        error: None,
    }));

    let mut handlers = Vec::new();
    let on_element = {
        let state = Rc::clone(&state);
        element!("*", move |el| {
            let tag = el.tag_name();
            let mut s = state.borrow_mut();
            s.close_implied(&tag);
            if tag == "link"
                && el.get_attribute("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                })
            {
                s.scan.canonical = el.get_attribute("href");
            }
            if !el.can_have_content() {
                // A reader reads a line break between the words either side of a <br>.
                if tag == "br" && !s.stack.iter().any(|f| UNREAD.contains(&f.tag.as_str())) {
                    for frame in s.stack.iter_mut() {
                        if let Some(block) = frame.block.as_mut() {
                            block.text.push('\n');
                        }
                    }
                }
                return Ok(());
            }
            let id = s.next_id;
            s.next_id += 1;
            let in_template = s.stack.iter().any(|f| f.tag == "template");
            let reader = if s.mode_readers && tag == READER && !in_template {
                if s.open_root.is_some() {
                    s.error = Some("a <glossa-reader> inside another is not supported".to_owned());
                }
                let root = s.scan.roots.len();
                s.scan.roots.push(Root {
                    attributes: el
                        .attributes()
                        .iter()
                        .map(|a| (a.name(), a.value()))
                        .collect(),
                    first_only: el.has_attribute("first-only"),
                    ..Root::default()
                });
                s.open_root = Some(root);
                Some(root)
            } else {
                None
            };
            let inside = s.open_root.is_some();
            let no_passage = NOT_PASSAGES.contains(&tag.as_str())
                || el.has_attribute("data-glossa-skip")
                || s.stack.iter().any(|f| f.no_passage);
            let is_block = inside && BLOCKS.contains(&tag.as_str());
            if is_block {
                for frame in s.stack.iter_mut() {
                    if let Some(block) = frame.block.as_mut() {
                        block.nested = true;
                    }
                }
            }
            let wants_heading = inside
                && !in_template
                && matches!(tag.as_str(), "h1" | "h2")
                && !s.stack.iter().any(|f| f.heading.is_some())
                && s.open_root
                    .is_some_and(|r| s.scan.roots[r].heading.is_none());
            // As the widget's `[contenteditable]:not([contenteditable=false])`, which compares
            // the value case-sensitively.
            let unmarked = NOT_MARKED.contains(&tag.as_str())
                || el.has_attribute("data-glossa-skip")
                || el
                    .get_attribute("contenteditable")
                    .is_some_and(|v| v != "false");
            let frame = Frame {
                id,
                unmarked,
                no_passage,
                chrome: !s.mode_readers && is_chrome(el),
                skipped_by: Vec::new(),
                reader,
                block: (is_block && !no_passage).then(|| Block {
                    text: String::new(),
                    nested: false,
                }),
                heading: wants_heading.then(String::new),
                // The document's title is its first <title> outside SVG and readers.
                title: tag == "title"
                    && !inside
                    && !s.title_seen
                    && !s
                        .stack
                        .iter()
                        .any(|f| matches!(f.tag.as_str(), "svg" | "math")),
                tag,
            };
            s.stack.push(frame);
            drop(s);
            let state = Rc::clone(&state);
            // An element whose end tag is omitted never calls this; a later end tag or an
            // implied close pops it.
            let _ = el.on_end_tag(Box::new(move |_end| {
                state.borrow_mut().close_until(id);
                Ok(())
            }));
            Ok(())
        })
    };
    handlers.push(on_element);

    match &mode {
        Mode::Readers { skips } => {
            for (root, selector) in skips.iter().enumerate() {
                if let Some(selector) = selector {
                    let state = Rc::clone(&state);
                    handlers.push(element!(selector.as_str(), move |el| {
                        let mut s = state.borrow_mut();
                        // A void element has no frame of its own (and no text to skip).
                        if s.open_root == Some(root) && el.can_have_content() {
                            if let Some(top) = s.stack.last_mut() {
                                top.skipped_by.push(root);
                                top.no_passage = true;
                                top.block = None;
                            }
                        }
                        Ok(())
                    }));
                }
            }
        }
        Mode::Main(None) => {
            let mut s = state.borrow_mut();
            s.roots_seen = 1;
            s.scan.roots.push(Root::default());
            s.open_root = Some(0);
        }
        Mode::Main(Some(selector)) => {
            let state = Rc::clone(&state);
            handlers.push(element!(*selector, move |el| {
                let mut s = state.borrow_mut();
                if s.roots_seen == 0 && el.can_have_content() {
                    s.roots_seen = 1;
                    s.scan.roots.push(Root::default());
                    s.open_root = Some(0);
                    if let Some(top) = s.stack.last_mut() {
                        top.reader = Some(0);
                        top.chrome = false;
                    }
                }
                Ok(())
            }));
        }
    }

    let text_state = Rc::clone(&state);
    let settings = Settings::new()
        .with_strict(false)
        .append_document_content_handler(doc_text!(move |chunk: &mut TextChunk| {
            let mut s = text_state.borrow_mut();
            s.pending.push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                let raw = std::mem::take(&mut s.pending);
                s.text(&raw, chunk.text_type());
            }
            Ok(())
        }));
    let settings = handlers.into_iter().fold(settings, |settings, handler| {
        settings.append_element_content_handler(handler)
    });
    read_through(settings, html)?;
    let mut state = Rc::try_unwrap(state)
        .map_err(|_| "internal error: the HTML scan is still shared".to_owned())?
        .into_inner();
    if let Some(error) = state.error {
        return Err(error);
    }
    while let Some(frame) = state.stack.pop() {
        state.finish(frame);
    }
    state.scan.title = collapse(&state.scan.title);
    state.scan.already_marked = already_marked;
    Ok(state.scan)
}

/// Readers if the page has any, otherwise the best main-content element it has; and whether
/// the page already holds marks.
fn pick_mode(html: &str) -> Result<(Mode, bool), String> {
    /// Each reader's `skip`, and which main-content candidates the page has.
    #[derive(Default)]
    struct Found {
        skips: Vec<Option<String>>,
        /// Readers inside a <template>, which the widget's numbering does not count.
        templated: Vec<usize>,
        kinds: HashSet<&'static str>,
        marked: bool,
    }
    let found: Rc<RefCell<Found>> = Rc::default();
    let candidates: [(&'static str, &'static str); 4] = [
        ("data", "[data-glossa-article]"),
        ("article", "article"),
        ("main", "main, [role=main]"),
        ("body", "body"),
    ];
    let mut settings = Settings::new().with_strict(false);
    {
        // Registered first, so it runs before the handler below for the same element.
        let found = Rc::clone(&found);
        settings = settings.append_element_content_handler(element!(
            "template glossa-reader",
            move |_el| {
                let mut found = found.borrow_mut();
                let next = found.skips.len();
                found.templated.push(next);
                Ok(())
            }
        ));
    }
    {
        let found = Rc::clone(&found);
        settings = settings.append_element_content_handler(element!(READER, move |el| {
            found.borrow_mut().skips.push(el.get_attribute("skip"));
            Ok(())
        }));
    }
    {
        let found = Rc::clone(&found);
        settings = settings.append_element_content_handler(element!(
            "glossa-term[data-glossa-term]",
            move |_el| {
                found.borrow_mut().marked = true;
                Ok(())
            }
        ));
    }
    for (name, selector) in candidates {
        let found = Rc::clone(&found);
        settings = settings.append_element_content_handler(element!(selector, move |_el| {
            found.borrow_mut().kinds.insert(name);
            Ok(())
        }));
    }
    read_through(settings, html)?;
    let Found {
        skips,
        templated,
        kinds,
        marked,
    } = Rc::try_unwrap(found)
        .map_err(|_| "internal error: the HTML scan is still shared".to_owned())?
        .into_inner();
    let readers: Vec<_> = skips
        .into_iter()
        .enumerate()
        .filter(|(n, _)| !templated.contains(n))
        .map(|(_, skip)| skip)
        .collect();
    if !readers.is_empty() {
        let skips = readers
            .iter()
            .map(|skip| {
                skip.as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| checked_selector(s, "the reader's skip"))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        return Ok((Mode::Readers { skips }, marked));
    }
    // Without even a <body> tag (it is optional), the whole document is the content.
    let main = candidates
        .iter()
        .find(|(name, _)| kinds.contains(name))
        .map(|(_, selector)| *selector);
    Ok((Mode::Main(main), marked))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a page is served, for ids and links the widget would give it.
pub struct PageAddress<'a> {
    /// The URL path, as `location.pathname` shows it: `/posts/dual-power/`.
    pub path: &'a str,
    /// Prefixed to `path` for article URLs, e.g. `https://blog.example`.
    pub base_url: &'a str,
}

/// The articles of a built page: one per `<glossa-reader>` (with the id, title, URL and
/// passages the widget gives it), or the page's main content if it has no reader.
pub fn articles(html: &str, address: &PageAddress) -> Result<Vec<Article>, String> {
    let scan = scan(html)?;
    let page_url = format!("{}{}", address.base_url.trim_end_matches('/'), address.path);
    let url = scan
        .canonical
        .clone()
        .filter(|c| c.starts_with("http") || c.starts_with('/'))
        .unwrap_or(page_url);
    let mut out = Vec::new();
    for (n, root) in scan.roots.into_iter().enumerate() {
        let attribute = |name: &str| {
            root.attributes
                .get(name)
                .filter(|v| !v.trim().is_empty())
                .cloned()
        };
        let heading = root.heading.clone().filter(|h| !h.is_empty());
        out.push(Article {
            // As the widget names a reader without `article-id`: `location.pathname#n`.
            id: attribute("article-id").unwrap_or_else(|| format!("{}#{n}", address.path)),
            title: attribute("article-title")
                .or(heading)
                .unwrap_or_else(|| scan.title.clone()),
            url: Some(attribute("article-url").unwrap_or_else(|| url.clone())),
            byline: None,
            passages: Some(root.passages),
            text: None,
        });
    }
    Ok(out)
}

/// A page with its glossary terms marked, and how many marks were added.
pub struct Marked {
    pub html: String,
    pub marks: usize,
    /// Marks already in the page (from an earlier run): such a page is left as it is.
    pub already: bool,
}

/// Marks the glossary's terms in every `<glossa-reader>` of a page, as the widget would:
/// `<glossa-term data-glossa-term="id" tabindex="0" role="button" aria-haspopup="dialog"
/// aria-expanded="false">`, never in code, links, headings, form controls, editable or
/// skipped parts, one per section with `first-only`. Text outside the marks, and everything
/// that is not text, is kept byte for byte.
pub fn mark(html: &str, glossary: &Glossary) -> Result<Marked, String> {
    let scan = scan(html)?;
    if scan.already_marked {
        return Ok(Marked {
            html: html.to_owned(),
            marks: 0,
            already: true,
        });
    }
    let mut seen: HashMap<usize, HashSet<usize>> = HashMap::new();
    let mut edits: HashMap<usize, Vec<(usize, usize, usize)>> = HashMap::new();
    let mut marks = 0;
    for site in &scan.sites {
        let mut found = glossary.annotate(&site.text.text);
        if scan.roots[site.root].first_only {
            let terms = seen.entry(site.section).or_default();
            found.retain(|m| terms.insert(m.entry));
        }
        if found.is_empty() {
            continue;
        }
        marks += found.len();
        edits.insert(
            site.node,
            found
                .iter()
                .map(|m| {
                    (
                        site.text.raw_start(m.start),
                        site.text.raw_end(m.end),
                        m.entry,
                    )
                })
                .collect(),
        );
    }
    if edits.is_empty() {
        return Ok(Marked {
            html: html.to_owned(),
            marks: 0,
            already: false,
        });
    }
    let entries = glossary.entries();
    let mut output = Vec::with_capacity(html.len() + marks * 120);
    let mut node = 0usize;
    let mut pending = String::new();
    let settings = Settings::new()
        .with_strict(false)
        .append_document_content_handler(doc_text!(|chunk: &mut TextChunk| {
            if let Some(found) = edits.get(&node) {
                pending.push_str(chunk.as_str());
                if chunk.last_in_text_node() {
                    let raw = std::mem::take(&mut pending);
                    let mut out = String::with_capacity(raw.len() + found.len() * 120);
                    let mut at = 0;
                    for &(start, end, entry) in found {
                        out.push_str(&raw[at..start]);
                        out.push_str("<glossa-term data-glossa-term=\"");
                        out.push_str(&escape_attribute(&entries[entry].id));
                        out.push_str(
                            "\" tabindex=\"0\" role=\"button\" aria-haspopup=\"dialog\" \
                             aria-expanded=\"false\">",
                        );
                        out.push_str(&raw[start..end]);
                        out.push_str("</glossa-term>");
                        at = end;
                    }
                    out.push_str(&raw[at..]);
                    chunk.replace(&out, ContentType::Html);
                } else {
                    chunk.remove();
                }
            }
            if chunk.last_in_text_node() {
                node += 1;
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |bytes: &[u8]| output.extend_from_slice(bytes));
    rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end())
        .map_err(|e| format!("could not rewrite the HTML: {e}"))?;
    let html =
        String::from_utf8(output).map_err(|_| "the rewritten HTML is not UTF-8".to_owned())?;
    Ok(Marked {
        html,
        marks,
        already: false,
    })
}

/// Streams `html` through the handlers of `settings`, for what they record; the output goes.
fn read_through(settings: Settings<'_, '_>, html: &str) -> Result<(), String> {
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end())
        .map_err(|e| format!("could not read the HTML: {e}"))
}

fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A text node's text with its character references decoded, as the DOM holds it, and a map
/// back to the source so that marks can be placed around the source's own bytes.
struct Decoded {
    text: String,
    /// (start in `text`, end in `text`, start in source, end in source) of each reference.
    references: Vec<(usize, usize, usize, usize)>,
}

impl Decoded {
    fn literal(raw: &str) -> Decoded {
        Decoded {
            text: raw.to_owned(),
            references: Vec::new(),
        }
    }

    fn new(raw: &str) -> Decoded {
        if !raw.contains('&') {
            return Decoded::literal(raw);
        }
        let mut text = String::with_capacity(raw.len());
        let mut references = Vec::new();
        let mut at = 0;
        while let Some(found) = raw[at..].find('&') {
            let start = at + found;
            text.push_str(&raw[at..start]);
            let length = reference_length(&raw[start..]);
            let reference = &raw[start..start + length];
            let decoded = html_escape::decode_html_entities(reference);
            if length > 1 && decoded != reference {
                let from = text.len();
                text.push_str(&decoded);
                references.push((from, text.len(), start, start + length));
                at = start + length;
            } else {
                text.push('&');
                at = start + 1;
            }
        }
        text.push_str(&raw[at..]);
        Decoded { text, references }
    }

    /// The source offset of a mark starting at `offset` in the decoded text.
    fn raw_start(&self, offset: usize) -> usize {
        self.to_raw(offset, true)
    }

    /// The source offset of a mark ending at `offset` in the decoded text.
    fn raw_end(&self, offset: usize) -> usize {
        self.to_raw(offset, false)
    }

    fn to_raw(&self, offset: usize, start: bool) -> usize {
        // Shift by every reference wholly before the offset; one that the offset falls
        // inside (a reference decoding to two characters) is taken whole.
        let mut shift: isize = 0;
        for &(from, to, raw_from, raw_to) in &self.references {
            if to <= offset {
                shift += (raw_to - raw_from) as isize - (to - from) as isize;
            } else if from < offset {
                return if start { raw_from } else { raw_to };
            } else {
                break;
            }
        }
        (offset as isize + shift) as usize
    }
}

/// The length of the character reference at the start of `s` (which starts with `&`), or 1.
fn reference_length(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    if bytes.get(1) == Some(&b'#') {
        i = 2;
        let hex = matches!(bytes.get(2), Some(b'x' | b'X'));
        if hex {
            i = 3;
        }
        let digits = bytes[i..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return 1;
        }
        i += digits;
    } else {
        let name = bytes[1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name == 0 {
            return 1;
        }
        i += name;
    }
    if bytes.get(i) == Some(&b';') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::from_json(
            r#"{"entries": [
                {"id": "dotp", "term": "dictatorship of the proletariat", "definition": "d"},
                {"id": "commune", "term": "Paris Commune", "definition": "c"},
                {"id": "soviet", "term": "soviet", "definition": "s"},
                {"id": "vendome", "term": "Place Vendôme", "definition": "v"}
            ]}"#,
        )
        .unwrap()
    }

    fn address() -> PageAddress<'static> {
        PageAddress {
            path: "/posts/one/",
            base_url: "",
        }
    }

    #[test]
    fn marks_where_the_widget_would() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "plain text",
                "<glossa-reader><p>The Paris Commune fell.</p></glossa-reader>",
                "<glossa-reader><p>The [commune:Paris Commune] fell.</p></glossa-reader>",
            ),
            (
                "inflected, in any case",
                "<glossa-reader><p>Two Soviets met.</p></glossa-reader>",
                "<glossa-reader><p>Two [soviet:Soviets] met.</p></glossa-reader>",
            ),
            (
                "character references stay as written",
                "<glossa-reader><p>Place Vend&ocirc;me &amp; the soviet</p></glossa-reader>",
                "<glossa-reader><p>[vendome:Place Vend&ocirc;me] &amp; the [soviet:soviet]</p></glossa-reader>",
            ),
            (
                "never in code, links, headings or skipped parts",
                "<glossa-reader><h2>soviet</h2><p><code>soviet</code> <a href=x>soviet</a> <span data-glossa-skip>soviet</span></p></glossa-reader>",
                "<glossa-reader><h2>soviet</h2><p><code>soviet</code> <a href=x>soviet</a> <span data-glossa-skip>soviet</span></p></glossa-reader>",
            ),
            (
                "never outside a reader",
                "<p>soviet</p><glossa-reader><p>soviet</p></glossa-reader><p>soviet</p>",
                "<p>soviet</p><glossa-reader><p>[soviet:soviet]</p></glossa-reader><p>soviet</p>",
            ),
            (
                "not across elements",
                "<glossa-reader><p>Paris <em>Commune</em></p></glossa-reader>",
                "<glossa-reader><p>Paris <em>Commune</em></p></glossa-reader>",
            ),
            (
                "first-only: once per section",
                "<glossa-reader first-only><section><p>soviet soviet</p><p>soviet</p></section><section><p>soviet</p></section></glossa-reader>",
                "<glossa-reader first-only><section><p>[soviet:soviet] soviet</p><p>soviet</p></section><section><p>[soviet:soviet]</p></section></glossa-reader>",
            ),
            (
                "the reader's skip selector",
                "<glossa-reader skip=\".note\"><p class=note>soviet</p><p>soviet</p></glossa-reader>",
                "<glossa-reader skip=\".note\"><p class=note>soviet</p><p>[soviet:soviet]</p></glossa-reader>",
            ),
            (
                "a skip selector naming a void element skips only it",
                "<glossa-reader skip=\"img\"><p>soviet <img> soviet</p></glossa-reader>",
                "<glossa-reader skip=\"img\"><p>[soviet:soviet] <img> [soviet:soviet]</p></glossa-reader>",
            ),
            (
                "contenteditable=FALSE is editable to the widget's selector",
                "<glossa-reader><p contenteditable=FALSE>soviet</p></glossa-reader>",
                "<glossa-reader><p contenteditable=FALSE>soviet</p></glossa-reader>",
            ),
            (
                "omitted end tags",
                "<glossa-reader><ul><li>soviet<li><a>x</a> soviet</ul></glossa-reader>",
                "<glossa-reader><ul><li>[soviet:soviet]<li><a>x</a> [soviet:soviet]</ul></glossa-reader>",
            ),
        ];
        for (name, input, expected) in cases {
            let marked = mark(input, &glossary()).unwrap();
            let shown = marked
                .html
                .replace(
                    "\" tabindex=\"0\" role=\"button\" aria-haspopup=\"dialog\" aria-expanded=\"false\">",
                    ":",
                )
                .replace("<glossa-term data-glossa-term=\"", "[")
                .replace("</glossa-term>", "]");
            assert_eq!(&shown, expected, "{name}");
        }
    }

    #[test]
    fn marking_twice_changes_nothing() {
        let once = mark("<glossa-reader><p>soviet</p></glossa-reader>", &glossary()).unwrap();
        assert_eq!(once.marks, 1);
        let twice = mark(&once.html, &glossary()).unwrap();
        assert!(twice.already);
        assert_eq!(twice.html, once.html);
    }

    #[test]
    fn hostile_ids_are_escaped_in_the_mark() {
        let glossary = Glossary::from_json(
            r#"{"entries": [{"id": "x\"><script>alert(1)</script>", "term": "soviet", "definition": "d"}]}"#,
        )
        .unwrap();
        let marked = mark("<glossa-reader><p>soviet</p></glossa-reader>", &glossary).unwrap();
        assert!(!marked.html.contains("<script>"), "{}", marked.html);
        assert!(marked.html.contains("x&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn a_reader_yields_the_widgets_passages() {
        let page = r#"<!doctype html><html><head><title>One | Blog</title></head><body>
            <nav><p>Home</p></nav>
            <glossa-reader glossary="/g.json"><article><h1>The &ldquo;soviets&rdquo;</h1>
            <p>First <em>para</em>graph.</p>
            <ul><li><p>Nested block: only the inner one.</p></li><li>Plain item</li></ul>
            <pre><p>not a passage</p></pre>
            <div data-glossa-skip><p>skipped</p></div>
            <p>   </p>
            <table><tr><td>cell one<td>cell two</table>
            </article></glossa-reader>
            <glossa-reader article-id="second" article-title="Second"><p>Two</p></glossa-reader>
            </body></html>"#;
        let articles = articles(page, &address()).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].id, "/posts/one/#0");
        assert_eq!(articles[0].title, "The \u{201c}soviets\u{201d}");
        assert_eq!(articles[0].url.as_deref(), Some("/posts/one/"));
        assert_eq!(
            articles[0].passages.as_deref().unwrap(),
            [
                "First paragraph.",
                "Nested block: only the inner one.",
                "Plain item",
                "cell one",
                "cell two"
            ]
        );
        assert_eq!(articles[1].id, "second");
        assert_eq!(articles[1].title, "Second");
    }

    #[test]
    fn passage_text_is_what_a_reader_reads() {
        let page = "<glossa-reader><p>Lenin<br>Trotsky<script>var x = 1;</script><noscript>n</noscript></p></glossa-reader>";
        let found = articles(page, &address()).unwrap();
        assert_eq!(found[0].passages.as_deref().unwrap(), ["Lenin\nTrotsky"]);
    }

    #[test]
    fn passages_survive_omitted_end_tags() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a cell ends the cell and the paragraph in it",
                "<table><tr><td><p>soviet a<td><p>soviet b</table>",
                &["soviet a", "soviet b"],
            ),
            (
                "an item ends the item, through an open div",
                "<ul><li><div>soviet a<li>soviet b</ul>",
                &["soviet a", "soviet b"],
            ),
            (
                "a paragraph ends an open paragraph",
                "<p>one<p>two<div>three</div>",
                &["one", "two"],
            ),
        ];
        for (name, body, expected) in cases {
            let page = format!("<glossa-reader>{body}</glossa-reader>");
            let found = articles(&page, &address()).unwrap();
            assert_eq!(found[0].passages.as_deref().unwrap(), *expected, "{name}");
        }
    }

    #[test]
    fn readers_are_numbered_as_the_widget_numbers_them() {
        let page = "<template><glossa-reader><p>t</p></glossa-reader></template>\
                    <glossa-reader><p>a</p></glossa-reader>\
                    <glossa-reader skip=\".x\"><p class=x>soviet</p><p>b</p></glossa-reader>";
        let found = articles(page, &address()).unwrap();
        let ids: Vec<_> = found.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["/posts/one/#0", "/posts/one/#1"]);
        assert_eq!(found[1].passages.as_deref().unwrap(), ["b"]);
        let nested = "<glossa-reader><glossa-reader><p>a</p></glossa-reader></glossa-reader>";
        let error = articles(nested, &address()).err().unwrap();
        assert!(error.contains("inside another"), "{error}");
    }

    #[test]
    fn titles_headings_and_pages_without_a_body() {
        let page = "<title>Post A</title><svg><title>RSS feed</title></svg>\
                    <main><template><h1>Template</h1></template><p>Text.</p></main>";
        let found = articles(page, &address()).unwrap();
        assert_eq!(found[0].title, "Post A");
        let bare = "<title>Bare</title><p>No body tag at all.</p>";
        let found = articles(bare, &address()).unwrap();
        assert_eq!(
            found[0].passages.as_deref().unwrap(),
            ["No body tag at all."]
        );
    }

    #[test]
    fn a_page_without_a_reader_yields_its_main_content() {
        let page = r#"<html><head><title>Post</title></head><body>
            <header><p>Site header</p></header>
            <main><h1>What dual power means</h1>
            <p>The body.</p>
            <div class="newsletter-signup"><p>Subscribe now!</p></div>
            <section class="more-from-author"><ul><li>Another post</li></ul></section>
            <aside><p>Sidebar</p></aside>
            <p>The end.</p></main>
            <footer><p>Footer</p></footer></body></html>"#;
        let articles = articles(page, &address()).unwrap();
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "What dual power means");
        assert_eq!(
            articles[0].passages.as_deref().unwrap(),
            ["The body.", "The end."]
        );
    }

    #[test]
    fn character_references_decode_and_map_back() {
        let cases: &[(&str, &str)] = &[
            ("a &amp; b", "a & b"),
            ("&lt;p&gt;", "<p>"),
            ("caf&#233; &#xE9;", "café é"),
            ("&nbsp;x", "\u{a0}x"),
            ("AT&T & co", "AT&T & co"),
            ("&unknownentity;", "&unknownentity;"),
        ];
        for (raw, text) in cases {
            let decoded = Decoded::new(raw);
            assert_eq!(&decoded.text, text, "{raw}");
            assert_eq!(decoded.raw_end(decoded.text.len()), raw.len(), "{raw}");
        }
        let decoded = Decoded::new("x &amp; soviet");
        let at = decoded.text.find("soviet").unwrap();
        assert_eq!(decoded.raw_start(at), "x &amp; ".len());
    }
}
