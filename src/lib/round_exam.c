/*
 * Recruitment rounds, second half of the life (SPEC §3 rules 3 to 8): written scores with
 * pass line and bonus, the interview shortlist with its ties, interview marks with the panel
 * correction, the combined score and ranking with proposed / reserve / tie, resolving ties
 * by an additional assessment, and outcomes with backfill. The arithmetic itself is in
 * round_score.c; this file reads the files, orders applicants and stores the results. Not for
 * posts, applications or screening (round.c), nor for the notice (round_notice.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit_internal.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "db_internal.h"
#include "round_internal.h"
#include "shuangbai/money.h"
#include "shuangbai/round.h"

/* The unit of each post: post_id -> unit index, and the units' open quotas. */
typedef struct {
	sb__round_unit *units;
	size_t nunits;
	sb__round_map post_unit;
} unitmap;

static void unitmap_free(unitmap *m)
{
	sb__round_units_free(m->units, m->nunits);
	sb__round_map_free(&m->post_unit);
}

static int unitmap_load(unitmap *m, sb_db *db, const char *code)
{
	size_t u, j;
	int error, isnew;
	memset(m, 0, sizeof(*m));
	if ((error = sb__round_units(&m->units, &m->nunits, db, code)) < 0)
		return error;
	for (u = 0; u < m->nunits; u++)
		for (j = 0; j < m->units[u].nposts; j++) {
			sb__round_ent *e = sb__round_map_put(&m->post_unit, m->units[u].posts[j].post_id, &isnew);
			if (!e)
				return SB_ENOMEM;
			e->val = (int64_t)u;
		}
	return 0;
}

static int unit_index(const unitmap *m, const char *post_id)
{
	sb__round_ent *e = sb__round_map_get(&m->post_unit, post_id);
	return e ? (int)e->val : 0;
}

/* A score cell of an input file: `absent`, or a decimal from 0 to max (hundredths). */
static int parse_mark(int64_t *out, int *out_absent, sb__csv *c, const char *field, const char *text,
		      int64_t max)
{
	char maxs[32];
	*out_absent = 0;
	if (strcmp(text, "absent") == 0) {
		*out_absent = 1;
		*out = 0;
		return 0;
	}
	/* A no-show must be unmistakable on a public result: only the exact word counts. */
	if (strcasecmp(text, "absent") == 0 || strcmp(text, "缺考") == 0 || strcmp(text, "缺席") == 0)
		return sb__csv_error(c, field, "'%s': a no-show is written exactly `absent` (lower case)", text);
	if (sb_decimal_parse(out, text, 2) < 0)
		return sb__csv_error(c, field, "'%s': not a score (a decimal with at most two places, or `absent`)", text);
	if (*out < 0)
		return sb__csv_error(c, field, "'%s': a score cannot be negative", text);
	if (*out > max)
		return sb__csv_error(c, field, "'%s' is above the maximum %s", text,
				     sb_decimal_format(maxs, sizeof(maxs), max, 2));
	return 0;
}

static int app_exists(int *out, sb_db *db, const char *code, const char *app_no)
{
	sb__stmt *st;
	int error;
	if ((error = sb__db_prepare(db, &st, "SELECT eligible, shortlisted FROM round_app WHERE round_code = ?1 AND app_no = ?2")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_text(st, 2, app_no)) < 0 ||
	    (error = sb__stmt_step(st)) < 0)
		return error;
	*out = error;
	if (error)
		sb__stmt_reset(st);
	return 0;
}

/* ---- rule 3: written ------------------------------------------------------------------- */

typedef struct {
	int64_t id;
	int64_t bonus;
	char *app_no;
	int eligible;
} wapp;

