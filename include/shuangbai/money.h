/*
 * Exact decimal amounts: money in integer fen, scores in integer hundredths of a point,
 * rates in hundredths of a percent. This area owns parsing, formatting and half-up rounding
 * of such numbers; no other code converts them from or to text, and no float touches them.
 */
#ifndef SHUANGBAI_MONEY_H
#define SHUANGBAI_MONEY_H

#include "common.h"

/**
 * Parse a decimal with at most `places` digits after the point ("5000", "5000.5",
 * "-12.30") into an integer scaled by 10^places. No exponent, no thousands separators,
 * no spaces.
 * @param out   the scaled value
 * @param text  the decimal text
 * @param places 0 to 6
 * @return 0, or SB_EINVALID (message says what is wrong, without file context)
 */
SB_EXTERN(int) sb_decimal_parse(int64_t *out, const char *text, int places);

/** Money "123.45" yuan into fen (at most two decimals). */
SB_EXTERN(int) sb_money_parse(int64_t *out_fen, const char *text);

/**
 * Format a scaled integer with exactly `places` decimals ("-0.05", "1234.00") into buf.
 * @return buf
 */
SB_EXTERN(char *) sb_decimal_format(char *buf, size_t size, int64_t value, int places);

/** Fen as yuan with two decimals, into buf of at least 32 bytes. */
SB_EXTERN(char *) sb_money_format(char *buf, size_t size, int64_t fen);

/**
 * num/den rounded half-up (ties away from zero), den > 0, exactly.
 */
SB_EXTERN(int64_t) sb_money_div_round(int64_t num, int64_t den);

#endif
