/*
 * The store: the only file that calls SQLite. It opens the registry file (WAL, foreign
 * keys, a busy timeout), applies numbered migrations under PRAGMA user_version, runs the
 * command's single transaction, and hands areas cached prepared statements. It holds no
 * domain rules; the tables belong to the areas that write SQL for them through here.
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

struct sb__stmt {
	sqlite3_stmt *st;
	const char *sql;
	sb_db *db;
	struct sb__stmt *next;
};

struct sb_db {
	sqlite3 *h;
	char *path;
	char *actor;
	char *command;
	sb__stmt *cache;
	int tx_depth;
	int tx_failed;
	int readonly;
};

static int db_error(sb_db *db, const char *what)
{
	int rc = sqlite3_extended_errcode(db->h);
	int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? SB_EBUSY : SB_EDB;
	return sb_error_set(code, "%s: database: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

int sb__db_exec(sb_db *db, const char *sql)
{
	char *msg = NULL;
	int rc;

	if (sb__fault("step"))
		return sb_error_set(SB_EDB, "%s: database: injected fault", db->path);
	rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = (rc & 0xff) == SQLITE_BUSY ? SB_EBUSY : SB_EDB;
		sb_error_set(code, "%s: database: %s", db->path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

int sb__db_prepare(sb_db *db, sb__stmt **out, const char *sql)
{
	sb__stmt *s;

	for (s = db->cache; s; s = s->next) {
		if (s->sql == sql || strcmp(s->sql, sql) == 0) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			*out = s;
			return 0;
		}
	}
	*out = NULL;
	if (!(s = sb__calloc(1, sizeof(*s))))
		return SB_ENOMEM;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
		int error = db_error(db, "prepare");
		free(s);
		return error;
	}
	s->sql = sql;
	s->db = db;
	s->next = db->cache;
	db->cache = s;
	*out = s;
	return 0;
}

static int bind_rc(sb__stmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : db_error(s->db, "bind");
}

int sb__stmt_bind_text(sb__stmt *s, int idx, const char *text)
{
	if (!text)
		return bind_rc(s, sqlite3_bind_null(s->st, idx));
	return bind_rc(s, sqlite3_bind_text(s->st, idx, text, -1, SQLITE_TRANSIENT));
}

int sb__stmt_bind_text_static(sb__stmt *s, int idx, const char *text)
{
	if (!text)
		return bind_rc(s, sqlite3_bind_null(s->st, idx));
	return bind_rc(s, sqlite3_bind_text(s->st, idx, text, -1, SQLITE_STATIC));
}

int sb__stmt_bind_textn(sb__stmt *s, int idx, const char *text, int len)
{
	return bind_rc(s, sqlite3_bind_text(s->st, idx, text, len, SQLITE_TRANSIENT));
}

int sb__stmt_bind_int64(sb__stmt *s, int idx, int64_t v)
{
	return bind_rc(s, sqlite3_bind_int64(s->st, idx, v));
}

int sb__stmt_bind_double(sb__stmt *s, int idx, double v)
{
	return bind_rc(s, sqlite3_bind_double(s->st, idx, v));
}

int sb__stmt_bind_null(sb__stmt *s, int idx)
{
	return bind_rc(s, sqlite3_bind_null(s->st, idx));
}

int sb__stmt_bind_blob(sb__stmt *s, int idx, const void *data, int len)
{
	return bind_rc(s, sqlite3_bind_blob(s->st, idx, data, len, SQLITE_TRANSIENT));
}

int sb__stmt_step(sb__stmt *s)
{
	int rc;

	if (sb__fault("step")) {
		sqlite3_reset(s->st);
		return sb_error_set(SB_EDB, "%s: database: injected fault", s->db->path);
	}
	rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s->st);
		return 0;
	}
	rc = db_error(s->db, "step");
	sqlite3_reset(s->st);
	return rc;
}

int sb__stmt_run(sb__stmt *s)
{
	int rc = sb__stmt_step(s);
	if (rc > 0) {
		sqlite3_reset(s->st);
		rc = 0;
	}
	return rc;
}

const char *sb__stmt_text(sb__stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s->st, col);
	return t ? (const char *)t : "";
}

int64_t sb__stmt_int64(sb__stmt *s, int col)
{
	return sqlite3_column_int64(s->st, col);
}

double sb__stmt_double(sb__stmt *s, int col)
{
	return sqlite3_column_double(s->st, col);
}

int sb__stmt_isnull(sb__stmt *s, int col)
{
	return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

const void *sb__stmt_blob(sb__stmt *s, int col, int *len)
{
	const void *p = sqlite3_column_blob(s->st, col);
	*len = sqlite3_column_bytes(s->st, col);
	return p;
}

void sb__stmt_reset(sb__stmt *s)
{
	if (s)
		sqlite3_reset(s->st);
}

int64_t sb__db_changes(sb_db *db)
{
	return sqlite3_changes64(db->h);
}

int64_t sb__db_last_rowid(sb_db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

static void cache_free(sb_db *db)
{
	sb__stmt *s, *next;
	for (s = db->cache; s; s = next) {
		next = s->next;
		sqlite3_finalize(s->st);
		free(s);
	}
	db->cache = NULL;
}

static int migrate(sb_db *db)
{
	int version = sb_db_schema_version(db), error = 0, i;

	if (version > sb__schema_count)
		return sb_error_set(SB_EDB, "%s: database: schema version %d is newer than this program (%d)",
				    db->path, version, sb__schema_count);
	if (version == sb__schema_count)
		return 0;
	if (db->readonly)
		return sb_error_set(SB_EDB, "%s: database: schema version %d needs upgrading; open it for writing",
				    db->path, version);
	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	/* Re-read inside the write lock: another process may have migrated meanwhile. */
	version = sb_db_schema_version(db);
	for (i = version; i < sb__schema_count && error == 0; i++) {
		char pragma[64];
		if ((error = sb__db_exec(db, sb__schema_migrations[i])) < 0)
			break;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", i + 1);
		error = sb__db_exec(db, pragma);
	}
	return sb__db_tx_end(db, error);
}

