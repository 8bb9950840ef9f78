#!/bin/sh
# Runs the take-over cases of the catalogue of bad inputs (tests/bad/CATALOGUE): staff- files
# are rosters for `staff import --source relief`, as CSV (UTF-8 or GB18030) or .xlsx (damaged
# packages, hostile XML parts, cells a spreadsheet gets wrong). They start from the registry
# of tests/data/staff-divisions.csv with its stations and one worker already taken over.
. "$SRCDIR/tests/cli/badlib.sh"
sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
save_base nostations
sb org stations
sb staff import "$SRCDIR/tests/bad/staff-id-empty.csv" --source relief --skip-invalid --rejects "$TMP/rejects.csv"
[ "$rc" -eq 0 ] || fail "setup: one worker taken over" "exit $rc: $err"
save_base staff

case_base() {
  case "$1" in
    staff-no-station.csv) echo nostations ;;
    *) echo staff ;;
  esac
}
case_run() { bad_sb staff import "$2" --source relief; }
run_catalogue staff
finish
