#!/bin/sh
# The demo end to end (small scale): it must finish, and every output it names must exist and
# pass its own verify command and the peer tools.
. "$SRCDIR/tests/cli/lib.sh"
[ -n "${SB_VALGRIND:-}" ] && skip_all "the whole year is too long under valgrind"
D="$TMP/demo"
sb demo --province inner-mongolia --dir "$D"
expect_rc "the Inner Mongolia demo runs to the end" 0
expect_out "twelve payrolls" "twelve payrolls:"
expect_out "the audit log holds" "audit log intact"
[ -f "$D/notice.pdf" ] && pass "the notice exists" || fail "the notice exists"
expect_out "the summary lists the round report" "round-report.pdf    the round report"
[ -f "$D/round-report.pdf" ] && pass "the round report exists" || fail "the round report exists"
if [ -n "${PDFTOTEXT:-}" ]; then
  rt=$("$PDFTOTEXT" "$D/round-report.pdf" - 2>/dev/null)
  case "$rt" in *招录情况报告*招录单位*安置距离*) pass "pdftotext reads the round report" ;;
    *) fail "pdftotext reads the round report" "$(printf '%s' "$rt" | head -5)" ;; esac
fi
"$SQLITE3" "$D/shuangbai.db" "PRAGMA integrity_check" > "$TMP/ic"
expect_eq "the registry is sound" "$(cat "$TMP/ic")" "ok"
nc=$(ls "$D"/contracts/*.xml 2>/dev/null | wc -l)
[ "$nc" -gt 0 ] && pass "contracts were written ($nc)" || fail "contracts were written"
x=$(ls "$D"/contracts/*.xml | head -1)
sb contract verify "$x" --ca "$D/pki/ca.pem"
expect_rc "a demo contract verifies with our command" 0
if [ -n "$XMLSEC1" ]; then
  "$XMLSEC1" --verify --trusted-pem "$D/pki/ca.pem" "$x" >/dev/null 2>&1 && pass "xmlsec1 verifies a demo contract" || fail "xmlsec1 verifies a demo contract"
fi
pdf=${x%.xml}.pdf
if [ -n "$PDFSIG" ]; then
  "$PDFSIG" "$pdf" 2>&1 | grep -q "Signature is Valid" && pass "pdfsig finds a valid signature on a demo contract" || fail "pdfsig on a demo contract"
fi
e=$(ls "$D"/payroll/payroll-*-2027-06.xml | head -1)
sb payroll verify "$e" --ca "$D/pki/ca.pem" --db "$D/shuangbai.db"
expect_rc "a demo payroll export verifies against the registry" 0
sb --db "$D/shuangbai.db" audit verify
expect_rc "the demo's audit chain verifies" 0
months=$(ls "$D"/payroll/payroll-*.xml | sed 's/.*-\([0-9]*-[0-9]*\)\.xml/\1/' | sort -u | wc -l)
expect_eq "exports for twelve months" "$months" 12
finish
