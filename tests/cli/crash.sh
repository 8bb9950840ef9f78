#!/bin/sh
# Crash consistency of `org import` (the helpers and what they check: crashlib.sh): SIGKILL
# before SQLite steps and at random moments while it imports a county, and at random moments
# while it imports the whole province (28,743 divisions, a large write transaction); after
# every kill the file is sound, the audit chain holds and the import happened wholly or not
# at all.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/crashlib.sh"
GD="$SRCDIR/data/divisions/guangdong.csv"
COUNTY="$TMP/liwan.csv"
{ head -3 "$GD"; grep '^440103' "$GD"; } >"$COUNTY"

"$bin" init >/dev/null
crash_base
crash_cmd() { exec "$bin" org import "$COUNTY"; }
crash_main "org import (a county)"

# The province: random moments spread over the whole run and a little past it.
rows=$(($(wc -l < "$GD") - 1))
crash_reset
t0=$(date +%s%N); "$bin" org import "$GD" >/dev/null; t1=$(date +%s%N)
span=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 * 1.3 }')
i=0; whole=0; none=0; bad=0
while [ $i -lt "$runs" ]; do
  crash_reset
  delay=$(awk -v s="$i" -v span="$span" 'BEGIN { srand(s + 17); printf "%.3f", rand() * span }')
  "$bin" org import "$GD" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  ic=$("$SQLITE3" "$SHUANGBAI_DB" "PRAGMA integrity_check")
  nd=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM org_division")
  "$bin" audit verify >/dev/null 2>&1; av=$?
  a=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM audit_log")
  if [ "$ic" != ok ] || [ $av -ne 0 ]; then bad=$((bad + 1)); echo "# run $i: integrity=$ic audit=$av";
  elif [ "$nd" = "$rows" ] && [ "$a" = 1 ]; then whole=$((whole + 1));
  elif [ "$nd" = 0 ] && [ "$a" = 0 ]; then none=$((none + 1));
  else bad=$((bad + 1)); echo "# run $i: $nd divisions, $a audit entries after a kill at ${delay}s"; fi
  i=$((i + 1))
done
expect_eq "org import (the province): $runs kills ($whole finished, $none killed before commit): every file sound, all or nothing" "$bad" 0
finish
