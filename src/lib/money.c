/*
 * Exact decimal text <-> scaled integers, and half-up rounding of exact quotients.
 * Every amount of money and every score passes through here; nothing here knows what
 * the amount means.
 */
#include "config.h"
#include "common_internal.h"
#include "shuangbai/money.h"

#include <stdio.h>
#include <string.h>

int sb_decimal_parse(int64_t *out, const char *text, int places)
{
	const char *p = text;
	int neg = 0, frac = 0, seen_digit = 0, seen_point = 0;
	int64_t v = 0; /* never above INT64_MAX: each step is checked before it is taken */

	*out = 0;
	if (places < 0 || places > 6)
		return sb_error_set(SB_EUSAGE, "decimal places out of range");
	if (*p == '-') {
		neg = 1;
		p++;
	} else if (*p == '+') {
		p++;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (seen_point) {
				if (++frac > places)
					return sb_error_set(SB_EINVALID, "'%s': more than %d decimal%s", text,
							    places, places == 1 ? "" : "s");
			}
			if (v > (INT64_MAX - (*p - '0')) / 10)
				return sb_error_set(SB_EINVALID, "'%s': number too large", text);
			v = v * 10 + (*p - '0');
			seen_digit = 1;
		} else if (*p == '.' && !seen_point) {
			seen_point = 1;
		} else {
			return sb_error_set(SB_EINVALID, "'%s': not a decimal number", text);
		}
	}
	if (!seen_digit)
		return sb_error_set(SB_EINVALID, "'%s': not a decimal number", text);
	if (seen_point && frac == 0)
		return sb_error_set(SB_EINVALID, "'%s': no digit after the decimal point", text);
	for (; frac < places; frac++) {
		if (v > INT64_MAX / 10)
			return sb_error_set(SB_EINVALID, "'%s': number too large", text);
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
}

int sb_money_parse(int64_t *out_fen, const char *text)
{
	return sb_decimal_parse(out_fen, text, 2);
}

char *sb_decimal_format(char *buf, size_t size, int64_t value, int places)
{
	/* Digits from the right, by hand: exports format millions of amounts, and snprintf was
	 * the largest part of their time. Same text as "%s%llu.%0*llu". */
	uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	char tmp[48];
	size_t n = 0, i;
	int d = 0;

	if (places < 0)
		places = 0;
	if (places > 18)
		places = 18;
	do {
		if (d == places && places > 0)
			tmp[n++] = '.';
		tmp[n++] = (char)('0' + mag % 10);
		mag /= 10;
		d++;
	} while (mag > 0 || d <= places);
	if (value < 0)
		tmp[n++] = '-';
	if (size == 0)
		return buf;
	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i] = '\0';
	return buf;
}

char *sb_money_format(char *buf, size_t size, int64_t fen)
{
	return sb_decimal_format(buf, size, fen, 2);
}

int64_t sb_money_div_round(int64_t num, int64_t den)
{
	return sb__div_half_up(num, den);
}
