/* Unit tests of the store: migrations, transactions that leave nothing behind, faults. */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "tap.h"

int main(void)
{
	const char *dir = tap_tmpdir("db");
	char path[1100];
	sb_db *db = NULL;
	sb__stmt *st;

	snprintf(path, sizeof(path), "%s/r.db", dir);
	ok(sb_db_open(&db, path, 0) == SB_ENOTFOUND, "opening a missing registry without create fails");
	has_msg("shuangbai init", "message tells to run init");
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "create");
	is_int(sb_db_schema_version(db), sb_db_schema_latest(), "schema at the latest version");

	/* A failed transaction leaves nothing behind. */
	ok(sb__db_tx_begin(db) == 0, "begin");
	ok(sb__db_prepare(db, &st, "INSERT INTO org_division (code, name, level) VALUES ('440000000000', 'x', 1)") == 0 &&
	   sb__stmt_run(st) == 0, "insert inside the transaction");
	ok(sb__db_tx_begin(db) == 0, "nested begin");
	is_int(sb__db_tx_end(db, SB_EINVALID), SB_EINVALID, "inner level fails");
	is_int(sb__db_tx_end(db, 0), SB_EDB, "outer commit refuses after an inner failure");
	ok(sb__db_prepare(db, &st, "SELECT count(*) FROM org_division") == 0 && sb__stmt_step(st) == 1 &&
	   sb__stmt_int64(st, 0) == 0, "nothing was written");
	sb__stmt_reset(st);

	/* Foreign keys hold. */
	ok(sb__db_prepare(db, &st, "INSERT INTO org_division (code, name, level, parent) VALUES ('440100000000', 'x', 2, '449900000000')") == 0 &&
	   sb__stmt_run(st) == SB_EDB, "foreign keys are on");
	sb_db_close(db);

	/* Reopening keeps the version. */
	ok(sb_db_open(&db, path, 0) == 0 && sb_db_schema_version(db) == sb_db_schema_latest(), "reopen");
	sb_db_close(db);

	/* The fault hook fails the named step. */
	setenv("SHUANGBAI_FAULT", "step:1", 1);
	sb__fault_reset();
	ok(sb_db_open(&db, path, 0) < 0, "an injected step fault fails the open");
	has_msg("injected fault", "the message says so");
	unsetenv("SHUANGBAI_FAULT");
	sb__fault_reset();
	sb_db_close(NULL);
	return tap_done();
}
