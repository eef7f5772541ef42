#!/usr/bin/env bash
# Entry point of the hex-migrate GitHub Action (action.yml runs it after installing the binary).
#
# Environment (set by action.yml from the action's inputs; never interpolated into script text):
#   HEX_MIGRATE_BIN          the hex-migrate executable (required)
#   INPUT_MODE               check | migrate
#   INPUT_PATHS              notebooks/folders, one per line (default: the whole repository)
#   INPUT_ARGS               extra CLI arguments, whitespace-separated (no shell quoting)
#   INPUT_CONFIG             path of a .hex-migrate.yaml
#   INPUT_WORKING_DIRECTORY  where to run (default: $GITHUB_WORKSPACE)
#   check:   INPUT_CHANGED_ONLY (true), INPUT_FROM_REF, INPUT_TO_REF, INPUT_SARIF_FILE,
#            INPUT_FAIL_ON_FINDINGS (true)
#   migrate: INPUT_GITHUB_TOKEN, INPUT_DRY_RUN (false)
# and the runner's GITHUB_* variables (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_NAME,
# GITHUB_EVENT_PATH, GITHUB_WORKSPACE, GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_API_URL).
#
# Exit status: 0 clean (or findings with fail-on-findings: false), 1 new findings, 2 error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/action/lib.sh
source "$here/lib.sh"

bin=${HEX_MIGRATE_BIN:-}
[ -n "$bin" ] || die "HEX_MIGRATE_BIN is not set (the install step did not run?)"
command -v jq >/dev/null 2>&1 || die "jq is required (it is preinstalled on GitHub-hosted runners)"

workdir=${INPUT_WORKING_DIRECTORY:-}
[ -n "$workdir" ] || workdir=${GITHUB_WORKSPACE:-.}
cd -- "$workdir" || die "cannot enter working directory '$workdir'"

tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/hex-migrate-action.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

common_args=()
[ -n "${INPUT_CONFIG:-}" ] && common_args+=(--config "$INPUT_CONFIG")
split_words "${INPUT_ARGS:-}" extra_args
split_lines "${INPUT_PATHS:-}" paths

# quiet_replay FILE...: prints captured tool stderr with workflow commands disabled, so notebook
# text quoted in an error message can never be taken for a `::command::` by the runner.
quiet_replay() {
  local f any=0
  for f in "$@"; do [ -s "$f" ] && any=1; done
  [ "$any" = 1 ] || return 0
  local token
  token=$(random_token)
  printf '::stop-commands::%s\n' "$token"
  for f in "$@"; do [ -s "$f" ] && cat -- "$f"; done
  printf '::%s::\n' "$token"
}

# append_summary FILE: appends Markdown to the job summary (if the runner provides one).
append_summary() {
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat -- "$1" >>"$GITHUB_STEP_SUMMARY"
  return 0
}

# event_refs: sets `from` and `to` from the event payload, or leaves them empty for a full check.
event_refs() {
  local ev=${GITHUB_EVENT_PATH:-} name=${GITHUB_EVENT_NAME:-}
  [ -n "$ev" ] && [ -f "$ev" ] || return 0
  case $name in
    pull_request | pull_request_target | pull_request_review | pull_request_review_comment)
      from=$(jq -r '.pull_request.base.sha // empty' "$ev")
      to=$(jq -r '.pull_request.head.sha // empty' "$ev")
      ;;
    merge_group)
      from=$(jq -r '.merge_group.base_sha // empty' "$ev")
      to=$(jq -r '.merge_group.head_sha // empty' "$ev")
      ;;
    push)
      from=$(jq -r '.before // empty' "$ev")
      to=$(jq -r '.after // empty' "$ev")
      # A new branch (before = 0000…) or a deleted one has no base to compare with.
      case $from in '' | *[!0]*) ;; *) from= ;; esac
      case $to in '' | *[!0]*) ;; *) to= ;; esac
      ;;
  esac
  if [ -z "$from" ] || [ -z "$to" ]; then
    from='' to=''
  fi
}

has_commit() { git cat-file -e "$1^{commit}" 2>/dev/null; }

