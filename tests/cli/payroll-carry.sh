#!/bin/sh
# The carried month (payroll.c, carry_in): a run takes the year's sums from the previous
# month's line, and reads no earlier month, when the line's digest of what its due pay depends
# on is unchanged. Proof that this changes no result: after every kind of change that can
# reach back into closed months — a raise, a new qualification, a new dated policy, a division
# flag, declared deductions, prior-year wages, a contract from the month on — April is run
# twice on copies of the same registry, once as is and once with every stored digest cleared
# (which forces the full recomputation of every earlier month), and the two Aprils must be
# identical, line for line and arrear for arrear; the changes that reach back must pay arrears.
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
OUT="$TMP/contracts"
mkdir -p "$OUT"
T1=440103001000
T2=440103002000
P1=440103198503150012

staff_townships || fail "the two townships' registry"
sb org employers "$TMP/emp.csv"
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
sb pay policy "$SHARED/examples/pay-guangdong.xml"
sb pki init --dir "$PKI"
sb pki issue --dir "$PKI" --township $T1
sb pki issue --dir "$PKI" --township $T2
sb contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$OUT"
expect_rc "registry, policy and T2's contracts" 0
for m in 01 02 03; do
  sb payroll run 2026-$m
  sb payroll close 2026-$m
done
expect_rc "January to March run and closed" 0
expect_eq "March's lines carry a digest" \
  "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM payroll_line WHERE month = '2026-03' AND length(due_key) = 32 AND ytd_months = 7")" "2"
cp "$SHUANGBAI_DB" "$TMP/base.db"

# the changes, each applied to a copy of the registry as March left it
change_none() { :; }
change_raise() {
  printf 'id_number,grade\n%s,excellent\n' 44010319900720002X >"$TMP/eval.csv"
  sb pay evaluate 2025 "$TMP/eval.csv" && sb pay raise 2025 --effective 2026-01-01
}
change_qualify() {
  printf 'id_number,qualification,effective\n%s,senior,2026-02-01\n' 44010319900720002X >"$TMP/qual.csv"
  sb pay qualify "$TMP/qual.csv"
}
change_policy() {
  sed 's/effective="2026-01"/effective="2026-02"/; s/base="7000.00"/base="7100.00"/g; s/base="6050.00"/base="6150.00"/g' \
    "$SHARED/examples/pay-guangdong.xml" >"$TMP/pay-feb.xml"
  sb pay policy "$TMP/pay-feb.xml"
}
change_flag() {
  printf 'code,flag\n%s,remote\n' $T2 >"$TMP/flags.csv"
  sb org flags "$TMP/flags.csv"
}
change_deductions() {
  printf 'id_number,from,to,amount\n%s,2026-01,2026-12,1500.00\n' 44010319900720002X >"$TMP/ded.csv"
  sb pay deductions "$TMP/ded.csv"
}
change_prior() {
  printf 'id_number,township_code,months,wages\n%s,%s,12,50000.00\n' 44010319900720002X $T2 >"$TMP/prior.csv"
  sb pay prior-year 2025 "$TMP/prior.csv"
}
change_contract() {
  mkdir -p "$SHUANGBAI_DB.contracts"
  sb contract issue --township $T1 --start 2026-04-01 --key "$PKI/$T1.key" --cert "$PKI/$T1.pem" \
    --out "$SHUANGBAI_DB.contracts"
}

# april DB: run April, print its lines (every column but the digest) and its arrears
april() {
  SHUANGBAI_DB=$1 sb payroll run 2026-04
  [ "$rc" -eq 0 ] || { echo "run failed: $err"; return; }
  "$SQLITE3" "$1" "SELECT month, id_number, township_code, days, base, allowances, arrears, gross, pension, medical,
    unemployment, housing_fund, special, tax, net, ytd_months, ytd_gross, ytd_contrib, ytd_tax, prev_months, prev_wages
    FROM payroll_line WHERE month = '2026-04' ORDER BY id_number, township_code;
    SELECT * FROM payroll_arrears WHERE month = '2026-04' ORDER BY id_number, township_code, for_month"
}

# scenario NAME ARREARS: the change, April carried and April recomputed in full
scenario() {
  for v in carried full; do
    cp "$TMP/base.db" "$TMP/$v.db"
    SHUANGBAI_DB="$TMP/$v.db" change_$1
    [ "$rc" -eq 0 ] || fail "$1: the change applies" "$err"
  done
  "$SQLITE3" "$TMP/full.db" "UPDATE payroll_line SET due_key = NULL"
  a=$(april "$TMP/carried.db")
  b=$(april "$TMP/full.db")
  expect_eq "$1: April carried = April recomputed from every earlier month" "$a" "$b"
  expect_eq "$1: months of arrears in April" \
    "$("$SQLITE3" "$TMP/carried.db" "SELECT count(*) FROM payroll_arrears WHERE month = '2026-04'")" "$2"
}

scenario none 0
scenario raise 3       # 李晓梅 two steps up from January: January to March
scenario qualify 2     # 李晓梅 senior from February: February and March
scenario policy 4      # a higher scale from February: February and March, for two workers
scenario flag 6        # T2 remote from the start: January to March, for two workers
scenario deductions 0  # tax only: the declared months are counted anew
scenario prior 0       # tax only: the 60,000 rule from January
scenario contract 0    # a line with no line before it

# the tax of the last two follows the change in both runs (not only equal to each other)
cp "$TMP/base.db" "$TMP/x.db"
a=$(april "$TMP/x.db" | grep "^2026-04|44010319900720002X|")
SHUANGBAI_DB="$TMP/base.db" change_deductions
b=$(april "$TMP/base.db" | grep "^2026-04|44010319900720002X|")
[ "$a" != "$b" ] && pass "deductions change April's tax" || fail "deductions change April's tax" "$a"

# across the year: January carries December's sums as last year's (the 60,000 rule's months)
cp "$TMP/x.db" "$TMP/y.db"
for m in 04 05 06 07 08 09 10 11 12; do
  SHUANGBAI_DB="$TMP/y.db" sb payroll run 2026-$m
  SHUANGBAI_DB="$TMP/y.db" sb payroll close 2026-$m
done
expect_rc "April to December run and closed" 0
cp "$TMP/y.db" "$TMP/z.db"
"$SQLITE3" "$TMP/z.db" "UPDATE payroll_line SET due_key = NULL"
a=$(SHUANGBAI_DB="$TMP/y.db" sb payroll run 2027-01; "$SQLITE3" "$TMP/y.db" "SELECT id_number, base, arrears, gross, tax, net, hex(due_key), ytd_months, ytd_gross, ytd_tax, prev_months, prev_wages FROM payroll_line WHERE month = '2027-01' ORDER BY id_number")
b=$(SHUANGBAI_DB="$TMP/z.db" sb payroll run 2027-01; "$SQLITE3" "$TMP/z.db" "SELECT id_number, base, arrears, gross, tax, net, hex(due_key), ytd_months, ytd_gross, ytd_tax, prev_months, prev_wages FROM payroll_line WHERE month = '2027-01' ORDER BY id_number")
expect_eq "January 2027 carried = recomputed" "$a" "$b"
expect_eq "…with twelve months of 2026 counted for the 60,000 rule" \
  "$("$SQLITE3" "$TMP/y.db" "SELECT group_concat(prev_months) FROM payroll_line WHERE month = '2027-01'")" "12,12"
finish
