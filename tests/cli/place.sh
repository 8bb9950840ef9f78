#!/bin/sh
# round place and round hire end to end on a small hand-made round (tests/data/place): a
# pool of three posts where merit and distance differ, an applicant no free post fits under
# merit, a post without a pool; order of steps, usage errors, hiring twice.
. "$SRCDIR/tests/cli/lib.sh"

D="$SRCDIR/tests/data/place"
# The Guangdong example policy, opened at 1:1 and without panel correction, so that three
# proposed applicants fill the pool of three seats.
sed -e 's/<opening ratio="3"/<opening ratio="1"/' -e 's/aggregate="trimmed"/aggregate="mean"/' \
    -e 's/correction="pooled"/correction="none"/' "$SHARED/examples/policy-guangdong.xml" >"$TMP/policy.xml"

sb init
sb org import "$D/divisions.csv"
sb org stations
expect_rc "registry ready" 0
sb round create R1 --policy "$TMP/policy.xml"
expect_rc "round created" 0
sb round posts R1 "$D/posts.csv"
sb round apply R1 "$D/applications.csv"
sb round screen R1
sb round written R1 "$D/written.csv"
sb round shortlist R1

before=$(dbsum)
sb round place R1
expect_rc "placing before the ranking is a state error" 1
expect_err "and says rank comes first" "round rank"
expect_eq "and changes nothing" "$(dbsum)" "$before"

sb round interview R1 "$D/interview.csv"
sb round rank R1
expect_rc "round ranked" 0

sb round place R1 --method nearest
expect_rc "unknown method: usage error" 2
sb round place
expect_rc "no round code: usage error" 2
sb round place NOPE
expect_rc "unknown round" 1

sb round place R1 --format csv
expect_rc "merit placement" 0
expect_eq "merit rows" "$out" "pool,app_no,post_id,station_code,distance_km,reason
A,A1,1,440103001001,51.2,preference 1
A,A2,2,440104001001,51.2,nearest open
A,A3,,,,unplaced: every post open to the applicant is full"
expect_err "summary on stderr: merit total 102.4 km, 2 of 3" \
  "A            merit          3      2        102.4      51.2      51.2      0.0%      0.0%"
expect_err "distance: 3 placed, total 61.0, mean 20.3, shares 66.7%" \
  "A            distance       3      3         61.0      20.3      61.0     66.7%     66.7%"
expect_err "and a line for all pools" "all pools    merit"

sb round place R1 --method distance --format csv
expect_rc "distance placement" 0
expect_eq "distance rows" "$out" "pool,app_no,post_id,station_code,distance_km,reason
A,A1,2,440104001001,0.0,nearest open
A,A2,3,440104002000,61.0,shorter total distance
A,A3,1,440103001001,0.0,nearest open"

sb round place R1 --method distance
expect_rc "text format" 0
expect_out "text rows" "A            A2           3          440104002000        61.0  shorter total distance"
expect_out "text summary" "A            distance       3      3         61.0      20.3      61.0     66.7%     66.7%"
expect_eq "stored placement: three rows by distance" \
  "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT group_concat(app_no || '=' || ifnull(post_id,'-'), ' ') FROM (SELECT * FROM place_result WHERE round_code='R1' ORDER BY app_no)")" \
  "A1=2 A2=3 A3=1"

before=$(dbsum)
sb round hire R1 --start 2026-13-01
expect_rc "bad start date: usage error" 2
sb round hire R1
expect_rc "no start date: usage error" 2
expect_eq "and nothing changed" "$(dbsum)" "$before"

sb round outcome R1 "$D/outcome.csv"
expect_rc "outcomes recorded" 0
fault_loop alloc 2000 11 "place" round place R1 --method distance --format csv
fault_loop step 500 7 "place" round place R1 --method distance --format csv
fault_loop alloc 2000 11 "hire" round hire R1 --start 2026-12-01
fault_loop step 500 7 "hire" round hire R1 --start 2026-12-01

sb round hire R1 --start 2026-12-01
expect_rc "hire" 0
expect_out "four passed, four hired" "4 passed: 4 hired, 0 already in service"
workers=$("$SQLITE3" "$SHUANGBAI_DB" "SELECT group_concat(app_no || ':' || post_id || ':' || township_code || ':' || ifnull(village_code,'-') || ':' || kind || ':' || qualification || ':' || start_date || ':' || source, ' ') FROM (SELECT * FROM staff_worker ORDER BY app_no)")
expect_eq "workers at their placed post (pool) or applied post (B1), level by qualification" "$workers" \
  "A1:2:440104001000:440104001001:service:assistant:2026-12-01:recruit A2:3:440104002000:-:office:none:2026-12-01:recruit A3:1:440103001000:440103001001:service:intermediate:2026-12-01:recruit B1:9:440103001000:-:office:senior:2026-12-01:recruit"

before=$(dbsum)
sb round hire R1 --start 2026-12-01
expect_rc "hiring twice succeeds" 0
expect_out "and hires nobody new" "4 passed: 0 hired, 4 already in service"
expect_eq "and changes nothing" "$(dbsum)" "$before"

sb round place R1 --help
expect_rc "place --help" 0
expect_out "help names the methods" "--method distance"
sb round hire R1 --help
expect_out "hire --help" "--start YYYY-MM-DD"

finish
