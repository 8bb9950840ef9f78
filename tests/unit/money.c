/* Unit tests of exact decimals: money in fen, scores in hundredths, half-up rounding. */
#include "config.h"
#include "shuangbai.h"
#include "tap.h"

int main(void)
{
	int64_t v;
	char buf[32];

	ok(sb_money_parse(&v, "5000.00") == 0 && v == 500000, "5000.00 yuan is 500000 fen");
	ok(sb_money_parse(&v, "0.5") == 0 && v == 50, "0.5 yuan is 50 fen");
	ok(sb_money_parse(&v, "12") == 0 && v == 1200, "12 yuan is 1200 fen");
	ok(sb_money_parse(&v, "-3.07") == 0 && v == -307, "negative amounts");
	ok(sb_money_parse(&v, "1.234") == SB_EINVALID, "three decimals refused");
	has_msg("more than 2 decimals", "message says why");
	ok(sb_money_parse(&v, "1e3") == SB_EINVALID, "exponent refused");
	ok(sb_money_parse(&v, "") == SB_EINVALID, "empty refused");
	ok(sb_money_parse(&v, "1.") == SB_EINVALID, "a bare point refused");
	ok(sb_money_parse(&v, "1,000.00") == SB_EINVALID, "thousands separator refused");
	ok(sb_money_parse(&v, " 1") == SB_EINVALID, "space refused");
	ok(sb_money_parse(&v, "99999999999999999999") == SB_EINVALID, "overflow refused");
	ok(sb_decimal_parse(&v, "8.00", 2) == 0 && v == 800, "rate 8.00% in hundredths of a percent");
	ok(sb_decimal_parse(&v, "0.3333", 4) == 0 && v == 3333, "four places");
	is_str(sb_money_format(buf, sizeof(buf), 500000), "5000.00", "format 5000.00");
	is_str(sb_money_format(buf, sizeof(buf), -5), "-0.05", "format -0.05");
	is_str(sb_money_format(buf, sizeof(buf), 0), "0.00", "format 0.00");
	is_str(sb_decimal_format(buf, sizeof(buf), 7948, 2), "79.48", "score 79.48");
	is_str(sb_decimal_format(buf, sizeof(buf), 12, 0), "12", "no places");
	is_int(sb_money_div_round(15, 10), 2, "1.5 rounds half-up to 2");
	is_int(sb_money_div_round(14, 10), 1, "1.4 rounds to 1");
	is_int(sb_money_div_round(-15, 10), -2, "-1.5 rounds to -2");
	return tap_done();
}
