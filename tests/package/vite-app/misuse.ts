// Misuse the declarations must reject: if a type were `any`, an expectation here would be
// unused and tsc would fail.
import { Glossa } from "glossa/core";
import type { GlossaReadyDetail } from "glossa/elements";

const glossa = new Glossa();
// @ts-expect-error: an article needs an id
glossa.addArticle({ title: "no id" });
// @ts-expect-error: search takes a string
glossa.search(42);
const reader = document.createElement("glossa-reader");
// @ts-expect-error: destroy takes no argument and returns nothing
const kept: number = reader.destroy();
document.addEventListener("glossa:ready", (event) => {
  // @ts-expect-error: terms is a number
  const terms: string = event.detail.terms;
  const detail: GlossaReadyDetail = event.detail;
  void terms, detail, kept;
});