SB_EXTERN(int) sb_round_written(sb_db *db, const char *code, const char *path, int64_t *out_rows,
				sb_progress_fn progress, void *ctx)
{
	static const sb__csv_col cols[] = { { "app_no", 1 }, { "subject", 1 }, { "score", 1 } };
	int map[3];
	sb__round_policy *pol = NULL;
	sb__round_map apps = { 0 };
	wapp *a = NULL;
	size_t n = 0, cap = 0, i, k, ns = 0;
	int64_t *scores = NULL, *maxima = NULL, rows = 0, absent = 0, passed = 0;
	unsigned char *state = NULL; /* 0 missing, 1 score, 2 absent */
	sb_buf marks = SB_BUF_INIT;
	sb__csv *c = NULL;
	sb__stmt *st;
	int error = 0, r, isnew;

	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 3, map)) < 0)
		goto done;
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		goto done;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_WRITTEN)) < 0)
		goto tx;
	ns = pol->nsubjects;
	if ((error = sb__db_prepare(db, &st, "SELECT id, app_no, eligible, bonus FROM round_app WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto tx;
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_ent *e;
		if (n == cap) {
			wapp *g;
			cap = cap ? cap * 2 : 1024;
			if (!(g = sb__realloc(a, cap * sizeof(*a)))) {
				r = SB_ENOMEM;
				break;
			}
			a = g;
		}
		a[n].id = sb__stmt_int64(st, 0);
		a[n].eligible = (int)sb__stmt_int64(st, 2);
		a[n].bonus = sb__stmt_int64(st, 3);
		if (!(a[n].app_no = sb__strdup(sb__stmt_text(st, 1))) ||
		    !(e = sb__round_map_put(&apps, a[n].app_no, &isnew))) {
			free(a[n].app_no);
			r = SB_ENOMEM;
			break;
		}
		e->val = (int64_t)n++;
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto tx;
	}
	if (!(scores = sb__calloc(n * ns + 1, sizeof(*scores))) || !(state = sb__calloc(n * ns + 1, 1)) ||
	    !(maxima = sb__calloc(ns, sizeof(*maxima)))) {
		error = SB_ENOMEM;
		goto tx;
	}
	for (k = 0; k < ns; k++)
		maxima[k] = pol->subjects[k].max;
	while ((r = sb__csv_next(c)) > 0) {
		const char *app = sb__csv_field(c, map[0]), *subj = sb__csv_field(c, map[1]);
		sb__round_ent *e = sb__round_map_get(&apps, app);
		int64_t v;
		int abs_;
		rows++;
		if (progress && (rows & 0x3fff) == 0)
			progress((uint64_t)sb__csv_offset(c), (uint64_t)sb__csv_size(c), "written", ctx);
		if (!e) {
			error = sb__csv_error(c, "app_no", "'%s': no such application in round %s", app, code);
			goto tx;
		}
		i = (size_t)e->val;
		if (!a[i].eligible) {
			error = sb__csv_error(c, "app_no", "'%s' was rejected in screening and cannot have written scores", app);
			goto tx;
		}
		for (k = 0; k < ns; k++)
			if (strcmp(pol->subjects[k].id, subj) == 0)
				break;
		if (k == ns) {
			sb_buf ids = SB_BUF_INIT;
			size_t m;
			for (m = 0; m < ns; m++)
				sb__buf_printf(&ids, "%s%s", m ? ", " : "", pol->subjects[m].id);
			error = sb__csv_error(c, "subject", "'%s': not a subject of the policy (%s)", subj,
					      ids.ptr ? ids.ptr : "");
			sb__buf_free(&ids);
			goto tx;
		}
		if (state[i * ns + k]) {
			error = sb__csv_error(c, "subject", "'%s' of %s is given twice", subj, app);
			goto tx;
		}
		if ((error = parse_mark(&v, &abs_, c, "score", sb__csv_field(c, map[2]), pol->subjects[k].max)) < 0)
			goto tx;
		state[i * ns + k] = abs_ ? 2 : 1;
		scores[i * ns + k] = v;
	}
	if (r < 0) {
		error = r;
		goto tx;
	}
	if ((error = sb__db_prepare(db, &st,
				    "UPDATE round_app SET wstate = ?2, written = ?3, written_total = ?4, wmarks = ?5 "
				    "WHERE id = ?1")) < 0)
		goto tx;
	for (i = 0; i < n; i++) {
		int ws = 2;
		int64_t w = 0, total = 0;
		if (!a[i].eligible)
			continue;
		marks.len = 0;
		for (k = 0; k < ns; k++) {
			char buf[32];
			/* absent in any subject (or no score at all for it): absent (rule 3) */
			if (state[i * ns + k] != 1)
				ws = 0;
			sb__buf_printf(&marks, "%s%s=%s", k ? ";" : "", pol->subjects[k].id,
				       state[i * ns + k] == 1 ? sb_decimal_format(buf, sizeof(buf), scores[i * ns + k], 2)
				       : state[i * ns + k] == 2 ? "absent" : "");
		}
		if ((error = sb__buf_failed(&marks)) < 0)
			goto tx;
		if (ws) {
			w = sb__round_written(&scores[i * ns], maxima, ns);
			/* 加分 counts after the pass line, and only up to the cap */
			total = w + (a[i].bonus < pol->bonus_cap ? a[i].bonus : pol->bonus_cap);
			ws = w >= pol->written_pass ? 2 : 1;
			passed += ws == 2;
		} else {
			absent++;
		}
		if ((error = sb__stmt_bind_int64(st, 1, a[i].id)) < 0 || (error = sb__stmt_bind_int64(st, 2, ws)) < 0 ||
		    (error = ws ? sb__stmt_bind_int64(st, 3, w) : sb__stmt_bind_null(st, 3)) < 0 ||
		    (error = ws ? sb__stmt_bind_int64(st, 4, total) : sb__stmt_bind_null(st, 4)) < 0 ||
		    (error = sb__stmt_bind_textn(st, 5, marks.ptr, (int)marks.len)) < 0 ||
		    (error = sb__stmt_run(st)) < 0)
			goto tx;
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_WRITTEN)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld written scores loaded from %s (sha256 %s): %lld passed, %lld absent",
				 code, (long long)rows, path, sb__csv_digest(c), (long long)passed, (long long)absent);
tx:
	error = sb__db_tx_end(db, error);
done:
	if (out_rows)
		*out_rows = error < 0 ? 0 : rows;
	for (i = 0; i < n; i++)
		free(a[i].app_no);
	free(a);
	free(scores);
	free(state);
	free(maxima);
	sb__buf_free(&marks);
	sb__round_map_free(&apps);
	sb__round_policy_free(pol);
	sb__csv_free(c);
	return error;
}

/* ---- rule 4: shortlist ------------------------------------------------------------------- */

typedef struct {
	int64_t id;
	int unit;
	int64_t total;
} sapp;

