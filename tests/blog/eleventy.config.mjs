// The fixture blog: a real Eleventy site of 22 posts that embeds glossa as a blog would.
// tests/blog/build.sh builds it, then prebuilds the cross-post index and marks terms.
export default function (config) {
  // GLOSSA_BLOG_WIDGET_ONLY=1: the same blog with no build step of glossa's, the widget
  // marking and indexing each page itself; the tests compare the two.
  config.addGlobalData("prebuilt", !process.env.GLOSSA_BLOG_WIDGET_ONLY);
  config.addPassthroughCopy({ "../../content/glossary.json": "glossary.json" });
  config.addPassthroughCopy({ "site.css": "site.css" });
  return {
    dir: { input: ".", includes: "_includes", output: "_site" },
    markdownTemplateEngine: false,
  };
}
