// The app copies the glossary into its build; everything of glossa's comes from the package.
export default { build: { target: "es2022" }, publicDir: "public" };
