#!/bin/sh
# Opt-in Claude Code Stop hook: runs `mm hook stop` (review the change when
# checkpoints.pr_cross_review = "auto" and `mm check` says it needs one). Reads the hook
# JSON on stdin. Fails OPEN: when mm cannot be found or crashes, it prints a visible notice
# and exits 0, so Claude can always stop. Enable it: README.md in this folder.
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac # no dirname subprocess on the hook path
notice() {
  printf '{"systemMessage":"multimodel Stop hook: %s (the stop was NOT blocked, and this is NOT a review pass)"}\n' "$1"
  exit 0
}
pkg="$here/../.."
# As the separate multimodel-stop-review plugin, only this folder is in the plugin cache
# (<cache>/multimodel/multimodel-stop-review/<version>/): use the multimodel plugin's runtime.
sibling=""
for f in "$here"/../../multimodel/*/runtime/hook-stop.js; do [ -f "$f" ] && sibling="$f"; done
if [ -z "${MM_BIN:-}" ] && [ -f "$pkg/dist/hook-stop.js" ] && [ -f "$pkg/scripts/hooks/stop-review.cjs" ]; then
  # Inside the built package (this repository or the npm package): the hook's own small entry.
  set -- node "$pkg/scripts/hooks/stop-review.cjs" "$@"
elif [ -z "${MM_BIN:-}" ] && [ -f "$here/../runtime/hook-stop.js" ]; then
  # The runtime shipped with the pack (plugin or copied pack): the hook's own small entry.
  set -- node "$here/../runtime/hook-stop.js" "$@"
elif [ -z "${MM_BIN:-}" ] && [ -n "$sibling" ]; then
  set -- node "$sibling" "$@"
elif [ -x "$here/../scripts/mm" ]; then
  # The pack's launcher: MM_BIN, node_modules/.bin/mm or PATH (it never downloads anything).
  set -- "$here/../scripts/mm" hook stop "$@"
elif [ -n "${MM_BIN:-}" ]; then
  set -- "$MM_BIN" hook stop "$@"
elif [ -x "${CLAUDE_PROJECT_DIR:-$PWD}/node_modules/.bin/mm" ]; then
  set -- "${CLAUDE_PROJECT_DIR:-$PWD}/node_modules/.bin/mm" hook stop "$@"
elif command -v mm >/dev/null 2>&1; then
  set -- mm hook stop "$@"
else
  notice "mm not found (reinstall the pack with its runtime/ folder, or set MM_BIN)"
fi
out=$("$@")
status=$?
if [ "$status" -eq 127 ]; then notice "mm not found (reinstall the pack with its runtime/ folder, or set MM_BIN)"; fi
if [ "$status" -ne 0 ]; then notice "mm hook stop exited $status"; fi
[ -n "$out" ] && printf '%s\n' "$out"
exit 0
