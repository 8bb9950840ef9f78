/*
 * Small helpers several unit tests share: a count from the registry, a text with one part
 * replaced. Header-only, like tap.h.
 */
#ifndef SB_TEST_HELPERS_H
#define SB_TEST_HELPERS_H

#include <stdint.h>
#include <string.h>

#include "common_internal.h"
#include "db_internal.h"

/* The first column of the first row of `sql` (a string literal) as an integer; -1 when the
 * statement fails or has no row. */
static inline int64_t th_count(sb_db *db, const char *sql)
{
	sb__stmt *st;
	int64_t v = -1;
	if (sb__db_prepare(db, &st, sql) == 0 && sb__stmt_step(st) == 1)
		v = sb__stmt_int64(st, 0);
	sb__stmt_reset(st);
	return v;
}

/* `s` with the first `from` replaced by `to` (the caller frees it); NULL when `from` is not
 * in `s`. */
static inline char *th_replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	sb_buf b = SB_BUF_INIT;
	if (!at)
		return NULL;
	sb__buf_put(&b, s, (size_t)(at - s));
	sb__buf_puts(&b, to);
	sb__buf_puts(&b, at + strlen(from));
	return sb__buf_detach(&b);
}

#endif
