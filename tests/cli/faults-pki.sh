#!/bin/sh
# Fault simulation for pki init, issue and revoke: the Nth allocation / OpenSSL call / file
# operation fails (fault_loop in lib.sh). Every failing run exits 1 with a message and leaves
# the CA directory exactly as it was: no CA key without its certificate and CRL, no township
# key without its certificate, no revocation list without its CRL, no .new or .tmp file.
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
T1=440103001000
T2=440103002000
sb init

# init into a directory that does not exist yet (it must not be left behind either)
FAULT_WATCH="$TMP/pki"
fault_loop alloc 300 1 "pki init" pki init --dir "$PKI"
fault_loop crypto 50 1 "pki init" pki init --dir "$PKI"
fault_loop io 20 1 "pki init" pki init --dir "$PKI"
[ ! -e "$PKI" ] && pass "failed inits leave no directory" || fail "failed inits leave no directory"
sb pki init --dir "$PKI"
expect_rc "pki init" 0

fault_loop alloc 300 1 "pki issue" pki issue --dir "$PKI" --township $T1
fault_loop crypto 50 1 "pki issue" pki issue --dir "$PKI" --township $T1
fault_loop io 20 1 "pki issue" pki issue --dir "$PKI" --township $T1
sb pki issue --dir "$PKI" --township $T1
expect_rc "pki issue $T1" 0
sb pki issue --dir "$PKI" --township $T2
expect_rc "pki issue $T2" 0
# issuing again replaces both files or neither
fault_loop crypto 50 1 "pki issue again" pki issue --dir "$PKI" --township $T1
fault_loop io 20 1 "pki issue again" pki issue --dir "$PKI" --township $T1

fault_loop alloc 300 1 "pki revoke" pki revoke --dir "$PKI" --township $T2
fault_loop crypto 50 1 "pki revoke" pki revoke --dir "$PKI" --township $T2
fault_loop io 20 1 "pki revoke" pki revoke --dir "$PKI" --township $T2
sb pki revoke --dir "$PKI" --township $T2
expect_rc "pki revoke $T2" 0
fault_loop io 20 1 "pki revoke a second township" pki revoke --dir "$PKI" --township $T1
FAULT_WATCH=
openssl crl -in "$PKI/crl.pem" -noout -text >"$TMP/crl.txt" 2>&1
expect_eq "the CRL lists the one revoked serial" "$(grep -c 'Serial Number' "$TMP/crl.txt")" "1"
expect_eq "no staged file is left" "$(ls -A "$PKI" | grep -c '\.new\|\.tmp')" "0"
finish
