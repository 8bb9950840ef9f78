/*
 * Monthly payroll (SPEC §7): for every contract in force in a month, the base (probation wage
 * during probation, never below the minimum wage) and allowances prorated by calendar days per
 * part and component, arrears for closed months whose due pay has changed since, employee
 * social insurance and housing fund, income tax by cumulative withholding with this employer,
 * and net; then showing and closing the month. Everything a run needs (policies, positions,
 * places, this year's lines, deductions) is read once, so the per-worker work is arithmetic.
 * Not for the export files and their verification (payroll_export.c) nor for the formulas
 * themselves (tax.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "common_internal.h"
#include "db_internal.h"
#include "pay_internal.h"
#include "payroll_internal.h"
#include "shuangbai/contract.h"
#include "shuangbai/money.h"
#include "shuangbai/org.h"
#include "shuangbai/payroll.h"
#include "shuangbai/staff.h"

/* ---- what a run reads once ----------------------------------------------------------- */

/* A line of an earlier month (closed, by the rule that months close in order). */
typedef struct {
	char id[19], town[13], month[8];
	int first, last, plast;
	int64_t contract, contract_probation;
	int64_t paid;       /* base + allowances of that month, plus arrears paid for it since */
	int64_t gross, contrib, tax;
} hist_line;

typedef struct {
	char id[19];
	char from[8], to[8];
	int64_t amount;
} deduction;

typedef struct {
	char id[19], town[13];
	int months;
	int64_t wages;
} prior;

typedef struct {
	char code[13];
	sb__pay_place place;
} town;

typedef struct {
	sb__pay_policies ps;
	sb__pay_history hist;
	sb_worker *workers;
	size_t nworkers;
	const sb_worker **wby_id;    /* by staff id */
	town *towns;
	size_t ntowns;
	hist_line *lines;            /* by id, town, month */
	size_t nlines;
	deduction *deds;             /* by id */
	size_t ndeds;
	prior *priors;               /* by id, town */
	size_t npriors;
	int prior_from_registry;
} run_ctx;

static int hist_cmp(const void *a, const void *b)
{
	const hist_line *x = a, *y = b;
	int c;
	if ((c = strcmp(x->id, y->id)) || (c = strcmp(x->town, y->town)))
		return c;
	return strcmp(x->month, y->month);
}

static int prior_cmp(const void *a, const void *b)
{
	const prior *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->town, y->town);
}

static int town_cmp(const void *a, const void *b)
{
	return strcmp(((const town *)a)->code, ((const town *)b)->code);
}

static int wid_cmp(const void *a, const void *b)
{
	const sb_worker *x = *(const sb_worker *const *)a, *y = *(const sb_worker *const *)b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void ctx_clear(run_ctx *cx)
{
	sb__pay_policies_clear(&cx->ps);
	sb__pay_history_clear(&cx->hist);
	sb_staff_workers_free(cx->workers, cx->nworkers);
	free(cx->wby_id);
	free(cx->towns);
	free(cx->lines);
	free(cx->deds);
	free(cx->priors);
	memset(cx, 0, sizeof *cx);
}

static const sb_worker *worker_by_id(const run_ctx *cx, int64_t id)
{
	size_t lo = 0, hi = cx->nworkers;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cx->wby_id[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cx->nworkers && cx->wby_id[lo]->id == id ? cx->wby_id[lo] : NULL;
}

static const town *town_find(const run_ctx *cx, const char *code)
{
	town key;
	sb__copy(key.code, sizeof key.code, code);
	return cx->ntowns ? bsearch(&key, cx->towns, cx->ntowns, sizeof key, town_cmp) : NULL;
}

/* First history line of (id, town), or NULL. */
static const hist_line *hist_first(const run_ctx *cx, const char *id, const char *tw, size_t *out_n)
{
	size_t lo = 0, hi = cx->nlines, i;
	*out_n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cx->lines[mid].id, id);
		if (c == 0)
			c = strcmp(cx->lines[mid].town, tw);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cx->nlines && strcmp(cx->lines[i].id, id) == 0 && strcmp(cx->lines[i].town, tw) == 0; i++)
		;
	*out_n = i - lo;
	return i > lo ? &cx->lines[lo] : NULL;
}

/* Declared special additional deductions of one person for one month. */
static int64_t declared(const run_ctx *cx, const char *id, const char *month)
{
	size_t lo = 0, hi = cx->ndeds, i;
	int64_t sum = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cx->deds[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cx->ndeds && strcmp(cx->deds[i].id, id) == 0; i++)
		if (strcmp(cx->deds[i].from, month) <= 0 && strcmp(month, cx->deds[i].to) <= 0)
			sum += cx->deds[i].amount;
	return sum;
}

