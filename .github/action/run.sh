#!/usr/bin/env bash
# The work of the talkfeed action (action.yml): runs `talkfeed build` (or
# `check`) with diagnostics as workflow annotations, sets the outputs `talks`
# and `out-dir`, and writes a job summary. It exits with talkfeed's status.
# It needs nothing from the action but these variables, so tests run it
# locally (tests/release/run action):
#
#   TALKFEED                  the binary (default: talkfeed on PATH)
#   INPUT_WORKING_DIRECTORY   the site's root (default .)
#   INPUT_ARGS                more arguments, split as a shell would ("quotes" kept together)
#   INPUT_CHECK_ONLY          true: `talkfeed check`, writing nothing
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY   files the runner reads (skipped if unset)
set -uo pipefail

talkfeed=${TALKFEED:-talkfeed}
output=${GITHUB_OUTPUT:-/dev/null}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

# A message as a workflow command's data: %, CR and LF escaped.
escape() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}
# A value of a workflow command's property: also : and , escaped.
escape_property() {
  local s
  s=$(escape "$1")
  s=${s//':'/'%3A'}
  s=${s//','/'%2C'}
  printf '%s' "$s"
}
fail() {
  echo "::error title=talkfeed action::$(escape "$1")"
  exit 2
}

case ${INPUT_CHECK_ONLY:-false} in
  true | True | TRUE) command=check ;;
  false | False | FALSE | "") command=build ;;
  *) fail "check-only: '${INPUT_CHECK_ONLY}' is neither true nor false" ;;
esac
dir=${INPUT_WORKING_DIRECTORY:-.}
cd "$dir" 2>/dev/null || fail "working-directory: '$dir' is not a folder"

# The extra arguments, split like a shell (quotes, backslashes) but never
# evaluated: xargs does the splitting.
args=()
if [[ ${INPUT_ARGS:-} =~ [^[:space:]] ]]; then
  split=$(printf '%s\n' "$INPUT_ARGS" | xargs printf '%s\n' 2>&1) || fail "args: cannot split '$INPUT_ARGS': $split"
  while IFS= read -r arg; do
    args+=("$arg")
  done <<< "$split"
fi

# talkfeed names files from where it runs; an annotation names them from
# the repository's root. In a site below the root (working-directory: site),
# content/talk/x.md becomes site/content/talk/x.md.
prefix=
if [ -n "${GITHUB_WORKSPACE:-}" ] && workspace=$(cd "$GITHUB_WORKSPACE" 2>/dev/null && pwd -P); then
  here=$(pwd -P)
  case $here in
    "$workspace"/*) prefix=$(escape_property "${here#"$workspace"/}/") ;;
  esac
fi
# Only relative paths: an absolute one (--site /abs) is left as it is.
relocate() {
  if [ -n "$prefix" ]; then
    local p=${prefix//\\/\\\\}
    p=${p//&/\\&}
    p=${p//|/\\|}
    sed -E "s|^(::[a-z]+ ([^:]*,)?file=)([^/])|\\1$p\\3|"
  else
    cat
  fi
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The annotations are on standard output, the summary line on standard
# error: both go to the runner (and into the log, to read them back).
"$talkfeed" "$command" ${args[@]+"${args[@]}"} --format github 2>&1 | relocate | tee "$log"
status=${PIPESTATUS[0]}

warnings=$(grep -c '^::warning' "$log")
errors=$(grep -c '^::error' "$log")
# A usage error (a bad flag, a missing folder) is no diagnostic of a file:
# annotate it too, so the run's page says why it failed.
while IFS= read -r line; do
  echo "::error title=talkfeed::$(escape "${line#talkfeed: error: }")"
  errors=$((errors + 1))
done < <(grep '^talkfeed: error: ' "$log")

# The talks, as talkfeed lists them (one JSON object per talk, every
# language): the same reading of the site as the run's, structured.
talks=
in_calendar=
if listing=$("$talkfeed" list ${args[@]+"${args[@]}"} --format json 2>/dev/null); then
  talks=$(grep -c '^{' <<< "$listing")
  in_calendar=$(grep -c '"in_calendar":true' <<< "$listing")
fi

# What build wrote, from its summary line:
#   talkfeed: OUT: 13 files written, 0 unchanged, 0 removed; 8 talks, 7 in the calendar (0.04 s)
out_dir=
written=
url=
if [ "$command" = build ]; then
  line=$(grep -E '^talkfeed: .+: [0-9]+ files? written, ' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    out_dir=$(sed -E 's/^talkfeed: (.+): [0-9]+ files? written, .*/\1/' <<< "$line")
    written=$(sed -E 's/.*: ([0-9]+) files? written, ([0-9]+) unchanged, ([0-9]+) removed.*/\1 (\2 unchanged, \3 removed)/' <<< "$line")
  else
    # -q prints no summary: the folder --out names, or talkfeed's default.
    out_dir=out
    for ((i = 0; i < ${#args[@]}; i++)); do
      case ${args[i]} in
        --out) out_dir=${args[i + 1]:-} ;;
        --out=*) out_dir=${args[i]#--out=} ;;
      esac
    done
  fi
  if [ -n "$out_dir" ] && [ -d "$out_dir" ]; then
    out_dir=$(cd "$out_dir" && pwd)
    # The subscribe page is at the publish URL, where feed.json is.
    if [ -f "$out_dir/feed.json" ]; then
      url=$(grep -o '"feed_url": *"[^"]*"' "$out_dir/feed.json" | head -n 1 | sed -E 's/.*"([^"]*)"$/\1/')
      url=${url%feed.json}
    fi
  fi
fi

{
  echo "talks=$talks"
  echo "out-dir=$out_dir"
} >> "$output"

if [ "$status" -eq 0 ]; then
  verdict="✅ \`talkfeed $command\` succeeded"
else
  verdict="❌ \`talkfeed $command\` failed (exit status $status)"
fi
{
  echo "### talkfeed"
  echo
  echo "$verdict"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| talks read | ${talks:-?} |"
  echo "| in the calendars | ${in_calendar:-?} |"
  echo "| warnings | $warnings |"
  echo "| errors | $errors |"
  if [ "$command" = build ]; then
    echo "| files written | ${written:-none} |"
    [ -n "$out_dir" ] && echo "| output folder | \`$out_dir\` |"
    if [ -n "$url" ]; then
      echo "| subscribe page | <$url> |"
      echo "| calendar | <${url}talks.ics> |"
    fi
  fi
  echo
} >> "$summary"

exit "$status"
