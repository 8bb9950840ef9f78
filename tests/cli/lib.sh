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

# fault_loop KIND MAX STRIDE DESC CMD...: runs CMD with the Nth KIND call failing
# (SHUANGBAI_FAULT=KIND:N), N = 1, 1 + STRIDE, ... until the command succeeds; STRIDE is 1
# when SB_LONG is set (make check-long), three times STRIDE under valgrind. Every failing run
# must exit 1 with a "shuangbai: " message, no sanitizer report, the database as it was, and
# the files under $FAULT_WATCH (directories, space-separated) neither added, removed nor
# changed; under make check-valgrind a leak makes the run exit 99. Between runs the database
# and the watched directories are restored, so each run starts from the same state.
FAULT_WATCH=
fault_files() {
  for d in $FAULT_WATCH; do
    [ -d "$d" ] && (cd "$d" && find . -type f | LC_ALL=C sort | while read -r f; do printf '%s ' "$f"; sha256sum <"$f"; done)
  done | sha256sum | cut -d' ' -f1
}
fault_restore() {
  cp "$TMP/fault-base.db" "$SHUANGBAI_DB"; rm -f "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm" "$SHUANGBAI_DB-journal"
  _fi=0
  for d in $FAULT_WATCH; do
    _fi=$((_fi + 1)); rm -rf "$d"
    [ -d "$TMP/fault-watch-$_fi" ] && cp -a "$TMP/fault-watch-$_fi" "$d"
  done
}
fault_loop() {
  kind=$1; max=$2; stride=$3; desc=$4; shift 4
  # valgrind makes each run a hundred times slower: a sparser walk there, unless SB_LONG
  [ -n "${SB_VALGRIND:-}" ] && stride=$((stride * 3))
  [ -n "${SB_LONG:-}" ] && stride=1
  cp "$SHUANGBAI_DB" "$TMP/fault-base.db"
  _fi=0
  for d in $FAULT_WATCH; do
    _fi=$((_fi + 1)); rm -rf "$TMP/fault-watch-$_fi"
    [ -d "$d" ] && cp -a "$d" "$TMP/fault-watch-$_fi"
  done
  base=$(dbsum); fbase=$(fault_files)
  k=1; bad=0; fired=0
  while [ $k -le "$max" ]; do
    fault_restore
    SHUANGBAI_FAULT="$kind:$k" ${SB_TEST_WRAPPER:-} "$SB" "$@" >"$TMP/out" 2>"$TMP/err"
    r=$?
    if [ $r -eq 0 ]; then break; fi
    fired=$((fired + 1))
    why=
    [ $r -ne 1 ] && why="exit $r"
    grep -q '^shuangbai: ' "$TMP/err" || why="$why, no message"
    grep -q 'Sanitizer\|runtime error:' "$TMP/err" && why="$why, sanitizer report"
    [ "$(dbsum)" != "$base" ] && why="$why, database changed"
    [ -n "$FAULT_WATCH" ] && [ "$(fault_files)" != "$fbase" ] && why="$why, files changed"
    if [ -n "$why" ]; then
      bad=$((bad + 1))
      [ $bad -le 3 ] && echo "# $kind:$k: ${why#, }: $(head -c 600 "$TMP/err")"
    fi
    k=$((k + stride))
  done
  if [ $bad -eq 0 ] && [ $fired -gt 0 ] && [ $k -le "$max" ]; then
    pass "$desc: $fired injected $kind faults each exit 1 with the database unchanged"
  else
    fail "$desc: injected $kind faults" "bad=$bad fired=$fired last N=$k"
  fi
  fault_restore
}

# liwan_registry BIN PKIDIR: a registry of Guangzhou's Liwan district for the crash and
# concurrency tests — its divisions and stations, generated employers, a generated roster of
# three workers per township ($TMP/roster.csv) taken over from 2026-01-01, the Guangdong pay
# policy — and a province CA in PKIDIR. Run with $SHUANGBAI_PASSPHRASE set.
liwan_registry() {
  _b=$1; _pki=$2
  _gd="$SRCDIR/data/divisions/guangdong.csv"
  { head -3 "$_gd"; grep '^440103' "$_gd"; } >"$TMP/liwan.csv"
  "$_b" init >/dev/null &&
  "$_b" org import "$TMP/liwan.csv" >/dev/null &&
  "$_b" org stations >/dev/null &&
  "$_b" generate employers --scope 440103000000 --out "$TMP/emp.csv" >/dev/null &&
  "$_b" org employers "$TMP/emp.csv" >/dev/null &&
  "$_b" generate roster --scope 440103000000 --out "$TMP/roster.csv" --per-township 3 >/dev/null &&
  "$_b" staff import "$TMP/roster.csv" --source relief --start 2026-01-01 >/dev/null &&
  "$_b" pay policy "$SHARED/examples/pay-guangdong.xml" >/dev/null &&
  "$_b" pki init --dir "$_pki" >/dev/null
}

# staff_townships: a new registry of tests/data/staff-divisions.csv (two townships of Liwan,
# 440103001000 and 440103002000) with its stations, and $TMP/emp.csv naming their two
# governments as employers — written, not loaded, so that a test can load it its own way.
staff_townships() {
  sb init; [ "$rc" -eq 0 ] || return 1
  sb org import "$SRCDIR/tests/data/staff-divisions.csv"; [ "$rc" -eq 0 ] || return 1
  sb org stations; [ "$rc" -eq 0 ] || return 1
  cat >"$TMP/emp.csv" <<'CSV'
township_code,name,address,legal_rep,uscc
440103001000,广州市荔湾区沙面街道办事处,广州市荔湾区沙面南街1号,王建国,11440103007521431K
440103002000,广州市荔湾区岭南街道办事处,广州市荔湾区和平中路2号,刘卫东,11440103007521458B
CSV
}
