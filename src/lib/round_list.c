/*
 * Lists of a round's applicants by stage, for the tools that feed the next step (the demo
 * and the generator make interview marks for exactly the shortlisted applicants). Reads only;
 * the rules of each stage live in round_exam.c.
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "shuangbai/round.h"

#include <stdlib.h>

static int list_apps(char ***out, size_t *out_n, sb_db *db, const char *code, int shortlisted);

int sb_round_shortlisted(char ***out, size_t *out_n, sb_db *db, const char *code)
{
	return list_apps(out, out_n, db, code, 1);
}

int sb_round_eligible(char ***out, size_t *out_n, sb_db *db, const char *code)
{
	return list_apps(out, out_n, db, code, 0);
}

static int list_apps(char ***out, size_t *out_n, sb_db *db, const char *code, int shortlisted)
{
	sb__stmt *st = NULL;
	char **list = NULL;
	size_t n = 0, cap = 0;
	int error = 0, r;

	*out = NULL;
	*out_n = 0;
	if ((error = shortlisted
			     ? sb__db_prepare(db, &st, "SELECT app_no FROM round_app WHERE round_code = ?1 AND shortlisted = 1 ORDER BY app_no")
			     : sb__db_prepare(db, &st, "SELECT app_no FROM round_app WHERE round_code = ?1 AND eligible = 1 ORDER BY app_no")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1) {
		if (n == cap) {
			char **p;
			cap = cap ? cap * 2 : 64;
			if (!(p = sb__realloc(list, cap * sizeof(*p)))) {
				error = SB_ENOMEM;
				sb__stmt_reset(st);
				break;
			}
			list = p;
		}
		if (!(list[n] = sb__strdup(sb__stmt_text(st, 0)))) {
			error = SB_ENOMEM;
			sb__stmt_reset(st);
			break;
		}
		n++;
	}
	if (r < 0 && error == 0)
		error = r;
	if (error < 0) {
		sb_round_list_free(list, n);
		return error;
	}
	*out = list;
	*out_n = n;
	return 0;
}

void sb_round_list_free(char **list, size_t n)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