static const prior *prior_find(const run_ctx *cx, const char *id, const char *tw)
{
	prior key;
	sb__copy(key.id, sizeof key.id, id);
	sb__copy(key.town, sizeof key.town, tw);
	return cx->npriors ? bsearch(&key, cx->priors, cx->npriors, sizeof key, prior_cmp) : NULL;
}

static int load_towns(run_ctx *cx, sb_db *db, const sb_contract_info *cs, size_t n,
		      const char *const *extra, size_t nextra)
{
	size_t i, cap = 0;
	int error;
	void *grown;
	const char *code;

	for (i = 0; i < n + nextra; i++) {
		code = i < n ? cs[i].township_code : extra[i - n];
		if (cx->ntowns && strcmp(cx->towns[cx->ntowns - 1].code, code) == 0)
			continue;
		if (cx->ntowns && town_find(cx, code))
			continue;
		if (cx->ntowns == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = sb__realloc(cx->towns, cap * sizeof *cx->towns)))
				return SB_ENOMEM;
			cx->towns = grown;
		}
		sb__copy(cx->towns[cx->ntowns].code, 13, code);
		if ((error = sb__pay_place_load(&cx->towns[cx->ntowns].place, db, code)) < 0)
			return error;
		cx->ntowns++;
		/* keep it sorted for town_find; contracts come ordered by township already */
		if (cx->ntowns > 1 && strcmp(cx->towns[cx->ntowns - 2].code, code) > 0)
			qsort(cx->towns, cx->ntowns, sizeof *cx->towns, town_cmp);
	}
	return 0;
}

static int load_history(run_ctx *cx, sb_db *db, const char *month, int year)
{
	sb__stmt *st;
	int error, rc;
	size_t cap = 0, i, j;
	void *grown;
	char prev_like[16];

	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, township_code, month, first_day, last_day, probation_last, contract_fen,"
		" contract_probation_fen, base + allowances, gross, pension + medical + unemployment + housing_fund, tax"
		" FROM payroll_line WHERE month < ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	while ((rc = sb__stmt_step(st)) == 1) {
		hist_line *h;
		if (cx->nlines == cap) {
			cap = cap ? cap * 2 : 1024;
			if (!(grown = sb__realloc(cx->lines, cap * sizeof *cx->lines))) {
				sb__stmt_reset(st);
				return SB_ENOMEM;
			}
			cx->lines = grown;
		}
		h = &cx->lines[cx->nlines++];
		sb__copy(h->id, sizeof h->id, sb__stmt_text(st, 0));
		sb__copy(h->town, sizeof h->town, sb__stmt_text(st, 1));
		sb__copy(h->month, sizeof h->month, sb__stmt_text(st, 2));
		h->first = (int)sb__stmt_int64(st, 3);
		h->last = (int)sb__stmt_int64(st, 4);
		h->plast = (int)sb__stmt_int64(st, 5);
		h->contract = sb__stmt_int64(st, 6);
		h->contract_probation = sb__stmt_int64(st, 7);
		h->paid = sb__stmt_int64(st, 8);
		h->gross = sb__stmt_int64(st, 9);
		h->contrib = sb__stmt_int64(st, 10);
		h->tax = sb__stmt_int64(st, 11);
	}
	if (rc < 0)
		return rc;
	if (cx->nlines)
		qsort(cx->lines, cx->nlines, sizeof *cx->lines, hist_cmp);
	/* what was paid for a month = its line + the arrears paid for it in later months */
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, township_code, for_month, sum(amount) FROM payroll_arrears WHERE month < ?1"
		" GROUP BY id_number, township_code, for_month")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	while ((rc = sb__stmt_step(st)) == 1) {
		hist_line key, *h;
		sb__copy(key.id, sizeof key.id, sb__stmt_text(st, 0));
		sb__copy(key.town, sizeof key.town, sb__stmt_text(st, 1));
		sb__copy(key.month, sizeof key.month, sb__stmt_text(st, 2));
		if ((h = bsearch(&key, cx->lines, cx->nlines, sizeof key, hist_cmp)))
			h->paid += sb__stmt_int64(st, 3);
	}
	if (rc < 0)
		return rc;

	/* The 60,000 rule looks at the previous year: the registry's own payrolls when it has
	 * any for that year, plus what `pay prior-year` recorded for months outside them. */
	snprintf(prev_like, sizeof prev_like, "%04d-%%", year - 1);
	if ((error = sb__db_prepare(db, &st, "SELECT count(*) FROM payroll_month WHERE month LIKE ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, prev_like);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	cx->prior_from_registry = sb__stmt_int64(st, 0) > 0;
	sb__stmt_reset(st);
	cap = 0;
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, township_code, months, wages_fen FROM pay_prior WHERE year = ?1")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, year - 1);
	while ((rc = sb__stmt_step(st)) == 1) {
		prior *p;
		if (cx->npriors == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(grown = sb__realloc(cx->priors, cap * sizeof *cx->priors))) {
				sb__stmt_reset(st);
				return SB_ENOMEM;
			}
			cx->priors = grown;
		}
		p = &cx->priors[cx->npriors++];
		sb__copy(p->id, sizeof p->id, sb__stmt_text(st, 0));
		sb__copy(p->town, sizeof p->town, sb__stmt_text(st, 1));
		p->months = (int)sb__stmt_int64(st, 2);
		p->wages = sb__stmt_int64(st, 3);
	}
	if (rc < 0)
		return rc;
	if (cx->npriors)
		qsort(cx->priors, cx->npriors, sizeof *cx->priors, prior_cmp);
	(void)i;
	(void)j;
	return 0;
}

static int load_deductions(run_ctx *cx, sb_db *db)
{
	sb__stmt *st;
	int error, rc;
	size_t cap = 0;
	void *grown;

	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, from_month, to_month, amount_fen FROM pay_deduction ORDER BY id_number")) < 0)
		return error;
	while ((rc = sb__stmt_step(st)) == 1) {
		deduction *d;
		if (cx->ndeds == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(grown = sb__realloc(cx->deds, cap * sizeof *cx->deds))) {
				sb__stmt_reset(st);
				return SB_ENOMEM;
			}
			cx->deds = grown;
		}
		d = &cx->deds[cx->ndeds++];
		sb__copy(d->id, sizeof d->id, sb__stmt_text(st, 0));
		sb__copy(d->from, sizeof d->from, sb__stmt_text(st, 1));
		sb__copy(d->to, sizeof d->to, sb__stmt_text(st, 2));
		d->amount = sb__stmt_int64(st, 3);
	}
	return rc < 0 ? rc : 0;
}

