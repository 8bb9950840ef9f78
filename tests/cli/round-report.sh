#!/bin/sh
# `round report`: the figures per unit as text and as a PDF of tables and bar charts, on the
# hand-made round of tests/data/round (two villages of pool A 2.2 km apart, so placement has
# distances); pdftotext finds the units, counts and cut-offs, pdffonts the embedded CJK font,
# pdfinfo the pages. Refusals: unknown round, a round without written scores, usage errors;
# the report changes nothing in the database.
. "$SRCDIR/tests/cli/lib.sh"

D="$SRCDIR/tests/data/round"
sed -e 's/^\(440103001101,[^,]*,village,440103001000\),,$/\1,113.24,23.10/' \
    -e 's/^\(440103002101,[^,]*,village,440103002000\),,$/\1,113.24,23.12/' "$D/divisions.csv" >"$TMP/divisions.csv"
sb init
sb org import "$TMP/divisions.csv"
expect_rc "divisions with two villages' coordinates" 0

sb round report NOPE
expect_rc "an unknown round" 1
expect_err "is named" "round NOPE: no such round"
sb round report
expect_rc "no round code is a usage error" 2
sb round report T --format xml
expect_rc "an unknown option is a usage error" 2
sb round report --help
expect_rc "--help" 0
expect_out "shows the report's usage" "round report CODE [--pdf FILE.pdf]"

sb round create T --policy "$D/policy-none.xml"
for step in "posts T $D/posts.csv" "apply T $D/applications.csv" "screen T"; do
  sb round $step
  expect_rc "round $step" 0
done
sb round report T --pdf "$TMP/early.pdf"
expect_rc "a round without written scores has no report" 1
expect_err "saying what must come first" "round T: not scored yet: \`round written\` must come first (last step taken: \`round screen\`)"
[ ! -e "$TMP/early.pdf" ] && pass "no PDF is written" || fail "no PDF is written"

for step in "written T $D/written.csv" "shortlist T" "interview T $D/interview.csv" "rank T" "place T"; do
  sb round $step
  expect_rc "round $step" 0
done

before=$(dbsum)
sb round report T
expect_rc "the text report" 0
expect_out "the round's line" "4 units (2 pools, 1 cancelled), 6 posts, 11 seats (7 open), placement by merit"
expect_out "the round's figures" "applicants 34, eligible 29, sat 18, passed 17, pass rate 94.4%, written mean 82.28"
expect_out "the round's written bins" "written   55-60 1, 70-75 1, 75-80 3, 80-85 5, 85-90 4, 90-95 3, 95-100+ 1"
expect_out "unit A" "unit A: pool, 3 seats in 2 posts"
expect_out "A's figures" "applicants 10, eligible 10, sat 9, passed 9, pass rate 100.0%, written mean 86.11"
expect_out "A's cut-off" "shortlisted 9, cut-off 79.00, interviewed 8, proposed 3"
expect_out "A's combined bins" "combined  65-70 1, 75-80 1, 80-85 3, 85-90 1, 90-95 2"
expect_out "A's distances" "distance placed 3, unplaced 0, mean 1.5 km, max 2.2 km"
expect_out "A's distance bins" "0-1 km 1, 2-3 km 2"
expect_out "P3's cut-off includes the tie at the last place" "shortlisted 7, cut-off 78.00, interviewed 6, proposed 1"
expect_out "B reduced" "unit B: pool, 4 seats in 2 posts, reduced to 2"
expect_out "P4 cancelled" "unit P4: post, 2 seats, cancelled"

sb round report T --pdf "$TMP/report.pdf"
expect_rc "the PDF report" 0
expect_out "says where" "round T: report of 4 units written to $TMP/report.pdf (2 pages)"
expect_eq "the report changes nothing" "$(dbsum)" "$before"
if [ -n "${PDFTOTEXT:-}" ]; then
  text=$("$PDFTOTEXT" -layout "$TMP/report.pdf" - 2>/dev/null)
  for want in "测试轮次（不校正）" "招录情况报告" "招录单位 A" "招录单位 B" "招录单位 P3" "招录单位 P4" \
              "因开考比例不足取消" "开考比例核减为 2 人" "94.4%" "100.0%" "88.9%" "79.00" "78.00" "86.11" \
              "笔试成绩分布" "综合成绩分布" "安置距离（公里）" "最远 2.2" "单独招录岗位，不参与安置"; do
    case "$text" in *"$want"*) pass "the PDF shows $want" ;; *) fail "the PDF shows $want" "$(printf '%s' "$text" | head -30)" ;; esac
  done
  case "$(printf '%s' "$text" | tr -d ' ')" in *第2页共2页*) pass "pages numbered" ;; *) fail "pages numbered" ;; esac
else
  pass "# SKIP pdftotext is not installed"
fi
if [ -n "${PDFFONTS:-}" ]; then
  fonts=$("$PDFFONTS" "$TMP/report.pdf" 2>/dev/null)
  case "$fonts" in *"CID TrueType"*yes*yes*) pass "the CJK font is embedded as a subset" ;; *) fail "the CJK font is embedded" "$fonts" ;; esac
fi
if [ -n "${PDFINFO:-}" ]; then
  pages=$("$PDFINFO" "$TMP/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  expect_eq "pdfinfo: a title page and a page of four units" "$pages" 2
  title=$("$PDFINFO" "$TMP/report.pdf" 2>/dev/null | sed -n 's/^Title: *//p')
  expect_eq "the document's title" "$title" "测试轮次（不校正）招录情况报告"
fi

# A unit whose name the font cannot draw stops the PDF, naming it; nothing is written.
"$SQLITE3" "$SHUANGBAI_DB" "UPDATE round_post SET pool = 'A𠮷' WHERE round_code = 'T' AND pool = 'A'"
sb round report T --pdf "$TMP/bad.pdf"
expect_rc "a unit name the font cannot draw" 1
expect_err "names the unit and the character" "unit A𠮷: character U+20BB7"
[ ! -e "$TMP/bad.pdf" ] && pass "no PDF is written" || fail "no PDF is written"
sb round report T --pdf "$TMP/no-such-dir/r.pdf"
expect_rc "an unwritable path" 1
finish
