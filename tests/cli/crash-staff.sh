#!/bin/sh
# Crash consistency of `staff import` (the helpers and what they check: crashlib.sh): SIGKILL
# before SQLite steps and at random moments while a generated take-over roster of a county
# (66 workers of 22 townships, each a person and a worker row) is imported; after every kill
# the file is sound, the audit chain holds and the import happened wholly or not at all.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/crashlib.sh"
GD="$SRCDIR/data/divisions/guangdong.csv"
{ head -3 "$GD"; grep '^440103' "$GD"; } >"$TMP/liwan.csv"

"$bin" init >/dev/null
"$bin" org import "$TMP/liwan.csv" >/dev/null
"$bin" org stations >/dev/null
"$bin" generate roster --scope 440103000000 --out "$TMP/roster.csv" --per-township 3 >/dev/null
# One worker of the roster is in service already: the import adds the others and reports it.
head -2 "$TMP/roster.csv" >"$TMP/one.csv"
"$bin" staff import "$TMP/one.csv" --source relief --start 2026-01-01 >/dev/null
crash_base
crash_cmd() { exec "$bin" staff import "$TMP/roster.csv" --source relief --start 2026-01-01; }
crash_main "staff import"
finish
