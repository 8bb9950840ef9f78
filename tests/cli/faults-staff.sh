#!/bin/sh
# Fault simulation for staff import from the command line, from CSV and from xlsx (fault_loop
# in lib.sh): the Nth allocation / SQLite step / file operation fails; every failing run exits
# 1 with a message and leaves the registry as it was. Large loops take every k-th N;
# `make check-long` (SB_LONG) takes every N.
. "$SRCDIR/tests/cli/lib.sh"

sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
sb org stations
expect_rc "registry ready" 0
for f in staff-roster.csv staff-roster.xlsx; do
  fault_loop alloc 3000 7 "staff import $f" staff import "$SRCDIR/tests/data/$f" --source relief --start 2026-01-01
  fault_loop step 1000 3 "staff import $f" staff import "$SRCDIR/tests/data/$f" --source relief --start 2026-01-01
  fault_loop io 50 1 "staff import $f" staff import "$SRCDIR/tests/data/$f" --source relief --start 2026-01-01
done
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
expect_rc "the import without faults" 0
finish