static int sapp_sort(const void *a, const void *b)
{
	const sapp *x = a, *y = b;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

SB_EXTERN(int) sb_round_shortlist(int64_t *out_n, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	unitmap um;
	sapp *a = NULL;
	size_t n = 0, cap = 0, i;
	int64_t chosen = 0;
	sb__stmt *st;
	int error = 0, r;

	memset(&um, 0, sizeof(um));
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_SHORTLIST)) < 0 ||
	    (error = unitmap_load(&um, db, code)) < 0)
		goto tx;
	if ((error = sb__db_prepare(db, &st, "SELECT id, post_id, written_total FROM round_app "
					     "WHERE round_code = ?1 AND wstate = 2")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto tx;
	while ((r = sb__stmt_step(st)) > 0) {
		if (n == cap) {
			sapp *g;
			cap = cap ? cap * 2 : 1024;
			if (!(g = sb__realloc(a, cap * sizeof(*a)))) {
				r = SB_ENOMEM;
				break;
			}
			a = g;
		}
		a[n].id = sb__stmt_int64(st, 0);
		a[n].unit = unit_index(&um, sb__stmt_text(st, 1));
		a[n].total = sb__stmt_int64(st, 2);
		n++;
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto tx;
	}
	if (n)
		qsort(a, n, sizeof(*a), sapp_sort);
	if ((error = sb__db_prepare(db, &st, "UPDATE round_app SET shortlisted = 0 WHERE round_code = ?1 AND shortlisted <> 0")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_run(st)) < 0)
		goto tx;
	if ((error = sb__db_prepare(db, &st, "UPDATE round_app SET shortlisted = 1 WHERE id = ?1")) < 0)
		goto tx;
	for (i = 0; i < n;) {
		size_t j = i, end;
		int64_t limit = (int64_t)pol->shortlist_ratio * um.units[a[i].unit].open_quota, taken = 0;
		while (j < n && a[j].unit == a[i].unit)
			j++;
		/* the first ratio × quota by written_total, and everyone tied with the last of them */
		for (end = i; end < j && taken < limit; end++)
			taken++;
		while (end > i && end < j && a[end].total == a[end - 1].total)
			end++;
		for (; i < end; i++) {
			if ((error = sb__stmt_bind_int64(st, 1, a[i].id)) < 0 || (error = sb__stmt_run(st)) < 0)
				goto tx;
			chosen++;
		}
		i = j;
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_SHORTLIST)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld shortlisted for interview", code, (long long)chosen);
tx:
	error = sb__db_tx_end(db, error);
	if (out_n)
		*out_n = error < 0 ? 0 : chosen;
	free(a);
	unitmap_free(&um);
	sb__round_policy_free(pol);
	return error;
}

/* ---- rule 5: interview ----------------------------------------------------------------------- */

typedef struct {
	int64_t id;
	char *app_no;
	int panel;           /* -1 until a row names it */
	int nmarks;
	int absent;
	int64_t raw;
	sb_buf marks;
} iapp;

typedef struct {
	size_t app;
	int64_t mark;
	int absent;
	long line;
	char *examiner;
} irow;

static int irow_sort(const void *a, const void *b)
{
	const irow *x = a, *y = b;
	if (x->app != y->app)
		return x->app < y->app ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

SB_EXTERN(int) sb_round_interview(sb_db *db, const char *code, const char *path, int64_t *out_rows,
				  sb_progress_fn progress, void *ctx)
{
	static const sb__csv_col cols[] = { { "app_no", 1 }, { "panel", 1 }, { "examiner", 1 }, { "mark", 1 } };
	int map[4];
	sb__round_policy *pol = NULL;
	sb__round_map apps = { 0 }, panels = { 0 }, examiners = { 0 }, pairs = { 0 };
	iapp *a = NULL;
	irow *rowsv = NULL;
	sb__round_iv *iv = NULL;
	char **panel_names = NULL;
	int *panel_ex = NULL;
	size_t n = 0, cap = 0, nr = 0, rcap = 0, np = 0, pcap = 0, i, j, niv = 0;
	int64_t rows = 0, present = 0;
	sb__csv *c = NULL;
	sb__stmt *st;
	int error = 0, r, isnew;

	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 4, map)) < 0)
		goto done;
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		goto done;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_INTERVIEW)) < 0)
		goto tx;
	if ((error = sb__db_prepare(db, &st, "SELECT id, app_no FROM round_app WHERE round_code = ?1 AND shortlisted = 1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto tx;
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_ent *e;
		if (n == cap) {
			iapp *g;
			cap = cap ? cap * 2 : 256;
			if (!(g = sb__realloc(a, cap * sizeof(*a)))) {
				r = SB_ENOMEM;
				break;
			}
			a = g;
		}
		memset(&a[n], 0, sizeof(a[n]));
		a[n].id = sb__stmt_int64(st, 0);
		a[n].panel = -1;
		if (!(a[n].app_no = sb__strdup(sb__stmt_text(st, 1))) ||
		    !(e = sb__round_map_put(&apps, a[n].app_no, &isnew))) {
			free(a[n].app_no);
			r = SB_ENOMEM;
			break;
		}
		e->val = (int64_t)n++;
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto tx;
	}
	while ((r = sb__csv_next(c)) > 0) {
		const char *app = sb__csv_field(c, map[0]), *panel = sb__csv_field(c, map[1]);
		const char *ex = sb__csv_field(c, map[2]);
		sb__round_ent *e = sb__round_map_get(&apps, app), *pe;
		sb_buf key = SB_BUF_INIT;
		int64_t v;
		int abs_, exists = 0;

		rows++;
		if (progress && (rows & 0x3fff) == 0)
			progress((uint64_t)sb__csv_offset(c), (uint64_t)sb__csv_size(c), "interview", ctx);
		if (!e) {
			if ((error = app_exists(&exists, db, code, app)) < 0)
				goto tx;
			error = exists ? sb__csv_error(c, "app_no", "'%s' is not on the interview shortlist", app)
				       : sb__csv_error(c, "app_no", "'%s': no such application in round %s", app, code);
			goto tx;
		}
		i = (size_t)e->val;
		if (!*panel || strlen(panel) > 64) {
			error = sb__csv_error(c, "panel", "must be 1 to 64 characters");
			goto tx;
		}
		if (!*ex || strlen(ex) > 64) {
			error = sb__csv_error(c, "examiner", "must be 1 to 64 characters");
			goto tx;
		}
		if (!(pe = sb__round_map_put(&panels, panel, &isnew))) {
			error = SB_ENOMEM;
			goto tx;
		}
		if (isnew) {
			if (np == pcap) {
				char **g;
				int *h;
				pcap = pcap ? pcap * 2 : 16;
				if (!(g = sb__realloc(panel_names, pcap * sizeof(*g)))) {
					error = SB_ENOMEM;
					goto tx;
				}
				panel_names = g;
				if (!(h = sb__realloc(panel_ex, pcap * sizeof(*h)))) {
					error = SB_ENOMEM;
					goto tx;
				}
				panel_ex = h;
			}
			panel_names[np] = pe->key;
			panel_ex[np] = 0;
			pe->val = (int64_t)np++;
		}
		if (a[i].panel >= 0 && a[i].panel != (int)pe->val) {
			error = sb__csv_error(c, "panel", "'%s': %s is examined by panel '%s'", panel, app,
					      panel_names[a[i].panel]);
			goto tx;
		}
		a[i].panel = (int)pe->val;
		/* the examiners of a panel are those who mark anyone in it */
		sb__buf_printf(&key, "%s%c%s", panel, 0x1f, ex);
		if ((error = sb__buf_failed(&key)) < 0 || !(e = sb__round_map_put(&examiners, key.ptr, &isnew))) {
			sb__buf_free(&key);
			error = error < 0 ? error : SB_ENOMEM;
			goto tx;
		}
		if (isnew)
			panel_ex[pe->val]++;
		key.len = 0;
		sb__buf_printf(&key, "%s%c%s", app, 0x1f, ex);
		if ((error = sb__buf_failed(&key)) < 0 || !(e = sb__round_map_put(&pairs, key.ptr, &isnew))) {
			sb__buf_free(&key);
			error = error < 0 ? error : SB_ENOMEM;
			goto tx;
		}
		sb__buf_free(&key);
		if (!isnew) {
			error = sb__csv_error(c, "examiner", "'%s' has already marked %s on line %lld", ex, app,
					      (long long)e->val);
			goto tx;
		}
		e->val = sb__csv_line(c);
		if ((error = parse_mark(&v, &abs_, c, "mark", sb__csv_field(c, map[3]), pol->interview_max)) < 0)
			goto tx;
		if (nr == rcap) {
			irow *g;
			rcap = rcap ? rcap * 2 : 1024;
			if (!(g = sb__realloc(rowsv, rcap * sizeof(*g)))) {
				error = SB_ENOMEM;
				goto tx;
			}
			rowsv = g;
		}
		rowsv[nr].app = i;
		rowsv[nr].mark = v;
		rowsv[nr].absent = abs_;
		rowsv[nr].line = sb__csv_line(c);
		if (!(rowsv[nr].examiner = sb__strdup(ex))) {
			error = SB_ENOMEM;
			goto tx;
		}
		nr++;
	}
	if (r < 0) {
		error = r;
		goto tx;
	}
	if (nr)
		qsort(rowsv, nr, sizeof(*rowsv), irow_sort);
	if (!(iv = sb__calloc(n + 1, sizeof(*iv)))) {
		error = SB_ENOMEM;
		goto tx;
	}
	for (i = 0; i < nr;) {
		size_t app = rowsv[i].app, m = 0;
		int64_t *marks;
		for (j = i; j < nr && rowsv[j].app == app; j++)
			;
		if (!(marks = sb__calloc(j - i, sizeof(*marks)))) {
			error = SB_ENOMEM;
			goto tx;
		}
		for (; i < j; i++) {
			char buf[32];
			if (rowsv[i].absent)
				a[app].absent = 1;
			else
				marks[m++] = rowsv[i].mark;
			sb__buf_printf(&a[app].marks, "%s%s=%s", a[app].marks.len ? ";" : "", rowsv[i].examiner,
				       rowsv[i].absent ? "absent" : sb_decimal_format(buf, sizeof(buf), rowsv[i].mark, 2));
		}
		a[app].nmarks = (int)m;
		/* A missing examiner row counts as absent (SPEC §3 rule 5). */
		if (a[app].absent || (int)m < panel_ex[a[app].panel])
			a[app].absent = 1;
		else
			a[app].raw = sb__round_interview_raw(marks, m, pol->trimmed);
		free(marks);
		if ((error = sb__buf_failed(&a[app].marks)) < 0)
			goto tx;
	}
	for (i = 0; i < n; i++) {
		if (a[i].panel < 0 || a[i].absent)
			continue;
		iv[niv].panel = (size_t)a[i].panel;
		iv[niv].raw = a[i].raw;
		niv++;
	}
	if ((error = sb__round_correct(iv, niv, np, pol->correction, pol->factor_decimals)) < 0)
		goto tx;
	if ((error = sb__db_prepare(db, &st,
				    "UPDATE round_app SET panel = ?2, imarks = ?3, istate = ?4, interview_raw = ?5, "
				    "interview = ?6 WHERE id = ?1")) < 0)
		goto tx;
	for (i = 0, j = 0; i < n; i++) {
		int here = a[i].panel >= 0 && !a[i].absent;
		if ((error = sb__stmt_bind_int64(st, 1, a[i].id)) < 0 ||
		    (error = a[i].panel >= 0 ? sb__stmt_bind_text(st, 2, panel_names[a[i].panel])
					     : sb__stmt_bind_null(st, 2)) < 0 ||
		    (error = sb__stmt_bind_text(st, 3, a[i].marks.ptr ? a[i].marks.ptr : "")) < 0 ||
		    (error = sb__stmt_bind_int64(st, 4, here)) < 0 ||
		    (error = here ? sb__stmt_bind_int64(st, 5, a[i].raw) : sb__stmt_bind_null(st, 5)) < 0 ||
		    (error = here ? sb__stmt_bind_int64(st, 6, iv[j].out) : sb__stmt_bind_null(st, 6)) < 0 ||
		    (error = sb__stmt_run(st)) < 0)
			goto tx;
		if (here) {
			j++;
			present++;
		}
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_INTERVIEW)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld interview marks loaded from %s (sha256 %s): %lld present of %lld",
				 code, (long long)rows, path, sb__csv_digest(c), (long long)present, (long long)n);
tx:
	error = sb__db_tx_end(db, error);
done:
	if (out_rows)
		*out_rows = error < 0 ? 0 : rows;
	for (i = 0; i < n; i++) {
		free(a[i].app_no);
		sb__buf_free(&a[i].marks);
	}
	for (i = 0; i < nr; i++)
		free(rowsv[i].examiner);
	free(a);
	free(rowsv);
	free(iv);
	free(panel_names);
	free(panel_ex);
	sb__round_map_free(&apps);
	sb__round_map_free(&panels);
	sb__round_map_free(&examiners);
	sb__round_map_free(&pairs);
	sb__round_policy_free(pol);
	sb__csv_free(c);
	return error;
}

