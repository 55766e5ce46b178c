//! Splits the browser bundle at its `#[lazy]` / `#[lazy_route]` split points.
//!
//! Usage: `mentorship-wasm-split INPUT.wasm PKG_DIR OUTPUT_NAME`
//!
//! Writes, like cargo-leptos' `--split`:
//! - `INPUT_split.wasm` beside the input: the main module, for wasm-bindgen
//!   (run it with `--keep-lld-exports --no-demangle`);
//! - the lazily loaded chunks (`*.wasm`) and their loader
//!   `__wasm_split.______________________.js` into PKG_DIR (the underscores are the
//!   placeholder the hashing step replaces);
//! - `__wasm_split_manifest.json` into PKG_DIR: which chunks each split point needs, read by
//!   Leptos' `HydrationScripts` to preload the chunks of the page being served.
use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = run() {
        eprintln!("mentorship-wasm-split: {e:?}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--version") {
        // `./x setup` compares this line to decide whether to reinstall.
        println!("mentorship-wasm-split {} (wasm_split_cli_support 0.2.4)", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    let [input, pkg_dir, output_name] = args.as_slice() else {
        return Err("usage: mentorship-wasm-split INPUT.wasm PKG_DIR OUTPUT_NAME".into());
    };
    let input = PathBuf::from(input);
    let pkg_dir = PathBuf::from(pkg_dir);
    let stem = input.file_stem().and_then(|s| s.to_str()).ok_or("input has no file name")?;
    let main_out = input.with_file_name(format!("{stem}_split.wasm"));
    let input_wasm = std::fs::read(&input)?;
    let main_module = format!("./{output_name}.js");

    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input_wasm);
        opts.output_dir = &pkg_dir;
        opts.main_out_path = &main_out;
        opts.main_module = &main_module;
        opts.link_name = "./__wasm_split.______________________.js";
        opts
    })
    .map_err(|e| format!("{e:?}"))?;

    let mut entries: Vec<_> = split.prefetch_map.iter().collect();
    entries.sort();
    let body = entries
        .iter()
        .map(|(name, files)| {
            let files = files.iter().map(|f| json_string(f)).collect::<Vec<_>>().join(", ");
            format!("  {}: [{}]", json_string(name), files)
        })
        .collect::<Vec<_>>()
        .join(",\n");
    std::fs::write(pkg_dir.join("__wasm_split_manifest.json"), format!("{{\n{body}\n}}\n"))?;
    for chunk in &split.split_modules {
        println!("{}", Path::new(chunk).display());
    }
    Ok(())
}

/// A JSON string literal (the names are identifiers and file names, but escape anyway).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
