#!/usr/bin/env bash
# Installs wasm-bindgen-cli at exactly the version in Cargo.lock (the CLI and the crate must match).
# A plain `cargo install --locked` can fail when the tool's lockfile names a crate version the
# registry index here lacks; then build it from its source with that one crate pinned back.
set -euo pipefail
want="$1"
if command -v wasm-bindgen >/dev/null && [[ "$(wasm-bindgen --version)" == "wasm-bindgen $want" ]]; then
  exit 0
fi
echo "installing wasm-bindgen-cli $want …"
if cargo install wasm-bindgen-cli --version "$want" --locked; then exit 0; fi
src=$(ls -d "$HOME"/.cargo/registry/src/*/wasm-bindgen-cli-"$want" 2>/dev/null | head -1)
if [[ -z "$src" ]]; then
  echo "error: could not fetch wasm-bindgen-cli $want from crates.io" >&2; exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/cli"
cd "$work/cli"
for pin in "webpki-roots@1.0.10"; do
  cargo update -p "${pin%@*}" --precise "${pin#*@}" || true
done
cargo install --path . --locked
