#!/bin/sh
# payroll run|show|close|export|verify end to end on three taken-over workers of two
# townships under the shared Guangdong policy: exact CSV in SPEC's columns, totals per
# township, the order of months and closed months that never change, a retroactive raise
# paid as arrears, the signed export checked by xmlsec1, xmllint and pdftotext, and every
# tampering refused by our verify (and by xmlsec1 where it is the signature).
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
XMLSEC1=${XMLSEC1:-xmlsec1}
XMLLINT=${XMLLINT:-xmllint}
PDFTOTEXT=${PDFTOTEXT:-pdftotext}
PKI="$TMP/pki"
OUT="$TMP/contracts"
EXP="$TMP/exp"
mkdir -p "$OUT" "$EXP"
T1=440103001000
T2=440103002000
P1=440103198503150012

staff_townships || fail "the two townships' registry"
sb org employers "$TMP/emp.csv"
printf 'code,flag\n440103002000,remote\n' >"$TMP/flags.csv"
sb org flags "$TMP/flags.csv"
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
expect_rc "three workers taken over" 0

sb payroll --help
expect_rc "payroll --help" 0
sb payroll run
expect_rc "run without a month" 2
sb payroll run 2026-13
expect_rc "run with a bad month" 2
sb payroll run 2026-01
expect_rc "no pay policy: refused" 1
expect_err "and says so" "no pay policy is in force"

sb pay policy "$SHARED/examples/pay-guangdong.xml"
sb pki init --dir "$PKI"
sb pki issue --dir "$PKI" --township $T1
sb pki issue --dir "$PKI" --township $T2
sb contract issue --township $T1 --key "$PKI/$T1.key" --cert "$PKI/$T1.pem" --out "$OUT"
sb contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$OUT"
expect_rc "contracts issued at the scale pay" 0

sb payroll run 2026-01
expect_rc "January runs" 0
expect_out "summary" "payroll 2026-01: 3 lines, 0 months of arrears, gross 20100.00, tax 64.05, net 17070.95"
# 陈志强: assistant step 6 (10 years / 2) = 6,450; housing fund 322.50 → 323 (yuan);
# tax (6,450 − 5,000 − 980.90) × 3% = 14.073 → 14.07. The two at the remote township get 300.
sb payroll show 2026-01 --format csv
expect_eq "January CSV, exactly" "$out" "id_number,name,days,base,allowances,arrears,gross,pension,medical,unemployment,housing_fund,special_deductions,tax,net
440103198503150012,陈志强,31,6450.00,0.00,0.00,6450.00,516.00,129.00,12.90,323.00,0.00,14.07,5455.03
440103197812010035,黄国华,31,6050.00,300.00,0.00,6350.00,484.00,121.00,12.10,303.00,0.00,12.90,5417.00
44010319900720002X,李晓梅,31,7000.00,300.00,0.00,7300.00,560.00,140.00,14.00,350.00,0.00,37.08,6198.92"
sb payroll show 2026-01
expect_out "text: township total" "township total (2)       13050.00      600.00        0.00    13650.00"
expect_out "text: grand total" "total (3)                19500.00      600.00        0.00    20100.00"
sb payroll show 2026-01 --scope $T1 --format csv
expect_eq "scope: one township" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "2"
sb payroll run 2026-01 --scope $T1
expect_rc "rerun of one township while open" 0
sb payroll show 2026-01 --format csv
expect_eq "the other township's lines stay" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "4"

sb payroll export 2026-01 --scope $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$EXP"
expect_rc "an open month is not exported" 1
expect_err "and says so" "is not closed"
sb payroll close 2026-01
expect_rc "January closed" 0
before=$(dbsum)
sb payroll run 2026-01
expect_rc "rerunning a closed month is refused" 1
expect_err "closed named" "payroll 2026-01 is closed: a closed month never changes"
sb payroll close 2026-01
expect_rc "closing twice is refused" 1
expect_eq "database unchanged" "$(dbsum)" "$before"

# ---- export ----
sb payroll export 2026-01 --scope $T2 --key "$PKI/$T1.key" --cert "$PKI/$T1.pem" --out "$EXP"
expect_rc "another township's key is refused" 1
expect_err "named" "the key of '$T1' cannot sign the payroll of $T2"
sb payroll export 2026-01 --scope $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$EXP"
expect_rc "export" 0
X="$EXP/payroll-$T2-2026-01.xml"
expect_eq "bank CSV" "$(cat "$EXP/bank-$T2-2026-01.csv")" "account,name,net
,黄国华,5417.00
6217000010002000300,李晓梅,6198.92"
"$XMLLINT" --noout --schema "$SRCDIR/xsd/payroll.xsd" "$X" 2>"$TMP/lint"; rc=$?
expect_rc "xmllint: valid against payroll.xsd" 0
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$X" >/dev/null 2>&1; rc=$?
expect_rc "xmlsec1 --verify accepts the export" 0
"$PDFTOTEXT" "$EXP/payslips-$T2-2026-01.pdf" "$TMP/slips.txt" 2>/dev/null
expect_eq "payslips: one page per worker" "$(tr -cd '\f' <"$TMP/slips.txt" | wc -c | tr -d ' ')" "2"
case "$(cat "$TMP/slips.txt")" in *工资条*李晓梅*6198.92*) pass "payslips in Chinese with the net" ;; *) fail "payslips in Chinese with the net" ;; esac
sb payroll verify "$X" --ca "$PKI/ca.pem"
expect_rc "verify" 0
expect_out "reported" "valid payroll 2026-01 of $T2 signed by $T2: 2 lines, net 11615.92"
sb payroll verify "$X" --ca "$PKI/ca.pem" --db "$SHUANGBAI_DB"
expect_rc "verify against the registry" 0
expect_out "said" "matching the registry"

