#!/bin/sh
# Bad input of every round file: each is refused with exit 1 and FILE:LINE: FIELD, and the
# database is left exactly as it was. Policies: schema, DOCTYPE, weights, pass line.
. "$SRCDIR/tests/cli/lib.sh"

D="$SRCDIR/tests/data/round"
sb init
sb org import "$D/divisions.csv"

# refused FILE_SUBCOMMAND ROUND FILE WANT_IN_STDERR: exit 1, message, database unchanged
refused() {
  desc=$1; shift
  want=$1; shift
  before=$(dbsum)
  sb round "$@"
  if [ "$rc" -eq 1 ]; then
    case "$err" in *"$want"*) pass "$desc" ;; *) fail "$desc" "stderr lacks: $want" "stderr: $err" ;; esac
  else
    fail "$desc" "exit $rc, want 1" "stderr: $err"
  fi
  expect_eq "$desc: database unchanged" "$(dbsum)" "$before"
}

# ---- policies ------------------------------------------------------------------------------
pol() { # pol FILE WRITTEN_ATTRS COMBINED_ATTRS [EXTRA]
  cat >"$TMP/$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<policy xmlns="urn:shuangbai:policy:1" name="测试" reference-date="2026-05-01">
  <written $2>
    <subject id="sw" name="综合" max="100"/>
  </written>
  <shortlist ratio="3"/>
  <interview pass="60.00"/>
  <combined $3/>${4:-}
</policy>
EOF
}
pol weights.xml 'pass="60.00"' 'written="50" interview="40"'
refused "weights not summing to 100" "weights.xml:8: <combined> written/interview: the weights must sum to 100 (50 + 40)" \
  create X --policy "$TMP/weights.xml"
pol negative.xml 'pass="-1.00"' 'written="50" interview="50"'
refused "a negative pass line" "negative.xml:3: <written> pass: the pass line must not be negative" \
  create X --policy "$TMP/negative.xml"
pol unknown.xml 'pass="60.00"' 'written="50" interview="50"' '
  <bonus points="5"/>'
refused "an element the schema does not know" "unknown.xml:9: not valid against xsd/policy.xsd" \
  create X --policy "$TMP/unknown.xml"
pol decimals.xml 'pass="60.005"' 'written="50" interview="50"'
refused "a score with three decimals" "decimals.xml:3: not valid against xsd/policy.xsd" create X --policy "$TMP/decimals.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE policy [<!ENTITY x "y">]>\n<policy xmlns="urn:shuangbai:policy:1"/>\n' >"$TMP/doctype.xml"
refused "a DOCTYPE is refused" "a DOCTYPE is not allowed" create X --policy "$TMP/doctype.xml"
printf '<policy xmlns="urn:shuangbai:policy:1"' >"$TMP/broken.xml"
refused "XML that is not well-formed" "broken.xml:1: not well-formed XML" create X --policy "$TMP/broken.xml"
sb round create X
expect_rc "create without --policy is a usage error" 2

# ---- posts ------------------------------------------------------------------------------
sb round create T --policy "$D/policy-none.xml"
H='post_id,station_code,title,kind,quota,pool,education,majors,max_age,hukou_scope,language'
bad_post() { printf '%s\n1,440103001101,社工,service,1,,,,,any,\n%s\n' "$H" "$2" >"$TMP/posts.csv"; refused "$1" "$3" posts T "$TMP/posts.csv"; }
bad_post "unknown station code" '2,440103009999,社工,service,1,,,,,any,' "posts.csv:3: station_code: '440103009999': no such division"
bad_post "a service post needs a village" '2,440103001000,社工,service,1,,,,,any,' "posts.csv:3: station_code: '440103001000' is a level-4 division; a service post needs a village code"
bad_post "an office post needs a township" '2,440103001101,社工,office,1,,,,,any,' "posts.csv:3: station_code: '440103001101' is a level-5 division; a office post needs a township code"
bad_post "bad kind" '2,440103001101,社工,clerk,1,,,,,any,' "posts.csv:3: kind: 'clerk': must be service or office"
bad_post "quota 0" '2,440103001101,社工,service,0,,,,,any,' "posts.csv:3: quota: '0'"
bad_post "bad education" '2,440103001101,社工,service,1,,高中,,,any,' "posts.csv:3: education: '高中'"
bad_post "bad max_age" '2,440103001101,社工,service,1,,,,3x,any,' "posts.csv:3: max_age: '3x'"
bad_post "bad hukou scope" '2,440103001101,社工,service,1,,,,,town,' "posts.csv:3: hukou_scope: 'town'"
bad_post "duplicate post_id" '1,440103001101,社工,service,1,,,,,any,' "posts.csv:3: post_id: '1' is already on line 2"
printf '%s,extra\n' "$H" >"$TMP/posts.csv"
refused "an unknown column" "posts.csv:1: extra" posts T "$TMP/posts.csv"

sb round posts T "$D/posts.csv"
expect_rc "good posts" 0

