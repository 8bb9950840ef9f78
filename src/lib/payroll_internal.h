/*
 * What the payroll files share: the check that a month may still change. Not public.
 */
#ifndef SB_PAYROLL_INTERNAL_H
#define SB_PAYROLL_INTERNAL_H

#include <stddef.h>

#include "shuangbai/db.h"
#include "shuangbai/payroll.h"

/* SB_ESTATE when `month` (YYYY-MM) is closed, an earlier run month is still open, or a later
 * month was already run: months are run and closed in order, and a closed one never changes. */
int sb__payroll_check_open(sb_db *db, const char *month);

/*
 * sb_payroll_get one line at a time, in the same order (employer, then person), without a
 * list: `fn` gets each line, its name and account valid during the call only; a negative
 * return stops the pass and is returned. *out_closed (may be NULL): the month is closed.
 * SB_ENOTFOUND when the month has not been run.
 */
int sb__payroll_each(int *out_closed, sb_db *db, const char *month, const char *scope,
		     int (*fn)(void *ctx, const sb_payroll_line *l), void *ctx);

/* The unsigned export XML of `p` for `scope` (xsd/payroll.xsd): header with the count and
 * the column totals, then the lines in order. `name` (may be NULL) is the division's name.
 * *out is the caller's. */
int sb__payroll_render(char **out, size_t *out_len, const sb_payroll *p, const char *scope,
		       const char *name);

#endif
