#!/bin/sh
# Runs the pay cases of the catalogue of bad inputs (tests/bad/CATALOGUE): pay- pay policies
# (`pay policy`), eval- evaluations (`pay evaluate 2025`), qual- qualifications (`pay
# qualify`), ded- deductions (`pay deductions`), prior- prior-year wages (`pay prior-year
# 2025`). All start from three taken-over workers under the shared Guangdong pay policy.
. "$SRCDIR/tests/cli/badlib.sh"
sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
sb org stations
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
[ "$rc" -eq 0 ] || fail "setup: three workers taken over" "exit $rc: $err"
sb pay policy "$SHARED/examples/pay-guangdong.xml"
[ "$rc" -eq 0 ] || fail "setup: the Guangdong pay policy" "exit $rc: $err"
save_base pay

case_base() { echo pay; }
case_run() {
  case "$1" in
    pay-*) bad_sb pay policy "$2" ;;
    eval-*) bad_sb pay evaluate 2025 "$2" ;;
    qual-*) bad_sb pay qualify "$2" ;;
    ded-*) bad_sb pay deductions "$2" ;;
    prior-*) bad_sb pay prior-year 2025 "$2" ;;
  esac
}
run_catalogue pay
finish
