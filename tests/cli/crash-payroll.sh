#!/bin/sh
# Crash consistency of `payroll run` (the helpers and what they check: crashlib.sh): SIGKILL
# before SQLite steps and at random moments while the month's payroll of 18 contracted
# workers of six townships (generated roster, the shared Guangdong pay policy) is computed
# and stored; after every kill the file is sound, the audit chain holds and the month's lines
# were stored wholly or not at all.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/crashlib.sh"
export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
OUT="$TMP/contracts"
mkdir -p "$OUT"

liwan_registry "$bin" "$PKI" || fail "the Liwan registry"
for t in $(tail -n +2 "$TMP/roster.csv" | cut -d, -f3 | sort -u | head -6); do
  "$bin" pki issue --dir "$PKI" --township "$t" >/dev/null
  "$bin" contract issue --township "$t" --key "$PKI/$t.key" --cert "$PKI/$t.pem" --out "$OUT" >/dev/null
done
expect_eq "18 contracts for the payroll" "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM contract_contract")" 18
crash_base
crash_cmd() { exec "$bin" payroll run 2026-01; }
crash_main "payroll run"
finish
