#!/usr/bin/env bash
# Installs hex-migrate for the GitHub Action (see action.yml). Two sub-commands, one per step:
#
#   install.sh resolve   decide how to get the binary; for a prebuilt release (or a given binary)
#                        it is installed here and then. Outputs: method (binary|release|cargo),
#                        version, target, install-root, cache-key, bin (unless method=cargo).
#   install.sh cargo     `cargo install --locked --path $GITHUB_ACTION_PATH` into install-root,
#                        unless the cache step already restored that exact build. Output: bin.
#
# Inputs (environment): INPUT_BINARY, INPUT_INSTALL (auto|release|cargo), INPUT_VERSION,
# INSTALL_ROOT (cargo step), GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# RUNNER_TOOL_CACHE. HEX_MIGRATE_RELEASES overrides the release manifest (tests, mirrors).
#
# Prebuilt releases: scripts/action/releases.tsv in the action's own source lists, per version and
# target, the archive URL and its SHA-256. The release workflow appends to it before tagging, so an
# action ref pinned by commit SHA also pins the exact bytes it will download: a replaced release
# asset fails the checksum instead of running.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/action/lib.sh
source "$here/lib.sh"

action_path=${GITHUB_ACTION_PATH:-$(cd "$here/../.." && pwd)}

# source_version: the package version in the action's own Cargo.toml.
source_version() {
  local v
  v=$(sed -n '/^\[package\]/,/^\[/{s/^version *= *"\([^"]*\)".*/\1/p;}' "$action_path/Cargo.toml" | head -n1)
  [ -n "$v" ] || die "cannot read the package version from $action_path/Cargo.toml"
  printf '%s' "$v"
}

# runner_target: the Rust target triple of the release archive for this runner.
runner_target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "unsupported-$os-$arch" ;;
  esac
}

# release_entry VERSION TARGET: prints "sha256<TAB>url" from the manifest, or nothing.
release_entry() {
  local manifest=${HEX_MIGRATE_RELEASES:-$here/releases.tsv}
  [ -f "$manifest" ] || return 0
  awk -F'\t' -v v="$1" -v t="$2" '
    /^#/ || NF < 4 { next }
    $1 == v && $2 == t { print $3 "\t" $4; exit }
  ' "$manifest"
}

# source_hash: SHA-256 over what the binary is built from, so the cargo cache key changes exactly
# when the build would (a new action ref with identical sources reuses the cached binary).
source_hash() {
  local list f
  list=$(mktemp)
  (
    cd "$action_path"
    for f in Cargo.toml Cargo.lock build.rs rust-toolchain rust-toolchain.toml; do
      [ -f "$f" ] && printf '%s\n' "$f"
    done
    find src mappings -type f 2>/dev/null | LC_ALL=C sort
  ) | while IFS= read -r f; do
    printf '%s  %s\n' "$(sha256_of "$action_path/$f")" "$f"
  done >"$list"
  sha256_of "$list"
  rm -f "$list"
}

bin_name() {
  case $(runner_target) in *windows*) echo hex-migrate.exe ;; *) echo hex-migrate ;; esac
}

install_release() {
  local version=$1 target=$2 sha=$3 url=$4 root=$5 archive tmp got bin
  tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/hex-migrate-dl.XXXXXX")
  archive="$tmp/${url##*/}"
  echo "Downloading hex-migrate $version for $target"
  curl --fail --silent --show-error --location --retry 3 --proto '=https,file' \
    --output "$archive" -- "$url" || die "download of $url failed"
  got=$(sha256_of "$archive")
  if [ "$got" != "$sha" ]; then
    rm -rf "$tmp"
    die "checksum mismatch for $url: expected $sha, got $got (refusing to run it)"
  fi
  mkdir -p "$root/bin"
  case $archive in
    *.zip) unzip -q -o "$archive" -d "$tmp/x" ;;
    *.tar.gz | *.tgz) mkdir -p "$tmp/x" && tar -xzf "$archive" -C "$tmp/x" ;;
    *) die "unknown archive type: $archive" ;;
  esac
  bin=$(find "$tmp/x" -type f -name "$(bin_name)" | head -n1)
  [ -n "$bin" ] || die "$(bin_name) not found in $url"
  install -m 0755 "$bin" "$root/bin/$(bin_name)"
  rm -rf "$tmp"
}

# check_binary PATH VERSION: the binary runs and reports the expected version (if one is given).
check_binary() {
  local bin=$1 want=$2 got
  got=$("$bin" --version 2>/dev/null) || die "$bin does not run"
  echo "Using $got ($bin)"
  if [ -n "$want" ] && [ "${got##* }" != "$want" ]; then
    die "$bin is version ${got##* }, expected $want"
  fi
}

cmd_resolve() {
  local mode=${INPUT_INSTALL:-auto} want=${INPUT_VERSION:-} src version target entry root key
  if [ -n "${INPUT_BINARY:-}" ]; then
    [ -x "$INPUT_BINARY" ] || die "binary '$INPUT_BINARY' is not an executable file"
    check_binary "$INPUT_BINARY" "$want"
    set_output method binary
    set_output bin "$INPUT_BINARY"
    return
  fi
  src=$(source_version)
  version=${want:-$src}
  version=${version#v}
  target=$(runner_target)
  entry=$(release_entry "$version" "$target")
  root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/hex-migrate/$version/$target"
  set_output version "$version"
  set_output target "$target"

  case $mode in
    auto) [ -n "$entry" ] && mode=release || mode=cargo ;;
    release) [ -n "$entry" ] || die "no prebuilt hex-migrate $version for $target in the release manifest; use install: cargo" ;;
    cargo) ;;
    *) die "install must be auto, release or cargo (got '$mode')" ;;
  esac

  if [ "$mode" = release ]; then
    install_release "$version" "$target" "${entry%%$'\t'*}" "${entry#*$'\t'}" "$root/release"
    check_binary "$root/release/bin/$(bin_name)" "$version"
    set_output method release
    set_output bin "$root/release/bin/$(bin_name)"
    return
  fi

  # Building from source only ever builds the action's own source: another version needs another
  # action ref (or a release).
  [ "$version" = "$src" ] ||
    die "version $version has no prebuilt release for $target and the action's source is $src: pin the action to the v$version tag instead"
  key="hex-migrate-cargo-v1-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}-$version-$(source_hash)"
  echo "No prebuilt release of hex-migrate $version for $target: building from source (cached as $key)"
  set_output method cargo
  set_output install-root "$root/cargo-${key##*-}"
  set_output cache-key "$key"
  set_output cache-restore-prefix "hex-migrate-cargo-v1-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}-"
}

cmd_cargo() {
  local root=${INSTALL_ROOT:?INSTALL_ROOT is required} bin
  bin="$root/bin/$(bin_name)"
  if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    echo "Restored from cache: $bin"
  else
    command -v cargo >/dev/null 2>&1 ||
      die "cargo is not installed on this runner: install a Rust toolchain first (or use a release)"
    cargo install --locked --path "$action_path" --root "$root" --bin hex-migrate
  fi
  check_binary "$bin" "$(source_version)"
  set_output bin "$bin"
}

case ${1:-} in
  resolve) cmd_resolve ;;
  cargo) cmd_cargo ;;
  *) die "usage: install.sh resolve|cargo" ;;
esac
