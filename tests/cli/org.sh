#!/bin/sh
# org import/flags/employers/stations/coverage end to end on the shipped division data:
# counts, idempotence, GB18030 copies, bad rows that change nothing.
. "$SRCDIR/tests/cli/lib.sh"

GD="$SRCDIR/data/divisions/guangdong.csv"
IM="$SRCDIR/data/divisions/inner-mongolia.csv"

sb init
sb org import "$GD"
expect_rc "import Guangdong" 0
expect_out "28,743 divisions" "28743 rows, 28743 divisions added"
expect_eq "no progress output when not a terminal" "$err" ""
sb org stations
expect_out "1,757 stations and 26,842 points" "1757 stations and 26842 points created"
sb org coverage --format csv
expect_rc "coverage csv" 0
total=$(printf '%s\n' "$out" | grep '^total,')
expect_eq "Guangdong total: 1757 stations, 26842 points" "$total" "total,total,,1757,1757,26842,26842,0,0"
expect_eq "one row per county (or prefecture without counties) plus header and total" \
  "$(printf '%s\n' "$out" | wc -l)" "$((1 + $(printf '%s\n' "$out" | grep -c '^44') + 1))"
dg=$(printf '%s\n' "$out" | grep '^441900000000,')
case "$dg" in 441900000000,东莞市,广东省,*) pass "东莞 townships are counted under the prefecture" ;; *) fail "东莞 row" "$dg" ;; esac

before=$(dbsum)
sb org import "$GD"
expect_rc "importing again succeeds" 0
expect_out "and adds nothing" "0 divisions added, 0 updated, 28743 unchanged"
expect_eq "importing again changes nothing in the database" "$(dbsum)" "$before"
sb org stations
expect_out "stations again: none" "0 stations and 0 points created"

sb org import "$IM"
sb org stations
expect_out "Inner Mongolia: 1,225 stations and 14,592 points" "1225 stations and 14592 points created"
sb org coverage --scope 150000000000 --format csv
expect_eq "Inner Mongolia total" "$(printf '%s\n' "$out" | grep '^total,')" "total,total,,1225,1225,14592,14592,0,0"
sb org coverage --scope 440100000000
expect_rc "text coverage with a scope" 0
expect_out "text has a total line" "total"
expect_out "text shows 100 percent" "100.0%"

# A GB18030 copy with BOM and CRLF imports identically.
DB2="$TMP/gb.db"
iconv -f UTF-8 -t GB18030 "$GD" | sed 's/$/\r/' > "$TMP/gd-gb18030.csv"
printf '\204\061\225\063' | cat - "$TMP/gd-gb18030.csv" > "$TMP/gd-gb18030-bom.csv"
sb --db "$DB2" init
sb --db "$DB2" org import "$TMP/gd-gb18030.csv"
expect_rc "GB18030 CRLF imports" 0
sb --db "$DB2" org import "$TMP/gd-gb18030-bom.csv"
expect_out "GB18030 with BOM is the same data" "0 divisions added, 0 updated, 28743 unchanged"
a=$("$SQLITE3" "$DB2" "SELECT code,name,level,parent,lon,lat FROM org_division ORDER BY code" | sha256sum)
b=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT code,name,level,parent,lon,lat FROM org_division WHERE code LIKE '44%' ORDER BY code" | sha256sum)
expect_eq "GB18030 copy imports identically" "$a" "$b"
printf '\357\273\277' | cat - "$GD" > "$TMP/gd-bom.csv"
sb --db "$DB2" org import "$TMP/gd-bom.csv"
expect_out "UTF-8 with BOM is the same data" "0 divisions added, 0 updated, 28743 unchanged"

# One bad row anywhere: exit 1, FILE:LINE: FIELD, database unchanged.
before=$(dbsum)
check_bad() { # DESC SED-EXPR WANT
  sed "$2" "$GD" > "$TMP/bad.csv"
  sb org import "$TMP/bad.csv"
  expect_rc "$1: exit 1" 1
  expect_err "$1: message" "$3"
  expect_eq "$1: database unchanged" "$(dbsum)" "$before"
}
check_bad "unknown parent" '20000s/,\(44[0-9]*\),,$/,449999999000,,/' "bad.csv:20000: parent: 449999999000"
check_bad "malformed code" '15000s/^44\([0-9]*\),/44\1X,/' "bad.csv:15000: code:"
check_bad "duplicate code" '101s/^.*$/440100000000,广州市,prefecture,440000000000,,/' "bad.csv:101: code: 440100000000 appears twice"
check_bad "wrong column count" '9999s/,[^,]*$//' "bad.csv:9999: record: 5 fields, the header has 6"
tl=$(grep -n ',township,' "$GD" | sed -n 5p | cut -d: -f1)
check_bad "unknown level" "${tl}s/,township,/,town,/" "bad.csv:$tl: level: 'town'"
printf '\377\376' > "$TMP/junk"
sed '500r '"$TMP/junk" "$GD" > "$TMP/bad.csv"
sb org import "$TMP/bad.csv"
expect_rc "invalid encoding: exit 1" 1
expect_err "invalid encoding: the line is named" "bad.csv:501: encoding:"
expect_eq "invalid encoding: database unchanged" "$(dbsum)" "$before"
printf 'code,name,level,parent,lon,lat,x\n' > "$TMP/bad.csv"
sb org import "$TMP/bad.csv"
expect_err "unknown column" "bad.csv:1: x: unknown column"

# Flags and employers.
sb org flags "$SRCDIR/data/flags-inner-mongolia.csv"
expect_rc "Inner Mongolia flags load" 0
expect_out "23 flags" "23 rows, 23 flags added"
sb org flags "$SRCDIR/data/flags-inner-mongolia.csv"
expect_out "again: unchanged" "0 flags added"
printf 'township_code,name,address,legal_rep,uscc\n440103001000,广州市荔湾区沙面街道办事处,广州市荔湾区沙面北街1号,张三,91350100M000100Y43\n' > "$TMP/emp.csv"
sb org employers "$TMP/emp.csv"
expect_rc "employer recorded" 0
printf 'township_code,name,address,legal_rep,uscc\n440103001000,x,y,z,91350100M000100Y44\n' > "$TMP/emp.csv"
before=$(dbsum)
sb org employers "$TMP/emp.csv"
expect_rc "bad credit code: exit 1" 1
expect_err "bad credit code named" "emp.csv:2: uscc: '91350100M000100Y44': check character should be 3"
expect_eq "bad credit code: database unchanged" "$(dbsum)" "$before"

# On a terminal the import shows a progress bar (script(1) gives it a pseudo-terminal).
if command -v script >/dev/null 2>&1 && [ -z "${SB_VALGRIND:-}" ]; then
  sb --db "$TMP/tty.db" init
  script -qec "$SB --db $TMP/tty.db org import $IM" /dev/null > "$TMP/tty.out" 2>&1
  if grep -q 'divisions *\[#' "$TMP/tty.out" && grep -q '100% 15938/15938' "$TMP/tty.out"; then
    pass "a progress bar on a terminal"
  else
    fail "a progress bar on a terminal" "$(head -c 300 "$TMP/tty.out")"
  fi
fi
finish