/* ---- rules 6 to 8: combined, rank, status ---------------------------------------------------- */

typedef struct {
	int64_t id;
	int unit;
	char *app_no, *name, *id_number, *post_id;
	int64_t written, bonus, written_total, raw, interview, combined, rank, resolve;
	int present, hireable;
	char status[24];
	char outcome[24];
	long line;           /* of an outcome row, for messages */
} rapp;

typedef struct {
	rapp *a;
	size_t n;
	unitmap um;
	const sb__round_policy *pol;
} ranking;

static int64_t key_of(const rapp *x, int key)
{
	switch (key) {
	case SB_ROUND_KEY_WRITTEN_TOTAL:
		return x->written_total;
	case SB_ROUND_KEY_INTERVIEW:
		return x->interview;
	case SB_ROUND_KEY_WRITTEN:
		return x->written;
	default:
		return x->raw;
	}
}

/* Equal on combined and every tie-break key: the same rank, never separated by the program. */
static int equal_keys(const rapp *x, const rapp *y, const sb__round_policy *pol)
{
	int k;
	if (x->combined != y->combined)
		return 0;
	for (k = 0; k < pol->ntiebreak; k++)
		if (key_of(x, pol->tiebreak[k]) != key_of(y, pol->tiebreak[k]))
			return 0;
	return 1;
}

