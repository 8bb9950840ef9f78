#!/bin/sh
# Crash consistency of `payroll run` (the helpers and what they check: crashlib.sh): SIGKILL
# before SQLite steps and at random moments while the month's payroll of 18 contracted
# workers of six townships (generated roster, the shared Guangdong pay policy) is computed
# and stored; after every kill the file is sound, the audit chain holds and the month's lines
# were stored wholly or not at all.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/crashlib.sh"
export SHUANGBAI_PASSPHRASE='township secret'
GD="$SRCDIR/data/divisions/guangdong.csv"
{ head -3 "$GD"; grep '^440103' "$GD"; } >"$TMP/liwan.csv"
PKI="$TMP/pki"
OUT="$TMP/contracts"
mkdir -p "$OUT"

"$bin" init >/dev/null
"$bin" org import "$TMP/liwan.csv" >/dev/null
"$bin" org stations >/dev/null
"$bin" generate employers --scope 440103000000 --out "$TMP/emp.csv" >/dev/null
"$bin" org employers "$TMP/emp.csv" >/dev/null
"$bin" generate roster --scope 440103000000 --out "$TMP/roster.csv" --per-township 3 >/dev/null
"$bin" staff import "$TMP/roster.csv" --source relief --start 2026-01-01 >/dev/null
"$bin" pay policy "$SHARED/examples/pay-guangdong.xml" >/dev/null
"$bin" pki init --dir "$PKI" >/dev/null
for t in $(tail -n +2 "$TMP/roster.csv" | cut -d, -f3 | sort -u | head -6); do
  "$bin" pki issue --dir "$PKI" --township "$t" >/dev/null
  "$bin" contract issue --township "$t" --key "$PKI/$t.key" --cert "$PKI/$t.pem" --out "$OUT" >/dev/null
done
expect_eq "18 contracts for the payroll" "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM contract_contract")" 18
crash_base
crash_cmd() { exec "$bin" payroll run 2026-01; }
crash_main "payroll run"
finish