# ---- applications -----------------------------------------------------------------------
H='app_no,id_number,name,post_id,hukou_code,home_code,education,major,qualification,bonus,languages,preferences'
G='A01,440103199501011013,陈晓明,101,440103001101,440103002101,本科,社会工作,none,,yue,101;102'
bad_app() { printf '%s\n%s\n%s\n' "$H" "$G" "$2" >"$TMP/apps.csv"; refused "$1" "$3" apply T "$TMP/apps.csv"; }
bad_app "a bad ID number check digit" 'A02,440104199005019994,王五,101,440103001101,440103001101,本科,x,none,,,' "apps.csv:3: id_number: '440104199005019994'"
bad_app "duplicate app_no" 'A01,440104199005019995,王五,101,440103001101,440103001101,本科,x,none,,,' "apps.csv:3: app_no: 'A01' is already on line 2"
bad_app "the same person twice" 'A02,440103199501011013,陈晓明,102,440103001101,440103001101,本科,x,none,,,' "apps.csv:3: id_number: '440103199501011013' has already applied on line 2"
bad_app "unknown post" 'A02,440104199005019995,王五,999,440103001101,440103001101,本科,x,none,,,' "apps.csv:3: post_id: '999': no such post"
bad_app "unknown hukou code" 'A02,440104199005019995,王五,101,440103009999,440103001101,本科,x,none,,,' "apps.csv:3: hukou_code: '440103009999': no such division"
bad_app "home at county level" 'A02,440104199005019995,王五,101,440103001101,440103000000,本科,x,none,,,' "apps.csv:3: home_code: '440103000000' is a level-3 division"
bad_app "bad education" 'A02,440104199005019995,王五,101,440103001101,440103001101,中专,x,none,,,' "apps.csv:3: education: '中专'"
bad_app "bad qualification" 'A02,440104199005019995,王五,101,440103001101,440103001101,本科,x,expert,,,' "apps.csv:3: qualification: 'expert'"
bad_app "negative bonus" 'A02,440104199005019995,王五,101,440103001101,440103001101,本科,x,none,-1,,' "apps.csv:3: bonus: '-1'"
bad_app "bonus with three decimals" 'A02,440104199005019995,王五,101,440103001101,440103001101,本科,x,none,2.505,,' "apps.csv:3: bonus: '2.505'"
bad_app "a preference outside the pool" 'A02,440104199005019995,王五,101,440103001101,440103001101,本科,x,none,,,101;P3' "apps.csv:3: preferences: 'P3' is not in the unit 'A' of post 101"
bad_app "a preference twice" 'A02,440104199005019995,王五,101,440103001101,440103001101,本科,x,none,,,101;101' "apps.csv:3: preferences: '101' is listed twice"
bad_app "empty name" 'A02,440104199005019995,,101,440103001101,440103001101,本科,x,none,,,' "apps.csv:3: name: is empty"
printf 'app_no,id_number\n' >"$TMP/apps.csv"
refused "missing columns" "apps.csv:1:" apply T "$TMP/apps.csv"

sb round apply T "$D/applications.csv"
expect_rc "good applications" 0
sb round screen T
expect_rc "screen" 0

# ---- written ------------------------------------------------------------------------------
bad_w() { printf 'app_no,subject,score\nA01,sw,90\n%s\n' "$2" >"$TMP/w.csv"; refused "$1" "$3" written T "$TMP/w.csv"; }
bad_w "a score above the subject's maximum" 'A02,sw,100.01' "w.csv:3: score: '100.01' is above the maximum 100.00"
bad_w "Absent with a capital is not absent" 'A02,sw,Absent' "w.csv:3: score: 'Absent': a no-show is written exactly \`absent\`"
bad_w "缺考 is not absent either" 'A02,sw,缺考' "w.csv:3: score: '缺考': a no-show is written exactly \`absent\`"
bad_w "a score that is not a number" 'A02,sw,9o' "w.csv:3: score: '9o': not a score"
bad_w "a negative score" 'A02,sw,-1' "w.csv:3: score: '-1'"
bad_w "unknown subject" 'A02,math,80' "w.csv:3: subject: 'math': not a subject of the policy (sw)"
bad_w "unknown applicant" 'Z99,sw,80' "w.csv:3: app_no: 'Z99': no such application"
bad_w "an applicant rejected in screening" 'R1,sw,80' "w.csv:3: app_no: 'R1' was rejected in screening"
bad_w "a subject twice" 'A01,sw,91' "w.csv:3: subject: 'sw' of A01 is given twice"
printf 'app_no,subject,score\nA01,sw,0\n' >"$TMP/w.csv"
sb round written T "$TMP/w.csv"
expect_rc "0 is a score, not absent" 0
expect_eq "A01 has 0.00, below the pass line, not absent" \
  "$("$SQLITE3" "$SHUANGBAI_DB" "SELECT wstate || '/' || written FROM round_app WHERE app_no = 'A01' AND round_code = 'T'")" "1/0"

sb round written T "$D/written.csv"
sb round shortlist T

# ---- interview -----------------------------------------------------------------------------
bad_i() { printf 'app_no,panel,examiner,mark\nA01,一组,E1,90\n%s\n' "$2" >"$TMP/i.csv"; refused "$1" "$3" interview T "$TMP/i.csv"; }
bad_i "a mark above 100" 'A01,一组,E2,100.5' "i.csv:3: mark: '100.5' is above the maximum 100.00"
bad_i "an examiner twice for one applicant" 'A01,一组,E1,91' "i.csv:3: examiner: 'E1' has already marked A01 on line 2"
bad_i "one applicant before two panels" 'A01,二组,F1,90' "i.csv:3: panel: '二组': A01 is examined by panel '一组'"
bad_i "not on the shortlist" 'C8,一组,E1,90' "i.csv:3: app_no: 'C8' is not on the interview shortlist"
bad_i "unknown applicant" 'Z1,一组,E1,90' "i.csv:3: app_no: 'Z1': no such application"
bad_i "ABSENT is not absent" 'A02,一组,E1,ABSENT' "i.csv:3: mark: 'ABSENT': a no-show is written exactly \`absent\`"

# ---- outcome before rank -------------------------------------------------------------------
printf 'app_no,outcome\nA01,passed\n' >"$TMP/o.csv"
refused "outcomes before the interviews" "\`round interview\` must come first" outcome T "$TMP/o.csv"
refused "an unknown round" "round NOPE: no such round" screen NOPE

finish
