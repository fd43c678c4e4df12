// glossa: glossary popovers and passage search for any page. One script tag:
//   <script type="module" src=".../glossa.js"></script>
//   <glossa-reader glossary="glossary.json"><article>…</article></glossa-reader>
//   <glossa-search></glossa-search> <glossa-index></glossa-index>
// The wasm core loads relative to this file, so the folder can live anywhere.
import { GlossaReader, GlossaSearch, GlossaIndex } from "./elements.js";

GlossaReader.define();
GlossaSearch.define();
GlossaIndex.define();

export * from "./elements.js";
