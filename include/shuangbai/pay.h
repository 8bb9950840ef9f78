/*
 * Pay: dated pay policies (salary scales by qualification level and step, regions with
 * their minimum wage, allowances by division flag, social insurance and housing fund items,
 * probation percentage, take-over steps, raise rules), each worker's level and step history,
 * annual assessments, qualification upgrades, raises, declared special additional deductions
 * and prior-year wages for the 60,000 rule. It also exports the pure calculator that payroll
 * uses (proration, contributions, cumulative withholding of income tax), so that anyone can
 * check a figure by hand. Not for monthly payroll itself: that is payroll.h.
 */
#ifndef SHUANGBAI_PAY_H
#define SHUANGBAI_PAY_H

#include "common.h"
#include "db.h"

/* ---- the pure calculator (no database) ------------------------------------------------ */

/** How a contribution item is rounded (SPEC §7). */
typedef enum {
	SB_PAY_ROUND_FEN = 0,     /* half-up to the fen */
	SB_PAY_ROUND_JIAO_UP = 1, /* 见分进角: half-up to the fen, then any fen up to the next jiao */
	SB_PAY_ROUND_YUAN = 2     /* half-up to the yuan */
} sb_pay_rounding;

/**
 * A component paid for part of a month: round(amount × days / days_in_month), half-up to
 * the fen, exactly.
 * @param amount_fen     the monthly amount
 * @param days           calendar days paid (0..days_in_month)
 * @param days_in_month  28..31
 * @return the prorated amount in fen
 */
SB_EXTERN(int64_t) sb_pay_prorate(int64_t amount_fen, int days, int days_in_month);

/**
 * An employee (or employer) contribution: round(clamp(base, floor, ceiling) × rate) with the
 * item's rounding. A ceiling of 0 means none.
 * @param base_fen    the contribution base B (the month's scale base, not prorated)
 * @param floor_fen   the lowest base
 * @param ceiling_fen the highest base (0: no ceiling)
 * @param rate        the rate in hundredths of a percent (8.00% = 800)
 * @param rounding    the item's rounding
 * @return the contribution in fen
 */
SB_EXTERN(int64_t) sb_pay_contribution(int64_t base_fen, int64_t floor_fen, int64_t ceiling_fen,
				       int64_t rate, sb_pay_rounding rounding);

/**
 * Cumulative tax on cumulative taxable income by the annual table of 2018 announcement
 * No. 61 (预扣率表一), exact, in hundredths of a fen: taxable × rate − quick deduction.
 * @param taxable_fen cumulative taxable income (≤ 0: no tax)
 * @return the cumulative tax in 1/100 fen
 */
SB_EXTERN(int64_t) sb_pay_tax_cumulative_centifen(int64_t taxable_fen);

/**
 * A month's income tax by the cumulative withholding method (累计预扣法):
 * round(tax(cum_income − cum_deductions) − withheld), half-up to the fen, never below zero.
 * @param cum_income_fen     income this year with this employer, this month included
 * @param cum_deductions_fen basic deduction (5,000 × n or 60,000) + employee social insurance
 *                           and housing fund + special additional deductions, cumulated
 * @param withheld_fen       tax already withheld this year by this employer
 * @return the month's tax in fen
 */
SB_EXTERN(int64_t) sb_pay_tax_month(int64_t cum_income_fen, int64_t cum_deductions_fen,
				    int64_t withheld_fen);

/* ---- policies and workers' pay history ------------------------------------------------ */

/** What loading a policy did. */
typedef struct {
	char effective[8]; /* YYYY-MM */
	int scales, levels, steps, regions, allowances, items;
	int replaced;      /* a policy of the same month was replaced */
	int unchanged;     /* the same file was loaded before: nothing changed */
} sb_pay_policy_info;

