// A bundled app: the registering entry, the core API and the typed elements and events.
import "glossa";
import { ready, Glossa, type Hit } from "glossa/core";
import type { GlossaReader, GlossaReadyDetail } from "glossa/elements";

const reader: GlossaReader | null = document.querySelector("glossa-reader");
reader?.addEventListener("glossa:ready", (event) => {
  const detail: GlossaReadyDetail = event.detail;
  document.body.dataset.terms = String(detail.terms);
});

await ready();
const glossa = new Glossa();
glossa.addArticle({ id: "note", title: "A note", passages: ["Blanquism trusted a small conspiracy."] });
const hits: Hit[] = glossa.search("blanquism", { limit: 3 });
const out = document.getElementById("core") as HTMLOutputElement;
out.value = `${glossa.articleCount} article, ${hits.length} hit: ${hits[0]?.snippet ?? ""}`;
