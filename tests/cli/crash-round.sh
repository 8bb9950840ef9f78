#!/bin/sh
# Crash consistency of `round rank` (the helpers and what they check: crashlib.sh): SIGKILL
# before SQLite steps and at random moments while a generated round of a county (one pool,
# its applicants screened, written, shortlisted and interviewed) is ranked; after every kill
# the file is sound, the audit chain holds and the ranks and statuses were stored wholly or
# not at all.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/crashlib.sh"
GD="$SRCDIR/data/divisions/guangdong.csv"
{ head -3 "$GD"; grep '^440103' "$GD"; } >"$TMP/liwan.csv"
R="$TMP/round"
mkdir -p "$R"

"$bin" init >/dev/null
"$bin" org import "$TMP/liwan.csv" >/dev/null
"$bin" org stations >/dev/null
"$bin" generate round --scope 440103000000 --out "$R" --seats 8 --ratio 6 >/dev/null
"$bin" round create C --policy "$SRCDIR/forms/policy-guangdong.xml" >/dev/null
"$bin" round posts C "$R/posts.csv" >/dev/null
"$bin" round apply C "$R/applications.csv" >/dev/null
"$bin" round screen C >/dev/null
"$bin" generate written --round C --out "$R/written.csv" >/dev/null
"$bin" round written C "$R/written.csv" >/dev/null
"$bin" round shortlist C >/dev/null
"$bin" generate interview --round C --out "$R/interview.csv" >/dev/null
"$bin" round interview C "$R/interview.csv" >/dev/null
expect_eq "the round is ready to rank" "$?" 0
crash_base
crash_cmd() { exec "$bin" round rank C; }
crash_main "round rank"
finish
