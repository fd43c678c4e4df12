// "glossa": registers <glossa-reader>, <glossa-search> and <glossa-index> on import.
export * from "./elements.js";
