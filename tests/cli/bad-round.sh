#!/bin/sh
# Runs the recruitment-round cases of the catalogue of bad inputs (tests/bad/CATALOGUE):
# policy- round create, posts- round posts, apps- round apply, written- round written,
# interview- round interview, outcome- round outcome. Each starts from the round at the step
# before its file (tests/data/round fixtures), so that the rule under test is the one hit.
. "$SRCDIR/tests/cli/badlib.sh"
D="$SRCDIR/tests/data/round"

step() { # step DESC ARGS...: a setup step that must succeed
  desc=$1
  shift
  sb "$@"
  [ "$rc" -eq 0 ] || fail "setup: $desc" "exit $rc: $err"
}
sb init
step divisions org import "$D/divisions.csv"
save_base registry
step create round create T --policy "$D/policy-none.xml"
save_base created
step posts round posts T "$D/posts.csv"
save_base posted
step apply round apply T "$D/applications.csv"
step screen round screen T
save_base screened
step written round written T "$D/written.csv"
step shortlist round shortlist T
save_base shortlisted
step interview round interview T "$D/interview.csv"
step rank round rank T
save_base ranked

case_base() {
  case "$1" in
    policy-*) echo registry ;;
    posts-*) echo created ;;
    apps-*) echo posted ;;
    written-*) echo screened ;;
    interview-*) echo shortlisted ;;
    outcome-*) echo ranked ;;
  esac
}
case_run() {
  case "$1" in
    policy-*) bad_sb round create X --policy "$2" ;;
    posts-*) bad_sb round posts T "$2" ;;
    apps-*) bad_sb round apply T "$2" ;;
    written-*) bad_sb round written T "$2" ;;
    interview-*) bad_sb round interview T "$2" ;;
    outcome-*) bad_sb round outcome T "$2" ;;
  esac
}
run_catalogue round
finish
