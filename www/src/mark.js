// Marking glossary terms in a host page's text, and putting the page back exactly as it was.
// Only text is split and wrapped: elements, attributes and listeners are untouched (a <wbr>
// inside a term moves into its marker, and back), the page's own text nodes stay where they
// are, and the article's textContent is the same before and after.

import { el } from "./popover.js";

export const MARKER = "glossa-term";

/** Subtrees whose text is never marked. */
const SKIPPED = "code,pre,kbd,samp,var,a,h1,h2,h3,h4,h5,h6,button,input,textarea,select,option,label,"
  + `script,style,noscript,template,svg,math,iframe,[contenteditable]:not([contenteditable=false]),[data-glossa-skip],${MARKER}`;

/** Elements that separate sections for the `first-only` option. */
const SECTION = "section,article,glossa-reader";

/**
 * Whether `node`, between two text nodes, leaves their text one run: a <wbr> (a line-break
 * hint inside a long word), a comment (React puts one between adjacent texts), or another
 * text node (white space only: the walker gives the others). A term across one is marked;
 * across any other element it is not, since wrapping it would mean moving or splitting the
 * page's own elements.
 */
function joins(node) {
  return node.nodeType === Node.TEXT_NODE || node.nodeType === Node.COMMENT_NODE
    || (node.nodeType === Node.ELEMENT_NODE && node.localName === "wbr");
}

/** The text nodes under `root` that may be marked, in runs whose words join (see joins). */
function textRuns(root, skipSelector) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        return node !== root && node.matches(skipSelector) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
      }
      return /\S/.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const runs = [];
  let run = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const last = run?.at(-1);
    let joined = last?.parentNode === n.parentNode;
    for (let between = last?.nextSibling; joined && between !== n; between = between.nextSibling) {
      joined = Boolean(between) && joins(between);
    }
    if (joined) {
      // Every node of the run, the joining ones too, in document order.
      for (let between = last.nextSibling; between !== n; between = between.nextSibling) run.push(between);
      run.push(n);
    } else {
      run = [n];
      runs.push(run);
    }
  }
  return runs;
}

function newMarker(term) {
  return el(MARKER, { "data-glossa-term": term, tabindex: "0", role: "button", "aria-haspopup": "dialog", "aria-expanded": "false" });
}

/**
 * Marks every term `annotate` finds in the text nodes under `root`: with `firstOnly`, only the
 * first of each term per section; none under `skip`, a CSS selector (if given) of subtrees
 * skipped besides SKIPPED. Returns an undo record for `unmark`.
 */
export function mark(root, annotate, firstOnly, skip) {
  const skipSelector = skip ? `${SKIPPED},${skip}` : SKIPPED;
  const seen = new Map(); // section element → Set of terms already marked there
  const record = { undo: [], markers: [] };
  try {
    for (const nodes of textRuns(root, skipSelector)) {
      const texts = nodes.filter((n) => n.nodeType === Node.TEXT_NODE);
      let found = annotate(texts.map((t) => t.data).join(""));
      if (firstOnly && found.length) {
        const section = nodes[0].parentElement?.closest(SECTION) ?? root;
        if (!seen.has(section)) seen.set(section, new Set());
        const terms = seen.get(section);
        found = found.filter((a) => !terms.has(a.term) && terms.add(a.term));
      }
      if (!found.length) continue;
      record.undo.push(markRun(nodes, found, record.markers));
    }
  } catch (error) {
    // A failure part way (the core trapping on some text) must not leave half an article
    // marked: the caller never gets a record to undo, so undo here.
    unmark(record);
    throw error;
  }
  return record;
}

/**
 * Wraps the `found` terms (offsets into the run's joined text) of one run of nodes. Each of
 * the page's text nodes stays in place, holding its text up to its first term (or nothing);
 * the rest is new text nodes and markers after it. Returns what `unmark` puts back:
 * [the run's nodes, their texts before (null for a joining node), the nodes inserted].
 */
function markRun(nodes, found, markers) {
  const originals = nodes.map((n) => (n.nodeType === Node.TEXT_NODE ? n.data : null));
  const placed = []; // the run's new order: the page's nodes and the inserted ones
  const inserted = [];
  let next = 0; // the next term of `found`
  let marker = null; // the marker being filled, and where its term ends
  let markerEnd = 0;
  let base = 0; // offset of the current text node in the run's text
  const add = (node) => {
    if (marker) marker.append(node);
    else placed.push(node);
  };
  for (const [i, node] of nodes.entries()) {
    if (node.nodeType !== Node.TEXT_NODE) {
      add(node); // a joining node: inside the term that spans it, else where it was
      continue;
    }
    const data = originals[i];
    const end = base + data.length;
    let at = base;
    let kept = false;
    // A term that began in an earlier text node takes this one's first characters.
    if (marker) {
      const upTo = Math.min(markerEnd, end);
      if (upTo > at) marker.append(data.slice(at - base, upTo - base));
      at = upTo;
      if (markerEnd <= end) marker = null;
    }
    while (at < end || !kept) {
      // Terms overlapping one already marked, or starting before `at`, are dropped.
      while (next < found.length && found[next].start < at) next++;
      const term = next < found.length && found[next].start < end ? found[next] : null;
      const plainEnd = term ? term.start : end;
      if (!kept) {
        node.data = data.slice(at - base, plainEnd - base);
        placed.push(node);
        kept = true;
      } else if (plainEnd > at) {
        const text = document.createTextNode(data.slice(at - base, plainEnd - base));
        placed.push(text);
        inserted.push(text);
      }
      at = plainEnd;
      if (!term) break;
      next++;
      const m = newMarker(term.term);
      markers.push(m);
      placed.push(m);
      inserted.push(m);
      const upTo = Math.min(term.end, end);
      m.append(data.slice(at - base, upTo - base));
      at = upTo;
      if (term.end > end) {
        marker = m;
        markerEnd = term.end;
      }
    }
    base = end;
  }
  // The first node stays where it is; the rest follow it in their new order. Appended one by
  // one: a run may hold 100,000 terms, more arguments than a call may take.
  const rest = new DocumentFragment();
  for (const node of placed.slice(1)) rest.appendChild(node);
  placed[0].after(rest);
  return [nodes, originals, inserted];
}

/** Puts back every run `mark` changed, removing what it inserted. A record is undone once. */
export function unmark(record) {
  for (const [nodes, originals, inserted] of record.undo.reverse()) {
    for (const n of inserted) n.remove();
    let previous = null;
    for (const [i, node] of nodes.entries()) {
      if (originals[i] !== null) node.data = originals[i];
      // A <wbr> that was inside a marker goes back between its text nodes.
      if (previous && previous.nextSibling !== node) previous.after(node);
      previous = node;
    }
  }
}
