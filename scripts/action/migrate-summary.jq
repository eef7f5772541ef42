# Renders `hex-migrate pr --output json` as the Markdown job summary of the GitHub Action.
# Argument: $dry_run ("true" when nothing was pushed).

# (split/join rather than gsub: jq's regex gsub is quadratic on long strings.)
def swap($a; $b): split($a) | join($b);
def html: tostring | swap("&"; "&amp;") | swap("<"; "&lt;") | swap(">"; "&gt;");
def cell: html
  | swap("\\"; "\\\\") | swap("|"; "\\|")
  | swap("\r\n"; " ") | swap("\n"; " ") | swap("\r"; " ");

def what:
  {"created": "Opened", "updated": "Updated", "closed": "Closed (nothing left to migrate)",
   "none": "No change to"}[.operation] // (.operation | cell);

[
  "## hex-migrate migration",
  "",
  (if $dry_run == "true" then "Dry run: nothing was pushed and no pull request was changed.", "" else empty end),
  (if (.url // "") != "" then
     "\(what) pull request [#\(.number)](\(.url)) from branch <code>\((.branch // "") | html)</code>."
   else
     "\(what) the migration pull request."
   end),
  (if (.counts // {}) | length > 0 then
     "",
     "| | count |",
     "|---|---:|",
     (.counts | to_entries[] | "| \(.key | swap("_"; " ") | cell) | \(.value | cell) |")
   else empty end),
  ""
]
| .[]
