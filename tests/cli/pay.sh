#!/bin/sh
# pay policy|evaluate|qualify|raise|deductions|prior-year|position end to end: both shared
# example policies load as they are, every malformed policy and every bad CSV row is refused
# with FILE:LINE: FIELD and exit 1, and the database stays unchanged after each refusal.
. "$SRCDIR/tests/cli/lib.sh"

sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
sb org stations
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
expect_rc "three workers taken over" 0
P1=440103198503150012
P2=44010319900720002X

sb pay --help
expect_rc "pay --help" 0
expect_out "help lists the commands" "prior-year"
sb pay
expect_rc "pay without a command" 2
sb pay frobnicate
expect_rc "unknown pay command" 2

# ---- policies ----
before=$(dbsum)
sb pay position $P1 --date 2026-01-01
expect_rc "no policy yet: no position" 1
expect_err "and says so" "no pay policy is in force on 2026-01-01"
sb pay policy "$SHARED/examples/pay-guangdong.xml"
expect_rc "the Guangdong example loads unchanged" 0
expect_out "counted" "policy effective 2026-01 loaded: 2 scales, 8 levels, 64 steps, 3 regions, 1 allowances, 4 items"
sb pay policy "$SHARED/examples/pay-guangdong.xml"
expect_rc "loading it again" 0
expect_out "changes nothing" "already loaded; nothing changed"
sed 's/effective="2026-01"/effective="2025-07"/' "$SHARED/examples/pay-inner-mongolia.xml" >"$TMP/im.xml"
sb pay policy "$TMP/im.xml"
expect_rc "the Inner Mongolia example loads (as of another month)" 0
sb pay policy "$SHARED/examples/pay-inner-mongolia.xml"
expect_rc "the Inner Mongolia example loads unchanged, replacing 2026-01" 0
expect_out "replaced" "replaced"
sb pay policy "$SHARED/examples/pay-guangdong.xml"
expect_rc "back to Guangdong" 0
"$XMLLINT" --noout --schema "$SRCDIR/xsd/pay.xsd" "$SHARED/examples/pay-guangdong.xml" "$SHARED/examples/pay-inner-mongolia.xml" 2>"$TMP/lint"
rc=$?
expect_rc "xmllint agrees both examples are valid" 0

# position: taken over with 10 years on 2026-01-01 → step 1 + 10/2 = 6 of 助理社会工作师 in Guangzhou
sb pay position $P1 --date 2026-01-01
expect_rc "position" 0
expect_out "step from seniority" "assistant step 6 since 2026-01-01, region gz-sz, base 6450.00, minimum wage 2500.00"

before=$(dbsum)
bad_policy() { # DESC SED-EXPRESSION EXPECTED-MESSAGE
  sed "$2" "$SHARED/examples/pay-guangdong.xml" >"$TMP/bad.xml"
  sb pay policy "$TMP/bad.xml"
  expect_rc "$1: refused" 1
  expect_err "$1: message" "$3"
  expect_eq "$1: database unchanged" "$(dbsum)" "$before"
}
bad_policy "DOCTYPE" '1a<!DOCTYPE pay [<!ENTITY x "y">]>' "a DOCTYPE is not allowed"
bad_policy "not well-formed" 's/<\/scales>/<\/scale>/' "not well-formed XML"
bad_policy "unknown element" 's/<probation /<probatio /' "bad.xml:58: not valid against xsd/pay.xsd: Element '{urn:shuangbai:pay:1}probatio'"
bad_policy "amount with three decimals" '0,/base="5000.00"/s//base="5000.001"/' "bad.xml:9: not valid"
bad_policy "a step below the one before" '0,/base="5150.00"/s//base="4999.00"/' "bad.xml:9: <step>: base is below the step before it"
bad_policy "a scale without a level" '/id="L3" qualification="senior" name="高级社会工作师"><step base="7600.00"/d' "<scale>: scale 'prd' has no level for qualification senior"
bad_policy "floor above ceiling" 's/floor="4492.00" ceiling="27501.00" rounding="fen"\/>/floor="4492.00" ceiling="400.00" rounding="fen"\/>/' "<item>: ceiling is below floor"
bad_policy "unknown rounding" 's/rounding="yuan"/rounding="jiao"/' "not valid against xsd/pay.xsd"
bad_policy "probation under 80%" 's/wage-percent="80"/wage-percent="70"/' "not valid"
bad_policy "region naming an unknown scale" 's/scale="ewn" minimum/scale="nope" minimum/' "not valid"
bad_policy "a village as region division" 's/<division code="440100000000"\/>/<division code="440103001101"\/>/' "<division>: code is not a province, prefecture, county or township code"
sb pay policy "$TMP/none.xml"
expect_rc "a missing file" 1

