/*
 * The registry's store: one SQLite file. Opening applies the numbered schema migrations;
 * every write runs inside one transaction (BEGIN IMMEDIATE), so a failed or interrupted
 * command leaves the file as it was. Not for SQL: areas reach the store through the library.
 */
#ifndef SHUANGBAI_DB_H
#define SHUANGBAI_DB_H

#include "common.h"

typedef struct sb_db sb_db;

enum {
	SB_DB_CREATE = 1,  /* create the file if missing (init) */
	SB_DB_READONLY = 2 /* open for reading only */
};

/**
 * Open the registry at `path` and bring its schema up to date.
 * Without SB_DB_CREATE a missing file is SB_ENOTFOUND ("run shuangbai init").
 * @param out the handle; free with sb_db_close()
 * @return 0 or an SB_E... code
 */
SB_EXTERN(int) sb_db_open(sb_db **out, const char *path, int flags);

/** Close the handle, rolling back any transaction still open. Accepts NULL. */
SB_EXTERN(void) sb_db_close(sb_db *db);

/**
 * Name who does what, for the audit log: `actor` (a login or person) and `command` (the
 * command line). Both are copied.
 */
SB_EXTERN(int) sb_db_set_context(sb_db *db, const char *actor, const char *command);

/** Start the command's transaction (BEGIN IMMEDIATE; waits up to the busy timeout). */
SB_EXTERN(int) sb_db_begin(sb_db *db);
/** Commit the command's transaction. */
SB_EXTERN(int) sb_db_commit(sb_db *db);
/** Roll back the command's transaction, if any. */
SB_EXTERN(void) sb_db_rollback(sb_db *db);

/** The schema version of the open file (PRAGMA user_version). */
SB_EXTERN(int) sb_db_schema_version(sb_db *db);
/** The newest schema version this library knows. */
SB_EXTERN(int) sb_db_schema_latest(void);

#endif