int sb_db_open(sb_db **out, const char *path, int flags)
{
	sb_db *db = NULL;
	int error = 0, oflags;
	struct stat st;
	const char *env;
	int timeout_ms = 30000;

	*out = NULL;
	if (!(flags & SB_DB_CREATE) && stat(path, &st) != 0)
		return sb_error_set(SB_ENOTFOUND, "%s: no registry here (run 'shuangbai init' first)", path);
	if (!(db = sb__calloc(1, sizeof(*db))) || !(db->path = sb__strdup(path))) {
		error = SB_ENOMEM;
		goto done;
	}
	db->readonly = (flags & SB_DB_READONLY) != 0;
	oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & SB_DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error = sb_error_set(SB_EDB, "%s: database: cannot open: %s", path,
				     db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto done;
	}
	if ((env = getenv("SHUANGBAI_BUSY_TIMEOUT")) != NULL) {
		int64_t v;
		char *end;
		v = strtoll(env, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 3600000)
			timeout_ms = (int)v;
	}
	sqlite3_busy_timeout(db->h, timeout_ms);
	sqlite3_extended_result_codes(db->h, 1);
	if ((error = sb__db_exec(db, "PRAGMA foreign_keys = ON")) < 0)
		goto done;
	if (!db->readonly) {
		if ((error = sb__db_exec(db, "PRAGMA journal_mode = WAL")) < 0 ||
		    (error = sb__db_exec(db, "PRAGMA synchronous = NORMAL")) < 0)
			goto done;
	}
	if ((error = migrate(db)) < 0)
		goto done;
	*out = db;
	db = NULL;
done:
	sb_db_close(db);
	return error;
}

void sb_db_close(sb_db *db)
{
	if (!db)
		return;
	if (db->tx_depth > 0)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	cache_free(db);
	if (db->h)
		sqlite3_close(db->h);
	free(db->path);
	free(db->actor);
	free(db->command);
	free(db);
}

int sb_db_set_context(sb_db *db, const char *actor, const char *command)
{
	char *a = sb__strdup(actor ? actor : ""), *c = sb__strdup(command ? command : "");
	if (!a || !c) {
		free(a);
		free(c);
		return SB_ENOMEM;
	}
	free(db->actor);
	free(db->command);
	db->actor = a;
	db->command = c;
	return 0;
}

const char *sb__db_actor(sb_db *db)
{
	return db->actor ? db->actor : "";
}

const char *sb__db_command(sb_db *db)
{
	return db->command ? db->command : "";
}

int sb__db_tx_begin(sb_db *db)
{
	int error;
	if (db->tx_depth++ > 0)
		return 0;
	db->tx_failed = 0;
	if ((error = sb__db_exec(db, "BEGIN IMMEDIATE")) < 0) {
		db->tx_depth = 0;
		return error;
	}
	return 0;
}

int sb__db_tx_end(sb_db *db, int error)
{
	if (db->tx_depth <= 0)
		return error;
	if (error < 0)
		db->tx_failed = 1;
	if (--db->tx_depth > 0)
		return error;
	if (db->tx_failed) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return error < 0 ? error : sb_error_set(SB_EDB, "%s: database: transaction rolled back", db->path);
	}
	if ((error = sb__db_exec(db, "COMMIT")) < 0) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return error;
	}
	return 0;
}

int sb__db_in_tx(sb_db *db)
{
	return db->tx_depth > 0;
}

int sb_db_begin(sb_db *db)
{
	return sb__db_tx_begin(db);
}

int sb_db_commit(sb_db *db)
{
	return sb__db_tx_end(db, 0);
}

void sb_db_rollback(sb_db *db)
{
	if (db && db->tx_depth > 0) {
		db->tx_depth = 1;
		sb__db_tx_end(db, SB_ERROR);
	}
}

int sb_db_schema_version(sb_db *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int sb_db_schema_latest(void)
{
	return sb__schema_count;
}
