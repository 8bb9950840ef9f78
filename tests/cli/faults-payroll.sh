#!/bin/sh
# Fault simulation for payroll run, close, export and verify (fault_loop in lib.sh): the Nth
# allocation / SQLite step / OpenSSL or libxmlsec call / libharu call / file operation fails.
# Every failing run exits 1 with a message, leaves the registry as it was and, for export, no
# file in the output directory; every failing verify exits 1 with a message. Large loops take
# every k-th N; `make check-long` (SB_LONG) takes every N.
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
OUT="$TMP/contracts"
EXP="$TMP/exp"
mkdir -p "$OUT" "$EXP"
T1=440103001000
T2=440103002000
staff_townships || fail "the two townships' registry"
sb org employers "$TMP/emp.csv"
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
sb pay policy "$SHARED/examples/pay-guangdong.xml"
sb pki init --dir "$PKI"
sb pki issue --dir "$PKI" --township $T2
sb contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$OUT"
expect_rc "registry, policy, keys and contracts ready" 0

fault_loop alloc 20000 29 "payroll run" payroll run 2026-01
fault_loop step 5000 13 "payroll run" payroll run 2026-01
fault_loop crypto 100 1 "payroll run" payroll run 2026-01
sb payroll run 2026-01
expect_rc "payroll run" 0
fault_loop alloc 5000 7 "payroll close" payroll close 2026-01
fault_loop step 2000 5 "payroll close" payroll close 2026-01
sb payroll close 2026-01
expect_rc "payroll close" 0

EXPORT="payroll export 2026-01 --scope $T2 --key $PKI/$T2.key --cert $PKI/$T2.pem --out $EXP"
FAULT_WATCH="$EXP"
fault_loop alloc 20000 13 "payroll export" $EXPORT
fault_loop step 2000 1 "payroll export" $EXPORT
fault_loop crypto 200 1 "payroll export" $EXPORT
fault_loop pdf 2000 3 "payroll export" $EXPORT
fault_loop io 200 1 "payroll export" $EXPORT
FAULT_WATCH=
sb $EXPORT
expect_rc "payroll export" 0
X=$(ls "$EXP"/*.xml | head -1)
fault_loop alloc 2000 1 "payroll verify" payroll verify "$X" --ca "$PKI/ca.pem"
fault_loop crypto 200 1 "payroll verify" payroll verify "$X" --ca "$PKI/ca.pem"
fault_loop io 200 1 "payroll verify" payroll verify "$X" --ca "$PKI/ca.pem"
fault_loop step 2000 3 "payroll verify against the registry" payroll verify "$X" --ca "$PKI/ca.pem" --db "$SHUANGBAI_DB"
finish