static int rapp_sort(const void *a, const void *b, void *arg)
{
	const rapp *x = a, *y = b;
	const sb__round_policy *sort_policy = arg;
	int k;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->hireable != y->hireable)
		return x->hireable ? -1 : 1;
	if (x->hireable) {
		if (x->combined != y->combined)
			return x->combined > y->combined ? -1 : 1;
		for (k = 0; k < sort_policy->ntiebreak; k++) {
			int64_t p = key_of(x, sort_policy->tiebreak[k]), q = key_of(y, sort_policy->tiebreak[k]);
			if (p != q)
				return p > q ? -1 : 1;
		}
		/* within a true tie, an additional assessment's order (round resolve) first */
		if ((x->resolve > 0) != (y->resolve > 0))
			return x->resolve > 0 ? -1 : 1;
		if (x->resolve != y->resolve)
			return x->resolve < y->resolve ? -1 : 1;
	}
	return strcmp(x->app_no, y->app_no);
}

static void ranking_free(ranking *rk)
{
	size_t i;
	for (i = 0; i < rk->n; i++) {
		free(rk->a[i].app_no);
		free(rk->a[i].name);
		free(rk->a[i].id_number);
		free(rk->a[i].post_id);
	}
	free(rk->a);
	unitmap_free(&rk->um);
}

static int is_failure(const char *outcome)
{
	return strcmp(outcome, "failed-medical") == 0 || strcmp(outcome, "failed-inspection") == 0 ||
	       strcmp(outcome, "withdrew") == 0;
}

