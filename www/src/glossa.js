// glossa: glossary popovers and passage search for any page. One script tag:
//   <script type="module" src=".../glossa.js"></script>
//   <glossa-reader glossary="glossary.json"><article>…</article></glossa-reader>
//   <glossa-search></glossa-search> <glossa-index></glossa-index>
// The wasm core loads relative to this file, so the folder can live anywhere.
import { GlossaReader } from "./reader.js";
import { GlossaSearch } from "./search.js";
import { GlossaIndex } from "./index-element.js";
import { GlossaPopover } from "./popover.js";
import { engineFor } from "./engine.js";

GlossaReader.define();
GlossaSearch.define();
GlossaIndex.define();

export { GlossaReader, GlossaSearch, GlossaIndex, GlossaPopover, engineFor };
