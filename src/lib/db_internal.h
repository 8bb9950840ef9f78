/*
 * The store's statement interface for the areas of the library. Only db.c calls SQLite;
 * each area prepares its own statements on its own tables through these functions, with
 * bound parameters only, and the store adds statement caching, the fault hook and error
 * messages copied out of SQLite at once.
 */
#ifndef SB_DB_INTERNAL_H
#define SB_DB_INTERNAL_H

#include <stdint.h>

#include "shuangbai/db.h"

typedef struct sb__stmt sb__stmt;

/** A cached prepared statement for `sql` (a string literal), reset and unbound. */
int sb__db_prepare(sb_db *db, sb__stmt **out, const char *sql);
/** Run SQL without parameters or results (DDL, PRAGMA). */
int sb__db_exec(sb_db *db, const char *sql);

int sb__stmt_bind_text(sb__stmt *s, int idx, const char *text);
/* Bind text that stays valid and unchanged until the statement is next reset (no copy). */
int sb__stmt_bind_text_static(sb__stmt *s, int idx, const char *text);
int sb__stmt_bind_textn(sb__stmt *s, int idx, const char *text, int len);
int sb__stmt_bind_int64(sb__stmt *s, int idx, int64_t v);
int sb__stmt_bind_double(sb__stmt *s, int idx, double v);
int sb__stmt_bind_null(sb__stmt *s, int idx);
int sb__stmt_bind_blob(sb__stmt *s, int idx, const void *data, int len);
/** 1 when a row is ready, 0 when done, negative on error (message set). */
int sb__stmt_step(sb__stmt *s);
/** Step a statement that returns no rows; 0 or an error. */
int sb__stmt_run(sb__stmt *s);
const char *sb__stmt_text(sb__stmt *s, int col); /* "" for NULL */
int64_t sb__stmt_int64(sb__stmt *s, int col);
double sb__stmt_double(sb__stmt *s, int col);
int sb__stmt_isnull(sb__stmt *s, int col);
const void *sb__stmt_blob(sb__stmt *s, int col, int *len);
void sb__stmt_reset(sb__stmt *s);
/** Rows changed by the last statement. */
int64_t sb__db_changes(sb_db *db);
int64_t sb__db_last_rowid(sb_db *db);

/*
 * Transactions nest: the outermost begin is BEGIN IMMEDIATE, inner ones are counted;
 * sb__db_tx_end(db, error) commits the outermost when every level succeeded, otherwise
 * rolls everything back. Returns `error`, or the commit's error.
 */
int sb__db_tx_begin(sb_db *db);
int sb__db_tx_end(sb_db *db, int error);
int sb__db_in_tx(sb_db *db);

const char *sb__db_actor(sb_db *db);
const char *sb__db_command(sb_db *db);

/* Numbered migrations, schema.c: entry i brings user_version i to i+1. */
extern const char *const sb__schema_migrations[];
extern const int sb__schema_count;

#endif
