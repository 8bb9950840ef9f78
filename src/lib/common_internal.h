/*
 * What every library file shares: allocation that reports SB_ENOMEM, the fault-simulation
 * hook, a growable text buffer and calendar arithmetic. Not public: nothing here is exported.
 */
#ifndef SB_COMMON_INTERNAL_H
#define SB_COMMON_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "shuangbai/common.h"
#include "shuangbai/error.h"

/*
 * Fault simulation (SQLite's test_malloc idea). SHUANGBAI_FAULT="KIND:N" makes the Nth call
 * of sb__fault(KIND) return 1, and every call after it too when "KIND:N+" is given; KIND
 * "any" counts every kind. "KIND:N!" instead kills the process with SIGKILL at the Nth call
 * (a crash just before that SQLite step, allocation...; tests/cli/crash*.sh). Unarmed, it
 * costs one branch. Kinds used: "alloc", "step", "crypto", "pdf", "io".
 */
int sb__fault(const char *kind);
/* Forget the armed fault and its count; SHUANGBAI_FAULT is read again at the next call. */
void sb__fault_reset(void);

void *sb__malloc(size_t size);
void *sb__calloc(size_t n, size_t size);
void *sb__realloc(void *p, size_t size);
char *sb__strdup(const char *s);
char *sb__strndup(const char *s, size_t n);
/* Copy `src` into `dst` of `size` bytes (size > 0), cut to fit and always terminated: what
 * snprintf(dst, size, "%s", src) does, without parsing a format for each of the hundreds of
 * thousands of fields a payroll run copies. */
void sb__copy(char *dst, size_t size, const char *src);

/* A growable NUL-terminated byte buffer. On allocation failure it is marked and every
 * later append is a no-op; sb__buf_failed() reports it once at the end. */
typedef struct {
	char *ptr;
	size_t len;
	size_t cap;
	int failed;
} sb_buf;

#define SB_BUF_INIT { NULL, 0, 0, 0 }
/* Room for `extra` more bytes made at once (a caller that knows the size to come spares
 * the doublings' copies); as the writes, a failure marks the buffer failed. */
void sb__buf_reserve(sb_buf *b, size_t extra);
void sb__buf_put(sb_buf *b, const void *data, size_t len);
void sb__buf_puts(sb_buf *b, const char *s);
void sb__buf_putc(sb_buf *b, char c);
void sb__buf_printf(sb_buf *b, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
int sb__buf_failed(const sb_buf *b); /* SB_ENOMEM (message set) or 0 */
char *sb__buf_detach(sb_buf *b);      /* caller frees; "" when empty */
void sb__buf_free(sb_buf *b);

/* Calendar: days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t sb__days_from_civil(int y, int m, int d);
void sb__civil_from_days(int64_t days, int *y, int *m, int *d);
int sb__days_in_month(int y, int m);
/* Parse exactly "YYYY-MM-DD"; 0 on success, -1 when malformed or not a real date. */
int sb__date_parse(const char *s, int *y, int *m, int *d);
/* Parse exactly "YYYY-MM"; 0 on success, -1 otherwise. */
int sb__month_parse(const char *s, int *y, int *m);
/* Completed years from birth to date (a birthday on the date counts). */
int sb__age_on(int by, int bm, int bd, int y, int m, int d);
/* Today's date in UTC, or SHUANGBAI_TODAY when set (for reproducible tests). */
void sb__today(int *y, int *m, int *d);

/* Read a whole file; *out is NUL-terminated and owned by the caller. */
int sb__read_file(char **out, size_t *out_len, const char *path);
/* Write a whole file atomically (temporary file, fsync, rename). */
int sb__write_file(const char *path, const void *data, size_t len, int mode);
/* sb__write_file of the concatenation of `parts`, without joining them in memory first. */
typedef struct {
	const void *data;
	size_t len;
} sb_part;
int sb__write_parts(const char *path, const sb_part *parts, size_t nparts, int mode);

/* Half-up rounding of num/den for den > 0 (num of either sign, away from zero at .5). */
int64_t sb__div_half_up(__int128 num, __int128 den);

#endif
