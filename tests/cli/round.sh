#!/bin/sh
# A recruitment round end to end (SPEC §3): policy, posts, applications, screening with
# reasons, opening ratio, written with bonus and absentees, shortlist with a tie at the last
# place, trimmed interviews, ranks 1 2 2 4, a tie across the last seat and its resolution,
# outcomes with backfill; the order of steps; and panel correction on the shared Guangdong
# policy with values computed by hand (exact fractions).
. "$SRCDIR/tests/cli/lib.sh"

D="$SRCDIR/tests/data/round"
sb init
sb org import "$D/divisions.csv"
expect_rc "divisions for the round" 0

# round_ tables only: what a rerun must leave as it was (the audit log grows on purpose)
roundsum() {
  "$SQLITE3" "$SHUANGBAI_DB" "SELECT * FROM round_post ORDER BY round_code, post_id; SELECT * FROM round_app ORDER BY id;" | sha256sum | cut -d' ' -f1
}

# ---- create ------------------------------------------------------------------------------
sb round create T --policy "$D/policy-none.xml"
expect_rc "create from a policy" 0
sb round create T --policy "$D/policy-none.xml"
expect_rc "the same code twice is refused" 1
expect_err "and says it exists" "round T: already exists"
sb round create G --policy "$SHARED/examples/policy-guangdong.xml"
expect_rc "the shared Guangdong policy loads unchanged" 0
sb round create M --policy "$SHARED/examples/policy-inner-mongolia.xml"
expect_rc "the shared Inner Mongolia policy loads unchanged" 0
sb round create GD --policy "$SRCDIR/forms/policy-guangdong.xml"
expect_rc "the shipped Guangdong policy loads" 0
sb round create IM --policy "$SRCDIR/forms/policy-inner-mongolia.xml"
expect_rc "the shipped Inner Mongolia policy loads" 0

# ---- order of the steps --------------------------------------------------------------------
before=$(dbsum)
sb round interview T "$D/interview.csv"
expect_rc "interviews before anything else are refused" 1
expect_err "naming the step that must come first" "\`round posts\` must come first"
sb round screen T
expect_rc "screening before posts is refused" 1
expect_eq "refused steps change nothing" "$(dbsum)" "$before"

# ---- posts -----------------------------------------------------------------------------------
sb round posts T "$D/posts.csv"
expect_rc "posts" 0
expect_out "six posts" "6 rows loaded"
s1=$(roundsum)
sb round posts T "$D/posts.csv"
expect_rc "posts may be loaded again before applications" 0
expect_eq "and give the same result" "$(roundsum)" "$s1"

# ---- applications ---------------------------------------------------------------------------
sb round apply T "$D/applications.csv"
expect_rc "applications" 0
expect_out "34 applications" "34 rows loaded"
sb round posts T "$D/posts.csv"
expect_rc "posts after applications are refused" 1
expect_err "saying the next step was taken" "\`round apply\` has been taken; \`round posts\` can no longer be rerun"

# ---- screening (rule 1) and the opening ratio (rule 2) -----------------------------------
sb round screen T
expect_rc "screen" 0
expect_out "counts" "34 applications, 29 eligible, 5 rejected"
expect_out "a pool below the opening ratio keeps floor(7 / 3) seats" "unit B: seats reduced from 4 to 2 (7 eligible)"
expect_out "a unit left with 0 seats is cancelled" "unit P4: cancelled (2 eligible for 2 seats)"
seats=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT post_id || ':' || open_quota FROM round_post WHERE round_code = 'T' AND pool = 'B' ORDER BY post_id" | tr '\n' ' ')
expect_eq "seats go from the post with most left, larger post_id (10 > 9) first among equals" "$seats" "10:1 9:1 "
s2=$(roundsum)
sb round screen T --format csv
expect_rc "screen again, as CSV" 0
expect_eq "screening again gives the same result" "$(roundsum)" "$s2"
expect_out "csv header" "app_no,post_id,reason"
expect_out "age on the reference date: born 1990-05-01 is 36 on 2026-05-01" "R1,P3,age 36 above 35"
expect_out "education order" "R2,P3,education 大专 below 本科"
expect_out "major list" "R3,P3,major '法学' not among 社会工作;社会学"
expect_out "hukou scope: county of the post" "R4,P3,hukou 440103001101 outside the county 440104000000"
expect_out "language held" "R5,P3,language yue not held"
case "$out" in *C8,*) fail "born 1990-05-02 is still 35 on 2026-05-01" ;; *) pass "born 1990-05-02 is still 35 on 2026-05-01" ;; esac
expect_eq "five rejections" "$(printf '%s\n' "$out" | wc -l)" "6"

