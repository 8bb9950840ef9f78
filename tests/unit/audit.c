/* Unit tests of the audit chain: append, verify, and detection of edits and deletions. */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "audit_internal.h"
#include "shuangbai/audit.h"
#include "tap.h"

int main(void)
{
	const char *dir = tap_tmpdir("audit");
	char path[1100];
	sb_db *db = NULL;
	sb__stmt *st;
	int64_t n = 0;
	sb_audit_entry *list;
	size_t count;

	snprintf(path, sizeof(path), "%s/r.db", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "create");
	sb_db_set_context(db, "clerk", "shuangbai test");
	ok(sb_audit_verify(db, &n) == 0 && n == 0, "an empty log verifies");
	sb__db_tx_begin(db);
	ok(sb__audit_append(db, "first %d", 1) == 0, "append 1");
	ok(sb__audit_append(db, "second") == 0, "append 2");
	ok(sb__audit_append(db, "third") == 0, "append 3");
	ok(sb__db_tx_end(db, 0) == 0, "commit");
	ok(sb_audit_verify(db, &n) == 0 && n == 3, "three entries verify");
	ok(sb_audit_list(&list, &count, db, 2) == 0 && count == 2, "list the last two");
	if (count == 2) {
		is_str(list[0].change, "second", "oldest first");
		is_str(list[1].actor, "clerk", "actor recorded");
		is_str(list[1].command, "shuangbai test", "command recorded");
	}
	sb_audit_list_free(list, count);

	/* An edit behind the program's back. */
	sb__db_prepare(db, &st, "UPDATE audit_log SET change = 'sec0nd' WHERE id = 2");
	sb__stmt_run(st);
	ok(sb_audit_verify(db, NULL) == SB_EINVALID, "an edited entry breaks the chain");
	has_msg("audit entry 2: contents do not match", "the first bad entry is named");
	sb__db_prepare(db, &st, "UPDATE audit_log SET change = 'second' WHERE id = 2");
	sb__stmt_run(st);
	ok(sb_audit_verify(db, NULL) == 0, "restored, it verifies again");
	sb__db_prepare(db, &st, "DELETE FROM audit_log WHERE id = 2");
	sb__stmt_run(st);
	ok(sb_audit_verify(db, NULL) == SB_EINVALID, "a deleted entry is found");
	has_msg("audit entry 2: missing", "the gap is named");
	sb_db_close(db);
	return tap_done();
}
