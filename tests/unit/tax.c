/* Unit tests of the pure pay calculator: proration, contribution rounding and clamps, and
 * income tax by cumulative withholding, including the worked example of 2018 No. 61. */
#include "config.h"
#include "common_internal.h"
#include "shuangbai.h"
#include "tap.h"

#define Y(x) ((int64_t)(x) * 100) /* whole yuan in fen */

int main(void)
{
	int64_t withheld = 0, cum_income = 0, cum_ded = 0, t;
	int m;
	static const int64_t official[3] = { 55500, 62500, 185000 };

	/* The official example of announcement 2018 No. 61 (解读): monthly wage 30,000, social
	 * insurance and housing fund 4,500, special additional deductions 2,000. */
	for (m = 1; m <= 3; m++) {
		char name[64];
		cum_income += Y(30000);
		cum_ded += Y(5000) + Y(4500) + Y(2000);
		t = sb_pay_tax_month(cum_income, cum_ded, withheld);
		snprintf(name, sizeof(name), "2018 No. 61 example, month %d", m);
		is_int(t, official[m - 1], name);
		withheld += t;
	}
	/* the rest of that year: 1,850 a month while the 10% bracket lasts */
	t = sb_pay_tax_month(Y(120000), Y(46000), Y(555 + 625 + 1850));
	is_int(t, Y(1850), "April 1,850.00");

	/* bracket edges, exactly */
	is_int(sb_pay_tax_cumulative_centifen(Y(36000)), Y(1080) * 100, "36,000 at 3%");
	is_int(sb_pay_tax_cumulative_centifen(Y(36000) + 1), (Y(36000) + 1) * 10 - 2520 * 10000,
	       "36,000.01 at 10% less 2,520");
	is_int(sb_pay_tax_cumulative_centifen(Y(144000)), Y(11880) * 100, "144,000 → 11,880");
	is_int(sb_pay_tax_cumulative_centifen(Y(300000)), Y(43080) * 100, "300,000 → 43,080");
	is_int(sb_pay_tax_cumulative_centifen(Y(420000)), Y(73080) * 100, "420,000 → 73,080");
	is_int(sb_pay_tax_cumulative_centifen(Y(660000)), Y(145080) * 100, "660,000 → 145,080");
	is_int(sb_pay_tax_cumulative_centifen(Y(960000)), Y(250080) * 100, "960,000 → 250,080");
	is_int(sb_pay_tax_cumulative_centifen(Y(1000000)), Y(268080) * 100, "1,000,000 at 45%");
	is_int(sb_pay_tax_cumulative_centifen(-5), 0, "nothing taxable");
	/* a month crossing 36,000: cumulative 35,000 then 37,000 */
	t = sb_pay_tax_month(Y(37000), 0, Y(1050));
	is_int(t, Y(3700 - 2520 - 1050), "crossing into 10%: 130.00");
	/* rounding of the month's tax, half-up at the fen: 3% of 0.50 yuan is 1.5 fen */
	is_int(sb_pay_tax_month(50, 0, 0), 2, "1.5 fen → 2");
	is_int(sb_pay_tax_month(49, 0, 0), 1, "1.47 fen → 1");
	/* never below zero: more was withheld than is due */
	is_int(sb_pay_tax_month(Y(10000), Y(5000), Y(500)), 0, "no negative tax");

	/* proration: join on the 17th of a 30-day month = 14 days */
	is_int(sb_pay_prorate(Y(5000), 14, 30), 233333, "5,000 × 14/30 = 2,333.33");
	is_int(sb_pay_prorate(Y(300), 15, 31), 14516, "300 × 15/31 = 145.16 (145.161)");
	is_int(sb_pay_prorate(Y(4000), 16, 31), 206452, "4,000 × 16/31 = 2,064.52 (2,064.516)");
	is_int(sb_pay_prorate(1, 1, 2), 1, "half a fen rounds up");
	is_int(sb_pay_prorate(Y(5000), 31, 31), Y(5000), "whole month");
	is_int(sb_pay_prorate(Y(5000), 0, 31), 0, "no day");

	/* contributions */
	is_int(sb_pay_contribution(Y(5000), Y(4492), Y(27501), 800, SB_PAY_ROUND_FEN), Y(400),
	       "pension 8% of 5,000");
	is_int(sb_pay_contribution(Y(3000), Y(4492), Y(27501), 800, SB_PAY_ROUND_FEN), 35936,
	       "floor clamp: 8% of 4,492 = 359.36");
	is_int(sb_pay_contribution(Y(30000), Y(4492), Y(27501), 800, SB_PAY_ROUND_FEN), 220008,
	       "ceiling clamp: 8% of 27,501 = 2,200.08");
	is_int(sb_pay_contribution(Y(4492), Y(2500), 0, 20, SB_PAY_ROUND_FEN), 898,
	       "0.20% of 4,492 = 8.984 → 8.98");
	is_int(sb_pay_contribution(Y(4492), Y(2500), 0, 20, SB_PAY_ROUND_JIAO_UP), 900,
	       "见分进角: 8.98 → 9.00");
	is_int(sb_pay_contribution(Y(4450), Y(2500), 0, 20, SB_PAY_ROUND_JIAO_UP), 890,
	       "见分进角: 8.90 stays");
	is_int(sb_pay_contribution(Y(5150), Y(2500), Y(39828), 500, SB_PAY_ROUND_YUAN), Y(258),
	       "yuan: 257.50 → 258");
	is_int(sb_pay_contribution(Y(5130), Y(2500), Y(39828), 500, SB_PAY_ROUND_YUAN), Y(257),
	       "yuan: 256.50 → 257");
	is_int(sb_pay_contribution(Y(5120), Y(2500), Y(39828), 500, SB_PAY_ROUND_YUAN), Y(256),
	       "yuan: 256.00");
	is_int(sb_pay_contribution(Y(5129), Y(2500), Y(39828), 500, SB_PAY_ROUND_YUAN), Y(256),
	       "yuan: 256.45 → 256");
	return tap_done();
}
