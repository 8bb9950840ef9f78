/*
 * Monthly payroll (SPEC §7): for every contract in force in a month, the base (probation wage
 * during probation, never below the minimum wage) and allowances prorated by calendar days per
 * part and component, arrears for closed months whose due pay has changed since, employee
 * social insurance and housing fund, income tax by cumulative withholding with this employer,
 * and net; then showing and closing the month. Everything a run needs (policies, positions,
 * places, deductions, and the previous month's lines, or every earlier month's where the
 * previous month cannot carry them: see carry_in) is read once, so the per-worker work is
 * arithmetic.
 * Not for the export files and their verification (payroll_export.c) nor for the formulas
 * themselves (tax.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

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

/* Arrears paid in earlier runs for one month of one (person, employer). */
typedef struct {
	char id[19], town[13], month[8];
	int64_t amount;
} paid_later;

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
	const sb_worker **wby_id;    /* by staff id: sorted, or indexed by id - wid_lo (wdense) */
	int64_t wid_lo;
	size_t nwby_id;
	int wdense;
	town *towns;
	size_t ntowns;
	paid_later *paid;            /* by id, town, month */
	size_t npaid;
	deduction *deds;             /* by id */
	size_t ndeds;
	prior *priors;               /* by id, town */
	size_t npriors;
	int prior_from_registry;
} run_ctx;

/* One line of the month being run, and what the earlier months add to it. */
typedef struct {
	sb_payroll_line l;
	int first, last, plast;
	int64_t contract, contract_probation;
	int64_t worker_id;
	const sb_worker *w;
	const town *tw;
	const sb__pay_pos *pos;           /* the worker's level and step history */
	size_t npos;
	int start_q, start_step, start_ok; /* the start position, when no history row applies */
	const sb__pay_policy *rp;         /* the policy last asked about, and the region under it */
	const sb__pay_region *rr;
	const deduction *ded;             /* the person's declarations */
	size_t nded;
	const paid_later *paid;           /* arrears paid in earlier runs, by month paid for */
	size_t npaid;
	unsigned char key[32];            /* digest of what its due pay depends on (due_key) */
	int carried;                      /* the previous month's line carries the sums below */
	/* earlier months of this tax year with this employer (bit m - 1 of months: month m) */
	int n;
	unsigned months;
	int64_t cum_income, cum_contrib, cum_special, withheld;
	/* last year with this employer, from the registry's own payrolls */
	int prev_months;
	int64_t prev_wages;
	size_t arrears_at, narrears;      /* into the run's arrears list */
} run_line;

typedef struct {
	size_t line;                      /* index of its run_line */
	char for_month[8];
	int64_t amount;
} arrear;

