// The widget's custom elements, without registering them: `import { GlossaReader } from
// "glossa/elements"; GlossaReader.define();` (or define them in a scoped registry).
// glossa.js is the entry that registers all of them.
export { GlossaReader } from "./reader.js";
export { GlossaSearch } from "./search.js";
export { GlossaIndex } from "./index-element.js";
export { GlossaPopover } from "./popover.js";
export { engineFor } from "./engine.js";