/* ---- the month's pay of one worker -------------------------------------------------- */

/* What a month pays before contributions and tax. */
typedef struct {
	int64_t scale;     /* S: the scale base of the worker's level and step */
	int64_t monthly;   /* the monthly base now due (not below the contract wage) */
	int64_t base, allowances;
} due;

static int month_due(due *out, const run_ctx *cx, const sb_worker *w, const town *tw,
		     const char *month, int dim, int first, int last, int plast,
		     int64_t contract, int64_t contract_probation)
{
	const sb__pay_policy *p = sb__pay_policy_at(&cx->ps, month);
	const sb__pay_region *r;
	char date[11];
	int q, step, error, days = last - first + 1, pdays = 0;
	int64_t prob;

	memset(out, 0, sizeof *out);
	if (!p)
		return sb_error_set(SB_ENOTFOUND, "payroll %s: no pay policy is in force", month);
	if (!(r = sb__pay_region_of(p, &tw->place)))
		return sb_error_set(SB_ENOTFOUND, "payroll %s: township %s lies in no region of the pay policy effective %s",
				    month, tw->code, p->effective);
	/* pay changes by whole months: the position held on the month's last day */
	snprintf(date, sizeof date, "%.7s-%02d", month, dim);
	if ((error = sb__pay_position(&q, &step, NULL, &cx->hist, &cx->ps, w, date)) < 0)
		return error;
	if ((out->scale = sb__pay_scale_base(p, r, q, step)) < 0)
		return sb_error_set(SB_ENOTFOUND, "payroll %s: scale %s has no level for %s", month,
				    p->scales[r->scale].id, sb__pay_quals[q]);
	/* The contract's wage is what the scale paid when it was signed; a later scale pays
	 * more, and a contract is never paid less than its wage without a new agreement
	 * (Labour Contract Law Art. 35). */
	out->monthly = out->scale > contract ? out->scale : contract;
	if (plast >= first)
		pdays = plast - first + 1;
	if (pdays > days)
		pdays = days;
	if (pdays > 0) {
		/* Art. 20: probation pay is the policy's percentage of the wage, at least what the
		 * contract says, and never below the local minimum wage. */
		prob = sb__div_half_up((__int128)out->monthly * p->probation_percent, 100);
		if (prob < contract_probation)
			prob = contract_probation;
		if (prob < r->minimum)
			prob = r->minimum;
		/* each part of a month split by the end of probation is paid on its own */
		out->base = sb_pay_prorate(prob, pdays, dim) + sb_pay_prorate(out->monthly, days - pdays, dim);
	} else {
		out->base = sb_pay_prorate(out->monthly, days, dim);
	}
	{
		size_t i;
		for (i = 0; i < p->nallowances; i++)
			if (tw->place.flags & p->allowances[i].flag)
				out->allowances += sb_pay_prorate(p->allowances[i].amount, days, dim);
	}
	return 0;
}

