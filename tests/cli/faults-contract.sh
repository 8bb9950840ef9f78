#!/bin/sh
# Fault simulation for contract issue and contract verify (fault_loop in lib.sh): the Nth
# allocation / SQLite step / OpenSSL or libxmlsec call / libharu call / file operation fails.
# Every failing issue exits 1 with a message, leaves the registry as it was and no contract
# file on disk (no file without its row); every failing verify (which reads no registry) exits 1 with a message.
# Large loops take every k-th N; `make check-long` (SB_LONG) takes every N.
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
OUT="$TMP/contracts"
mkdir -p "$OUT"
T1=440103001000
staff_townships || fail "the two townships' registry"
sb org employers "$TMP/emp.csv"
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-12-01
sb pki init --dir "$PKI"
sb pki issue --dir "$PKI" --township $T1
expect_rc "registry and keys ready" 0

ISSUE="contract issue --township $T1 --key $PKI/$T1.key --cert $PKI/$T1.pem --out $OUT --monthly-pay 3500"
FAULT_WATCH="$OUT"
fault_loop alloc 20000 5 "contract issue" $ISSUE
fault_loop step 2000 3 "contract issue" $ISSUE
fault_loop crypto 200 1 "contract issue" $ISSUE
fault_loop pdf 2000 3 "contract issue" $ISSUE
fault_loop io 200 1 "contract issue" $ISSUE
FAULT_WATCH=
sb $ISSUE
expect_rc "contract issue" 0

X=$(ls "$OUT"/*.xml | head -1)
P=$(ls "$OUT"/*.pdf | head -1)
sb contract verify "$X" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
expect_rc "the XML verifies" 0
for f in "$X" "$P"; do
  fault_loop alloc 2000 1 "contract verify ${f##*.}" contract verify "$f" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
  fault_loop crypto 200 1 "contract verify ${f##*.}" contract verify "$f" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
  fault_loop io 200 1 "contract verify ${f##*.}" contract verify "$f" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
done
finish