/**
 * Load a pay policy (xsd/pay.xsd) dated by its `effective` month. Parsed without network
 * or entity expansion, DOCTYPE refused, validated against the schema; an error names the
 * element and line. Loading the same file again changes nothing; another policy for the
 * same month replaces it unless a closed payroll month falls under it (SB_ESTATE).
 * A policy reaching back into paid months (a general adjustment, 普调) produces arrears in
 * the next payroll. Audited.
 * @param out  what was loaded (may be NULL)
 * @param path the XML file
 * @return 0, SB_EXML, SB_EINVALID, SB_ESTATE or another SB_E... code
 */
SB_EXTERN(int) sb_pay_policy_load(sb_pay_policy_info *out, sb_db *db, const char *path);

/**
 * Record the annual assessment (年度考核) of YEAR from CSV `id_number,grade` with grades
 * excellent|competent|basic|incompetent. A person must be a worker of the registry. Loading
 * again replaces a person's grade for that year. All or nothing; audited.
 * @param out_rows rows read (may be NULL)
 */
SB_EXTERN(int) sb_pay_evaluate(int64_t *out_rows, sb_db *db, int year, const char *path);

/**
 * Record qualification upgrades from CSV `id_number,qualification,effective` (effective
 * YYYY-MM-01: pay changes by whole months). The worker moves to the new level at the lowest
 * step whose base is not below the current base (the top step when none is). Loading the
 * same file again changes nothing. All or nothing; audited.
 */
SB_EXTERN(int) sb_pay_qualify(int64_t *out_rows, sb_db *db, const char *path);

/**
 * Apply the grades of YEAR from `effective` (YYYY-MM-01): the steps of each grade in the
 * policy in force then (competent 1, excellent 2, ...), capped at the top step. Applying the
 * same year again changes nothing. Audited.
 * @param out_raised workers whose step went up (may be NULL)
 */
SB_EXTERN(int) sb_pay_raise(int64_t *out_raised, sb_db *db, int year, const char *effective);

/**
 * Record declared special additional deductions (专项附加扣除) from CSV
 * `id_number,from,to,amount` (months YYYY-MM, amount the monthly total in yuan). A person's
 * declarations add up; a row already recorded is not recorded twice. All or nothing; audited.
 * @param out_added new rows (may be NULL)
 */
SB_EXTERN(int) sb_pay_deductions(int64_t *out_added, sb_db *db, const char *path);

/**
 * Record the wages of YEAR paid outside the registry's own payrolls (before it was used),
 * for the 60,000 rule (announcement 2020 No. 19): CSV `id_number,township_code,months,wages`;
 * they add to the registry's months of that year. Refused (SB_ESTATE) for a year whose
 * January the registry paid itself. Loading again replaces the same rows.
 */
SB_EXTERN(int) sb_pay_prior_year(int64_t *out_rows, sb_db *db, int year, const char *path);

/** A worker's level and step on a date. */
typedef struct {
	char qualification[14]; /* none|assistant|intermediate|senior */
	int step;               /* 1-based */
	char since[11];         /* YYYY-MM-DD the position took effect */
	int64_t base_fen;       /* the scale base under the policy in force on the date */
	int64_t minimum_fen;    /* the region's minimum wage */
	char region[32];        /* the region id */
} sb_pay_position;

/**
 * The level and step of the worker with `id_number` on `date` (YYYY-MM-DD) and what it pays
 * under the policy in force then. A worker with no recorded history starts as SPEC §7 says.
 * @return 0, SB_ENOTFOUND (no such worker, or no policy/region covers the date)
 */
SB_EXTERN(int) sb_pay_position_on(sb_pay_position *out, sb_db *db, const char *id_number,
				  const char *date);

/**
 * What a contract starting on `date` for this worker pays under the pay policy in force then:
 * the scale base of the worker's level and step, the region's minimum wage, the probation
 * wage percent. SB_ENOTFOUND (message says so) when no pay policy covers the date or region.
 */
SB_EXTERN(int) sb_pay_contract_terms(int64_t *out_monthly_fen, int64_t *out_minimum_fen,
				     int *out_probation_percent, sb_db *db,
				     const char *id_number, const char *date);

#endif
