# TAP helpers for the command tests. Each script sources this, runs the command through
# $SB (under $SB_TEST_WRAPPER when the checkers run), and ends with `finish`.
set -u
n=0
failed=0
TMP="${BUILDDIR:-.}/tests/tmp/cli-$(basename "$0" .sh)"
rm -rf "$TMP"
mkdir -p "$TMP"
export SHUANGBAI_DB="$TMP/shuangbai.db"
export SHUANGBAI_ACTOR=tester
export SHUANGBAI_TODAY="${SHUANGBAI_TODAY:-2026-11-29}"

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# sb ARGS...: run the command; sets $rc, $out (stdout) and $err (stderr).
sb() {
  ${SB_TEST_WRAPPER:-} "$SB" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

# expect_rc DESC CODE: the last sb call exited with CODE.
expect_rc() {
  if [ "$rc" -eq "$2" ]; then pass "$1"; else fail "$1" "exit $rc, want $2" "stderr: $err" "stdout: $(printf '%s' "$out" | head -5)"; fi
}
# expect_out DESC TEXT: stdout contains TEXT.
expect_out() {
  case "$out" in *"$2"*) pass "$1" ;; *) fail "$1" "stdout lacks: $2" "stdout: $(printf '%s' "$out" | head -20)" ;; esac
}
# expect_err DESC TEXT: stderr contains TEXT.
expect_err() {
  case "$err" in *"$2"*) pass "$1" ;; *) fail "$1" "stderr lacks: $2" "stderr: $err" ;; esac
}
# expect_eq DESC GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got: $2" "want: $3"; fi
}
# dbsum: a digest of every table's content (to prove a failed command changed nothing).
dbsum() {
  "$SQLITE3" "${1:-$SHUANGBAI_DB}" .dump | grep -v '^PRAGMA\|^BEGIN\|^COMMIT' | sha256sum | cut -d' ' -f1
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; }
