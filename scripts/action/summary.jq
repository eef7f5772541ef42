# Renders `hex-migrate check --format json` as the Markdown job summary of the GitHub Action.
#
# Arguments: $server, $repo, $sha (commit the line links point at; links are left out when $repo or
# $sha is empty), $from (base commit, empty for a full check), $budget (bytes; GitHub rejects a step
# summary over 1 MiB, so the table stops before and says how many rows were left out).
#
# Every string that comes from a notebook or the tool is escaped for a GFM table cell: it cannot
# close the cell (`|`), open HTML (`<`), or break the row (newlines).

# (split/join rather than gsub: jq's regex gsub is quadratic on long strings.)
def swap($a; $b): split($a) | join($b);
def cell: tostring
  | swap("&"; "&amp;") | swap("<"; "&lt;") | swap(">"; "&gt;")
  | swap("\\"; "\\\\") | swap("|"; "\\|")
  | swap("\r\n"; " ") | swap("\n"; " ") | swap("\r"; " ");

def code: "<code>" + cell + "</code>";

def url_path: split("/") | map(@uri) | join("/");

def severity_rank: {"error": 0, "warning": 1, "info": 2, "notice": 2}[.] // 3;

def location:
  (.path + ":" + (.line | tostring)) as $text
  | if $repo != "" and $sha != "" then
      "[" + ($text | cell | swap("["; "\\[") | swap("]"; "\\]")) + "](" + $server + "/" + $repo + "/blob/" + $sha + "/"
        + (.path | url_path) + "#L" + (.line | tostring) + ")"
    else ($text | code) end;

def row:
  "| " + location
  + " | " + (.code | cell)
  + " | " + (.severity | cell) + (if .new == false then " (already there)" else "" end)
  + " | " + (.message | cell)
  + " | " + (if (.suggestion // "") == "" then "needs a person"
             else (.suggestion | code) + (if .fixable then " (`hex-migrate fix`)" else "" end) end)
  + " |";

# Rows until the byte budget is spent; then one line saying what was left out.
def budgeted($rows; $budget):
  reduce $rows[] as $r ({out: [], used: 0, left: 0};
    if .left == 0 and (.used + ($r | utf8bytelength) + 1) <= $budget
    then .out += [$r] | .used += (($r | utf8bytelength) + 1)
    else .left += 1 end)
  | .out + (if .left > 0
            then ["", "… and \(.left) more finding(s) not listed: the job summary is limited to 1 MiB. Use `sarif-file` or run `hex-migrate check` locally for the full list."]
            else [] end);

(.findings // []) as $all
| ($all | sort_by((.severity | severity_rank), .path, .line, .column)) as $sorted
| [
    "## hex-migrate check",
    "",
    (if $from != "" then
       "New Redshift SQL added by this change (compared with `\($from[0:12])`)."
     else "Redshift SQL in the checked notebooks." end),
    "",
    (if ($all | length) == 0 then
       "No new findings. :white_check_mark:"
     else
       "| severity | findings |",
       "|---|---:|",
       ($all | group_by(.severity) | sort_by(.[0].severity | severity_rank)[]
         | "| \(.[0].severity | cell) | \(length) |"),
       "",
       "| location | rule | severity | message | Databricks form |",
       "|---|---|---|---|---|",
       budgeted([$sorted[] | row]; $budget)[]
     end),
    (if (.errors // []) | length > 0 then
       "",
       "### Files that could not be checked",
       "",
       (.errors[] | "- " + (((.path // "") + (if .line then ":\(.line)" else "" end)) | code)
                  + " " + ((.message // "") | cell))
     else empty end),
    (if (.summary.preexisting // 0) > 0 and ([$all[] | select(.new == false)] | length) == 0 then
       "",
       "\(.summary.preexisting) finding(s) were already there before this change and are not listed."
     else empty end),
    (if (.summary.unchanged_cells // 0) > 0 then
       "",
       "\(.summary.unchanged_cells) SQL cell(s) this change does not touch were not re-checked."
     else empty end),
    ""
  ]
| .[]
