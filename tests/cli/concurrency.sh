#!/bin/sh
# Concurrency: eight processes on one registry at once — four `contract issue` (two for
# single workers of one township, which share its serial counter, one for a worker of a second
# township, one for a whole third township, all into one directory) and four `staff import` of
# different rosters. Every process must succeed within the busy timeout (no "database is
# locked" reaching the user), no contract number may be given twice, no row may be lost, the
# files must match the rows, and the file and the audit chain must be sound. CONC_RUNS sets
# how many times (default 3; `make check-long`: 20).
. "$SRCDIR/tests/cli/lib.sh"
[ -n "${SB_VALGRIND:-}" ] && skip_all "timing-based (busy timeout); not under valgrind"
export SHUANGBAI_PASSPHRASE='township secret'
bin="$BUILDDIR/src/.libs/shuangbai"
[ -x "$bin" ] || bin="$SB"
export LD_LIBRARY_PATH="$BUILDDIR/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
runs=${CONC_RUNS:-3}
PKI="$TMP/pki"
OUT="$TMP/contracts"
T1=440103001000
T2=440103002000
T3=440103003000

liwan_registry "$bin" "$PKI" || fail "the Liwan registry"
for t in $T1 $T2 $T3; do "$bin" pki issue --dir "$PKI" --township $t >/dev/null; done
# Four more rosters (another seed: other people) for townships without a contract issue.
"$bin" generate roster --scope 440103000000 --out "$TMP/more.csv" --per-township 3 --seed 2 >/dev/null
tail -n +2 "$TMP/more.csv" | awk -F, -v a=$T1 -v b=$T2 -v c=$T3 '$3 != a && $3 != b && $3 != c' >"$TMP/more.rows"
ids=$(cut -d, -f1 "$TMP/more.rows" | sed "s/.*/'&'/" | tr '\n' ',' | sed 's/,$//')
nmore=$(wc -l <"$TMP/more.rows" | tr -d ' ')
for k in 0 1 2 3; do
  { head -1 "$TMP/more.csv"; awk -v k=$k 'NR % 4 == k' "$TMP/more.rows"; } >"$TMP/r$k.csv"
done
"$SQLITE3" "$SHUANGBAI_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$SHUANGBAI_DB" "$TMP/base.db"
workers0=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM staff_worker")
p1=$(grep ",$T1," "$TMP/roster.csv" | sed -n 1p | cut -d, -f1)
p2=$(grep ",$T1," "$TMP/roster.csv" | sed -n 2p | cut -d, -f1)
q1=$(grep ",$T2," "$TMP/roster.csv" | sed -n 1p | cut -d, -f1)
want_numbers="$T1-2026-000001 $T1-2026-000002 $T2-2026-000001 $T3-2026-000001 $T3-2026-000002 $T3-2026-000003 "

issue() { # TOWNSHIP [--person ID]
  t=$1; shift
  "$bin" contract issue --township $t --key "$PKI/$t.key" --cert "$PKI/$t.pem" --out "$OUT" "$@"
}

# launch: the eight processes from the registry before them; sets $failed_jobs and $locked.
launch() {
  rm -rf "$OUT" "$SHUANGBAI_DB" "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
  mkdir -p "$OUT"
  cp "$TMP/base.db" "$SHUANGBAI_DB"
  issue $T1 --person "$p1" >"$TMP/o1" 2>"$TMP/e1" & j1=$!
  "$bin" staff import "$TMP/r0.csv" --source relief --start 2026-02-01 >"$TMP/o2" 2>"$TMP/e2" & j2=$!
  issue $T1 --person "$p2" >"$TMP/o3" 2>"$TMP/e3" & j3=$!
  "$bin" staff import "$TMP/r1.csv" --source relief --start 2026-02-01 >"$TMP/o4" 2>"$TMP/e4" & j4=$!
  issue $T2 --person "$q1" >"$TMP/o5" 2>"$TMP/e5" & j5=$!
  "$bin" staff import "$TMP/r2.csv" --source relief --start 2026-02-01 >"$TMP/o6" 2>"$TMP/e6" & j6=$!
  issue $T3 >"$TMP/o7" 2>"$TMP/e7" & j7=$!
  "$bin" staff import "$TMP/r3.csv" --source relief --start 2026-02-01 >"$TMP/o8" 2>"$TMP/e8" & j8=$!
  failed_jobs=""
  k=1
  for j in $j1 $j2 $j3 $j4 $j5 $j6 $j7 $j8; do
    wait $j || failed_jobs="$failed_jobs $k($(cat "$TMP/e$k"))"
    k=$((k + 1))
  done
  locked=$(cat "$TMP"/e[1-8] | grep -i -c 'locked\|busy')
}

# First without a busy timeout: the processes must really meet at the lock (else this test
# proves nothing); some of them then fail with "database is locked".
met=0; try=0
while [ $met -eq 0 ] && [ $try -lt 5 ]; do
  SHUANGBAI_BUSY_TIMEOUT=0; export SHUANGBAI_BUSY_TIMEOUT
  launch
  unset SHUANGBAI_BUSY_TIMEOUT
  [ "$locked" -gt 0 ] && met=1
  try=$((try + 1))
done
expect_eq "without a busy timeout the eight processes meet at the lock ($try tries)" "$met" 1

r=0
while [ $r -lt "$runs" ]; do
  r=$((r + 1))
  launch
  expect_eq "run $r: all eight processes succeed" "$failed_jobs" ""
  expect_eq "run $r: no 'database is locked' or busy message" "$locked" 0
  numbers=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT number FROM contract_contract ORDER BY number" | tr '\n' ' ')
  expect_eq "run $r: six contracts, each number once, the serials without a gap" "$numbers" "$want_numbers"
  dup=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) - count(DISTINCT number) FROM contract_contract")
  expect_eq "run $r: no duplicate contract number" "$dup" 0
  workers=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM staff_worker")
  expect_eq "run $r: every imported worker is there ($workers0 + $nmore)" "$workers" $((workers0 + nmore))
  expect_eq "run $r: no imported worker lost" \
    "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(DISTINCT id_number) FROM staff_worker WHERE end_date IS NULL AND id_number IN ($ids)")" "$nmore"
  # Files against rows: each row's two documents with the SHA-256 it records, nothing else.
  filebad=""
  "$SQLITE3" "$SHUANGBAI_DB" "SELECT number, xml_sha256, pdf_sha256 FROM contract_contract" >"$TMP/rows"
  while IFS='|' read -r num xs ps; do
    [ "$(sha256sum <"$OUT/$num.xml" 2>/dev/null | cut -c1-64)" = "$xs" ] || filebad="$filebad $num.xml"
    [ "$(sha256sum <"$OUT/$num.pdf" 2>/dev/null | cut -c1-64)" = "$ps" ] || filebad="$filebad $num.pdf"
  done <"$TMP/rows"
  expect_eq "run $r: every contract has its XML and PDF" "$filebad" ""
  expect_eq "run $r: and the directory holds nothing else" "$(ls -A "$OUT" | wc -l | tr -d ' ')" 12
  expect_eq "run $r: the file is sound" "$("$SQLITE3" "$SHUANGBAI_DB" "PRAGMA integrity_check")" ok
  "$bin" audit verify >"$TMP/av" 2>&1
  expect_eq "run $r: the audit chain verifies" "$?" 0
done
finish
