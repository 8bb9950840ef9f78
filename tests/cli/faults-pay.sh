#!/bin/sh
# Fault simulation for pay policy, evaluate, qualify, raise, deductions and prior-year
# (fault_loop in lib.sh): the Nth allocation / SQLite step / hash call / file operation fails;
# every failing run exits 1 with a message and leaves the registry as it was. Large loops take
# every k-th N; `make check-long` (SB_LONG) takes every N.
. "$SRCDIR/tests/cli/lib.sh"

P1=440103198503150012
P2=44010319900720002X
sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
sb org stations
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
expect_rc "three workers taken over" 0

G="$SHARED/examples/pay-guangdong.xml"
fault_loop alloc 500 1 "pay policy" pay policy "$G"
fault_loop step 3000 11 "pay policy" pay policy "$G"
fault_loop crypto 50 1 "pay policy" pay policy "$G"
fault_loop io 50 1 "pay policy" pay policy "$G"
sb pay policy "$G"
expect_rc "pay policy" 0

printf 'id_number,grade\n%s,excellent\n%s,competent\n' $P1 $P2 >"$TMP/eval.csv"
printf 'id_number,qualification,effective\n%s,intermediate,2026-03-01\n' $P1 >"$TMP/q.csv"
printf 'id_number,from,to,amount\n%s,2026-01,2026-12,1000\n%s,2026-03,2026-06,500.50\n' $P1 $P2 >"$TMP/d.csv"
printf 'id_number,township_code,months,wages\n%s,440103001000,12,59000\n' $P1 >"$TMP/p.csv"
# cmd LABEL ARGS...: the fault loops of one pay command, then the command itself.
cmd() {
  label=$1; shift
  fault_loop alloc 3000 5 "$label" pay "$@"
  fault_loop step 1000 3 "$label" pay "$@"
  sb pay "$@"
  expect_rc "$label" 0
}
cmd "pay evaluate" evaluate 2025 "$TMP/eval.csv"
cmd "pay raise" raise 2025 --effective 2026-01-01
cmd "pay qualify" qualify "$TMP/q.csv"
cmd "pay deductions" deductions "$TMP/d.csv"
cmd "pay prior-year" prior-year 2025 "$TMP/p.csv"
finish
