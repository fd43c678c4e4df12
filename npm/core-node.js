// "glossa/core" in Node (build scripts, static site generators) is the every-language core:
// size does not matter there, and it writes indexes (`toBytes`), which the English browser
// core leaves out. English works the same in both.
export { ready, Glossa } from "./core-intl-node.js";
