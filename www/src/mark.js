// Marking glossary terms in a host page's text, and putting the page back exactly as it was.
// Only text nodes are split and wrapped: elements, attributes and listeners are untouched,
// and the article's textContent is the same before and after.

export const MARKER = "glossa-term";

/** Subtrees whose text is never marked. */
const SKIPPED = [
  "code", "pre", "kbd", "samp", "var", "a", "h1", "h2", "h3", "h4", "h5", "h6", "button",
  "input", "textarea", "select", "option", "label", "script", "style", "noscript", "template",
  "svg", "math", "iframe", "[contenteditable]:not([contenteditable=false])", "[data-glossa-skip]",
  MARKER,
].join(",");

/** Elements that separate sections for the `first-only` option. */
const SECTION = "section, article, glossa-reader";

/**
 * Marks every term `annotate` finds in the text nodes under `root`.
 * Returns an undo record for `unmark`.
 */
export function mark(root, annotate, { firstOnly = false, skip = "" } = {}) {
  const skipSelector = skip ? `${SKIPPED},${skip}` : SKIPPED;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        return node !== root && node.matches(skipSelector) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
      return /\S/.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n);

  const seen = new Map(); // section element → Set of terms already marked there
  const undo = [];
  const markers = [];
  for (const node of texts) {
    let found = annotate(node.data);
    if (firstOnly && found.length) {
      const section = node.parentElement?.closest(SECTION) ?? root;
      if (!seen.has(section)) seen.set(section, new Set());
      const terms = seen.get(section);
      found = found.filter((a) => !terms.has(a.term) && terms.add(a.term));
    }
    if (!found.length) continue;
    const original = node.data;
    let at = found[0].start;
    const parts = document.createDocumentFragment();
    for (const { term, start, end } of found) {
      if (start < at) continue;
      if (start > at) parts.append(original.slice(at, start));
      const marker = document.createElement(MARKER);
      marker.dataset.glossaTerm = term;
      marker.tabIndex = 0;
      marker.setAttribute("role", "button");
      marker.setAttribute("aria-haspopup", "dialog");
      marker.setAttribute("aria-expanded", "false");
      marker.textContent = original.slice(start, end);
      parts.append(marker);
      markers.push(marker);
      at = end;
    }
    if (at < original.length) parts.append(original.slice(at));
    // Array.from, not a spread into push(): a text node may hold 100,000 terms, more
    // arguments than a call may take.
    const inserted = Array.from(parts.childNodes);
    node.data = original.slice(0, found[0].start);
    node.after(parts);
    undo.push({ node, original, inserted });
  }
  return { undo, markers };
}

/** Puts back every text node `mark` changed, removing what it inserted. */
export function unmark(record) {
  for (const { node, original, inserted } of record.undo.reverse()) {
    for (const n of inserted) n.remove();
    node.data = original;
  }
  record.undo = [];
  record.markers = [];
}
