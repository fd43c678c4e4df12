// A build script as a static site would write one: prebuild an index in Node with the
// package's core API, then read it back and search it. Prints JSON for the test to check.
import { readFileSync } from "node:fs";
import { ready, Glossa } from "glossa/core";

await ready();
const glossa = new Glossa();
glossa.setGlossary(readFileSync(process.argv[2], "utf8"));
glossa.addArticle({
  id: "post-1", title: "Dual power", url: "/posts/dual-power/",
  passages: ["After February the soviets and the Provisional Government shared power.", "Lenin called it dual power."],
});
const bytes = glossa.toBytes();
const loaded = Glossa.fromBytes(bytes);
const intl = await import("glossa/core-intl");
const french = new intl.Glossa({ language: "fr" });
french.addArticle({ id: "fr", title: "La Commune", passages: ["Les communards ont gouverné Paris."] });
console.log(JSON.stringify({
  bytes: bytes.length,
  hits: loaded.search("dual power", { limit: 5 }).map((h) => [h.article, h.passage, h.url]),
  annotate: loaded.annotate("the Paris Commune").map((a) => a.term),
  french: french.search("communard", { limit: 1 }).map((h) => h.snippet),
}));
