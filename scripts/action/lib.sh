# shellcheck shell=bash
# Helpers shared by the GitHub Action's scripts (sourced, not run).
#
# Every value that reaches these scripts from a workflow (action inputs, the event payload) comes
# in through environment variables and is only ever used quoted: nothing is interpolated into the
# script text by the runner, so a branch name or PR title cannot inject shell.

# die MESSAGE: prints a workflow error command and exits with 2 (the CLI's "usage/config" code).
die() {
  gh_command error "" "hex-migrate action: $1"
  exit 2
}

# escape_data TEXT: escapes a workflow-command message (actions/toolkit escapeData).
escape_data() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}

# escape_property TEXT: escapes a workflow-command property value (actions/toolkit escapeProperty).
escape_property() {
  local s
  s=$(escape_data "$1")
  s=${s//':'/'%3A'}
  s=${s//','/'%2C'}
  printf '%s' "$s"
}

# gh_command NAME PROPERTIES MESSAGE: prints `::NAME PROPERTIES::MESSAGE` with the message escaped.
# PROPERTIES must already be escaped (or empty).
gh_command() {
  local name=$1 props=$2 msg=$3
  if [ -n "$props" ]; then
    printf '::%s %s::%s\n' "$name" "$props" "$(escape_data "$msg")"
  else
    printf '::%s::%s\n' "$name" "$(escape_data "$msg")"
  fi
}

# set_output NAME VALUE: appends a step output to $GITHUB_OUTPUT. Uses the heredoc form with a
# random delimiter so a value containing newlines (or `NAME=` lookalikes) cannot add outputs.
set_output() {
  local name=$1 value=$2 delim
  [ -n "${GITHUB_OUTPUT:-}" ] || die "GITHUB_OUTPUT is not set (not running under GitHub Actions?)"
  delim="ghadelimiter_$(random_token)"
  case $value in *"$delim"*) die "output $name contains its own delimiter" ;; esac
  printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"$GITHUB_OUTPUT"
}

# random_token: 32 hex characters, for delimiters and stop-commands tokens.
random_token() {
  if [ -r /dev/urandom ]; then
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
  else
    printf '%s%s%s' "$RANDOM" "$$" "$(date +%s)"
  fi
}

# is_true VALUE: GitHub passes booleans to composite actions as the strings "true"/"false".
is_true() {
  case ${1,,} in
    true | yes | 1 | on) return 0 ;;
    false | no | 0 | off | '') return 1 ;;
    *) die "expected true or false, got '$1'" ;;
  esac
}

# split_words TEXT ARRAY: splits TEXT on whitespace (spaces, tabs, newlines) into ARRAY, without
# glob expansion or quote processing (no eval: input text is never executed).
split_words() {
  local -n _out=$2
  _out=()
  local IFS=$' \t\n'
  set -f
  # shellcheck disable=SC2206 # word splitting is the point; globbing is off (set -f).
  _out=($1)
  set +f
  return 0
}

# split_lines TEXT ARRAY: one element per non-blank line, surrounding whitespace trimmed (used for
# `paths`, so a path may contain spaces).
split_lines() {
  local -n _lines=$2
  _lines=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then _lines+=("$line"); fi
  done <<<"$1"
  return 0
}

# sha256_of FILE: the file's SHA-256 as lower-case hex (sha256sum on Linux, shasum on macOS).
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is available to verify downloads"
  fi
}
