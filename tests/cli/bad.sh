#!/bin/sh
# Runs the catalogue of bad inputs (tests/bad/CATALOGUE): each case must exit with the
# expected code, print a message containing the expected text, and leave the database
# byte-for-byte unchanged.
. "$SRCDIR/tests/cli/lib.sh"
BAD="$SRCDIR/tests/bad"

# The registry every case starts from: both provinces' divisions, stations, one employer.
sb init
sb org import "$SRCDIR/data/divisions/guangdong.csv"
sb org import "$SRCDIR/data/divisions/inner-mongolia.csv"
sb org stations
cp "$SHUANGBAI_DB" "$TMP/base.db"

command_for() {
  case "$1" in
    div-*) echo "org import" ;;
    flags-*) echo "org flags" ;;
    emp-*) echo "org employers" ;;
    *) echo "" ;;
  esac
}

grep -v '^#' "$BAD/CATALOGUE" | while IFS='|' read -r file code msg; do
  [ -n "$file" ] || continue
  cmd=$(command_for "$file")
  if [ -z "$cmd" ]; then fail "$file: no command for this kind of file"; continue; fi
  cp "$TMP/base.db" "$SHUANGBAI_DB"; rm -f "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
  before=$(dbsum)
  cp "$BAD/$file" "$TMP/$file"
  # shellcheck disable=SC2086
  sb $cmd "$TMP/$file"
  if [ "$rc" -ne "$code" ]; then fail "$file: exit $code" "exit $rc: $err"; continue; fi
  case "$err" in *"$msg"*) ;; *) fail "$file: message" "got: $err" "want: $msg"; continue ;; esac
  if [ "$(dbsum)" != "$before" ]; then fail "$file: database unchanged"; continue; fi
  pass "$file: exit $code, '$msg', nothing changed"
done > "$TMP/results"
cat "$TMP/results"
n=$(grep -c '^\(not \)\?ok' "$TMP/results")
failed=$(grep -c '^not ok' "$TMP/results")
cases=$(grep -vc '^#' "$BAD/CATALOGUE")
[ "$n" -eq "$cases" ] || { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - every catalogue line ran ($n of $cases)"; }
finish
