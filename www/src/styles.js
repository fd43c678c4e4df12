// Styles as constructable stylesheets: no <style> element or style attribute is needed, so
// the widget works under a strict Content-Security-Policy. Theme with the custom properties
// below (on :root or any ancestor) or with ::part().

const cache = new Map();
export function sheet(css) {
  if (!cache.has(css)) {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    cache.set(css, s);
  }
  return cache.get(css);
}

/** An open shadow root for `host`, styled by the theme, shared by every element, then `css`. */
export function themedShadow(host, css) {
  const root = host.attachShadow({ mode: "open" });
  root.adoptedStyleSheets = [sheet(THEME_CSS), sheet(css)];
  return root;
}

/**
 * The theme's private properties, from the public ones or their defaults, light and dark; and
 * the rules every element's sheet would repeat.
 */
const THEME_CSS = `
:host {
  --_accent: var(--glossa-accent, #8a2b1f);
  --_bg: var(--glossa-background, #fff);
  --_fg: var(--glossa-color, #1d1d1f);
  --_muted: var(--glossa-muted, #5b5b66);
  --_border: var(--glossa-border, #d9d6cf);
  --_mark: var(--glossa-mark, #ffe58a);
  --_radius: var(--glossa-radius, 0.5rem);
  font-family: var(--glossa-font, inherit);
  display: block;
}
@media (prefers-color-scheme: dark) {
  :host {
    --_accent: var(--glossa-accent, #f4a48f);
    --_bg: var(--glossa-background, #232327);
    --_fg: var(--glossa-color, #ecebe8);
    --_muted: var(--glossa-muted, #a8a7b0);
    --_border: var(--glossa-border, #3a3a40);
    --_mark: var(--glossa-mark, #6b5510);
  }
}
ul { list-style: none; margin: 0; padding: 0; }
mark { background: var(--_mark); color: inherit; }
`;

/** For the host page: marked terms (light DOM) and the passage a search result opened. */
export const PAGE_CSS = `
glossa-term {
  text-decoration: underline dotted var(--glossa-accent, currentColor) 1px;
  text-underline-offset: 0.2em;
  cursor: help;
  border-radius: 2px;
}
glossa-term:focus-visible { outline: 2px solid var(--glossa-accent, #8a2b1f); outline-offset: 1px; }
/* The host page may be light or dark whatever the reader's system says: marks carry their
   own dark text, as a browser's find-in-page does. */
glossa-term[aria-expanded="true"] { background: var(--glossa-mark, #ffe58a); color: var(--glossa-mark-color, #1d1d1f); }
::highlight(glossa-hit) { background-color: var(--glossa-mark, #ffe58a); color: var(--glossa-mark-color, #1d1d1f); }
.glossa-opened { outline: 2px solid var(--glossa-accent, #8a2b1f); outline-offset: 4px; border-radius: 2px; }
@media (prefers-reduced-motion: no-preference) {
  .glossa-opened { transition: outline-color 1.5s ease-out; }
}
`;

export const POPOVER_CSS = `
:host { position: fixed; z-index: 2147483000; top: 0; left: 0; }
:host([hidden]) { display: none; }
.card {
  box-sizing: border-box; max-width: min(24rem, calc(100vw - 16px)); max-height: min(28rem, calc(100vh - 16px));
  overflow: auto; color: var(--_fg);
  /* Shadows at an edge with more to scroll to: covers that scroll with the content hide them. */
  background:
    linear-gradient(var(--_bg) 30%, transparent) center top / 100% 2rem no-repeat local,
    linear-gradient(transparent, var(--_bg) 70%) center bottom / 100% 2rem no-repeat local,
    radial-gradient(farthest-side at 50% 0, #0003, transparent) center top / 100% 0.6rem no-repeat scroll,
    radial-gradient(farthest-side at 50% 100%, #0003, transparent) center bottom / 100% 0.6rem no-repeat scroll,
    var(--_bg);
  border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 6px 24px rgb(0 0 0 / 0.18); padding: 0.75rem 0.9rem;
  font-size: 0.95rem; line-height: 1.45; text-align: start;
  /* A long URL or word wraps rather than making the card scroll sideways. */
  overflow-wrap: break-word;
}
h2 { font-size: 1.05rem; margin: 0 0 0.2rem; }
p { margin: 0.35rem 0; }
.aka, .label { color: var(--_muted); font-size: 0.85rem; }
.label { margin-top: 0.6rem; font-weight: 600; }
ul { margin: 0.2rem 0; }
li { margin: 0.25rem 0; }
a, button.link { color: var(--_accent); font: inherit; }
button.link { background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; text-align: start; }
button.mention, a.mention, span.mention { display: block; width: 100%; color: var(--_fg); font-size: 0.88rem; text-decoration: none; }
.mention .where { display: block; color: var(--_accent); font-size: 0.8rem; text-decoration: underline; }
span.mention .where { color: var(--_muted); text-decoration: none; }
.action { display: flex; gap: 0.5rem; align-items: center; }
.action button { font: inherit; color: var(--_bg); background: var(--_accent); border: 0; padding: 0.3rem 0.6rem; cursor: pointer; border-radius: var(--_radius); }
`;

export const SEARCH_CSS = `
label { display: block; color: var(--_muted); font-size: 0.9rem; margin-bottom: 0.2rem; }
input {
  box-sizing: border-box; width: 100%; font: inherit; padding: 0.5rem 0.75rem; color: var(--_fg);
  background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
}
input:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.status { color: var(--_muted); font-size: 0.85rem; margin: 0.25rem 0; min-height: 1.2em; }
ul:empty { display: none; }
li {
  margin: 0.35rem 0; padding: 0.5rem 0.6rem; color: var(--_fg);
  background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); cursor: pointer;
}
li[aria-selected="true"] { outline: 2px solid var(--_accent); }
.title { display: block; color: var(--_muted); font-size: 0.8rem; }
`;

export const INDEX_CSS = `
.groups { columns: 14rem auto; column-gap: 2rem; }
.group { break-inside: avoid; padding-bottom: 0.6rem; }
h2 { font-size: 1rem; margin: 0 0 0.2rem; color: var(--_muted); }
li { margin: 0.15rem 0; }
button { font: inherit; color: var(--_accent); background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; text-align: start; }
button:disabled { color: var(--_muted); cursor: default; text-decoration: none; }
.count { color: var(--_muted); font-size: 0.85em; }
.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.note { color: var(--_muted); font-size: 0.9rem; margin: 0 0 0.5rem; }
`;