/* Load the interviewees, compute combined (rule 6) and order them (rule 7). */
static int ranking_load(ranking *rk, sb_db *db, const char *code, const sb__round_policy *pol)
{
	size_t cap = 0;
	sb__stmt *st;
	int error, r;

	memset(rk, 0, sizeof(*rk));
	rk->pol = pol;
	if ((error = unitmap_load(&rk->um, db, code)) < 0)
		return error;
	if ((error = sb__db_prepare(db, &st,
				    "SELECT id, app_no, name, id_number, post_id, written, bonus, written_total, istate, "
				    "interview_raw, interview, resolve, outcome, status FROM round_app "
				    "WHERE round_code = ?1 AND shortlisted = 1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) > 0) {
		rapp *x;
		if (rk->n == cap) {
			rapp *g;
			cap = cap ? cap * 2 : 256;
			if (!(g = sb__realloc(rk->a, cap * sizeof(*g)))) {
				r = SB_ENOMEM;
				break;
			}
			rk->a = g;
		}
		x = &rk->a[rk->n++];
		memset(x, 0, sizeof(*x));
		x->id = sb__stmt_int64(st, 0);
		x->app_no = sb__strdup(sb__stmt_text(st, 1));
		x->name = sb__strdup(sb__stmt_text(st, 2));
		x->id_number = sb__strdup(sb__stmt_text(st, 3));
		x->post_id = sb__strdup(sb__stmt_text(st, 4));
		x->unit = unit_index(&rk->um, sb__stmt_text(st, 4));
		x->written = sb__stmt_int64(st, 5);
		x->bonus = sb__stmt_int64(st, 6);
		if (x->bonus > pol->bonus_cap)
			x->bonus = pol->bonus_cap;
		x->written_total = sb__stmt_int64(st, 7);
		x->present = sb__stmt_int64(st, 8) == 1;
		x->raw = sb__stmt_int64(st, 9);
		x->interview = sb__stmt_int64(st, 10);
		x->resolve = sb__stmt_int64(st, 11);
		snprintf(x->outcome, sizeof(x->outcome), "%s", sb__stmt_text(st, 12));
		snprintf(x->status, sizeof(x->status), "%s", sb__stmt_text(st, 13));
		if (!x->app_no || !x->name || !x->id_number || !x->post_id) {
			r = SB_ENOMEM;
			break;
		}
		if (x->present) {
			x->combined = sb__round_combined(x->written_total, x->interview, pol->w_written, pol->w_interview);
			/* below the pass mark (after correction) an applicant cannot be hired */
			x->hireable = x->interview >= pol->interview_pass;
		}
	}
	if (r < 0) {
		sb__stmt_reset(st);
		return r;
	}
	if (rk->n)
		qsort_r(rk->a, rk->n, sizeof(*rk->a), rapp_sort, (void *)pol);
	return 0;
}

/*
 * Ranks 1, 2, 2, 4 among the hireable of each unit; then the seats: the first `quota`
 * hireable applicants who have not failed or withdrawn are proposed and the rest reserve
 * (rule 8's backfill is this same walk once the failures are out of it). A group of equal
 * applicants straddling the last seat is `tie`, except for those an additional assessment has
 * ordered (round resolve), who take the seats in that order.
 */
static void ranking_ranks(ranking *rk)
{
	size_t i = 0, j;
	while (i < rk->n) {
		int unit = rk->a[i].unit;
		int64_t pos = 0, rank = 0;
		size_t end = i;
		while (end < rk->n && rk->a[end].unit == unit)
			end++;
		for (j = i; j < end; j++) {
			rapp *x = &rk->a[j];
			if (!x->hireable) {
				x->rank = 0;
				continue;
			}
			pos++;
			if (j == i || !equal_keys(x, &rk->a[j - 1], rk->pol))
				rank = pos;
			x->rank = rank;
		}
		i = end;
	}
}

static void ranking_assign(ranking *rk)
{
	size_t i = 0, j, k;
	ranking_ranks(rk);
	while (i < rk->n) {
		int unit = rk->a[i].unit;
		int64_t seats = rk->um.units[unit].open_quota;
		size_t end = i;
		while (end < rk->n && rk->a[end].unit == unit)
			end++;
		for (j = i; j < end; j++) {
			rapp *x = &rk->a[j];
			if (!x->hireable)
				snprintf(x->status, sizeof(x->status), "%s", x->present ? "below-pass" : "absent");
			else if (is_failure(x->outcome))
				snprintf(x->status, sizeof(x->status), "%s", x->outcome);
		}
		for (j = i; j < end && rk->a[j].hireable;) {
			size_t g = j, live = 0;
			while (g < end && rk->a[g].hireable && equal_keys(&rk->a[g], &rk->a[j], rk->pol))
				g++;
			for (k = j; k < g; k++)
				live += !is_failure(rk->a[k].outcome);
			for (k = j; k < g; k++) {
				rapp *x = &rk->a[k];
				if (is_failure(x->outcome))
					continue;
				if ((int64_t)live <= seats || x->resolve > 0) {
					/* sorted: resolved members come first within the group */
					if (seats > 0) {
						snprintf(x->status, sizeof(x->status), "proposed");
						seats--;
						live--;
					} else {
						snprintf(x->status, sizeof(x->status), "reserve");
					}
				} else if (seats > 0) {
					snprintf(x->status, sizeof(x->status), "tie");
				} else {
					snprintf(x->status, sizeof(x->status), "reserve");
				}
			}
			/* the seats an unresolved tie straddles stay empty until it is resolved */
			for (k = j; k < g; k++)
				if (strcmp(rk->a[k].status, "tie") == 0) {
					seats = 0;
					break;
				}
			j = g;
		}
		i = end;
	}
}

static int ranking_store(ranking *rk, sb_db *db)
{
	size_t i;
	sb__stmt *st;
	int error = 0;
	if ((error = sb__db_prepare(db, &st,
				    "UPDATE round_app SET combined = ?2, rank = ?3, status = ?4, resolve = ?5, "
				    "outcome = ?6 WHERE id = ?1")) < 0)
		return error;
	for (i = 0; i < rk->n; i++) {
		rapp *x = &rk->a[i];
		if ((error = sb__stmt_bind_int64(st, 1, x->id)) < 0 ||
		    (error = x->present ? sb__stmt_bind_int64(st, 2, x->combined) : sb__stmt_bind_null(st, 2)) < 0 ||
		    (error = x->rank ? sb__stmt_bind_int64(st, 3, x->rank) : sb__stmt_bind_null(st, 3)) < 0 ||
		    (error = sb__stmt_bind_text(st, 4, x->status)) < 0 ||
		    (error = x->resolve ? sb__stmt_bind_int64(st, 5, x->resolve) : sb__stmt_bind_null(st, 5)) < 0 ||
		    (error = *x->outcome ? sb__stmt_bind_text(st, 6, x->outcome) : sb__stmt_bind_null(st, 6)) < 0 ||
		    (error = sb__stmt_run(st)) < 0)
			return error;
	}
	return 0;
}

SB_EXTERN(void) sb_round_rows_free(sb_round_row *rows, size_t n)
{
	size_t i;
	if (!rows)
		return;
	for (i = 0; i < n; i++) {
		free(rows[i].unit);
		free(rows[i].app_no);
		free(rows[i].name);
		free(rows[i].id_number);
		free(rows[i].post_id);
		free(rows[i].status);
	}
	free(rows);
}

static int ranking_rows(sb_round_row **out, size_t *out_n, const ranking *rk)
{
	sb_round_row *rows;
	size_t i;
	*out = NULL;
	*out_n = 0;
	if (!(rows = sb__calloc(rk->n + 1, sizeof(*rows))))
		return SB_ENOMEM;
	for (i = 0; i < rk->n; i++) {
		const rapp *x = &rk->a[i];
		sb_round_row *o = &rows[i];
		o->unit = sb__strdup(rk->um.units[x->unit].unit);
		o->app_no = sb__strdup(x->app_no);
		o->name = sb__strdup(x->name);
		o->id_number = sb__strdup(x->id_number);
		o->post_id = sb__strdup(x->post_id);
		o->status = sb__strdup(x->status);
		o->rank = x->rank;
		o->written = x->written;
		o->bonus = x->bonus;
		o->written_total = x->written_total;
		o->has_interview = x->present;
		o->interview_raw = x->raw;
		o->interview = x->interview;
		o->combined = x->combined;
		if (!o->unit || !o->app_no || !o->name || !o->id_number || !o->post_id || !o->status) {
			sb_round_rows_free(rows, i + 1);
			return SB_ENOMEM;
		}
	}
	*out = rows;
	*out_n = rk->n;
	return 0;
}

SB_EXTERN(int) sb_round_rank(sb_round_row **out, size_t *out_n, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	ranking rk;
	int64_t proposed = 0, ties = 0;
	size_t i;
	int error;

	memset(&rk, 0, sizeof(rk));
	if (out) {
		*out = NULL;
		*out_n = 0;
	}
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_RANK)) < 0 ||
	    (error = ranking_load(&rk, db, code, pol)) < 0)
		goto tx;
	ranking_assign(&rk);
	for (i = 0; i < rk.n; i++) {
		proposed += strcmp(rk.a[i].status, "proposed") == 0;
		ties += strcmp(rk.a[i].status, "tie") == 0;
	}
	if ((error = ranking_store(&rk, db)) < 0 || (error = sb__round_set_stage(db, code, SB_ROUND_RANK)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: ranked %lld interviewees: %lld proposed, %lld tied", code,
				 (long long)rk.n, (long long)proposed, (long long)ties);
	/* The rows are made before the commit: a failure making them must undo the ranking. */
	if (error >= 0 && out)
		error = ranking_rows(out, out_n, &rk);
tx:
	error = sb__db_tx_end(db, error);
	if (error < 0 && out && *out) {
		sb_round_rows_free(*out, *out_n);
		*out = NULL;
		*out_n = 0;
	}
	ranking_free(&rk);
	sb__round_policy_free(pol);
	return error;
}

