//! The `glossa` command: prebuild a search index for a static site, mark glossary terms in
//! its built pages, search an index, annotate text, look up a term.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod html;
#[cfg(not(target_arch = "wasm32"))]
mod posts;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The command is native only, but `wasm-pack test` compiles every target for wasm32.
#[cfg(target_arch = "wasm32")]
fn main() {}
