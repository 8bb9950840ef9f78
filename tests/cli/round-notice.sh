#!/bin/sh
# The Inner Mongolia round's published case at the command line (two papers of 150 scaled to
# 100 plus a 2.50 bonus: 77.50; interview 80.00 at 60/40: 78.50), and the public notice:
# a name the font cannot draw stops it, naming the applicant and the character; the PDF holds
# the names, masked ID numbers and two-decimal scores (pdftotext).
. "$SRCDIR/tests/cli/lib.sh"

[ -n "${PDFTOTEXT:-}" ] || skip_all "pdftotext is not installed"
D="$SRCDIR/tests/data/round"
sb init
sb org import "$D/divisions.csv"

cat >"$TMP/posts.csv" <<'EOF'
post_id,station_code,title,kind,quota,pool,education,majors,max_age,hukou_scope,language
M1,440103001000,苏木社工站事务岗,office,1,,,,,any,
EOF
# 𠮷 (U+20BB7) lies outside the Basic Multilingual Plane: the font cannot draw it.
cat >"$TMP/apps.csv" <<'EOF'
app_no,id_number,name,post_id,hukou_code,home_code,education,major,qualification,bonus,languages,preferences
M01,150102199606102012,巴特尔,M1,440103001101,440103001101,本科,社会工作,assistant,2.50,mn,
M02,150102199707213029,𠮷乌兰,M1,440103001101,440103001101,本科,社会工作,none,,mn,
M03,150102199801014034,其其格,M1,440103001101,440103001101,本科,社会工作,none,,mn,
EOF
cat >"$TMP/written.csv" <<'EOF'
app_no,subject,score
M01,zc,120
M01,zy,105
M02,zc,140
M02,zy,140
M03,zc,100
M03,zy,absent
EOF
cat >"$TMP/interview.csv" <<'EOF'
app_no,panel,examiner,mark
M01,一组,E1,80
M01,一组,E2,79.5
M01,一组,E3,80.5
M02,一组,E1,90
M02,一组,E2,90
M02,一组,E3,90
EOF
sb round create IM --policy "$SRCDIR/forms/policy-inner-mongolia.xml"
for step in "posts IM $TMP/posts.csv" "apply IM $TMP/apps.csv" "screen IM" "written IM $TMP/written.csv" \
            "shortlist IM" "interview IM $TMP/interview.csv"; do
  sb round $step
  expect_rc "round $step" 0
done
sb round rank IM --format csv
expect_out "120 + 105 of 300 -> 75.00, + 2.50 = 77.50; interview 80.00 at 60/40 -> 78.50" \
  "M1,2,M01,巴特尔,75.00,2.50,77.50,80.00,80.00,78.50,reserve"
expect_out "M02 first" "M1,1,M02,𠮷乌兰,93.33,0.00,93.33,90.00,90.00,92.00,proposed"
case "$out" in *M03*) fail "an applicant absent from one paper is not shortlisted" ;; *) pass "an applicant absent from one paper is not shortlisted" ;; esac

before=$(dbsum)
sb round notice IM --pdf "$TMP/notice.pdf"
expect_rc "a name the font cannot draw stops the notice" 1
expect_err "naming the applicant" "applicant M02 (𠮷乌兰): character U+20BB7"
expect_err "and the character" "U+20BB7"
[ ! -e "$TMP/notice.pdf" ] && pass "no PDF is written" || fail "no PDF is written"
expect_eq "the database is unchanged" "$(dbsum)" "$before"

printf 'app_no,outcome\nM02,withdrew\n' >"$TMP/outcome.csv"
sb round outcome IM "$TMP/outcome.csv"
expect_rc "M02 withdraws" 0
sb round notice IM --pdf "$TMP/notice.pdf"
expect_rc "the notice" 0
text=$("$PDFTOTEXT" -layout "$TMP/notice.pdf" - 2>/dev/null)
for want in "拟聘用人员公示" "内蒙古自治区苏木乡镇（街道）社会工作者招聘" "招录单位：M1" "巴特尔" "150102********2012" \
            "77.50" "80.00" "78.50" "2026年11月29日"; do
  case "$text" in *"$want"*) pass "the notice shows $want" ;; *) fail "the notice shows $want" "$text" ;; esac
done
case "$text" in *150102199606102012*) fail "the full ID number is not shown" ;; *) pass "the full ID number is not shown" ;; esac
case "$text" in *乌兰*) fail "the withdrawn applicant is not listed" ;; *) pass "the withdrawn applicant is not listed" ;; esac

finish
