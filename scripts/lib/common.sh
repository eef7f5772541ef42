# Shared helpers for scripts/test and scripts/test.d/*.sh (sourced, not run).

STEPS_PASSED=0
STEPS_FAILED=0
FAILED_NAMES=()

# step NAME CMD...: runs CMD, records the result, keeps going so one run shows every failure.
step() {
  local name=$1
  shift
  echo "==> $name"
  local start=$SECONDS
  if "$@"; then
    STEPS_PASSED=$((STEPS_PASSED + 1))
    echo "<== $name: ok ($((SECONDS - start)) s)"
  else
    STEPS_FAILED=$((STEPS_FAILED + 1))
    FAILED_NAMES+=("$name")
    echo "<== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

summary() {
  echo
  if [ "$STEPS_FAILED" -gt 0 ]; then
    echo "failed steps: ${FAILED_NAMES[*]}"
  fi
  echo "steps: $STEPS_PASSED passed, $STEPS_FAILED failed"
  [ "$STEPS_FAILED" -eq 0 ]
}

# ensure_venv: .venv with scripts/requirements-test.txt installed (skipped when up to date).
ensure_venv() {
  local req=scripts/requirements-test.txt stamp=.venv/.requirements
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! cmp -s "$req" "$stamp" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
}

# ensure_apt CMD PACKAGE: installs a Debian package when CMD is not on PATH.
ensure_apt() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  else
    sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  fi
}