/* The days of the month a contract (and the worker's service) covers, and the last day of
 * probation within them (0 when none). 0 when no day is covered. */
static int month_days(int *first, int *last, int *plast, const sb_contract_info *c,
		      const sb_worker *w, int y, int m)
{
	int dim = sb__days_in_month(y, m), cy, cm, cd;
	char lo[11], hi[11];

	snprintf(lo, sizeof lo, "%04d-%02d-01", y, m);
	snprintf(hi, sizeof hi, "%04d-%02d-%02d", y, m, dim);
	*first = 1;
	*last = dim;
	*plast = 0;
	if (strcmp(c->start, lo) > 0) {
		if (strcmp(c->start, hi) > 0 || sb__date_parse(c->start, &cy, &cm, &cd) < 0)
			return 0;
		*first = cd;
	}
	if (c->end[0] && strcmp(c->end, hi) < 0) {
		if (strcmp(c->end, lo) < 0 || sb__date_parse(c->end, &cy, &cm, &cd) < 0)
			return 0;
		*last = cd;
	}
	if (w->end_date[0] && strcmp(w->end_date, hi) < 0) {
		if (strcmp(w->end_date, lo) < 0 || sb__date_parse(w->end_date, &cy, &cm, &cd) < 0)
			return 0;
		if (cd < *last)
			*last = cd;
	}
	if (*last < *first)
		return 0;
	if (c->probation_end[0] && strcmp(c->probation_end, lo) >= 0) {
		if (strcmp(c->probation_end, hi) > 0)
			*plast = *last;
		else if (sb__date_parse(c->probation_end, &cy, &cm, &cd) == 0)
			*plast = cd < *last ? cd : *last;
		if (*plast < *first)
			*plast = 0;
	}
	return 1;
}

typedef struct {
	sb_payroll_line l;
	int first, last, plast;
	int64_t contract, contract_probation;
	int64_t worker_id;
	size_t arrears_at, narrears; /* into the run's arrears list */
} run_line;

static int run_line_cmp(const void *a, const void *b)
{
	const run_line *x = a, *y = b;
	int c = strcmp(x->l.id_number, y->l.id_number);
	return c ? c : strcmp(x->l.township_code, y->l.township_code);
}

typedef struct {
	char for_month[8];
	int64_t amount;
} arrear;

/* ---- run ---------------------------------------------------------------------------- */

