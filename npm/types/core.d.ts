/// <reference lib="esnext.disposable" />
// (wasm-bindgen's classes implement Symbol.dispose, for `using`.)
// The core API, shared by "glossa/core" (English in a browser, every stemmer in Node) and
// "glossa/core-intl" (every stemmer). The English browser core's toBytes() throws.
export {
  Glossa,
  GlossaOptions,
  ArticleInput,
  GlossaryEntry,
  Annotation,
  SearchOptions,
  Hit,
} from "../core/glossa_core.js";

/**
 * Instantiates the wasm once; await it before `new Glossa()`. In the browser the wasm is
 * fetched beside the module unless `wasm` says otherwise, as the widget fetches it (the
 * Zopfli-gzipped `.gz`, else the plain wasm); in Node it is already loaded.
 */
export function ready(
  wasm?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
