#!/bin/sh
# Fault simulation for the remaining commands that write: org employers, audit verify and
# generate (fault_loop in lib.sh). Every failing run exits 1 with a message, leaves the
# registry as it was and, for generate, no file in the output directory.
. "$SRCDIR/tests/cli/lib.sh"

staff_townships || fail "the two townships' registry"
fault_loop alloc 2000 3 "org employers" org employers "$TMP/emp.csv"
fault_loop step 500 1 "org employers" org employers "$TMP/emp.csv"
fault_loop crypto 50 1 "org employers" org employers "$TMP/emp.csv"
sb org employers "$TMP/emp.csv"
expect_rc "org employers" 0

fault_loop alloc 2000 1 "audit verify" audit verify
fault_loop step 500 1 "audit verify" audit verify
fault_loop crypto 500 1 "audit verify" audit verify

G="$TMP/gen"
mkdir -p "$G"
FAULT_WATCH="$G"
fault_loop alloc 5000 1 "generate employers" generate employers --scope 440103000000 --out "$G/emp.csv"
fault_loop io 50 1 "generate employers" generate employers --scope 440103000000 --out "$G/emp.csv"
fault_loop step 500 1 "generate employers" generate employers --scope 440103000000 --out "$G/emp.csv"
fault_loop alloc 20000 1 "generate roster" generate roster --scope 440103000000 --out "$G/roster.csv" --per-township 3
fault_loop io 50 1 "generate roster" generate roster --scope 440103000000 --out "$G/roster.csv" --per-township 3
# generate round makes tens of thousands of allocations and many file operations: walked
# only by make check-long
if [ -n "${SB_LONG:-}" ]; then
  fault_loop alloc 200000 1 "generate round" generate round --scope 440103000000 --out "$G/round" --pools 1 --seats 1 --ratio 2
  fault_loop io 5000 1 "generate round" generate round --scope 440103000000 --out "$G/round" --pools 1 --seats 1 --ratio 2
fi
FAULT_WATCH=
finish
