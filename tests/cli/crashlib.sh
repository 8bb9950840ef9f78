# Helpers of the crash-consistency tests (tests/cli/crash*.sh), sourced after lib.sh. A
# script prepares the registry as it stands before the command ($BASE), defines crash_cmd
# (the command, ending in `exec "$bin" ...` so that the kill reaches the program itself) and
# optionally crash_reset_more and crash_files, then calls crash_main NAME. crash_main kills the
# command with SIGKILL just before SQLite step N (SHUANGBAI_FAULT=step:N!) and after random
# delays, and checks after each kill that the file is sound, the audit chain holds and the
# registry is exactly as before or as after the command. How many kills: CRASH_STEPS (step
# kills spread over the run, default 30 or the script's $crash_steps_default; "all" kills at
# every step) and CRASH_RUNS (random delays, default 8); `make check-long` sets CRASH_STEPS=all
# CRASH_RUNS=200. Not for fault injection that fails a call (tests/cli/faults*.sh).
[ -n "${SB_VALGRIND:-}" ] && skip_all "timing-based; not under valgrind"
# The real binary, not libtool's wrapper script.
bin="$BUILDDIR/src/.libs/shuangbai"
[ -x "$bin" ] || bin="$SB"
export LD_LIBRARY_PATH="$BUILDDIR/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
unset SHUANGBAI_FAULT
BASE="$TMP/base.db"
steps_want=${CRASH_STEPS:-${crash_steps_default:-30}}
runs=${CRASH_RUNS:-8}
# Columns that differ between two complete runs of the same command (times, the hashes that
# chain them, signatures made with a fresh random nonce): left out of the comparison.
VOLATILE="'at','prev','hash','issued_at','run_at','closed_at','xml_sha256','pdf_sha256'"

# crash_killed N: run the command with a kill armed at step N; true when it was killed. (The
# outer shell is silenced: it reports every killed child.)
crash_killed() {
  r=$( { ( SHUANGBAI_FAULT="step:$1!"; export SHUANGBAI_FAULT; crash_cmd ) >/dev/null 2>&1; echo $?; } 2>/dev/null)
  [ "$r" -eq 137 ]
}

# crash_sum DB: a digest of every table's rows but the volatile columns.
crash_sum() {
  "$SQLITE3" "$1" "SELECT 'SELECT ' || quote(m.name) || ', ' || group_concat('\"' || p.name || '\"', ', ') ||
    ' FROM \"' || m.name || '\";' FROM sqlite_master m JOIN pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND p.name NOT IN ($VOLATILE)
    GROUP BY m.name ORDER BY m.name" >"$TMP/sum.sql"
  { echo ".mode quote"; cat "$TMP/sum.sql"; } | "$SQLITE3" "$1" | LC_ALL=C sort | sha256sum | cut -c1-64
}

# The registry back to its state before the command.
crash_reset() {
  rm -f "$SHUANGBAI_DB" "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
  cp "$BASE" "$SHUANGBAI_DB"
  if command -v crash_reset_more >/dev/null 2>&1; then crash_reset_more; fi
}

# crash_base: call once the registry at $SHUANGBAI_DB holds the state before the command.
crash_base() {
  "$SQLITE3" "$SHUANGBAI_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp "$SHUANGBAI_DB" "$BASE"
}

# crash_check LABEL: the state after a kill; counts it as before, after or bad.
crash_check() {
  ic=$("$SQLITE3" "$SHUANGBAI_DB" "PRAGMA integrity_check" 2>&1)
  "$bin" audit verify >/dev/null 2>&1; av=$?
  s=$(crash_sum "$SHUANGBAI_DB")
  fp=""
  if command -v crash_files >/dev/null 2>&1; then fp=$(crash_files "$s"); fi
  if [ "$ic" != ok ] || [ $av -ne 0 ] || [ -n "$fp" ]; then
    bad=$((bad + 1)); echo "# $1: integrity=$ic audit verify=$av $fp"
  elif [ "$s" = "$before" ]; then was_before=$((was_before + 1))
  elif [ "$s" = "$after" ]; then was_after=$((was_after + 1))
  else bad=$((bad + 1)); echo "# $1: the registry is neither as before nor as after the command"; fi
}

# crash_main NAME: the whole test of one command.
crash_main() {
  name=$1
  crash_reset
  before=$(crash_sum "$SHUANGBAI_DB")
  ( crash_cmd ) >"$TMP/out" 2>&1
  expect_eq "$name completes when nothing kills it" "$?" 0
  after=$(crash_sum "$SHUANGBAI_DB")
  [ "$before" != "$after" ] && pass "$name changes the registry" || fail "$name changes the registry"
  # The check itself must see a half-done command: the changes without their audit entry.
  bad=0; was_before=0; was_after=0
  "$SQLITE3" "$SHUANGBAI_DB" "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"
  crash_check "a half-done command (made by hand)" >/dev/null
  expect_eq "$name: the check finds a half-done command" "$bad" 1
  crash_reset
  t0=$(date +%s%N)
  ( crash_cmd ) >/dev/null 2>&1
  t1=$(date +%s%N)
  expect_eq "$name: a second complete run ends in the same state (the comparison is sound)" \
    "$(crash_sum "$SHUANGBAI_DB")" "$after"

  # How many steps the command takes: the largest N whose kill fires (doubling, then halving).
  lo=0; hi=1
  killed_at() { crash_reset; crash_killed "$1"; }
  while killed_at $hi; do lo=$hi; hi=$((hi * 2)); done
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if killed_at $mid; then lo=$mid; else hi=$mid; fi
  done
  total=$lo
  [ "$total" -gt 0 ] && pass "$name takes $total SQLite steps" || fail "$name takes SQLite steps"

  # Step kills: every step, or CRASH_STEPS of them spread evenly plus the last three (the commit).
  if [ "$steps_want" = all ] || [ "$steps_want" -ge "$total" ]; then
    list=$(seq 1 "$total")
  else
    list=$({ awk -v t="$total" -v k="$steps_want" 'BEGIN { for (i = 0; i < k; i++) print 1 + int(i * (t - 1) / (k - 1)) }';
             seq $((total > 3 ? total - 2 : 1)) "$total"; } | sort -n -u)
  fi
  bad=0; was_before=0; was_after=0; nokill=0; k=0
  for N in $list; do
    crash_reset
    crash_killed "$N" || { nokill=$((nokill + 1)); echo "# step $N: the program was not killed"; }
    crash_check "kill at step $N"
    k=$((k + 1))
  done
  expect_eq "$name: $k kills at SQLite steps ($was_before before, $was_after after): every file sound, all or nothing" "$bad" 0
  expect_eq "$name: every step kill fired" "$nokill" 0

  # Random delays over the run and a little past it.
  span=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 * 1.5 }')
  bad=0; was_before=0; was_after=0; i=0
  while [ $i -lt "$runs" ]; do
    crash_reset
    delay=$(awk -v s="$i" -v span="$span" 'BEGIN { srand(s + 17); printf "%.3f", rand() * span }')
    ( crash_cmd ) >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    crash_check "kill after ${delay}s"
    i=$((i + 1))
  done
  expect_eq "$name: $runs kills at random moments over ${span}s ($was_before before, $was_after after): every file sound, all or nothing" "$bad" 0
}
