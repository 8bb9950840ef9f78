/*
 * What the pay area shares with payroll: the pay policies loaded into memory once per run,
 * a township's place (ancestors and inherited flags) for region and allowance lookup, and the
 * workers' level and step history. Payroll computes a whole province from these without a
 * query per worker. Not public; not for the tax calculator (pay.h) nor for payroll's tables.
 */
#ifndef SB_PAY_INTERNAL_H
#define SB_PAY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "shuangbai/pay.h"
#include "shuangbai/staff.h"

enum { SB__QUALS = 4 };                /* none, assistant, intermediate, senior */
enum { SB__PENSION, SB__MEDICAL, SB__UNEMPLOYMENT, SB__HOUSING_FUND, SB__ITEMS };
enum { SB__EXCELLENT, SB__COMPETENT, SB__BASIC, SB__INCOMPETENT, SB__GRADES };

typedef struct {
	char id[32];
	int64_t *base[SB__QUALS]; /* base[q][step - 1] */
	int nsteps[SB__QUALS];    /* 0: the scale has no level for q */
} sb__pay_scale;

typedef struct {
	char id[32];
	int scale;                /* index into scales */
	int64_t minimum;
} sb__pay_region;

typedef struct {
	char code[13];
	int region;
} sb__pay_rdiv;

typedef struct {
	unsigned flag;            /* SB_FLAG_... */
	int64_t amount;
} sb__pay_allowance;

typedef struct {
	int present;
	int64_t employee, employer; /* hundredths of a percent */
	int64_t floor, ceiling;
	sb_pay_rounding rounding;
} sb__pay_item;

typedef struct {
	int64_t id;
	char effective[8];          /* YYYY-MM */
	int probation_percent, years_per_step;
	int grade_steps[SB__GRADES];
	sb__pay_scale *scales;
	size_t nscales;
	sb__pay_region *regions;
	size_t nregions;
	sb__pay_rdiv *rdivs;        /* sorted by code */
	size_t nrdivs;
	sb__pay_allowance *allowances;
	size_t nallowances;
	sb__pay_item items[SB__ITEMS];
} sb__pay_policy;

typedef struct {
	sb__pay_policy *p;          /* ascending by effective */
	size_t n;
} sb__pay_policies;

int sb__pay_policies_load(sb__pay_policies *out, sb_db *db);
void sb__pay_policies_clear(sb__pay_policies *ps);
/* The policy in force in month YYYY-MM (given as "YYYY-MM..." text), NULL when none. */
const sb__pay_policy *sb__pay_policy_at(const sb__pay_policies *ps, const char *month);

/* A township as pay sees it: its ancestors by level (anc[level - 1], "" when none) and the
 * division flags holding for it. */
typedef struct {
	char code[13];
	char anc[5][13];
	unsigned flags;
} sb__pay_place;

int sb__pay_place_load(sb__pay_place *out, sb_db *db, const char *township);
/* The region holding the place under the policy (most specific division wins), NULL if none. */
const sb__pay_region *sb__pay_region_of(const sb__pay_policy *p, const sb__pay_place *place);
/* Monthly scale base of (q, step) in the region's scale; the step is capped at the top.
 * -1 when the scale has no level for q. */
int64_t sb__pay_scale_base(const sb__pay_policy *p, const sb__pay_region *r, int q, int step);
/* Allowances due in full for a month at the place. */
int64_t sb__pay_allowances(const sb__pay_policy *p, const sb__pay_place *place);

int sb__pay_qual_index(const char *qualification); /* -1 when unknown */
extern const char *const sb__pay_quals[SB__QUALS];

/* Level and step history rows of every worker. */
typedef struct {
	char id_number[19];
	char effective[11];
	int q, step;
} sb__pay_pos;

typedef struct {
	sb__pay_pos *rows;          /* by id_number, then effective */
	size_t n;
} sb__pay_history;

int sb__pay_history_load(sb__pay_history *out, sb_db *db, const char *id_number);
void sb__pay_history_clear(sb__pay_history *h);

/*
 * The level (q) and step of worker `w` on `date` (YYYY-MM-DD): the latest recorded change on
 * or before it, else the start position of SPEC §7 (a recruit at step 1 of the level of their
 * qualification; a taken-over worker at 1 + floor(seniority / years-per-step) counted on the
 * start date at the station, under the policy in force then or the earliest one).
 */
int sb__pay_position(int *out_q, int *out_step, char out_since[11], const sb__pay_history *h,
		     const sb__pay_policies *ps, const sb_worker *w, const char *date);

/* One worker's rows of h (ordered by effective), *out_n of them; NULL when none. */
const sb__pay_pos *sb__pay_history_rows(const sb__pay_history *h, const char *id_number, size_t *out_n);
/* sb__pay_position over one worker's rows from sb__pay_history_rows: payroll looks the rows up
 * once per worker, not once per month it pays or recomputes. */
int sb__pay_position_rows(int *out_q, int *out_step, char out_since[11], const sb__pay_pos *rows,
			  size_t n, const sb__pay_policies *ps, const sb_worker *w, const char *date);

#endif