sed 's/net="6198.92"/net="6298.92"/' "$X" >"$TMP/t1.xml"
sb payroll verify "$TMP/t1.xml" --ca "$PKI/ca.pem"
expect_rc "a changed net fails our verify" 1
expect_err "as a signature failure" "signature"
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$TMP/t1.xml" >/dev/null 2>&1; rc=$?
expect_rc "xmlsec1 agrees" 1
sed 's/scope="440103002000"/scope="440103001000"/' "$X" >"$TMP/t2.xml"
sb payroll verify "$TMP/t2.xml" --ca "$PKI/ca.pem"
expect_rc "a changed scope fails" 1
sb payroll verify "$X" --ca "$TMP/none.pem"
expect_rc "a missing CA fails" 1
sb payroll verify "$X"
expect_rc "verify without --ca is a usage error" 2

# A failed export again leaves the earlier export as it was (and no staging files behind).
mkdir -p "$TMP/exp-before"
cp "$EXP"/*-$T2-2026-01.* "$TMP/exp-before/"
SHUANGBAI_FAULT=pdf:5 ${SB_TEST_WRAPPER:-} "$SB" payroll export 2026-01 --scope $T2 --key "$PKI/$T2.key" \
  --cert "$PKI/$T2.pem" --out "$EXP" >/dev/null 2>"$TMP/err"; rc=$?
expect_rc "a re-export failing in the payslips" 1
for f in "$TMP"/exp-before/*; do
  cmp -s "$f" "$EXP/$(basename "$f")" && pass "the earlier $(basename "$f") stays" || fail "the earlier $(basename "$f") stays"
done
expect_eq "no staging files are left" "$(ls -A "$EXP" | grep -c '^\.')" "0"
sb payroll export 2026-01 --scope $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$EXP"
expect_rc "a re-export" 0
cmp -s "$EXP/bank-$T2-2026-01.csv" "$TMP/exp-before/bank-$T2-2026-01.csv" && pass "re-export: the same bank file" || fail "re-export: the same bank file"
expect_eq "re-export: no staging files are left" "$(ls -A "$EXP" | grep -c '^\.')" "0"
sb payroll verify "$X" --ca "$PKI/ca.pem" --db "$SHUANGBAI_DB"
expect_rc "the re-export verifies" 0

# ---- a raise reaching back: arrears in the next month, taxed there ----
printf 'id_number,grade\n%s,competent\n' $P1 >"$TMP/eval.csv"
sb pay evaluate 2025 "$TMP/eval.csv"
sb pay raise 2025 --effective 2026-01-01
expect_rc "raise from January (already closed)" 0
sb payroll show 2026-01 --format csv
expect_out "January is unchanged" "440103198503150012,陈志强,31,6450.00,0.00,0.00,6450.00"
sb payroll run 2026-02
expect_rc "February runs" 0
expect_out "one month of arrears" "1 months of arrears"
# step 7 = 6,620: +170 for January, taxed in February: (6,450 + 6,790 − 10,000 − 980.90 −
# 1,006.24) × 3% = 37.5858 − 14.07 withheld = 23.5158 → 23.52; housing fund 331.00
sb payroll show 2026-02 --format csv --scope $T1
expect_out "February with arrears" "440103198503150012,陈志强,28,6620.00,0.00,170.00,6790.00,529.60,132.40,13.24,331.00,0.00,23.52,5760.24"
sb payroll close 2026-02

# ---- fault simulation: every failing allocation or SQLite step leaves the registry as it was ----
# The Nth call fails for N = 1..12, then N growing by a quarter each time (a whole run makes
# thousands of calls; tests/cli/faults.sh walks every N of the smaller commands).
fault_loop() { # KIND MAX CMD...
  kind=$1; max=$2; shift 2
  base=$(dbsum); k=1; bad=0; fired=0
  while [ $k -le "$max" ]; do
    SHUANGBAI_FAULT="$kind:$k" ${SB_TEST_WRAPPER:-} "$SB" "$@" >"$TMP/fo" 2>"$TMP/fe"; r=$?
    [ $r -eq 0 ] && break
    fired=$((fired + 1))
    if [ $r -ne 1 ] || [ ! -s "$TMP/fe" ] || [ "$(dbsum)" != "$base" ]; then bad=$((bad + 1)); fi
    if [ $k -lt 12 ]; then k=$((k + 1)); else k=$((k + k / 4)); fi
  done
  if [ $bad -eq 0 ] && [ $fired -gt 0 ]; then pass "$kind faults in '$*': $fired runs failed cleanly"
  else fail "$kind faults in '$*'" "$bad of $fired runs left a change or no message"; fi
}
fault_loop alloc 3000 payroll run 2026-03
sb payroll run 2026-03
fault_loop step 3000 payroll close 2026-03
fault_loop step 3000 payroll run 2026-03
fault_loop alloc 3000 pay policy "$SHARED/examples/pay-inner-mongolia.xml"
sb audit verify
expect_rc "the audit chain holds" 0
finish