static int month_state(int *out_closed, int *out_exists, sb_db *db, const char *month)
{
	sb__stmt *st;
	int error, rc;
	*out_closed = *out_exists = 0;
	if ((error = sb__db_prepare(db, &st, "SELECT closed FROM payroll_month WHERE month = ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	if (rc == 1) {
		*out_exists = 1;
		*out_closed = (int)sb__stmt_int64(st, 0);
		sb__stmt_reset(st);
	}
	return 0;
}

int sb__payroll_check_open(sb_db *db, const char *month)
{
	sb__stmt *st;
	int error, rc, closed, exists;

	if ((error = month_state(&closed, &exists, db, month)) < 0)
		return error;
	if (closed)
		return sb_error_set(SB_ESTATE, "payroll %s is closed: a closed month never changes", month);
	if ((error = sb__db_prepare(db, &st,
		"SELECT month FROM payroll_month WHERE month < ?1 AND closed = 0 ORDER BY month LIMIT 1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	if (rc == 1) {
		error = sb_error_set(SB_ESTATE, "payroll %s is not closed yet: months are run and closed in order",
				     sb__stmt_text(st, 0));
		sb__stmt_reset(st);
		return error;
	}
	if ((error = sb__db_prepare(db, &st,
		"SELECT month FROM payroll_month WHERE month > ?1 ORDER BY month LIMIT 1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	if (rc == 1) {
		error = sb_error_set(SB_ESTATE, "payroll %s was already run: %s cannot be run after it",
				     sb__stmt_text(st, 0), month);
		sb__stmt_reset(st);
		return error;
	}
	return 0;
}

/* Remove the month's lines under scope (all when NULL). */
static int delete_month(sb_db *db, const char *month, const char *scope)
{
	sb__stmt *st;
	int error = 0, rc;
	char (*towns)[13] = NULL;
	size_t n = 0, cap = 0, i;
	void *grown;

	if (!scope || !*scope) {
		if ((error = sb__db_prepare(db, &st, "DELETE FROM payroll_line WHERE month = ?1")) < 0)
			return error;
		sb__stmt_bind_text(st, 1, month);
		if ((error = sb__stmt_run(st)) < 0)
			return error;
		if ((error = sb__db_prepare(db, &st, "DELETE FROM payroll_arrears WHERE month = ?1")) < 0)
			return error;
		sb__stmt_bind_text(st, 1, month);
		return sb__stmt_run(st);
	}
	if ((error = sb__db_prepare(db, &st,
		"SELECT DISTINCT township_code FROM payroll_line WHERE month = ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	while ((rc = sb__stmt_step(st)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = sb__realloc(towns, cap * sizeof *towns))) {
				sb__stmt_reset(st);
				error = SB_ENOMEM;
				goto done;
			}
			towns = grown;
		}
		sb__copy(towns[n++], 13, sb__stmt_text(st, 0));
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	for (i = 0; i < n; i++) {
		if ((rc = sb_org_within(db, towns[i], scope)) < 0) {
			error = rc;
			goto done;
		}
		if (!rc)
			continue;
		if ((error = sb__db_prepare(db, &st, "DELETE FROM payroll_line WHERE month = ?1 AND township_code = ?2")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, month);
		sb__stmt_bind_text(st, 2, towns[i]);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
		if ((error = sb__db_prepare(db, &st, "DELETE FROM payroll_arrears WHERE month = ?1 AND township_code = ?2")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, month);
		sb__stmt_bind_text(st, 2, towns[i]);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
	}
done:
	free(towns);
	return error;
}

int sb_payroll_run(sb_payroll_stats *out_stats, sb_db *db, const char *month, const char *scope,
		   sb_progress_fn progress, void *ctx)
{
	run_ctx cx;
	sb_contract_info *cs = NULL;
	size_t ncs = 0, i, k, nhist, narr = 0, capa = 0, nrun = 0;
	run_line *rl = NULL;
	arrear *arr = NULL;
	sb_payroll_stats stats;
	int error = 0, in_tx = 0, y, m, dim;
	char mon[8], year_from[8];
	sb__stmt *st;
	void *grown;

	memset(&cx, 0, sizeof cx);
	memset(&stats, 0, sizeof stats);
	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	snprintf(year_from, sizeof year_from, "%04d-01", y);
	dim = sb__days_in_month(y, m);

	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	in_tx = 1;
	if ((error = sb__payroll_check_open(db, mon)) < 0)
		goto done;
	if ((error = sb__pay_policies_load(&cx.ps, db)) < 0 ||
	    (error = sb__pay_history_load(&cx.hist, db, NULL)) < 0 ||
	    (error = sb_staff_workers(&cx.workers, &cx.nworkers, db, NULL, NULL)) < 0 ||
	    (error = sb_contract_in_force(&cs, &ncs, db, y, m, scope)) < 0 ||
	    (error = load_history(&cx, db, mon, y)) < 0 ||
	    (error = load_deductions(&cx, db)) < 0)
		goto done;
	if (!sb__pay_policy_at(&cx.ps, mon)) {
		error = sb_error_set(SB_ENOTFOUND, "payroll %s: no pay policy is in force (load one with `pay policy`)", mon);
		goto done;
	}
	if (cx.nworkers) {
		if (!(cx.wby_id = sb__malloc(cx.nworkers * sizeof *cx.wby_id))) {
			error = SB_ENOMEM;
			goto done;
		}
		for (i = 0; i < cx.nworkers; i++)
			cx.wby_id[i] = &cx.workers[i];
		qsort(cx.wby_id, cx.nworkers, sizeof *cx.wby_id, wid_cmp);
	}
	if ((error = load_towns(&cx, db, cs, ncs, NULL, 0)) < 0)
		goto done;
	if (ncs && !(rl = sb__calloc(ncs, sizeof *rl))) {
		error = SB_ENOMEM;
		goto done;
	}

	for (i = 0; i < ncs; i++) {
		const sb_contract_info *c = &cs[i];
		const sb_worker *w = worker_by_id(&cx, c->worker_id);
		const town *tw = town_find(&cx, c->township_code);
		const hist_line *h;
		const sb__pay_policy *p = sb__pay_policy_at(&cx.ps, mon);
		run_line *r = &rl[nrun];
		due d;
		int n = 1, first, last, plast, k2, sixty = 0;
		int64_t cum_income, cum_contrib, cum_special, withheld, basic;

		if (!w) {
			error = sb_error_set(SB_ENOTFOUND, "payroll %s: contract %s: worker %lld is not in the registry",
					     mon, c->number, (long long)c->worker_id);
			goto done;
		}
		if (!month_days(&first, &last, &plast, c, w, y, m))
			continue;
		if ((error = month_due(&d, &cx, w, tw, mon, dim, first, last, plast, c->monthly_fen,
				       c->probation_fen)) < 0) {
			sb_error_prefix("%s", c->id_number);
			goto done;
		}
		memset(r, 0, sizeof *r);
		sb__copy(r->l.month, sizeof r->l.month, mon);
		sb__copy(r->l.id_number, sizeof r->l.id_number, c->id_number);
		sb__copy(r->l.township_code, sizeof r->l.township_code, c->township_code);
		sb__copy(r->l.contract, sizeof r->l.contract, c->number);
		r->l.name = w->name;
		r->l.bank_account = w->bank_account;
		r->worker_id = c->worker_id;
		r->first = first;
		r->last = last;
		r->plast = plast;
		r->contract = c->monthly_fen;
		r->contract_probation = c->probation_fen;
		r->l.days = last - first + 1;
		r->l.base = d.base;
		r->l.allowances = d.allowances;

		/* Arrears (SPEC §7): for each closed month with this employer, what is due for it
		 * now less what was paid for it, one line per month, either sign. */
		r->arrears_at = narr;
		h = hist_first(&cx, c->id_number, c->township_code, &nhist);
		cum_income = cum_contrib = withheld = cum_special = 0;
		for (k = 0; k < nhist; k++) {
			int hy, hm;
			due hd;
			int64_t diff;
			sb__month_parse(h[k].month, &hy, &hm);
			if ((error = month_due(&hd, &cx, w, tw, h[k].month, sb__days_in_month(hy, hm), h[k].first,
					       h[k].last, h[k].plast, h[k].contract, h[k].contract_probation)) < 0) {
				sb_error_prefix("%s: arrears for %s", c->id_number, h[k].month);
				goto done;
			}
			diff = hd.base + hd.allowances - h[k].paid;
			if (diff != 0) {
				if (narr == capa) {
					capa = capa ? capa * 2 : 256;
					if (!(grown = sb__realloc(arr, capa * sizeof *arr))) {
						error = SB_ENOMEM;
						goto done;
					}
					arr = grown;
				}
				sb__copy(arr[narr].for_month, sizeof arr[narr].for_month, h[k].month);
				arr[narr].amount = diff;
				narr++;
				r->l.arrears += diff;
			}
			if (strcmp(h[k].month, year_from) >= 0) {
				/* this tax year with this employer */
				n++;
				cum_income += h[k].gross;
				cum_contrib += h[k].contrib;
				withheld += h[k].tax;
				cum_special += declared(&cx, c->id_number, h[k].month);
			}
		}
		r->narrears = narr - r->arrears_at;
		r->l.gross = r->l.base + r->l.allowances + r->l.arrears;

		/* Contributions on B = the month's base due, not prorated, not reduced for
		 * probation, clamped to each item's floor and ceiling. */
		for (k2 = 0; k2 < SB__ITEMS; k2++) {
			const sb__pay_item *it = &p->items[k2];
			int64_t v = it->present ? sb_pay_contribution(d.monthly, it->floor, it->ceiling,
								       it->employee, it->rounding) : 0;
			switch (k2) {
			case SB__PENSION: r->l.pension = v; break;
			case SB__MEDICAL: r->l.medical = v; break;
			case SB__UNEMPLOYMENT: r->l.unemployment = v; break;
			default: r->l.housing_fund = v; break;
			}
		}
		r->l.special_deductions = declared(&cx, c->id_number, mon);
		cum_special += r->l.special_deductions;
		cum_income += r->l.gross;
		cum_contrib += r->l.pension + r->l.medical + r->l.unemployment + r->l.housing_fund;

		/* 2020 announcement No. 19: paid by this employer in every month of last year with
		 * wages not above 60,000 → 60,000 deducted from January instead of 5,000 × n. */
		{
			int months = 0;
			int64_t wages = 0;
			const prior *pr = prior_find(&cx, c->id_number, c->township_code);
			if (cx.prior_from_registry) {
				char prev_from[8], prev_to[8];
				snprintf(prev_from, sizeof prev_from, "%04d-01", y - 1);
				snprintf(prev_to, sizeof prev_to, "%04d-12", y - 1);
				for (k = 0; k < nhist; k++)
					if (strcmp(h[k].month, prev_from) >= 0 && strcmp(h[k].month, prev_to) <= 0) {
						months++;
						wages += h[k].gross;
					}
			}
			if (pr) {
				months += pr->months;
				wages += pr->wages;
			}
			sixty = months >= 12 && wages <= 6000000;
		}
		basic = sixty ? 6000000 : (int64_t)500000 * n;
		r->l.tax = sb_pay_tax_month(cum_income, basic + cum_contrib + cum_special, withheld);
		r->l.net = r->l.gross - r->l.pension - r->l.medical - r->l.unemployment - r->l.housing_fund - r->l.tax;
		stats.lines++;
		stats.arrears_lines += (int64_t)r->narrears;
		stats.gross += r->l.gross;
		stats.tax += r->l.tax;
		stats.net += r->l.net;
		nrun++;
		if (progress && (nrun % 4096) == 0)
			progress(nrun, ncs, "payroll", ctx);
	}

	if ((error = delete_month(db, mon, scope)) < 0)
		goto done;
	/* Written in the table's key order (month, id_number, township_code): B-tree appends
	 * instead of a million inserts at random places. */
	qsort(rl, nrun, sizeof *rl, run_line_cmp);
	for (i = 0; i < nrun; i++) {
		run_line *r = &rl[i];
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO payroll_line (month, id_number, township_code, worker_id, name, contract, bank_account,"
			" first_day, last_day, probation_last, contract_fen, contract_probation_fen, days, base, allowances,"
			" arrears, gross, pension, medical, unemployment, housing_fund, special, tax, net)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, mon);
		sb__stmt_bind_text(st, 2, r->l.id_number);
		sb__stmt_bind_text(st, 3, r->l.township_code);
		sb__stmt_bind_int64(st, 4, r->worker_id);
		sb__stmt_bind_text(st, 5, r->l.name ? r->l.name : "");
		sb__stmt_bind_text(st, 6, r->l.contract);
		sb__stmt_bind_text(st, 7, r->l.bank_account ? r->l.bank_account : "");
		sb__stmt_bind_int64(st, 8, r->first);
		sb__stmt_bind_int64(st, 9, r->last);
		sb__stmt_bind_int64(st, 10, r->plast);
		sb__stmt_bind_int64(st, 11, r->contract);
		sb__stmt_bind_int64(st, 12, r->contract_probation);
		sb__stmt_bind_int64(st, 13, r->l.days);
		sb__stmt_bind_int64(st, 14, r->l.base);
		sb__stmt_bind_int64(st, 15, r->l.allowances);
		sb__stmt_bind_int64(st, 16, r->l.arrears);
		sb__stmt_bind_int64(st, 17, r->l.gross);
		sb__stmt_bind_int64(st, 18, r->l.pension);
		sb__stmt_bind_int64(st, 19, r->l.medical);
		sb__stmt_bind_int64(st, 20, r->l.unemployment);
		sb__stmt_bind_int64(st, 21, r->l.housing_fund);
		sb__stmt_bind_int64(st, 22, r->l.special_deductions);
		sb__stmt_bind_int64(st, 23, r->l.tax);
		sb__stmt_bind_int64(st, 24, r->l.net);
		if ((error = sb__stmt_run(st)) < 0) {
			if (error == SB_EDB)
				sb_error_prefix("%s: %s appears twice in the month", mon, r->l.id_number);
			goto done;
		}
		for (k = r->arrears_at; k < r->arrears_at + r->narrears; k++) {
			if ((error = sb__db_prepare(db, &st,
				"INSERT INTO payroll_arrears (month, id_number, township_code, for_month, amount) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
				goto done;
			sb__stmt_bind_text(st, 1, mon);
			sb__stmt_bind_text(st, 2, r->l.id_number);
			sb__stmt_bind_text(st, 3, r->l.township_code);
			sb__stmt_bind_text(st, 4, arr[k].for_month);
			sb__stmt_bind_int64(st, 5, arr[k].amount);
			if ((error = sb__stmt_run(st)) < 0)
				goto done;
		}
	}
	if ((error = sb__db_prepare(db, &st,
		"INSERT INTO payroll_month (month, closed, run_at) VALUES (?1, 0, datetime('now'))"
		" ON CONFLICT (month) DO UPDATE SET run_at = excluded.run_at")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, mon);
	if ((error = sb__stmt_run(st)) < 0)
		goto done;
	{
		char g[32], t[32], nn[32];
		error = sb__audit_append(db, "payroll run %s scope %s: %lld lines, %lld months of arrears, gross %s, tax %s, net %s",
					 mon, scope && *scope ? scope : "all", (long long)stats.lines,
					 (long long)stats.arrears_lines, sb_money_format(g, sizeof g, stats.gross),
					 sb_money_format(t, sizeof t, stats.tax), sb_money_format(nn, sizeof nn, stats.net));
	}
	if (progress)
		progress(nrun, ncs, "payroll", ctx);
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_stats && error == 0)
		*out_stats = stats;
	free(rl);
	free(arr);
	sb_contract_info_free(cs);
	ctx_clear(&cx);
	return error;
}

/* ---- show, close -------------------------------------------------------------------- */

void sb_payroll_free(sb_payroll *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->lines[i].name);
		free(p->lines[i].bank_account);
	}
	free(p->lines);
	free(p);
}

int sb_payroll_get(sb_payroll **out, sb_db *db, const char *month, const char *scope)
{
	sb_payroll *p = NULL;
	sb__stmt *st;
	int error = 0, rc, y, m, closed, exists;
	size_t cap = 0;
	char mon[8], lo[13], hi[13];
	void *grown;

	*out = NULL;
	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	if ((error = month_state(&closed, &exists, db, mon)) < 0)
		return error;
	if (!exists)
		return sb_error_set(SB_ENOTFOUND, "payroll %s has not been run", mon);
	if ((error = sb_org_scope_range(lo, hi, db, scope)) < 0)
		return error;
	if (!(p = sb__calloc(1, sizeof *p)))
		return SB_ENOMEM;
	sb__copy(p->month, sizeof p->month, mon);
	p->closed = closed;
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, name, township_code, contract, bank_account, days, base, allowances, arrears, gross,"
		" pension, medical, unemployment, housing_fund, special, tax, net"
		" FROM payroll_line WHERE month = ?1 AND township_code >= ?2 AND township_code < ?3"
		" ORDER BY township_code, id_number")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, mon)) < 0 || (error = sb__stmt_bind_text(st, 2, lo)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, hi)) < 0)
		goto done;
	/* The scope as a range of township codes: one township's export reads its own lines
	 * through payroll_line_town, not the province's. */
	while ((rc = sb__stmt_step(st)) == 1) {
		sb_payroll_line *l;
		const char *tcode = sb__stmt_text(st, 2);
		if (p->n == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(grown = sb__realloc(p->lines, cap * sizeof *p->lines))) {
				sb__stmt_reset(st);
				error = SB_ENOMEM;
				goto done;
			}
			p->lines = grown;
		}
		l = &p->lines[p->n];
		memset(l, 0, sizeof *l);
		sb__copy(l->month, sizeof l->month, mon);
		sb__copy(l->id_number, sizeof l->id_number, sb__stmt_text(st, 0));
		sb__copy(l->township_code, sizeof l->township_code, tcode);
		sb__copy(l->contract, sizeof l->contract, sb__stmt_text(st, 3));
		l->name = sb__strdup(sb__stmt_text(st, 1));
		l->bank_account = sb__strdup(sb__stmt_text(st, 4));
		p->n++;
		if (!l->name || !l->bank_account) {
			sb__stmt_reset(st);
			error = SB_ENOMEM;
			goto done;
		}
		l->days = (int)sb__stmt_int64(st, 5);
		l->base = sb__stmt_int64(st, 6);
		l->allowances = sb__stmt_int64(st, 7);
		l->arrears = sb__stmt_int64(st, 8);
		l->gross = sb__stmt_int64(st, 9);
		l->pension = sb__stmt_int64(st, 10);
		l->medical = sb__stmt_int64(st, 11);
		l->unemployment = sb__stmt_int64(st, 12);
		l->housing_fund = sb__stmt_int64(st, 13);
		l->special_deductions = sb__stmt_int64(st, 14);
		l->tax = sb__stmt_int64(st, 15);
		l->net = sb__stmt_int64(st, 16);
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	*out = p;
	p = NULL;
done:
	sb_payroll_free(p);
	return error;
}

int sb_payroll_close(sb_db *db, const char *month)
{
	int error = 0, y, m, closed, exists, in_tx = 0, rc;
	char mon[8];
	sb__stmt *st;

	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	in_tx = 1;
	if ((error = month_state(&closed, &exists, db, mon)) < 0)
		goto done;
	if (!exists) {
		error = sb_error_set(SB_ESTATE, "payroll %s has not been run", mon);
		goto done;
	}
	if (closed) {
		error = sb_error_set(SB_ESTATE, "payroll %s is already closed", mon);
		goto done;
	}
	if ((error = sb__db_prepare(db, &st,
		"SELECT month FROM payroll_month WHERE month < ?1 AND closed = 0 ORDER BY month LIMIT 1")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, mon);
	if ((rc = sb__stmt_step(st)) < 0) {
		error = rc;
		goto done;
	}
	if (rc == 1) {
		error = sb_error_set(SB_ESTATE, "payroll %s must be closed first", sb__stmt_text(st, 0));
		sb__stmt_reset(st);
		goto done;
	}
	if ((error = sb__db_prepare(db, &st,
		"UPDATE payroll_month SET closed = 1, closed_at = datetime('now') WHERE month = ?1")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, mon);
	if ((error = sb__stmt_run(st)) < 0)
		goto done;
	error = sb__audit_append(db, "payroll close %s", mon);
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	return error;
}