static int paid_cmp(const void *a, const void *b)
{
	const paid_later *x = a, *y = b;
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

/* A run line's key (township_code, id_number): the table's order after the month, kept apart
 * from the line so that sorting and the pass over earlier months walk a small array in order. */
typedef struct {
	char id[19], town[13];
	size_t line;                      /* index of its run_line */
} line_key;

static int line_key_sort(const void *a, const void *b)
{
	const line_key *x = a, *y = b;
	int c;
	if ((c = strcmp(x->town, y->town)) || (c = strcmp(x->id, y->id)))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* A line's key against the key (town, id) of a stored line. */
static int line_key_cmp(const line_key *k, const char *id, const char *tw)
{
	int c = strcmp(k->town, tw);
	return c ? c : strcmp(k->id, id);
}

static void ctx_clear(run_ctx *cx)
{
	sb__pay_policies_clear(&cx->ps);
	sb__pay_history_clear(&cx->hist);
	sb_staff_workers_free(cx->workers, cx->nworkers);
	free(cx->wby_id);
	free(cx->towns);
	free(cx->paid);
	free(cx->deds);
	free(cx->priors);
	memset(cx, 0, sizeof *cx);
}

static const sb_worker *worker_by_id(const run_ctx *cx, int64_t id)
{
	size_t lo = 0, hi = cx->nworkers;
	if (cx->wdense)
		return id >= cx->wid_lo && (uint64_t)id - (uint64_t)cx->wid_lo < cx->nwby_id
			       ? cx->wby_id[(uint64_t)id - (uint64_t)cx->wid_lo] : NULL;
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

/* The declarations of one person (deds is ordered by id). */
static const deduction *deductions_of(const run_ctx *cx, const char *id, size_t *out_n)
{
	size_t lo = 0, hi = cx->ndeds, i;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cx->deds[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cx->ndeds && strcmp(cx->deds[i].id, id) == 0; i++)
		;
	*out_n = i - lo;
	return i > lo ? &cx->deds[lo] : NULL;
}

/* Arrears paid in earlier runs to one (person, employer), by month paid for. */
static const paid_later *paid_of(const run_ctx *cx, const char *id, const char *tw, size_t *out_n)
{
	size_t lo = 0, hi = cx->npaid, i;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cx->paid[mid].id, id);
		if (c == 0)
			c = strcmp(cx->paid[mid].town, tw);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cx->npaid && strcmp(cx->paid[i].id, id) == 0 && strcmp(cx->paid[i].town, tw) == 0; i++)
		;
	*out_n = i - lo;
	return i > lo ? &cx->paid[lo] : NULL;
}

/* Declared special additional deductions of a line's person for one month. */
static int64_t declared(const run_line *r, const char *month)
{
	size_t i;
	int64_t sum = 0;
	for (i = 0; i < r->nded; i++)
		if (strcmp(r->ded[i].from, month) <= 0 && strcmp(month, r->ded[i].to) <= 0)
			sum += r->ded[i].amount;
	return sum;
}

static int64_t paid_for(const run_line *r, const char *month)
{
	size_t i;
	int64_t sum = 0;
	for (i = 0; i < r->npaid; i++)
		if (strcmp(r->paid[i].month, month) == 0)
			sum += r->paid[i].amount;
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

/* What earlier runs paid as arrears for each month (for the lines worked out from every
 * earlier month). The earlier months' lines themselves are read by earlier_months(). */
static int load_paid(run_ctx *cx, sb_db *db, const char *month)
{
	sb__stmt *st;
	int error, rc;
	size_t cap = 0;
	void *grown;

	/* what was paid for a month = its line + the arrears paid for it in later months (read
	 * in the table's order and added up per month paid for here, not sorted by SQLite) */
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, township_code, for_month, amount FROM payroll_arrears WHERE month < ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	while ((rc = sb__stmt_step(st)) == 1) {
		paid_later *p;
		if (cx->npaid == cap) {
			cap = cap ? cap * 2 : 1024;
			if (!(grown = sb__realloc(cx->paid, cap * sizeof *cx->paid))) {
				sb__stmt_reset(st);
				return SB_ENOMEM;
			}
			cx->paid = grown;
		}
		p = &cx->paid[cx->npaid++];
		sb__copy(p->id, sizeof p->id, sb__stmt_text(st, 0));
		sb__copy(p->town, sizeof p->town, sb__stmt_text(st, 1));
		sb__copy(p->month, sizeof p->month, sb__stmt_text(st, 2));
		p->amount = sb__stmt_int64(st, 3);
	}
	if (rc < 0)
		return rc;
	if (cx->npaid) {
		size_t i, j = 0;
		qsort(cx->paid, cx->npaid, sizeof *cx->paid, paid_cmp);
		for (i = 1; i < cx->npaid; i++) {
			if (paid_cmp(&cx->paid[j], &cx->paid[i]) == 0)
				cx->paid[j].amount += cx->paid[i].amount;
			else
				cx->paid[++j] = cx->paid[i];
		}
		cx->npaid = j + 1;
	}
	return 0;
}

/* Last year's figures for the 60,000 rule. */
static int load_priors(run_ctx *cx, sb_db *db, int year)
{
	sb__stmt *st;
	int error, rc;
	size_t cap = 0;
	void *grown;
	char prev_like[16];

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

/* The level and step of a line's worker on `date` (sb__pay_position over the rows found once
 * for the line, with the start position worked out once). */
static int line_position(int *out_q, int *out_step, const run_ctx *cx, const run_line *r, const char *date)
{
	size_t i;
	const sb__pay_pos *best = NULL;

	for (i = 0; i < r->npos; i++)
		if (strcmp(r->pos[i].effective, date) <= 0 && r->pos[i].q >= 0)
			best = &r->pos[i];
	if (best) {
		*out_q = best->q;
		*out_step = best->step;
		return 0;
	}
	if (!r->start_ok) /* the start position has no answer: ask again for its message */
		return sb__pay_position_rows(out_q, out_step, NULL, NULL, 0, &cx->ps, r->w, date);
	*out_q = r->start_q;
	*out_step = r->start_step;
	return 0;
}

/* Month `month` (YYYY-MM, dim days, policy p in force) of line r's worker and employer, for
 * days first..last of it with probation up to plast, under the contract's wages. */
static int month_due(due *out, const run_ctx *cx, run_line *r, const sb__pay_policy *p,
		     const char *month, int dim, int first, int last, int plast,
		     int64_t contract, int64_t contract_probation)
{
	const sb__pay_region *rg;
	char date[11];
	int q, step, error, days = last - first + 1, pdays = 0;
	int64_t prob;

	memset(out, 0, sizeof *out);
	if (!p)
		return sb_error_set(SB_ENOTFOUND, "payroll %s: no pay policy is in force", month);
	if (r->rp != p) {
		r->rp = p;
		r->rr = sb__pay_region_of(p, &r->tw->place);
	}
	if (!(rg = r->rr))
		return sb_error_set(SB_ENOTFOUND, "payroll %s: township %s lies in no region of the pay policy effective %s",
				    month, r->tw->code, p->effective);
	/* pay changes by whole months: the position held on the month's last day */
	memcpy(date, month, 7);
	date[7] = '-';
	date[8] = (char)('0' + dim / 10);
	date[9] = (char)('0' + dim % 10);
	date[10] = '\0';
	if ((error = line_position(&q, &step, cx, r, date)) < 0)
		return error;
	if ((out->scale = sb__pay_scale_base(p, rg, q, step)) < 0)
		return sb_error_set(SB_ENOTFOUND, "payroll %s: scale %s has no level for %s", month,
				    p->scales[rg->scale].id, sb__pay_quals[q]);
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
		if (prob < rg->minimum)
			prob = rg->minimum;
		/* each part of a month split by the end of probation is paid on its own */
		out->base = sb_pay_prorate(prob, pdays, dim) + sb_pay_prorate(out->monthly, days - pdays, dim);
	} else {
		out->base = sb_pay_prorate(out->monthly, days, dim);
	}
	{
		size_t i;
		for (i = 0; i < p->nallowances; i++)
			if (r->tw->place.flags & p->allowances[i].flag)
				out->allowances += sb_pay_prorate(p->allowances[i].amount, days, dim);
	}
	return 0;
}

/* The days of the month a contract (and the worker's service) covers, and the last day of
 * probation within them (0 when none). 0 when no day is covered. */
static int month_days(int *first, int *last, int *plast, const sb_contract_info *c,
		      const sb_worker *w, const char lo[11], const char hi[11], int dim)
{
	int cy, cm, cd;

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

/* ---- what a line carries to the next month ------------------------------------------ */

/*
 * Every line stores what the next month's run needs from it (the year's sums with this
 * employer, the registry's part of last year) and a digest (due_key) of everything its due
 * pay was worked out from besides the line's own days and contract wages: the pay policies
 * as loaded, the worker's start data and level and step history, the township's ancestors
 * and flags. A run pays every earlier month, as due now, less what was paid for it
 * (arrears), so right after the run of month M - 1 every earlier month of the line's worker
 * and employer is paid exactly as due then. When the line of M - 1 has the digest the line
 * of M has now, nothing any earlier month's due pay depends on has changed since, so every
 * arrear is zero and the line of M - 1 carries the year's sums: the run reads that month's
 * lines only. Any other line (a digest that differs, no line in M - 1, a line written before
 * these columns) is worked out from every earlier month, as before. Declared special
 * deductions and prior-year wages, which may change for months already paid, are read anew
 * in either case.
 */
/* The bytes a digest is taken of, gathered first: one digest call per line. */
typedef struct {
	unsigned char *p;
	size_t n, cap;
	int failed;
} dig_buf;

static void dig(dig_buf *b, const void *data, size_t len)
{
	if (b->failed)
		return;
	if (b->n + len > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		void *grown;
		while (cap < b->n + len)
			cap *= 2;
		if (!(grown = sb__realloc(b->p, cap))) {
			b->failed = 1;
			return;
		}
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
}

static void dig_str(dig_buf *b, const char *s)
{
	dig(b, s, strlen(s) + 1); /* with its NUL: texts cannot run into each other */
}

static void dig_int(dig_buf *b, int64_t v)
{
	dig(b, &v, sizeof v);
}

/* The pay policies as month_due() uses them. */
static void dig_policies(dig_buf *b, const sb__pay_policies *ps)
{
	size_t i, j;
	int q, k;

	dig_int(b, (int64_t)ps->n);
	for (i = 0; i < ps->n; i++) {
		const sb__pay_policy *p = &ps->p[i];
		dig_str(b, p->effective);
		dig_int(b, p->probation_percent);
		dig_int(b, p->years_per_step);
		dig_int(b, (int64_t)p->nscales);
		for (j = 0; j < p->nscales; j++)
			for (q = 0; q < SB__QUALS; q++) {
				dig_int(b, p->scales[j].nsteps[q]);
				for (k = 0; k < p->scales[j].nsteps[q]; k++)
					dig_int(b, p->scales[j].base[q][k]);
			}
		dig_int(b, (int64_t)p->nregions);
		for (j = 0; j < p->nregions; j++) {
			dig_int(b, p->regions[j].scale);
			dig_int(b, p->regions[j].minimum);
		}
		dig_int(b, (int64_t)p->nrdivs);
		for (j = 0; j < p->nrdivs; j++) {
			dig_str(b, p->rdivs[j].code);
			dig_int(b, p->rdivs[j].region);
		}
		dig_int(b, (int64_t)p->nallowances);
		for (j = 0; j < p->nallowances; j++) {
			dig_int(b, p->allowances[j].flag);
			dig_int(b, p->allowances[j].amount);
		}
	}
}

static int sha256(unsigned char out[32], EVP_MD_CTX *mc, const EVP_MD *md, const dig_buf *b)
{
	unsigned int len = 0;
	return !b->failed && EVP_DigestInit_ex(mc, md, NULL) == 1 && EVP_DigestUpdate(mc, b->p, b->n) == 1 &&
	       EVP_DigestFinal_ex(mc, out, &len) == 1 && len == 32;
}

/* Each line's due_key: SHA-256 of the policies' digest, the worker's start data and level and
 * step history, and the township's place. */
static int line_keys(const run_ctx *cx, run_line *rl, size_t nrun)
{
	EVP_MD_CTX *mc = NULL;
	EVP_MD *md = NULL;
	dig_buf b = { NULL, 0, 0, 0 };
	unsigned char pol[32];
	size_t i, k;
	int ok, a;

	/* fetched once: EVP_sha256() would look the implementation up at every line */
	if (sb__fault("crypto") || !(mc = EVP_MD_CTX_new()) || !(md = EVP_MD_fetch(NULL, "SHA256", NULL))) {
		EVP_MD_CTX_free(mc);
		return sb_error_set(SB_ECRYPTO, "SHA-256 failed");
	}
	dig_policies(&b, &cx->ps);
	ok = sha256(pol, mc, md, &b);
	for (i = 0; ok && i < nrun; i++) {
		run_line *r = &rl[i];
		const sb_worker *w = r->w;
		b.n = 0;
		dig(&b, pol, sizeof pol);
		dig_str(&b, w->id_number);
		dig_str(&b, w->qualification);
		dig_str(&b, w->source);
		dig_str(&b, w->service_start);
		dig_str(&b, w->start_date);
		dig_str(&b, w->end_date); /* month_days ends a month at it */
		dig_int(&b, (int64_t)r->npos);
		for (k = 0; k < r->npos; k++) {
			dig_str(&b, r->pos[k].effective);
			dig_int(&b, r->pos[k].q);
			dig_int(&b, r->pos[k].step);
		}
		dig_str(&b, r->tw->place.code);
		for (a = 0; a < 5; a++)
			dig_str(&b, r->tw->place.anc[a]);
		dig_int(&b, r->tw->place.flags);
		ok = sha256(r->key, mc, md, &b);
	}
	free(b.p);
	EVP_MD_free(md);
	EVP_MD_CTX_free(mc);
	if (b.failed)
		return SB_ENOMEM;
	return ok ? 0 : sb_error_set(SB_ECRYPTO, "SHA-256 failed");
}

static int bits(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The previous month's lines whose due_key matches: their sums carried, their earlier months
 * not read again. */
static int carry_in(const run_ctx *cx, run_line *rl, const line_key *keys, size_t nrun, sb_db *db,
		    int y, int m)
{
	sb__stmt *st;
	int error, rc, len, py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1, c;
	size_t at = 0, j;
	char prev[8];

	snprintf(prev, sizeof prev, "%04d-%02d", py, pm);
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, township_code, due_key, ytd_months, ytd_gross, ytd_contrib, ytd_tax,"
		" prev_months, prev_wages FROM payroll_line WHERE month = ?1 ORDER BY township_code, id_number")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, prev);
	while ((rc = sb__stmt_step(st)) == 1) {
		const char *id = sb__stmt_text(st, 0), *tw = sb__stmt_text(st, 1);
		while (at < nrun && line_key_cmp(&keys[at], id, tw) < 0)
			at++;
		for (j = at; j < nrun && line_key_cmp(&keys[j], id, tw) == 0; j++) {
			run_line *r = &rl[keys[j].line];
			const void *key = sb__stmt_blob(st, 2, &len);
			unsigned mask;
			if (!key || len != (int)sizeof r->key || memcmp(key, r->key, sizeof r->key) != 0)
				continue;
			for (c = 3; c <= 8; c++)
				if (sb__stmt_isnull(st, c))
					break;
			if (c <= 8)
				continue;
			mask = (unsigned)sb__stmt_int64(st, 3) & 0xfffu;
			r->carried = 1;
			if (py == y) {
				r->months = mask;
				r->n = bits(mask);
				r->cum_income = sb__stmt_int64(st, 4);
				r->cum_contrib = sb__stmt_int64(st, 5);
				r->withheld = sb__stmt_int64(st, 6);
				r->prev_months = (int)sb__stmt_int64(st, 7);
				r->prev_wages = sb__stmt_int64(st, 8);
			} else if (cx->prior_from_registry) {
				/* January: December's sums are last year's */
				r->prev_months = bits(mask);
				r->prev_wages = sb__stmt_int64(st, 4);
			}
		}
	}
	return rc < 0 ? rc : 0;
}

/*
 * Every earlier month's lines, read once in the table's key order (month, township_code,
 * id_number) and met with the run's lines month by month (keys: the run's lines in that order): for each, the arrears now due (SPEC §7: what is due for that month now less what was
 * paid for it, either sign, one per month) and this tax year's and last year's sums. Nothing
 * is sorted or copied per earlier line.
 */
static int earlier_months(arrear **io_arr, size_t *io_narr, run_ctx *cx, run_line *rl,
			  const line_key *keys, size_t nrun, sb_db *db, const char *mon, int y)
{
	sb__stmt *st;
	int error = 0, rc, hy, hm, hdim = 0, this_year = 0, last_year = 0;
	size_t at = 0, j, cap = *io_narr;
	char cur[8] = "", year_from[8], prev_from[8], prev_to[8];
	const sb__pay_policy *hp = NULL;
	arrear *arr = *io_arr;
	void *grown;

	snprintf(year_from, sizeof year_from, "%04d-01", y);
	snprintf(prev_from, sizeof prev_from, "%04d-01", y - 1);
	snprintf(prev_to, sizeof prev_to, "%04d-12", y - 1);
	if ((error = sb__db_prepare(db, &st,
		"SELECT month, id_number, township_code, first_day, last_day, probation_last, contract_fen,"
		" contract_probation_fen, base + allowances, gross, pension + medical + unemployment + housing_fund, tax"
		" FROM payroll_line ORDER BY month, township_code, id_number")) < 0)
		return error;
	while ((rc = sb__stmt_step(st)) == 1) {
		const char *m = sb__stmt_text(st, 0), *id = sb__stmt_text(st, 1), *tw = sb__stmt_text(st, 2);
		if (strncmp(m, cur, sizeof cur) != 0) {
			if (strcmp(m, mon) >= 0) {
				sb__stmt_reset(st);
				break;
			}
			sb__copy(cur, sizeof cur, m);
			if (sb__month_parse(cur, &hy, &hm) < 0) {
				sb__stmt_reset(st);
				return sb_error_set(SB_EDB, "payroll %s: a stored line has month '%s'", mon, m);
			}
			hdim = sb__days_in_month(hy, hm);
			hp = sb__pay_policy_at(&cx->ps, cur);
			this_year = strcmp(cur, year_from) >= 0;
			last_year = cx->prior_from_registry && strcmp(cur, prev_from) >= 0 && strcmp(cur, prev_to) <= 0;
			at = 0;
		}
		while (at < nrun && line_key_cmp(&keys[at], id, tw) < 0)
			at++;
		for (j = at; j < nrun && line_key_cmp(&keys[j], id, tw) == 0; j++) {
			run_line *r = &rl[keys[j].line];
			int64_t diff, gross = sb__stmt_int64(st, 9);
			due hd;
			if (r->carried)
				continue;
			if ((error = month_due(&hd, cx, r, hp, cur, hdim, (int)sb__stmt_int64(st, 3),
					       (int)sb__stmt_int64(st, 4), (int)sb__stmt_int64(st, 5),
					       sb__stmt_int64(st, 6), sb__stmt_int64(st, 7))) < 0) {
				sb_error_prefix("%s: arrears for %s", r->l.id_number, cur);
				goto fail;
			}
			diff = hd.base + hd.allowances - (sb__stmt_int64(st, 8) + paid_for(r, cur));
			if (diff != 0) {
				if (*io_narr == cap) {
					cap = cap ? cap * 2 : 256;
					if (!(grown = sb__realloc(arr, cap * sizeof *arr))) {
						error = SB_ENOMEM;
						goto fail;
					}
					arr = grown;
				}
				arr[*io_narr].line = keys[j].line;
				sb__copy(arr[*io_narr].for_month, sizeof arr[*io_narr].for_month, cur);
				arr[*io_narr].amount = diff;
				(*io_narr)++;
				r->narrears++;
				r->l.arrears += diff;
			}
			if (this_year) {
				/* this tax year with this employer */
				r->n++;
				r->months |= 1u << (hm - 1);
				r->cum_income += gross;
				r->cum_contrib += sb__stmt_int64(st, 10);
				r->withheld += sb__stmt_int64(st, 11);
				r->cum_special += declared(r, cur);
			}
			if (last_year) {
				r->prev_months++;
				r->prev_wages += gross;
			}
		}
	}
	*io_arr = arr;
	return rc < 0 ? rc : 0;
fail:
	sb__stmt_reset(st);
	*io_arr = arr;
	return error;
}

/* Put the lines in the keys' order, in place (each cycle of the permutation once): the pass
 * over earlier months then touches them in memory order instead of at random. */
static void lines_in_key_order(run_line *rl, line_key *keys, size_t n)
{
	size_t i, j, k;
	run_line tmp;

	for (i = 0; i < n; i++) {
		if (keys[i].line == i)
			continue;
		tmp = rl[i];
		j = i;
		while ((k = keys[j].line) != i) {
			rl[j] = rl[k];
			keys[j].line = j;
			j = k;
		}
		rl[j] = tmp;
		keys[j].line = j;
	}
}

static int64_t contribution(const sb__pay_policy *p, int item, int64_t monthly)
{
	const sb__pay_item *it = &p->items[item];
	return it->present ? sb_pay_contribution(monthly, it->floor, it->ceiling, it->employee, it->rounding) : 0;
}

/* The arrears list grouped by line, each line's months in the order found (ascending):
 * earlier_months() appends them month by month across all lines. */
static int arrears_by_line(arrear **io_arr, run_line *rl, size_t nrun, size_t narr)
{
	arrear *sorted;
	size_t i, at = 0;

	if (narr == 0)
		return 0;
	if (!(sorted = sb__malloc(narr * sizeof *sorted)))
		return SB_ENOMEM;
	for (i = 0; i < nrun; i++) {
		rl[i].arrears_at = at;
		at += rl[i].narrears;
		rl[i].narrears = 0;
	}
	for (i = 0; i < narr; i++) {
		run_line *r = &rl[(*io_arr)[i].line];
		sorted[r->arrears_at + r->narrears++] = (*io_arr)[i];
	}
	free(*io_arr);
	*io_arr = sorted;
	return 0;
}

/*
 * A run writes every line of the month, its index entries and its arrears in one transaction.
 * With SQLite's default page cache (2 MiB) a province's run spills dirty pages to the WAL and
 * reads them back over and over (200,000 lines: 190,000 page writes and as many reads, against
 * 32,000 and 30,000 with a cache that holds them). Before writing, the run raises the cache
 * to 512 MiB, which SQLite takes only as pages are used, and sets it back afterwards (which
 * frees them); the earlier months, read once, go through the default cache.
 */
static int cache_raise(int64_t *out_was, sb_db *db)
{
	sb__stmt *st;
	int error, rc;

	*out_was = 0;
	if ((error = sb__db_prepare(db, &st, "PRAGMA cache_size")) < 0)
		return error;
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	if (rc == 1) {
		*out_was = sb__stmt_int64(st, 0);
		sb__stmt_reset(st);
	}
	return sb__db_exec(db, "PRAGMA cache_size = -524288");
}

/* Back to the cache size before the run (when it was read); a failure here costs memory,
 * not the run's result, so it does not fail a run that succeeded. */
static void cache_restore(sb_db *db, int64_t was, int error)
{
	char sql[64];

	if (was == 0)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)was);
	if (sb__db_exec(db, sql) < 0 && error == 0)
		sb_error_clear();
}

int sb_payroll_run(sb_payroll_stats *out_stats, sb_db *db, const char *month, const char *scope,
		   sb_progress_fn progress, void *ctx)
{
	run_ctx cx;
	sb_contract_info *cs = NULL;
	size_t ncs = 0, i, k, narr = 0, nrun = 0;
	run_line *rl = NULL;
	line_key *keys = NULL;
	arrear *arr = NULL;
	sb_payroll_stats stats;
	int error = 0, in_tx = 0, y, m, dim;
	char mon[8], day1[11], dayn[11], year_from[8];
	const sb__pay_policy *p;
	sb__stmt *st, *st_arr;
	int64_t cache_was = 0;

	memset(&cx, 0, sizeof cx);
	memset(&stats, 0, sizeof stats);
	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	dim = sb__days_in_month(y, m);
	snprintf(year_from, sizeof year_from, "%04d-01", y);
	snprintf(day1, sizeof day1, "%04d-%02d-01", y, m);
	snprintf(dayn, sizeof dayn, "%04d-%02d-%02d", y, m, dim);

	/* The registry's pages read through SQLite's memory map, not copied in by a pread each:
	 * the run reads every worker, person and contract. */
	if ((error = sb__db_exec(db, "PRAGMA mmap_size = 4294967296")) < 0 || (error = sb__db_tx_begin(db)) < 0)
		return error;
	in_tx = 1;
	if ((error = sb__payroll_check_open(db, mon)) < 0)
		goto done;
	if ((error = sb__pay_policies_load(&cx.ps, db)) < 0 ||
	    (error = sb__pay_history_load(&cx.hist, db, NULL)) < 0 ||
	    (error = sb_staff_workers(&cx.workers, &cx.nworkers, db, NULL, NULL)) < 0 ||
	    (error = sb_contract_in_force(&cs, &ncs, db, y, m, scope)) < 0 ||
	    (error = load_priors(&cx, db, y)) < 0 ||
	    (error = load_deductions(&cx, db)) < 0)
		goto done;
	if (!(p = sb__pay_policy_at(&cx.ps, mon))) {
		error = sb_error_set(SB_ENOTFOUND, "payroll %s: no pay policy is in force (load one with `pay policy`)", mon);
		goto done;
	}
	if (cx.nworkers) {
		/* Staff ids are the rows' integer keys, given out in order: nearly always a dense
		 * range, looked up by position; a sparse one is sorted and searched. */
		int64_t lo = cx.workers[0].id, hi = lo;
		for (i = 1; i < cx.nworkers; i++) {
			if (cx.workers[i].id < lo)
				lo = cx.workers[i].id;
			if (cx.workers[i].id > hi)
				hi = cx.workers[i].id;
		}
		cx.wdense = (uint64_t)hi - (uint64_t)lo < 2 * (uint64_t)cx.nworkers + 1024;
		cx.nwby_id = cx.wdense ? (size_t)((uint64_t)hi - (uint64_t)lo) + 1 : cx.nworkers;
		cx.wid_lo = lo;
		if (!(cx.wby_id = cx.wdense ? sb__calloc(cx.nwby_id, sizeof *cx.wby_id)
					    : sb__malloc(cx.nwby_id * sizeof *cx.wby_id))) {
			error = SB_ENOMEM;
			goto done;
		}
		for (i = 0; i < cx.nworkers; i++)
			cx.wby_id[cx.wdense ? (size_t)((uint64_t)cx.workers[i].id - (uint64_t)lo) : i] = &cx.workers[i];
		if (!cx.wdense)
			qsort(cx.wby_id, cx.nworkers, sizeof *cx.wby_id, wid_cmp);
	}
	if ((error = load_towns(&cx, db, cs, ncs, NULL, 0)) < 0)
		goto done;
	if (ncs && (!(rl = sb__calloc(ncs, sizeof *rl)) || !(keys = sb__malloc(ncs * sizeof *keys)))) {
		error = SB_ENOMEM;
		goto done;
	}

	/* This month's base and allowances. */
	for (i = 0; i < ncs; i++) {
		const sb_contract_info *c = &cs[i];
		const sb_worker *w = worker_by_id(&cx, c->worker_id);
		run_line *r = &rl[nrun];
		due d;
		int first, last, plast;

		if (!w) {
			error = sb_error_set(SB_ENOTFOUND, "payroll %s: contract %s: worker %lld is not in the registry",
					     mon, c->number, (long long)c->worker_id);
			goto done;
		}
		if (!month_days(&first, &last, &plast, c, w, day1, dayn, dim))
			continue;
		memset(r, 0, sizeof *r);
		r->w = w;
		r->tw = town_find(&cx, c->township_code);
		r->pos = sb__pay_history_rows(&cx.hist, w->id_number, &r->npos);
		r->start_ok = sb__pay_position_rows(&r->start_q, &r->start_step, NULL, NULL, 0, &cx.ps, w, "") == 0;
		if (!r->start_ok)
			sb_error_clear();
		r->ded = deductions_of(&cx, c->id_number, &r->nded);
		if ((error = month_due(&d, &cx, r, p, mon, dim, first, last, plast, c->monthly_fen,
				       c->probation_fen)) < 0) {
			sb_error_prefix("%s", c->id_number);
			goto done;
		}
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
		/* Contributions on B = the month's base due, not prorated, not reduced for
		 * probation, clamped to each item's floor and ceiling. */
		r->l.pension = contribution(p, SB__PENSION, d.monthly);
		r->l.medical = contribution(p, SB__MEDICAL, d.monthly);
		r->l.unemployment = contribution(p, SB__UNEMPLOYMENT, d.monthly);
		r->l.housing_fund = contribution(p, SB__HOUSING_FUND, d.monthly);
		memcpy(keys[nrun].id, r->l.id_number, sizeof keys[nrun].id);
		memcpy(keys[nrun].town, r->l.township_code, sizeof keys[nrun].town);
		keys[nrun].line = nrun;
		nrun++;
	}
	sb_contract_info_free(cs);
	cs = NULL;
	/* The lines' key order (township_code, id_number) is the order they are written in and
	 * the order each earlier month's lines are read in. */
	if (nrun)
		qsort(keys, nrun, sizeof *keys, line_key_sort);
	lines_in_key_order(rl, keys, nrun);

	/* Arrears and the year's sums: carried by the previous month's line where nothing the
	 * due pay depends on has changed, else from every earlier month. */
	if ((error = line_keys(&cx, rl, nrun)) < 0 || (error = carry_in(&cx, rl, keys, nrun, db, y, m)) < 0)
		goto done;
	for (i = 0; i < nrun && rl[i].carried; i++)
		;
	if (i < nrun) {
		if ((error = load_paid(&cx, db, mon)) < 0)
			goto done;
		for (i = 0; i < nrun; i++)
			if (!rl[i].carried)
				rl[i].paid = paid_of(&cx, rl[i].l.id_number, rl[i].l.township_code, &rl[i].npaid);
		if ((error = earlier_months(&arr, &narr, &cx, rl, keys, nrun, db, mon, y)) < 0 ||
		    (error = arrears_by_line(&arr, rl, nrun, narr)) < 0)
			goto done;
	}
	for (i = 0; i < nrun; i++) {
		run_line *r = &rl[i];
		int k2;
		char ms[8];
		if (!r->carried || !r->nded)
			continue;
		memcpy(ms, year_from, sizeof ms);
		for (k2 = 1; k2 <= 12; k2++)
			if (r->months & (1u << (k2 - 1))) {
				ms[5] = (char)('0' + k2 / 10);
				ms[6] = (char)('0' + k2 % 10);
				r->cum_special += declared(r, ms);
			}
	}

	for (i = 0; i < nrun; i++) {
		run_line *r = &rl[i];
		int n = 1 + r->n, sixty;
		int64_t cum_income, cum_contrib, cum_special, basic;

		r->l.gross = r->l.base + r->l.allowances + r->l.arrears;
		r->l.special_deductions = declared(r, mon);
		cum_special = r->cum_special + r->l.special_deductions;
		cum_income = r->cum_income + r->l.gross;
		cum_contrib = r->cum_contrib + r->l.pension + r->l.medical + r->l.unemployment + r->l.housing_fund;

		/* 2020 announcement No. 19: paid by this employer in every month of last year with
		 * wages not above 60,000 → 60,000 deducted from January instead of 5,000 × n. */
		{
			int months = r->prev_months;
			int64_t wages = r->prev_wages;
			const prior *pr = prior_find(&cx, r->l.id_number, r->l.township_code);
			if (pr) {
				months += pr->months;
				wages += pr->wages;
			}
			sixty = months >= 12 && wages <= 6000000;
		}
		basic = sixty ? 6000000 : (int64_t)500000 * n;
		r->l.tax = sb_pay_tax_month(cum_income, basic + cum_contrib + cum_special, r->withheld);
		/* carried to the next month: the sums up to and including this one */
		r->months |= 1u << (m - 1);
		r->cum_income = cum_income;
		r->cum_contrib = cum_contrib;
		r->withheld += r->l.tax;
		r->l.net = r->l.gross - r->l.pension - r->l.medical - r->l.unemployment - r->l.housing_fund - r->l.tax;
		stats.lines++;
		stats.arrears_lines += (int64_t)r->narrears;
		stats.gross += r->l.gross;
		stats.tax += r->l.tax;
		stats.net += r->l.net;
		if (progress && ((i + 1) % 4096) == 0)
			progress(i + 1, ncs, "payroll", ctx);
	}

	if ((error = cache_raise(&cache_was, db)) < 0 || (error = delete_month(db, mon, scope)) < 0)
		goto done;
	/* Written in the table's key order (month, township_code, id_number): B-tree appends
	 * instead of a million inserts at random places. The texts bound stay put until the
	 * statements are done, so they are not copied. */
	if ((error = sb__db_prepare(db, &st,
		"INSERT INTO payroll_line (month, id_number, township_code, worker_id, name, contract, bank_account,"
		" first_day, last_day, probation_last, contract_fen, contract_probation_fen, days, base, allowances,"
		" arrears, gross, pension, medical, unemployment, housing_fund, special, tax, net,"
		" due_key, ytd_months, ytd_gross, ytd_contrib, ytd_tax, prev_months, prev_wages)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
		" ?25, ?26, ?27, ?28, ?29, ?30, ?31)")) < 0 ||
	    (error = sb__db_prepare(db, &st_arr,
		"INSERT INTO payroll_arrears (month, id_number, township_code, for_month, amount) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
		goto done;
	for (i = 0; i < nrun; i++) {
		run_line *r = &rl[keys[i].line];
		sb__stmt_bind_text_static(st, 1, mon);
		sb__stmt_bind_text_static(st, 2, r->l.id_number);
		sb__stmt_bind_text_static(st, 3, r->l.township_code);
		sb__stmt_bind_int64(st, 4, r->worker_id);
		sb__stmt_bind_text_static(st, 5, r->l.name ? r->l.name : "");
		sb__stmt_bind_text_static(st, 6, r->l.contract);
		sb__stmt_bind_text_static(st, 7, r->l.bank_account ? r->l.bank_account : "");
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
		sb__stmt_bind_blob(st, 25, r->key, (int)sizeof r->key);
		sb__stmt_bind_int64(st, 26, r->months);
		sb__stmt_bind_int64(st, 27, r->cum_income);
		sb__stmt_bind_int64(st, 28, r->cum_contrib);
		sb__stmt_bind_int64(st, 29, r->withheld);
		sb__stmt_bind_int64(st, 30, r->prev_months);
		sb__stmt_bind_int64(st, 31, r->prev_wages);
		if ((error = sb__stmt_run(st)) < 0) {
			if (error == SB_EDB)
				sb_error_prefix("%s: %s appears twice in the month", mon, r->l.id_number);
			goto done;
		}
		for (k = r->arrears_at; k < r->arrears_at + r->narrears; k++) {
			sb__stmt_bind_text_static(st_arr, 1, mon);
			sb__stmt_bind_text_static(st_arr, 2, r->l.id_number);
			sb__stmt_bind_text_static(st_arr, 3, r->l.township_code);
			sb__stmt_bind_text_static(st_arr, 4, arr[k].for_month);
			sb__stmt_bind_int64(st_arr, 5, arr[k].amount);
			if ((error = sb__stmt_run(st_arr)) < 0)
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
	cache_restore(db, cache_was, error);
	if (out_stats && error == 0)
		*out_stats = stats;
	free(rl);
	free(keys);
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

int sb__payroll_each(int *out_closed, sb_db *db, const char *month, const char *scope,
		     int (*fn)(void *ctx, const sb_payroll_line *l), void *ctx)
{
	sb__stmt *st;
	int error = 0, rc, y, m, closed, exists;
	char mon[8], lo[13], hi[13];
	sb_payroll_line l;

	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	snprintf(mon, sizeof mon, "%04d-%02d", y, m);
	if ((error = month_state(&closed, &exists, db, mon)) < 0)
		return error;
	if (!exists)
		return sb_error_set(SB_ENOTFOUND, "payroll %s has not been run", mon);
	if ((error = sb_org_scope_range(lo, hi, db, scope)) < 0)
		return error;
	if (out_closed)
		*out_closed = closed;
	/* The scope as a range of township codes: one township's export reads its own lines,
	 * in the table's own order (month, township_code, id_number), not the province's. */
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, name, township_code, contract, bank_account, days, base, allowances, arrears, gross,"
		" pension, medical, unemployment, housing_fund, special, tax, net"
		" FROM payroll_line WHERE month = ?1 AND township_code >= ?2 AND township_code < ?3"
		" ORDER BY township_code, id_number")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, mon)) < 0 || (error = sb__stmt_bind_text(st, 2, lo)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, hi)) < 0)
		return error;
	memset(&l, 0, sizeof l);
	sb__copy(l.month, sizeof l.month, mon);
	while ((rc = sb__stmt_step(st)) == 1) {
		sb__copy(l.id_number, sizeof l.id_number, sb__stmt_text(st, 0));
		sb__copy(l.township_code, sizeof l.township_code, sb__stmt_text(st, 2));
		sb__copy(l.contract, sizeof l.contract, sb__stmt_text(st, 3));
		l.name = (char *)sb__stmt_text(st, 1);
		l.bank_account = (char *)sb__stmt_text(st, 4);
		l.days = (int)sb__stmt_int64(st, 5);
		l.base = sb__stmt_int64(st, 6);
		l.allowances = sb__stmt_int64(st, 7);
		l.arrears = sb__stmt_int64(st, 8);
		l.gross = sb__stmt_int64(st, 9);
		l.pension = sb__stmt_int64(st, 10);
		l.medical = sb__stmt_int64(st, 11);
		l.unemployment = sb__stmt_int64(st, 12);
		l.housing_fund = sb__stmt_int64(st, 13);
		l.special_deductions = sb__stmt_int64(st, 14);
		l.tax = sb__stmt_int64(st, 15);
		l.net = sb__stmt_int64(st, 16);
		if ((error = fn(ctx, &l)) < 0) {
			sb__stmt_reset(st);
			return error;
		}
	}
	return rc < 0 ? rc : 0;
}

typedef struct {
	sb_payroll *p;
	size_t cap;
} line_list;

static int line_add(void *ctx, const sb_payroll_line *from)
{
	line_list *ll = ctx;
	sb_payroll *p = ll->p;
	sb_payroll_line *l;
	void *grown;

	if (p->n == ll->cap) {
		size_t cap = ll->cap ? ll->cap * 2 : 256;
		if (!(grown = sb__realloc(p->lines, cap * sizeof *p->lines)))
			return SB_ENOMEM;
		p->lines = grown;
		ll->cap = cap;
	}
	l = &p->lines[p->n];
	*l = *from;
	l->name = sb__strdup(from->name ? from->name : "");
	l->bank_account = sb__strdup(from->bank_account ? from->bank_account : "");
	p->n++;
	return l->name && l->bank_account ? 0 : SB_ENOMEM;
}

int sb_payroll_get(sb_payroll **out, sb_db *db, const char *month, const char *scope)
{
	line_list ll;
	int error, y, m;

	*out = NULL;
	if (!month || sb__month_parse(month, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "'%s' is not a month YYYY-MM", month ? month : "");
	if (!(ll.p = sb__calloc(1, sizeof *ll.p)))
		return SB_ENOMEM;
	ll.cap = 0;
	snprintf(ll.p->month, sizeof ll.p->month, "%04d-%02d", y, m);
	if ((error = sb__payroll_each(&ll.p->closed, db, month, scope, line_add, &ll)) < 0) {
		sb_payroll_free(ll.p);
		return error;
	}
	*out = ll.p;
	return 0;
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
