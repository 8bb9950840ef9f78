/* Unit tests of the store: migrations, transactions that leave nothing behind, faults. */
#include "config.h"
#include <sqlite3.h>

#include "common_internal.h"
#include "db_internal.h"
#include "tap.h"

/* One text of the first row of `sql` ("" when none), or NULL on an error. */
static char *first_text(sb_db *db, const char *sql)
{
	sb__stmt *st;
	char *out = NULL;
	int rc;
	if (sb__db_prepare(db, &st, sql) < 0)
		return NULL;
	rc = sb__stmt_step(st);
	if (rc == 1)
		out = sb__strdup(sb__stmt_text(st, 0) ? sb__stmt_text(st, 0) : "");
	else if (rc == 0)
		out = sb__strdup("");
	sb__stmt_reset(st);
	return out;
}

/* Column `col` of every row of `sql`, "|"-joined. */
static char *column_text(sb_db *db, const char *sql, int col)
{
	sb__stmt *st;
	sb_buf b = SB_BUF_INIT;
	int rc;
	if (sb__db_prepare(db, &st, sql) < 0)
		return NULL;
	while ((rc = sb__stmt_step(st)) == 1)
		sb__buf_printf(&b, "%s|", sb__stmt_text(st, col) ? sb__stmt_text(st, col) : "");
	if (rc < 0 || sb__buf_failed(&b) < 0) {
		sb__buf_free(&b);
		return NULL;
	}
	return b.ptr ? sb__buf_detach(&b) : sb__strdup("");
}

static char *all_text(sb_db *db, const char *sql)
{
	return column_text(db, sql, 0);
}

/* The query plan of `explain` (an EXPLAIN QUERY PLAN): its detail column. */
static char *plan_of(sb_db *db, const char *explain)
{
	return column_text(db, explain, 3);
}

static void is_text(char *got, const char *want, const char *name)
{
	is_str(got ? got : "(error)", want, name);
	free(got);
}

/*
 * Migration 9 on a registry written at version 8: the payroll tables are rebuilt in
 * employer-then-person order with every row and column kept, the indexes replaced, and the
 * month's reads served from the tables and covering indexes without a sort.
 */
