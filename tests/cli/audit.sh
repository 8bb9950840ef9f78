#!/bin/sh
# The audit chain seen from outside: every change is logged; an edit with the sqlite3 shell
# is found and the first bad entry named.
. "$SRCDIR/tests/cli/lib.sh"

sb init
sb org import "$SRCDIR/data/divisions/inner-mongolia.csv"
sb org stations
sb org flags "$SRCDIR/data/flags-inner-mongolia.csv"
sb audit verify
expect_rc "a fresh chain verifies" 0
expect_out "three entries" "audit log intact: 3 entries"
sb audit log
expect_out "the log names the command" "org stations"
expect_out "and the actor" "tester"
"$SQLITE3" "$SHUANGBAI_DB" "UPDATE audit_log SET change = replace(change, '1225 stations', '1226 stations') WHERE id = 2"
sb audit verify
expect_rc "an edited entry fails verification" 1
expect_err "the edited entry is named" "audit entry 2: contents do not match its hash"
"$SQLITE3" "$SHUANGBAI_DB" "UPDATE audit_log SET change = replace(change, '1226 stations', '1225 stations') WHERE id = 2"
sb audit verify
expect_rc "restored, it verifies" 0
"$SQLITE3" "$SHUANGBAI_DB" "UPDATE audit_log SET actor = 'mallory' WHERE id = 1"
sb audit verify
expect_err "a changed actor is found" "audit entry 1:"
"$SQLITE3" "$SHUANGBAI_DB" "PRAGMA integrity_check" > "$TMP/ic"
expect_eq "the file is sound (sqlite3 integrity_check)" "$(cat "$TMP/ic")" "ok"
finish