/* Enter a step that needs the ranking taken (resolve, the read-only listing). */
static int enter_ranked(sb__round_policy **out, sb_db *db, const char *code)
{
	int error, stage;
	*out = NULL;
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_RANK)
		return sb_error_set(SB_ESTATE, "round %s: `round rank` must come first (last step taken: `round %s`)",
				    code, sb__round_step_name(stage));
	return sb__round_enter(out, db, code, stage);
}

SB_EXTERN(int) sb_round_rows(sb_round_row **out, size_t *out_n, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	ranking rk;
	int error;

	memset(&rk, 0, sizeof(rk));
	*out = NULL;
	*out_n = 0;
	if ((error = enter_ranked(&pol, db, code)) < 0 || (error = ranking_load(&rk, db, code, pol)) < 0)
		goto done;
	/* the stored statuses are the truth (rank, resolve, outcomes); ranks follow the order */
	ranking_ranks(&rk);
	error = ranking_rows(out, out_n, &rk);
done:
	ranking_free(&rk);
	sb__round_policy_free(pol);
	return error;
}

SB_EXTERN(int) sb_round_resolve(sb_db *db, const char *code, const char *const *app_nos, size_t n)
{
	sb__round_policy *pol = NULL;
	ranking rk;
	size_t i, k, first = 0, g0 = 0, g1 = 0;
	size_t *idx = NULL;
	int error;

	memset(&rk, 0, sizeof(rk));
	if (n == 0)
		return sb_error_set(SB_EUSAGE, "round resolve: name the tied applicants, best first");
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((error = enter_ranked(&pol, db, code)) < 0 || (error = ranking_load(&rk, db, code, pol)) < 0)
		goto tx;
	if (!(idx = sb__calloc(n, sizeof(*idx)))) {
		error = SB_ENOMEM;
		goto tx;
	}
	for (k = 0; k < n; k++) {
		for (i = 0; i < rk.n; i++)
			if (strcmp(rk.a[i].app_no, app_nos[k]) == 0)
				break;
		if (i == rk.n) {
			error = sb_error_set(SB_ENOTFOUND, "round %s: %s is not an interviewee of the round", code, app_nos[k]);
			goto tx;
		}
		if (strcmp(rk.a[i].status, "tie") != 0) {
			error = sb_error_set(SB_ESTATE, "round %s: %s is %s, not in a tie across the last seat", code,
					     app_nos[k], rk.a[i].status);
			goto tx;
		}
		idx[k] = i;
		for (first = 0; first < k; first++)
			if (idx[first] == i) {
				error = sb_error_set(SB_EUSAGE, "round %s: %s is named twice", code, app_nos[k]);
				goto tx;
			}
		if (k > 0 && (rk.a[i].unit != rk.a[idx[0]].unit || !equal_keys(&rk.a[i], &rk.a[idx[0]], pol))) {
			error = sb_error_set(SB_EINVALID, "round %s: %s and %s are not in the same tie", code,
					     app_nos[0], app_nos[k]);
			goto tx;
		}
	}
	/* the whole group of equals: a new decision replaces an earlier one for it */
	for (g0 = idx[0]; g0 > 0 && rk.a[g0 - 1].unit == rk.a[idx[0]].unit && rk.a[g0 - 1].hireable &&
			  equal_keys(&rk.a[g0 - 1], &rk.a[idx[0]], pol);
	     g0--)
		;
	for (g1 = idx[0] + 1; g1 < rk.n && rk.a[g1].unit == rk.a[idx[0]].unit && rk.a[g1].hireable &&
			      equal_keys(&rk.a[g1], &rk.a[idx[0]], pol);
	     g1++)
		;
	for (i = g0; i < g1; i++)
		rk.a[i].resolve = 0;
	for (k = 0; k < n; k++)
		rk.a[idx[k]].resolve = (int64_t)(k + 1);
	qsort_r(rk.a, rk.n, sizeof(*rk.a), rapp_sort, (void *)pol);
	ranking_assign(&rk);
	if ((error = ranking_store(&rk, db)) < 0)
		goto tx;
	{
		sb_buf list = SB_BUF_INIT;
		for (k = 0; k < n; k++)
			sb__buf_printf(&list, "%s%s", k ? " " : "", app_nos[k]);
		if ((error = sb__buf_failed(&list)) >= 0)
			error = sb__audit_append(db, "round %s: tie resolved by additional assessment: %s", code, list.ptr);
		sb__buf_free(&list);
	}
tx:
	error = sb__db_tx_end(db, error);
	free(idx);
	ranking_free(&rk);
	sb__round_policy_free(pol);
	return error;
}

