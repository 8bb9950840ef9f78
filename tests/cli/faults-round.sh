#!/bin/sh
# Fault simulation for every step of a recruitment round that writes: create (the policy),
# posts, apply, screen, written, shortlist, interview, rank, resolve, outcome (with its
# backfill) and the public notice PDF. Each step runs with the Nth allocation / SQLite step /
# file operation / libharu call failing (fault_loop in lib.sh); every failing run exits 1 with
# a message, leaves the database as it was and writes no notice file. Large loops take every
# k-th N; `make check-long` (SB_LONG) takes every N.
. "$SRCDIR/tests/cli/lib.sh"

D="$SRCDIR/tests/data/round"
sb init
sb org import "$D/divisions.csv"
expect_rc "divisions for the round" 0

fault_loop alloc 200 1 "round create" round create T --policy "$D/policy-none.xml"
fault_loop step 100 1 "round create" round create T --policy "$D/policy-none.xml"
fault_loop io 50 1 "round create" round create T --policy "$D/policy-none.xml"
sb round create T --policy "$D/policy-none.xml"
expect_rc "round created" 0

# step LABEL ARGS...: the fault loops of one round step, then the step itself.
step() {
  label=$1; shift
  fault_loop alloc 3000 "$astride" "$label" round "$@"
  fault_loop step 1000 "$sstride" "$label" round "$@"
  sb round "$@"
  expect_rc "$label" 0
}
astride=3; sstride=2
step "round posts" posts T "$D/posts.csv"
astride=9; sstride=5
step "round apply" apply T "$D/applications.csv"
step "round screen" screen T
step "round written" written T "$D/written.csv"
step "round shortlist" shortlist T
step "round interview" interview T "$D/interview.csv"
step "round rank" rank T
step "round resolve" resolve T C7

# the notice: a PDF, so libharu and file faults too; no file may be left behind
mkdir -p "$TMP/notice"
FAULT_WATCH="$TMP/notice"
fault_loop alloc 5000 23 "round notice" round notice T --pdf "$TMP/notice/notice.pdf"
fault_loop step 500 3 "round notice" round notice T --pdf "$TMP/notice/notice.pdf"
fault_loop pdf 1000 7 "round notice" round notice T --pdf "$TMP/notice/notice.pdf"
fault_loop io 500 1 "round notice" round notice T --pdf "$TMP/notice/notice.pdf"
FAULT_WATCH=

# outcomes: a withdrawal frees a seat that backfills the tie below it
printf 'app_no,outcome\nA02,withdrew\nA01,passed\n' >"$TMP/outcome.csv"
astride=9; sstride=5
step "round outcome (backfill)" outcome T "$TMP/outcome.csv"
step "round resolve after backfill" resolve T A05
finish