# ensure_history FROM TO: both commits and a merge base are present locally. actions/checkout
# fetches one commit by default (fetch-depth: 1), so fetch what is missing, deepening a shallow
# clone step by step before falling back to the full history.
ensure_history() {
  local a=$1 b=$2 depth
  if has_commit "$a" && has_commit "$b" && git merge-base "$a" "$b" >/dev/null 2>&1; then
    return 0
  fi
  local shallow
  shallow=$(git rev-parse --is-shallow-repository 2>/dev/null || echo false)
  echo "Fetching the pull request's base and head commits (use fetch-depth: 0 on actions/checkout to skip this)"
  if [ "$shallow" = true ]; then
    for depth in 50 200 1000; do
      git fetch --no-tags --quiet --depth="$depth" origin "$a" "$b" ||
        die "git fetch of $a and $b failed; check out with fetch-depth: 0"
      git merge-base "$a" "$b" >/dev/null 2>&1 && return 0
    done
    git fetch --no-tags --quiet --unshallow origin "$a" "$b" ||
      die "git fetch --unshallow failed; check out with fetch-depth: 0"
  else
    git fetch --no-tags --quiet origin "$a" "$b" ||
      die "git fetch of $a and $b failed; check out with fetch-depth: 0"
  fi
  { has_commit "$a" && has_commit "$b"; } || die "commits $a and $b are not available after fetching"
  git merge-base "$a" "$b" >/dev/null 2>&1 ||
    die "$a and $b have no merge base; cannot tell which findings are new"
}

run_check() {
  local from=${INPUT_FROM_REF:-} to=${INPUT_TO_REF:-} fail_on_findings=true changed_only=true
  is_true "${INPUT_FAIL_ON_FINDINGS:-true}" || fail_on_findings=false
  is_true "${INPUT_CHANGED_ONLY:-true}" || changed_only=false
  if [ -z "$from$to" ] && [ "$changed_only" = true ]; then
    event_refs
  fi
  if [ -n "$from" ] && [ -z "$to" ]; then to=HEAD; fi
  if [ -z "$from" ] && [ -n "$to" ]; then die "to-ref is set without from-ref"; fi

  local args=(check)
  if [ -n "$from" ]; then
    ensure_history "$from" "$to"
    args+=(--from-ref "$from" --to-ref "$to")
    echo "Checking for Redshift SQL added between ${from:0:12} and ${to:0:12}"
  else
    echo "Checking every notebook (no pull request to compare with)"
  fi
  args+=("${common_args[@]}" "${extra_args[@]}")
  local targets=("${paths[@]}")
  [ "${#targets[@]}" -gt 0 ] || targets=(.)

  local rc_json=0 rc_gh=0 rc_sarif=0
  "$bin" "${args[@]}" --format json -- "${targets[@]}" >"$tmp/check.json" 2>"$tmp/json.err" || rc_json=$?
  if [ -n "${INPUT_SARIF_FILE:-}" ]; then
    mkdir -p -- "$(dirname -- "$INPUT_SARIF_FILE")"
    "$bin" "${args[@]}" --format sarif -- "${targets[@]}" >"$INPUT_SARIF_FILE" 2>"$tmp/sarif.err" || rc_sarif=$?
  fi
  # Annotations go straight to the log, where the runner turns them into annotations. The CLI
  # escapes them, keeps column ranges on one line and caps them at GitHub's per-step limits.
  "$bin" "${args[@]}" --format github -- "${targets[@]}" 2>"$tmp/gh.err" || rc_gh=$?
  quiet_replay "$tmp/json.err"

  # (jq 1.6 -e exits 0 on empty input, hence the -s test.)
  if ! { [ -s "$tmp/check.json" ] && jq -e 'type == "object" and (.findings | type) == "array"' "$tmp/check.json" >/dev/null 2>&1; }; then
    write_check_error_summary "$rc_json"
    die "hex-migrate check failed (exit $rc_json) without a report; see the log above"
  fi
  [ "$rc_sarif" -le 1 ] || { quiet_replay "$tmp/sarif.err"; die "hex-migrate check --format sarif failed (exit $rc_sarif)"; }
  [ "$rc_gh" -le 1 ] || [ "$rc_gh" = "$rc_json" ] || die "hex-migrate check --format github failed (exit $rc_gh)"

  # New findings: the CLI lists only those (pre-existing ones are counted in the summary) unless
  # --all was passed, so count by the `new` flag.
  local count errors
  count=$(jq -r '[.findings[] | select(.new != false)] | length' "$tmp/check.json")
  errors=$(jq -r '.errors // [] | length' "$tmp/check.json")
  set_output findings "$count"
  jq -r -f "$here/summary.jq" \
    --arg server "${GITHUB_SERVER_URL:-https://github.com}" \
    --arg repo "${GITHUB_REPOSITORY:-}" \
    --arg sha "${to:-${GITHUB_SHA:-}}" \
    --arg from "$from" \
    --argjson budget 900000 \
    "$tmp/check.json" >"$tmp/summary.md"
  append_summary "$tmp/summary.md"

  if [ "$rc_json" -ge 2 ]; then
    die "hex-migrate could not check $errors file(s) (exit $rc_json); the job summary lists them"
  fi
  if [ "$count" -gt 0 ]; then
    echo "hex-migrate found $count new finding(s); the job summary lists them all."
  else
    echo "hex-migrate: no new Redshift SQL."
  fi
  # The CLI decides what blocks (exit 1): new findings on warehouse cells.
  if [ "$rc_json" = 1 ] && [ "$fail_on_findings" = true ]; then
    return 1
  fi
  return 0
}