# ---- CSV inputs: FILE:LINE: FIELD, database unchanged ----
bad_csv() { # DESC VERB... -- CSV-CONTENT EXPECTED-MESSAGE
  desc=$1; shift
  args=""
  while [ "$1" != "--" ]; do args="$args $1"; shift; done
  shift
  printf '%s' "$1" >"$TMP/in.csv"
  sb pay $args "$TMP/in.csv"
  expect_rc "$desc: refused" 1
  expect_err "$desc: message" "$2"
  expect_eq "$desc: database unchanged" "$(dbsum)" "$before"
}
before=$(dbsum)
bad_csv "evaluate: unknown column" evaluate 2025 -- "id_number,grade,extra
$P1,competent,x
" "in.csv:1: extra"
bad_csv "evaluate: bad grade" evaluate 2025 -- "id_number,grade
$P1,good
" "in.csv:2: grade: 'good' is not one of excellent, competent, basic, incompetent"
bad_csv "evaluate: bad ID number" evaluate 2025 -- "id_number,grade
$P1,competent
440103198503150013,competent
" "in.csv:3: id_number"
bad_csv "evaluate: not a worker" evaluate 2025 -- "id_number,grade
110101199001010015,competent
" "in.csv:2: id_number: '110101199001010015' is not a worker of the registry"
bad_csv "qualify: bad qualification" qualify -- "id_number,qualification,effective
$P1,master,2026-03-01
" "in.csv:2: qualification: 'master' is not one of none, assistant, intermediate, senior"
bad_csv "qualify: mid-month" qualify -- "id_number,qualification,effective
$P1,intermediate,2026-03-15
" "in.csv:2: effective: '2026-03-15' is not the first day of a month"
bad_csv "qualify: same level" qualify -- "id_number,qualification,effective
$P1,assistant,2026-03-01
" "in.csv:2: qualification: $P1 already holds assistant"
bad_csv "qualify: missing column" qualify -- "id_number,qualification
$P1,senior
" "in.csv:1: effective"
bad_csv "deductions: bad month" deductions -- "id_number,from,to,amount
$P1,2026-13,2026-12,1000
" "in.csv:2: from: '2026-13' is not a month YYYY-MM"
bad_csv "deductions: to before from" deductions -- "id_number,from,to,amount
$P1,2026-05,2026-04,1000
" "in.csv:2: to: 2026-04 is before from 2026-05"
bad_csv "deductions: bad amount" deductions -- "id_number,from,to,amount
$P1,2026-01,2026-12,1000
$P1,2026-01,2026-12,10.001
" "in.csv:3: amount: '10.001' is not a positive amount"
bad_csv "prior-year: bad months" prior-year 2025 -- "id_number,township_code,months,wages
$P1,440103001000,13,50000
" "in.csv:2: months: '13' is not a number of months from 0 to 12"
bad_csv "prior-year: not a township" prior-year 2025 -- "id_number,township_code,months,wages
$P1,440103000000,12,50000
" "in.csv:2: township_code: '440103000000' is not a township code"
bad_csv "prior-year: bad wages" prior-year 2025 -- "id_number,township_code,months,wages
$P1,440103001000,12,5万
" "in.csv:2: wages"
sb pay raise 2025 --effective 2026-02-15
expect_rc "raise: mid-month is a usage error" 2
sb pay raise 2025
expect_rc "raise: --effective is needed" 2
sb pay evaluate 20x5 "$TMP/in.csv"
expect_rc "evaluate: a bad year is a usage error" 2
expect_eq "database unchanged after all refusals" "$(dbsum)" "$before"

# ---- what works ----
printf 'id_number,grade\n%s,excellent\n%s,competent\n' $P1 $P2 >"$TMP/eval.csv"
sb pay evaluate 2025 "$TMP/eval.csv"
expect_rc "evaluate" 0
sb pay raise 2025 --effective 2026-01-01
expect_rc "raise" 0
expect_out "two moved up" "2 workers moved up"
sb pay position $P1 --date 2026-01-01
expect_out "excellent: two steps" "assistant step 8 since 2026-01-01"
sb pay raise 2025 --effective 2026-01-01
expect_out "the same raise again changes nothing" "0 workers moved up"
sb pay evaluate 2025 "$TMP/eval.csv"
expect_rc "grades of a year already raised are final" 1
printf 'id_number,qualification,effective\n%s,intermediate,2026-03-01\n' $P1 >"$TMP/q.csv"
sb pay qualify "$TMP/q.csv"
expect_rc "qualify" 0
# step 8 of assistant = 6790; the lowest intermediate step not below it: 6800 (step 3)
sb pay position $P1 --date 2026-03-01
expect_out "lowest step not below the current base" "intermediate step 3 since 2026-03-01, region gz-sz, base 6800.00"
sb pay position $P1 --date 2026-02-28
expect_out "the day before: the old level" "assistant step 8"
before=$(dbsum)
sb pay qualify "$TMP/q.csv"
expect_eq "the same file again changes nothing" "$(dbsum)" "$before"
printf 'id_number,from,to,amount\n%s,2026-01,2026-12,1000\n%s,2026-01,2026-12,1000\n%s,2026-03,2026-06,500.50\n' $P1 $P1 $P2 >"$TMP/d.csv"
sb pay deductions "$TMP/d.csv"
expect_out "two identical rows are two declarations" "3 new declarations"
sb pay deductions "$TMP/d.csv"
expect_out "loading again adds nothing" "0 new declarations"
printf 'id_number,township_code,months,wages\n%s,440103001000,12,59000\n' $P1 >"$TMP/p.csv"
sb pay prior-year 2025 "$TMP/p.csv"
expect_rc "prior-year" 0
before=$(dbsum)
sb pay prior-year 2025 "$TMP/p.csv"
expect_eq "prior-year again changes nothing" "$(dbsum)" "$before"
sb audit verify
expect_rc "the audit chain holds" 0
finish
