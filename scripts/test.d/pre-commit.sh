#!/usr/bin/env bash
# The real pre-commit framework runs the hooks of .pre-commit-hooks.yaml (`pre-commit try-repo`)
# against a test repository: a commit adding Redshift SQL is blocked, one that adds none passes,
# and a --from-ref/--to-ref range (CI, pre-push) is honoured.
#
# `language: rust` makes pre-commit `cargo install --path .` this repository. To keep that to
# one build per machine, PRE_COMMIT_HOME and CARGO_TARGET_DIR point under target/, and the
# release profile is built without optimisation (it is a test install; speed is measured by
# scripts/bench-hook on a real release build). The first run still compiles every dependency
# once (several minutes on 2 cores); later runs rebuild only this crate.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "${HEX_MIGRATE_REQUIRE_TOOLS:-}" = 1 ]; then
    echo "pre-commit not found (scripts/test installs it into .venv)" >&2
    exit 1
  fi
  echo "skipped: pre-commit not found"
  exit 0
fi

export PRE_COMMIT_HOME="$ROOT/target/pre-commit-home"
export CARGO_TARGET_DIR="$ROOT/target/pre-commit-cargo"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_INCREMENTAL=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
unset HEX_MIGRATE_FORMAT HEX_MIGRATE_BIN PRE_COMMIT_FROM_REF PRE_COMMIT_TO_REF GIT_DIR GIT_INDEX_FILE

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/repo"
git init -q -b main "$repo"
cd "$repo"
git config user.name test
git config user.email test@example.com
git config commit.gpgsign false

# notebook FILE SQL: a minimal Hex export with one SQL cell on a Redshift connection.
notebook() {
  cat >"$1" <<YAML
schemaVersion: 3
meta:
  projectId: 0199e1f2-c5f2-7450-a30c-893acef023d2 # DO NOT CHANGE - Unique ID of the project from which this file was generated
  title: Pre-commit test
  codeLanguage: PYTHON
projectAssets:
  dataConnections: []
sharedAssets:
  dataConnections:
    - dataConnectionId: 11111111-1111-4111-8111-111111111111 # Redshift (redshift)
cells:
  - cellType: SQL
    cellId: 0199e1f3-2a6c-78e7-aacf-5a4f17e6fd0c # DO NOT CHANGE - Hex uses this to match up cells when reimporting the file, and detect any changes to existing cells
    cellLabel: Signups
    config:
      source: |-
        $2
      dataFrameCell: false
      dataConnectionId: 11111111-1111-4111-8111-111111111111
      resultVariableName: signups
YAML
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

notebook usage.yaml "select count(*) from users"
printf 'name: ci\non: push\n' >workflow.yaml
git add . && git commit -q -m base

try_repo() {
  pre-commit try-repo "$ROOT" hex-migrate-check --color never "$@"
}

# 1. Staged Redshift syntax: blocked, with the location.
notebook usage.yaml "select count(*), getdate() from users"
git add usage.yaml
# pre-commit's own git calls refresh the index file's stat cache, so compare what is staged.
index_before=$(git ls-files -s)
set +e
out=$(try_repo 2>&1)
rc=$?
set -e
echo "$out" | tail -n 20
[ "$rc" -ne 0 ] || fail "a commit adding GETDATE() passed"
echo "$out" | grep -q "usage.yaml:17:.*RS" || fail "no location in the output"
[ "$index_before" = "$(git ls-files -s)" ] || fail "the staged content changed"

# 2. A change that adds none passes (the old finding is there, not new).
git commit -q --no-verify -m "legacy getdate"
notebook usage.yaml "select count(*) as n, getdate() from users"
git add usage.yaml
out=$(try_repo 2>&1) || { echo "$out"; fail "a commit adding no Redshift SQL was blocked"; }
echo "$out" | tail -n 3
git commit -q --no-verify -m "rename column"

# 3. --from-ref/--to-ref (PRE_COMMIT_FROM_REF/TO_REF): the range that added GETDATE() is blocked.
# (Each try-repo run rebuilds the crate in a fresh clone, so the passing range is left to
# tests/check.rs, which sets the same variables.)
set +e
out=$(try_repo --from-ref HEAD~2 --to-ref HEAD~1 2>&1)
rc=$?
set -e
[ "$rc" -ne 0 ] || { echo "$out"; fail "the range adding GETDATE() passed"; }
echo "$out" | grep -q "usage.yaml:17:.*RS" || { echo "$out"; fail "no location in the range output"; }
echo "pre-commit try-repo: blocked and passed as expected"
