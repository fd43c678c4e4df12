// The demo page of issue #2: the two seed articles with their glossary terms marked, a
// definition box, and passage search, on the wasm core directly. Everything from the
// articles and the glossary reaches the page through textContent and DOM APIs, never HTML.
import init, { Glossa } from "./dist/core/glossa_core.js";

const ARTICLES = ["viewpoint-dotp", "morning-star-lenin"];
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Text with UTF-16 ranges wrapped in elements made by `wrap(text, range)`. */
function fragmentWith(text, ranges, wrap) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const range of ranges) {
    const [start, end] = range;
    if (start < at) continue;
    out.append(text.slice(at, start), wrap(text.slice(start, end), range));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

/** The element id of a passage: prefixed, so an article id cannot clash with the page's. */
const passageId = (article, passage) => `glossa-${article}-${passage}`;

function renderArticle(glossa, article) {
  const node = el("article", { id: `glossa-${article.id}` });
  node.append(el("h2", {}, article.title));
  if (article.standfirst) node.append(el("p", { className: "standfirst" }, article.standfirst));
  node.append(el("p", { className: "credit" }, article.credit || article.byline || ""));
  // The index's passages, not the JSON's paragraphs: it splits long ones, and hits count its.
  glossa.passages(article.id).forEach((text, i) => {
    const p = el("p", { id: passageId(article.id, i), dataset: { passage: String(i) } });
    const found = glossa.annotate(text).map((a) => [a.start, a.end, a.term]);
    p.append(fragmentWith(text, found, (word, [, , term]) =>
      el("span", { tabIndex: 0, dataset: { glossaTerm: term }, "aria-expanded": "false" }, word)));
    node.append(p);
  });
  return node;
}

function showDefinition(entries, marker) {
  const box = $("definition");
  const entry = entries.get(marker.dataset.glossaTerm);
  if (!entry) return;
  box.replaceChildren(el("h3", {}, entry.term));
  if (entry.aliases.length) box.append(el("p", { className: "aka" }, `Also: ${entry.aliases.join(", ")}`));
  box.append(el("p", {}, entry.definition));
  const related = entry.see_also.map((id) => entries.get(id)?.term).filter(Boolean);
  if (related.length) box.append(el("p", { className: "aka" }, `See also: ${related.join(", ")}`));
  const link = safeUrl(entry.link);
  if (link) box.append(el("p", {}, el("a", { href: link, rel: "noopener", target: "_blank" }, "Read more")));
  box.hidden = false;
  const rect = marker.getBoundingClientRect();
  const width = box.offsetWidth;
  const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
  box.style.left = `${left}px`;
  box.style.top = `${rect.bottom + window.scrollY + 6}px`;
  collapseMarkers();
  marker.setAttribute("aria-describedby", "definition");
  marker.setAttribute("aria-expanded", "true");
}

/** An http(s) URL (absolute, or relative to this page) or null: never `javascript:`. */
function safeUrl(link) {
  if (!link) return null;
  try {
    const url = new URL(link, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function collapseMarkers() {
  document.querySelectorAll("[aria-describedby=definition]").forEach((m) => {
    m.removeAttribute("aria-describedby");
    m.setAttribute("aria-expanded", "false");
  });
}

function hideDefinition() {
  $("definition").hidden = true;
  collapseMarkers();
}

function renderResults(glossa, titles, query) {
  const list = $("search-results");
  const hits = query.trim() ? glossa.search(query, { limit: 8 }) : [];
  list.replaceChildren(...hits.map((hit) => {
    const button = el("button", { type: "button" },
      el("span", { className: "title" }, titles.get(hit.article) || hit.article),
      fragmentWith(hit.snippet, hit.highlights, (word) => el("mark", {}, word)));
    button.addEventListener("click", () => openPassage(hit));
    return el("li", {}, button);
  }));
  $("search-status").textContent = query.trim()
    ? `${hits.length} passage${hits.length === 1 ? "" : "s"} found`
    : "";
}

function openPassage(hit) {
  const target = document.getElementById(passageId(hit.article, hit.passage));
  if (!target) return;
  target.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  target.classList.remove("flash");
  void target.offsetWidth;
  target.classList.add("flash");
  target.tabIndex = -1;
  target.focus({ preventScroll: true });
  history.replaceState(null, "", `#${target.id}`);
}

/** Scrolls to the passage a `#glossa-…` fragment names; a malformed fragment is ignored. */
function openFragment() {
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  const target = id && document.getElementById(id);
  if (target) target.scrollIntoView({ block: "center" });
}

async function main() {
  const main = $("articles");
  try {
    await init();
    const [glossary, ...articles] = await Promise.all([
      json("dist/content/glossary.json"),
      ...ARTICLES.map((id) => json(`dist/content/${id}.json`)),
    ]);
    const glossa = new Glossa({ language: "en" });
    glossa.setGlossary(glossary);
    for (const article of articles) glossa.addArticle(article);
    const entries = new Map(glossa.entries().map((e) => [e.id, e]));
    const titles = new Map(articles.map((a) => [a.id, a.title]));
    main.replaceChildren(...articles.map((a) => renderArticle(glossa, a)));
    main.removeAttribute("aria-busy");

    const open = (e) => {
      const marker = e.target.closest?.("[data-glossa-term]");
      if (marker) showDefinition(entries, marker);
    };
    for (const type of ["mouseover", "focusin", "click"]) main.addEventListener(type, open);
    main.addEventListener("mouseout", (e) => {
      if (e.target.closest?.("[data-glossa-term]") && !$("definition").contains(e.relatedTarget)) hideDefinition();
    });
    $("definition").addEventListener("mouseleave", hideDefinition);
    // Focus may move from a term into its definition (to reach "Read more"), not elsewhere.
    const leave = (e) => { if (!$("definition").contains(e.relatedTarget)) hideDefinition(); };
    main.addEventListener("focusout", leave);
    $("definition").addEventListener("focusout", leave);
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideDefinition(); });
    $("search-input").addEventListener("input", (e) => renderResults(glossa, titles, e.target.value));
    $("search-form").addEventListener("submit", (e) => e.preventDefault());

    openFragment();
    document.body.dataset.glossaReady = "true";
  } catch (error) {
    main.replaceChildren(el("p", { className: "error" }, `The demo could not start: ${error.message}`));
    main.removeAttribute("aria-busy");
    document.body.dataset.glossaReady = "error";
    console.error(error);
  }
}

main();