SB_EXTERN(int) sb_round_outcome(sb_db *db, const char *code, const char *path, int64_t *out_rows)
{
	static const sb__csv_col cols[] = { { "app_no", 1 }, { "outcome", 1 } };
	static const char *const outcomes[] = { "passed", "failed-medical", "failed-inspection", "withdrew" };
	int map[2];
	sb__round_policy *pol = NULL;
	sb__round_map ix = { 0 };
	ranking rk;
	sb__csv *c = NULL;
	int64_t rows = 0;
	size_t i, k;
	int error = 0, r, isnew;

	memset(&rk, 0, sizeof(rk));
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 2, map)) < 0)
		goto done;
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		goto done;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_OUTCOME)) < 0 ||
	    (error = ranking_load(&rk, db, code, pol)) < 0)
		goto tx;
	for (i = 0; i < rk.n; i++) {
		sb__round_ent *e = sb__round_map_put(&ix, rk.a[i].app_no, &isnew);
		if (!e) {
			error = SB_ENOMEM;
			goto tx;
		}
		e->val = (int64_t)i;
	}
	while ((r = sb__csv_next(c)) > 0) {
		const char *app = sb__csv_field(c, map[0]), *oc = sb__csv_field(c, map[1]);
		sb__round_ent *e = sb__round_map_get(&ix, app);
		rapp *x;
		rows++;
		if (!e) {
			int exists = 0;
			if ((error = app_exists(&exists, db, code, app)) < 0)
				goto tx;
			error = exists ? sb__csv_error(c, "app_no", "'%s' was not interviewed; only ranked applicants have outcomes", app)
				       : sb__csv_error(c, "app_no", "'%s': no such application in round %s", app, code);
			goto tx;
		}
		x = &rk.a[e->val];
		if (!x->hireable) {
			error = sb__csv_error(c, "app_no", "'%s' is %s and cannot be hired", app, x->status);
			goto tx;
		}
		if (x->line) {
			error = sb__csv_error(c, "app_no", "'%s' already has an outcome on line %ld", app, x->line);
			goto tx;
		}
		for (k = 0; k < 4; k++)
			if (strcmp(oc, outcomes[k]) == 0)
				break;
		if (k == 4) {
			error = sb__csv_error(c, "outcome", "'%s': must be passed, failed-medical, failed-inspection or withdrew", oc);
			goto tx;
		}
		snprintf(x->outcome, sizeof(x->outcome), "%s", oc);
		x->line = sb__csv_line(c);
	}
	if (r < 0) {
		error = r;
		goto tx;
	}
	/* rule 8: the failures leave the walk, and the next in rank order take their seats */
	ranking_assign(&rk);
	for (i = 0; i < rk.n; i++) {
		rapp *x = &rk.a[i];
		if (x->line && strcmp(x->outcome, "passed") == 0 && strcmp(x->status, "proposed") != 0) {
			error = sb_error_set(SB_EINVALID, "%s:%ld: outcome: %s is %s, not proposed; only a proposed applicant can pass",
					     sb__csv_name(c), x->line, x->app_no, x->status);
			goto tx;
		}
	}
	if ((error = ranking_store(&rk, db)) < 0 || (error = sb__round_set_stage(db, code, SB_ROUND_OUTCOME)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld outcomes recorded from %s (sha256 %s)", code, (long long)rows,
				 path, sb__csv_digest(c));
tx:
	error = sb__db_tx_end(db, error);
done:
	if (out_rows)
		*out_rows = error < 0 ? 0 : rows;
	ranking_free(&rk);
	sb__round_map_free(&ix);
	sb__round_policy_free(pol);
	sb__csv_free(c);
	return error;
}