write_check_error_summary() {
  {
    echo "## hex-migrate check"
    echo
    echo "The check could not run (exit $1). The job log has the details."
  } >"$tmp/summary.md"
  append_summary "$tmp/summary.md"
}

run_migrate() {
  local args=(pr --output json)
  if is_true "${INPUT_DRY_RUN:-false}"; then
    args+=(--dry-run)
  fi
  args+=("${common_args[@]}" "${extra_args[@]}")
  [ "${#paths[@]}" -eq 0 ] || args+=(-- "${paths[@]}")

  local token=${INPUT_GITHUB_TOKEN:-}
  # Tokens minted at runtime (GitHub App installation tokens) are not masked by the runner unless
  # someone asks: ask, so the token can never show up in the log.
  [ -n "$token" ] && printf '::add-mask::%s\n' "$token"

  local rc=0
  GITHUB_TOKEN=$token "$bin" "${args[@]}" >"$tmp/pr.json" 2>"$tmp/pr.err" || rc=$?
  quiet_replay "$tmp/pr.err"
  if [ "$rc" -ne 0 ]; then
    quiet_replay "$tmp/pr.json"
    die "hex-migrate pr failed (exit $rc); see the log above"
  fi
  { [ -s "$tmp/pr.json" ] && jq -e 'type == "object" and has("operation")' "$tmp/pr.json" >/dev/null 2>&1; } || {
    quiet_replay "$tmp/pr.json"
    die "hex-migrate pr --output json printed no JSON result"
  }
  local op number url
  op=$(jq -r '.operation' "$tmp/pr.json")
  number=$(jq -r '.number // empty' "$tmp/pr.json")
  url=$(jq -r '.url // empty' "$tmp/pr.json")
  set_output pull-request-operation "$op"
  set_output pull-request-number "$number"
  set_output pull-request-url "$url"
  set_output pull-request-branch "$(jq -r '.branch // empty' "$tmp/pr.json")"
  set_output pull-request-head-sha "$(jq -r '.head_sha // empty' "$tmp/pr.json")"
  jq -r -f "$here/migrate-summary.jq" --arg dry_run "${INPUT_DRY_RUN:-false}" "$tmp/pr.json" >"$tmp/summary.md"
  append_summary "$tmp/summary.md"
  echo "hex-migrate pr: ${op}${number:+ #$number}${url:+ ($url)}"
}

case ${INPUT_MODE:-check} in
  check) run_check ;;
  migrate) run_migrate ;;
  *) die "mode must be check or migrate (got '${INPUT_MODE}')" ;;
esac
