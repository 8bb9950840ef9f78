/*
 * The pure pay calculator: calendar-day proration, social insurance and housing fund
 * contributions with their clamp and rounding, and income tax by the cumulative withholding
 * method with the national annual table. No database, no policy lookup, no state: every
 * figure payroll computes passes through these few functions, so each can be checked by hand
 * (doc/pay.md gives the formulas). Integer fen and exact rationals only.
 */
#include "common_internal.h"

#include "shuangbai/pay.h"

int64_t sb_pay_prorate(int64_t amount_fen, int days, int days_in_month)
{
	if (days_in_month <= 0 || days >= days_in_month)
		return amount_fen;
	if (days <= 0)
		return 0;
	/* SPEC §7: round(amount × days / days in month), half-up to the fen. */
	return sb__div_half_up((__int128)amount_fen * days, days_in_month);
}

int64_t sb_pay_contribution(int64_t base_fen, int64_t floor_fen, int64_t ceiling_fen,
			    int64_t rate, sb_pay_rounding rounding)
{
	int64_t b = base_fen, fen;
	__int128 exact; /* in 1/10000 fen: rate is in hundredths of a percent */

	if (b < floor_fen)
		b = floor_fen;
	if (ceiling_fen > 0 && b > ceiling_fen)
		b = ceiling_fen;
	exact = (__int128)b * rate;
	switch (rounding) {
	case SB_PAY_ROUND_YUAN:
		return sb__div_half_up(exact, 10000 * 100) * 100;
	case SB_PAY_ROUND_JIAO_UP:
		/* 见分进角: the amount is first taken to the fen; any fen then carries to the
		 * next jiao (8.984 → 8.98 → 9.00; 8.90 stays). */
		fen = sb__div_half_up(exact, 10000);
		return (fen + 9) / 10 * 10;
	case SB_PAY_ROUND_FEN:
	default:
		return sb__div_half_up(exact, 10000);
	}
}

/* 2018 announcement No. 61, 预扣率表一 (居民个人工资、薪金所得预扣预缴适用): upper bound of
 * cumulative taxable income, rate in percent, quick deduction; amounts in yuan. */
static const struct {
	int64_t upto_yuan; /* 0: no upper bound */
	int rate;
	int64_t quick_yuan;
} brackets[] = {
	{ 36000, 3, 0 },
	{ 144000, 10, 2520 },
	{ 300000, 20, 16920 },
	{ 420000, 25, 31920 },
	{ 660000, 30, 52920 },
	{ 960000, 35, 85920 },
	{ 0, 45, 181920 },
};

int64_t sb_pay_tax_cumulative_centifen(int64_t taxable_fen)
{
	size_t i;

	if (taxable_fen <= 0)
		return 0;
	for (i = 0; i + 1 < sizeof(brackets) / sizeof(brackets[0]); i++)
		if (taxable_fen <= brackets[i].upto_yuan * 100)
			break;
	/* taxable (fen) × rate (percent) is exact in 1/100 fen; the quick deduction is
	 * whole yuan = 10,000 × 1/100 fen. */
	return taxable_fen * brackets[i].rate - brackets[i].quick_yuan * 10000;
}

int64_t sb_pay_tax_month(int64_t cum_income_fen, int64_t cum_deductions_fen, int64_t withheld_fen)
{
	int64_t cum = sb_pay_tax_cumulative_centifen(cum_income_fen - cum_deductions_fen);
	int64_t due = sb__div_half_up((__int128)cum - (__int128)withheld_fen * 100, 100);

	/* A month's tax is never negative: an over-withholding waits for the annual
	 * settlement (汇算清缴), it is not refunded by the employer. */
	return due < 0 ? 0 : due;
}
