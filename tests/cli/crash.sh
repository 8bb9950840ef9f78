#!/bin/sh
# Crash consistency: kill the program with SIGKILL at random moments while it imports a
# province, then check that the file is sound (PRAGMA integrity_check), the audit chain holds,
# and the import happened wholly or not at all. CRASH_RUNS sets the number of kills
# (make check-long runs many more).
. "$SRCDIR/tests/cli/lib.sh"
[ -n "${SB_VALGRIND:-}" ] && skip_all "timing-based; not under valgrind"
runs=${CRASH_RUNS:-8}
GD="$SRCDIR/data/divisions/guangdong.csv"
rows=$(($(wc -l < "$GD") - 1))
# The real binary, not libtool's wrapper script, so that the kill reaches the program itself.
bin="$BUILDDIR/src/.libs/shuangbai"
[ -x "$bin" ] || bin="$SB"
export LD_LIBRARY_PATH="$BUILDDIR/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Time one whole import, so that the kills spread over the whole run and a little past it.
rm -f "$SHUANGBAI_DB" "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
"$bin" init >/dev/null
t0=$(date +%s%N); "$bin" org import "$GD" >/dev/null; t1=$(date +%s%N)
span=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 * 1.3 }')
i=0; whole=0; none=0; bad=0
while [ $i -lt "$runs" ]; do
  rm -f "$SHUANGBAI_DB" "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
  "$bin" init >/dev/null
  delay=$(awk -v s="$i" -v span="$span" 'BEGIN { srand(s + 17); printf "%.3f", rand() * span }')
  "$bin" org import "$GD" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  ic=$("$SQLITE3" "$SHUANGBAI_DB" "PRAGMA integrity_check")
  n=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM org_division")
  "$bin" audit verify >/dev/null 2>&1; av=$?
  a=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM audit_log")
  if [ "$ic" != ok ] || [ $av -ne 0 ]; then bad=$((bad + 1)); echo "# run $i: integrity=$ic audit=$av";
  elif [ "$n" = "$rows" ] && [ "$a" = 1 ]; then whole=$((whole + 1));
  elif [ "$n" = 0 ] && [ "$a" = 0 ]; then none=$((none + 1));
  else bad=$((bad + 1)); echo "# run $i: $n divisions, $a audit entries after a kill at ${delay}s"; fi
  i=$((i + 1))
done
expect_eq "after $runs kills ($whole finished, $none killed before commit): every file sound, all or nothing" "$bad" 0
finish
