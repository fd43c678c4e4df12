// Bundles the widget, www/src/glossa.js and its imports, into www/dist/glossa.js: minified
// by esbuild, with the stylesheets of styles.js minified as CSS too. esbuild leaves a
// template literal as written, so without this every reader would download the sheets'
// comments and indentation (0.3 kB of the gzipped bundle).
//
// usage: node scripts/bundle.mjs BANNER
import { readFile } from "node:fs/promises";
import { build, transform } from "esbuild";

const [banner = ""] = process.argv.slice(2);

const minifyStyles = {
  name: "minify-styles",
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]src[\\/]styles\.js$/ }, async ({ path }) => {
      const js = await readFile(path, "utf8");
      // The sheets are plain literals: an interpolation or escape would make a sheet's text
      // differ from the literal's source, so they are refused rather than minified wrongly.
      const literals = [...js.matchAll(/`([^`]*)`/g)];
      const bad = literals.find(([, css]) => css.includes("${") || css.includes("\\"));
      if (bad) throw new Error(`styles.js: a sheet has an interpolation or escape: ${bad[0].slice(0, 60)}…`);
      let out = "";
      let at = 0;
      for (const m of literals) {
        const { code } = await transform(m[1], { loader: "css", minify: true, logLevel: "error" });
        out += js.slice(at, m.index) + "`" + code.trim() + "`";
        at = m.index + m[0].length;
      }
      return { contents: out + js.slice(at), loader: "js" };
    });
  },
};

await build({
  entryPoints: ["www/src/glossa.js"],
  outfile: "www/dist/glossa.js",
  bundle: true,
  minify: true,
  target: "es2022",
  format: "esm",
  external: ["./core/glossa_core.js", "./core-intl/glossa_core.js"],
  banner: { js: banner },
  plugins: [minifyStyles],
  logLevel: "warning",
});
