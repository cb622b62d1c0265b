#!/bin/sh
# Opt-in Claude Code Stop hook: runs `mm hook stop` (review the change when
# checkpoints.pr_cross_review = "auto" and `mm check` says it needs one). Reads the hook
# JSON on stdin. Fails OPEN: when mm cannot be found or crashes, it prints a visible notice
# and exits 0, so Claude can always stop. Enable it: README.md in this folder.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
notice() {
  printf '{"systemMessage":"multimodel Stop hook: %s (the stop was NOT blocked, and this is NOT a review pass)"}\n' "$1"
  exit 0
}
pkg="$here/../.."
if [ -z "${MM_BIN:-}" ] && [ -f "$pkg/dist/hook-stop.js" ] && [ -f "$pkg/scripts/hooks/stop-review.mjs" ]; then
  # Inside the built package (this repository or the npm package): the hook's own small entry.
  set -- node "$pkg/scripts/hooks/stop-review.mjs" "$@"
elif [ -x "$here/../scripts/mm" ]; then
  # The pack's launcher (plugin or copied pack); never download mm from inside a hook.
  set -- "$here/../scripts/mm" hook stop "$@"
  export MM_LAUNCHER_NO_NPX=1
elif [ -n "${MM_BIN:-}" ]; then
  set -- "$MM_BIN" hook stop "$@"
elif [ -x "${CLAUDE_PROJECT_DIR:-$PWD}/node_modules/.bin/mm" ]; then
  set -- "${CLAUDE_PROJECT_DIR:-$PWD}/node_modules/.bin/mm" hook stop "$@"
elif command -v mm >/dev/null 2>&1; then
  set -- mm hook stop "$@"
else
  notice "mm not found (npm i -D multimodel, or put mm on PATH)"
fi
out=$("$@")
status=$?
if [ "$status" -eq 127 ]; then notice "mm not found (npm i -D multimodel, or put mm on PATH)"; fi
if [ "$status" -ne 0 ]; then notice "mm hook stop exited $status"; fi
[ -n "$out" ] && printf '%s\n' "$out"
exit 0
