// The glossa core in Node (build scripts, static site generators): the wasm is read from
// the package and instantiated on import, so `Glossa` is usable at once; `ready()` exists
// so that code written for the browser runs unchanged.
import { readFileSync } from "node:fs";
import { initSync, Glossa } from "./core-intl/glossa_core.js";

initSync({ module: readFileSync(new URL("./core-intl/glossa_core_bg.wasm", import.meta.url)) });

export function ready() {
  return Promise.resolve();
}

export { Glossa };