# ---- written (rule 3) ------------------------------------------------------------------------
sb round shortlist T
expect_rc "shortlist before written scores is refused" 1
expect_err "naming written" "\`round written\` must come first"
sb round written T "$D/written.csv"
expect_rc "written" 0
w=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT app_no || '=' || coalesce(wstate, '-') || '/' || coalesce(written_total, '-') FROM round_app WHERE round_code = 'T' AND app_no IN ('C2', 'C9', 'C10', 'A10') ORDER BY app_no")
expect_eq "bonus capped at 3.00; absent; 59.99 below the pass line" "$(echo $w)" "A10=0/- C10=1/5999 C2=2/8800 C9=0/-"

# ---- shortlist (rule 4) ----------------------------------------------------------------------
sb round shortlist T
expect_rc "shortlist" 0
expect_out "9 of unit A and 7 of P3" "16 shortlisted"
p3=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT group_concat(app_no, ' ') FROM (SELECT app_no FROM round_app WHERE round_code = 'T' AND post_id = 'P3' AND shortlisted = 1 ORDER BY app_no)")
expect_eq "2 seats at ratio 3 with the 6th and 7th tied at 78.00: seven" "$p3" "C1 C2 C3 C4 C5 C6 C7"
sb round shortlist T
expect_eq "shortlisting again gives the same result" "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT count(*) FROM round_app WHERE shortlisted = 1 AND round_code = 'T'")" "16"

# ---- interview (rule 5) and rank (rules 6, 7) ------------------------------------------------
sb round interview T "$D/interview.csv"
expect_rc "interview" 0
sb round written T "$D/written.csv"
expect_rc "written scores after the interview are refused" 1
sb round rank T --format csv
expect_rc "rank" 0
cat >"$TMP/rank.want" <<'EOF'
unit,rank,app_no,name,written,bonus,written_total,interview_raw,interview,combined,status
A,1,A01,陈晓明,95.00,0.00,95.00,90.00,90.00,92.50,proposed
A,2,A02,李婉婷,92.00,0.00,92.00,88.00,88.00,90.00,proposed
A,3,A03,黄志强,90.00,0.00,90.00,85.00,85.00,87.50,proposed
A,4,A04,张丽娟,88.00,0.00,88.00,80.00,80.00,84.00,reserve
A,4,A05,王建国,88.00,0.00,88.00,80.00,80.00,84.00,reserve
A,6,A06,刘思雨,83.00,0.00,83.00,83.00,83.00,83.00,reserve
A,7,A07,林嘉欣,80.00,0.00,80.00,70.67,70.67,75.34,reserve
A,,A08,吴海涛,80.00,0.00,80.00,,,,absent
A,,A09,郑雅文,79.00,0.00,79.00,59.67,59.67,69.34,below-pass
P3,1,C1,赵一鸣,90.00,0.00,90.00,90.00,90.00,90.00,proposed
P3,2,C6,郑晓燕,78.00,0.00,78.00,95.00,95.00,86.50,tie
P3,2,C7,冯子健,76.00,2.00,78.00,95.00,95.00,86.50,tie
P3,4,C2,钱小红,85.00,3.00,88.00,84.00,84.00,86.00,reserve
P3,5,C3,孙立新,86.00,0.00,86.00,80.00,80.00,83.00,reserve
P3,,C4,周文静,80.00,2.00,82.00,,,,absent
P3,,C5,吴天宇,81.00,0.00,81.00,55.00,55.00,68.00,below-pass
EOF
expect_eq "the ranking: trimmed means, 75.335 -> 75.34, ranks 1 2 2 4, tie across the last seat, absent (a missing examiner row), below the pass mark" \
  "$out" "$(cat "$TMP/rank.want")"
s3=$(roundsum)
sb round rank T
expect_eq "ranking again gives the same result" "$(roundsum)" "$s3"

# ---- resolve and outcomes (rules 7, 8) -------------------------------------------------------
before=$(dbsum)
sb round resolve T A06
expect_rc "resolving an applicant not in a tie is refused" 1
expect_err "saying why" "A06 is reserve, not in a tie"
sb round resolve T C6 A04
expect_rc "resolving across units is refused" 1
expect_eq "refused resolutions change nothing" "$(dbsum)" "$before"
sb round notice T --pdf "$TMP/notice.pdf"
expect_rc "no notice while a tie is open" 1
expect_err "naming the unit" "unit P3 has a tie across its last seat"