static void migration_9(const char *dir)
{
	char path[1100];
	sqlite3 *h = NULL;
	sb_db *db = NULL;
	int i, rc = SQLITE_OK;
	char *plan;

	snprintf(path, sizeof(path), "%s/v8.db", dir);
	ok(sqlite3_open(path, &h) == SQLITE_OK, "a registry at schema 8, written directly");
	for (i = 0; i < 8 && rc == SQLITE_OK; i++)
		rc = sqlite3_exec(h, sb__schema_migrations[i], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h,
			"PRAGMA user_version = 8;"
			"INSERT INTO payroll_month VALUES ('2026-01', 1, 'r', 'c'), ('2026-02', 0, 'r', NULL);"
			"INSERT INTO payroll_line VALUES"
			" ('2026-01', '110101199001010011', '440103002000', 7, 'A', '440103002000-2026-000001', '62',"
			"  1, 31, 0, 500000, 0, 31, 500000, 30000, 0, 530000, 40000, 10000, 1000, 25000, 0, 0, 454000,"
			"  x'00ff', 1, 530000, 76000, 0, 0, 0),"
			" ('2026-01', '110101199001010029', '440103001000', 8, 'B', '440103001000-2026-000001', NULL,"
			"  17, 31, 31, 560000, 448000, 15, 216774, 0, 0, 216774, 44800, 11200, 1120, 28000, 200000, 0, 131654,"
			"  NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
			" ('2026-02', '110101199001010011', '440103001000', 9, 'A', '440103001000-2026-000002', '63',"
			"  1, 28, 0, 500000, 0, 28, 500000, 0, -1200, 498800, 40000, 10000, 1000, 25000, 0, 0, 422800,"
			"  x'01', 3, 1, 2, 3, 4, 5);"
			"INSERT INTO payroll_arrears VALUES ('2026-02', '110101199001010011', '440103001000', '2026-01', -1200),"
			" ('2026-02', '110101199001010029', '440103001000', '2026-01', 5);",
			NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "…with payroll lines and arrears of two months");
	sqlite3_close(h);

	ok(sb_db_open(&db, path, 0) == 0, "opened by this program");
	if (!db)
		return;
	is_int(sb_db_schema_version(db), sb_db_schema_latest(), "migrated to the latest version");
	/* the tables' own order (no ORDER BY): month, then employer, then person */
	is_text(all_text(db, "SELECT month || ' ' || township_code || ' ' || id_number || ' ' || worker_id || ' ' || name"
			     " || ' ' || contract || ' ' || coalesce(bank_account, '-') || ' ' || first_day || ' ' || last_day"
			     " || ' ' || probation_last || ' ' || contract_fen || ' ' || contract_probation_fen || ' ' || days"
			     " || ' ' || base || ' ' || allowances || ' ' || arrears || ' ' || gross || ' ' || pension"
			     " || ' ' || medical || ' ' || unemployment || ' ' || housing_fund || ' ' || special || ' ' || tax"
			     " || ' ' || net || ' ' || ifnull(nullif(hex(due_key), ''), '-') || ' ' || coalesce(ytd_months, '-')"
			     " || ' ' || coalesce(ytd_gross, '-') || ' ' || coalesce(ytd_contrib, '-') || ' ' || coalesce(ytd_tax, '-')"
			     " || ' ' || coalesce(prev_months, '-') || ' ' || coalesce(prev_wages, '-') FROM payroll_line"),
		"2026-01 440103001000 110101199001010029 8 B 440103001000-2026-000001 - 17 31 31 560000 448000 15 216774 0 0"
		" 216774 44800 11200 1120 28000 200000 0 131654 - - - - - - -|"
		"2026-01 440103002000 110101199001010011 7 A 440103002000-2026-000001 62 1 31 0 500000 0 31 500000 30000 0"
		" 530000 40000 10000 1000 25000 0 0 454000 00FF 1 530000 76000 0 0 0|"
		"2026-02 440103001000 110101199001010011 9 A 440103001000-2026-000002 63 1 28 0 500000 0 28 500000 0 -1200"
		" 498800 40000 10000 1000 25000 0 0 422800 01 3 1 2 3 4 5|",
		"every line and column kept, in (month, township_code, id_number) order");
	is_text(all_text(db, "SELECT month || ' ' || township_code || ' ' || id_number || ' ' || for_month || ' ' || amount"
			     " FROM payroll_arrears"),
		"2026-02 440103001000 110101199001010011 2026-01 -1200|2026-02 440103001000 110101199001010029 2026-01 5|",
		"every arrear kept, in employer-then-person order");
	is_text(all_text(db, "SELECT month || closed FROM payroll_month ORDER BY month"), "2026-011|2026-020|",
		"the months' state kept");
	is_text(all_text(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN"
			     " ('payroll_line', 'payroll_arrears', 'contract_contract', 'staff_worker') ORDER BY name"),
		"contract_contract_force|contract_contract_person|contract_contract_worker|"
		"staff_worker_active|staff_worker_person|staff_worker_township|staff_worker_village|",
		"payroll_line_town dropped with its table; the contracts' covering index made");
	ok(sb__db_exec(db, "INSERT INTO payroll_line (month, id_number, township_code, worker_id, name, contract,"
			   " first_day, last_day, probation_last, contract_fen, contract_probation_fen, days, base, allowances,"
			   " arrears, gross, pension, medical, unemployment, housing_fund, special, tax, net)"
			   " VALUES ('2026-01', '110101199001010029', '440103001000', 1, 'x', 'y', 1, 1, 0, 1, 1, 1, 1, 0, 0,"
			   " 1, 0, 0, 0, 0, 0, 0, 1)") == SB_EDB, "a person is still paid once a month by one employer");
	sb_error_clear();
	plan = plan_of(db, "EXPLAIN QUERY PLAN SELECT number, worker_id, id_number, township_code, start, end,"
			    " probation_end, monthly_fen, probation_fen FROM contract_contract"
			    " WHERE township_code >= '440103' AND township_code < '440104' AND start <= '2026-01-31'"
			    " AND (end IS NULL OR end >= '2026-01-01') ORDER BY township_code, id_number, start");
	ok(plan && strstr(plan, "COVERING INDEX contract_contract_force") && !strstr(plan, "TEMP B-TREE"),
	   "the contracts in force are read from the covering index, in order: %s", plan ? plan : "");
	free(plan);
	plan = plan_of(db, "EXPLAIN QUERY PLAN SELECT id_number, name FROM payroll_line WHERE month = '2026-01'"
			    " AND township_code >= '440103' AND township_code < '440104' ORDER BY township_code, id_number");
	ok(plan && strstr(plan, "SEARCH payroll_line USING PRIMARY KEY") && !strstr(plan, "TEMP B-TREE"),
	   "a month's lines of a scope are read from the table, in order: %s", plan ? plan : "");
	free(plan);
	plan = plan_of(db, "EXPLAIN QUERY PLAN SELECT id FROM staff_worker WHERE township_code >= '440103'"
			    " AND township_code < '440104' ORDER BY township_code, id_number, id");
	ok(plan && !strstr(plan, "TEMP B-TREE"), "a scope's workers are listed without a sort: %s", plan ? plan : "");
	free(plan);
	is_text(first_text(db, "PRAGMA integrity_check"), "ok", "integrity_check");
	sb_db_close(db);
}

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

	migration_9(dir);
	return tap_done();
}