printf 'app_no,outcome\nA02,withdrew\nA01,passed\nA03,passed\nC1,failed-medical\n' >"$TMP/outcome1.csv"
sb round outcome T "$TMP/outcome1.csv"
expect_rc "outcomes" 0
sb round list T --format csv
expect_out "the withdrawn keep their rank" "A,2,A02,李婉婷,92.00,0.00,92.00,88.00,88.00,90.00,withdrew"
expect_out "a freed seat never goes across a tie: A04" "A,4,A04,张丽娟,88.00,0.00,88.00,80.00,80.00,84.00,tie"
expect_out "and A05 tie for it" "A,4,A05,王建国,88.00,0.00,88.00,80.00,80.00,84.00,tie"
expect_out "C1 failed medical" "P3,1,C1,赵一鸣,90.00,0.00,90.00,90.00,90.00,90.00,failed-medical"
expect_out "the freed seat backfills the tie below it: C6" "P3,2,C6,郑晓燕,78.00,0.00,78.00,95.00,95.00,86.50,proposed"
expect_out "and C7" "P3,2,C7,冯子健,76.00,2.00,78.00,95.00,95.00,86.50,proposed"
expect_out "C2 stays reserve" "P3,4,C2,钱小红,85.00,3.00,88.00,84.00,84.00,86.00,reserve"

sb round rank T
expect_rc "ranking after outcomes is refused" 1
expect_err "because outcomes were taken" "\`round outcome\` has been taken"

sb round resolve T A05
expect_rc "resolve the tie by an additional assessment" 0
sb round list T --format csv
expect_out "A05 takes the seat" "A,4,A05,王建国,88.00,0.00,88.00,80.00,80.00,84.00,proposed"
expect_out "A04 stays reserve with the same rank" "A,4,A04,张丽娟,88.00,0.00,88.00,80.00,80.00,84.00,reserve"

before=$(dbsum)
printf 'app_no,outcome\nA06,passed\n' >"$TMP/outcome-bad.csv"
sb round outcome T "$TMP/outcome-bad.csv"
expect_rc "a reserve cannot pass" 1
expect_err "named with line and field" "outcome-bad.csv:2: outcome: A06 is reserve, not proposed"
printf 'app_no,outcome\nA05,hired\n' >"$TMP/outcome-bad.csv"
sb round outcome T "$TMP/outcome-bad.csv"
expect_err "unknown outcome" "outcome-bad.csv:2: outcome: 'hired': must be passed, failed-medical, failed-inspection or withdrew"
printf 'app_no,outcome\nA08,passed\n' >"$TMP/outcome-bad.csv"
sb round outcome T "$TMP/outcome-bad.csv"
expect_err "an absent interviewee cannot be hired" "outcome-bad.csv:2: app_no: 'A08' is absent and cannot be hired"
printf 'app_no,outcome\nC8,passed\n' >"$TMP/outcome-bad.csv"
sb round outcome T "$TMP/outcome-bad.csv"
expect_err "nor someone not interviewed" "outcome-bad.csv:2: app_no: 'C8' was not interviewed"
expect_eq "bad outcome files change nothing" "$(dbsum)" "$before"

printf 'app_no,outcome\nA05,passed\nC6,passed\nC7,passed\n' >"$TMP/outcome2.csv"
sb round outcome T "$TMP/outcome2.csv"
expect_rc "a second wave of outcomes" 0
sb round show T
expect_out "show: last step" "last step:      outcome"
expect_out "show: proposed" "proposed:       5"

# ---- panel correction on the shared Guangdong policy (pooled, trimmed) ----------------------
# M = mean of the 14 present raw scores; m = the panel's mean; interview = round2(raw × M / m),
# computed by hand with exact fractions: e.g. A06 83.00 × M / mean(83, 70.67, 59.67) = 94.65.
for step in "posts G $D/posts.csv" "apply G $D/applications.csv" "screen G" "written G $D/written.csv" \
            "shortlist G" "interview G $D/interview.csv"; do
  sb round $step
done
sb round rank G --format csv
expect_rc "Guangdong round ranks" 0
expect_out "pooled: A01 90.00 -> 86.27" "A,1,A01,陈晓明,95.00,0.00,95.00,90.00,86.27,90.64,proposed"
expect_out "pooled: A06 83.00 -> 94.65, now second" "A,2,A06,刘思雨,83.00,0.00,83.00,83.00,94.65,88.83,proposed"
expect_out "pooled: A09 59.67 -> 68.05 passes after correction" "A,8,A09,郑雅文,79.00,0.00,79.00,59.67,68.05,73.53,reserve"
expect_out "pooled: C7 95.00 -> 92.63" "P3,2,C7,冯子健,76.00,2.00,78.00,95.00,92.63,85.32,tie"
expect_out "pooled: C5 55.00 -> 53.63" "P3,,C5,吴天宇,81.00,0.00,81.00,55.00,53.63,67.32,below-pass"

finish
