/*
 * The exact arithmetic of a recruitment round (SPEC §3 rules 3, 5 and 6): written score
 * scaled to 100, interview mean (plain or trimmed), panel correction by the pooled mean or by
 * the mean of panel means, and the weighted combined score. Every score is an int64 count of
 * hundredths; means and factors are exact rationals over __int128, rounded half-up (round2)
 * only where SPEC writes round2, and the factor only when the policy names factor-decimals.
 * Not for storage or ordering: round.c reads and writes the round's tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common_internal.h"
#include "round_internal.h"

int64_t sb__round_written(const int64_t *scores, const int64_t *maxima, size_t n)
{
	__int128 s = 0, m = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		s += scores[i];
		m += maxima[i];
	}
	/* written = Σs × 100 / Σmax points; in hundredths both sums carry a factor 100. */
	return sb__div_half_up(s * 10000, m);
}

int64_t sb__round_interview_raw(const int64_t *marks, size_t n, int trimmed)
{
	__int128 sum = 0;
	int64_t lo = marks[0], hi = marks[0];
	size_t i, count = n;
	for (i = 0; i < n; i++) {
		sum += marks[i];
		if (marks[i] < lo)
			lo = marks[i];
		if (marks[i] > hi)
			hi = marks[i];
	}
	/* 去掉一个最高分和一个最低分: only with five or more examiners (SPEC §3 rule 5). */
	if (trimmed && n >= 5) {
		sum -= lo + hi;
		count -= 2;
	}
	return sb__div_half_up(sum, (__int128)count);
}

int64_t sb__round_combined(int64_t written_total, int64_t interview, int w_written, int w_interview)
{
	return sb__div_half_up((__int128)written_total * w_written + (__int128)interview * w_interview, 100);
}

static __int128 gcd128(__int128 a, __int128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		__int128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* An exact non-negative rational, kept reduced. */
typedef struct {
	__int128 num, den;
} rat;

static int rat_make(rat *out, __int128 num, __int128 den)
{
	__int128 g = gcd128(num, den);
	if (den == 0)
		return -1;
	if (g > 1) {
		num /= g;
		den /= g;
	}
	out->num = num;
	out->den = den;
	return 0;
}

static int rat_add(rat *a, rat b)
{
	__int128 g = gcd128(a->den, b.den), x, y, d;
	if (__builtin_mul_overflow(a->num, b.den / g, &x) || __builtin_mul_overflow(b.num, a->den / g, &y) ||
	    __builtin_add_overflow(x, y, &x) || __builtin_mul_overflow(a->den / g, b.den, &d))
		return -1;
	return rat_make(a, x, d);
}

static int rat_mul(rat *a, rat b)
{
	__int128 g1 = gcd128(a->num, b.den), g2 = gcd128(b.num, a->den), n, d;
	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	if (__builtin_mul_overflow(a->num / g1, b.num / g2, &n) ||
	    __builtin_mul_overflow(a->den / g2, b.den / g1, &d))
		return -1;
	return rat_make(a, n, d);
}

static int64_t pow10_64(int k)
{
	int64_t p = 1;
	while (k-- > 0)
		p *= 10;
	return p;
}

int sb__round_correct(sb__round_iv *iv, size_t n, size_t npanels, int method, int factor_decimals)
{
	__int128 *psum = NULL;
	int64_t *pcount = NULL;
	size_t i, used = 0;
	rat M, f;
	int error = 0;

	for (i = 0; i < n; i++)
		iv[i].out = iv[i].raw;
	if (method == SB_ROUND_CORR_NONE || n == 0)
		return 0;
	if (!(psum = sb__calloc(npanels ? npanels : 1, sizeof(*psum))) ||
	    !(pcount = sb__calloc(npanels ? npanels : 1, sizeof(*pcount)))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		psum[iv[i].panel] += iv[i].raw;
		pcount[iv[i].panel]++;
	}
	for (i = 0; i < npanels; i++)
		used += pcount[i] > 0;
	/* One panel of present interviewees: nothing to correct against (rule 5). */
	if (used < 2)
		goto done;

	if (method == SB_ROUND_CORR_POOLED) {
		__int128 s = 0;
		for (i = 0; i < n; i++)
			s += iv[i].raw;
		rat_make(&M, s, (__int128)n);
	} else {
		/* 二次平均法: M = (Σ over panels of the panel mean) / number of panels. */
		rat_make(&M, 0, 1);
		for (i = 0; i < npanels; i++) {
			rat m;
			if (!pcount[i])
				continue;
			rat_make(&m, psum[i], pcount[i]);
			if (rat_add(&M, m) < 0)
				goto overflow;
		}
		if (rat_mul(&M, (rat){ 1, (__int128)used }) < 0)
			goto overflow;
	}
	for (i = 0; i < n; i++) {
		size_t p = iv[i].panel;
		rat v;
		if (psum[p] == 0) {
			/* a panel whose every mark is 0: no factor exists; leave the raw score */
			continue;
		}
		/* factor = M / m, m = psum/pcount */
		f = M;
		if (rat_mul(&f, (rat){ pcount[p], psum[p] }) < 0)
			goto overflow;
		if (factor_decimals >= 0) {
			int64_t scale = pow10_64(factor_decimals);
			__int128 num;
			if (__builtin_mul_overflow(f.num, (__int128)scale, &num))
				goto overflow;
			rat_make(&f, sb__div_half_up(num, f.den), scale);
		}
		v = f;
		if (rat_mul(&v, (rat){ iv[i].raw, 1 }) < 0)
			goto overflow;
		iv[i].out = sb__div_half_up(v.num, v.den);
	}
	goto done;
overflow:
	error = sb_error_set(SB_EINVALID, "panel correction: the exact means do not fit in 128 bits");
done:
	free(psum);
	free(pcount);
	return error;
}

int sb__round_post_cmp(const char *a, const char *b)
{
	const char *p;
	size_t la, lb;
	int digits = *a && *b;
	for (p = a; digits && *p; p++)
		digits = *p >= '0' && *p <= '9';
	for (p = b; digits && *p; p++)
		digits = *p >= '0' && *p <= '9';
	if (!digits)
		return strcmp(a, b);
	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static const char *const edu_names[] = { "", "大专", "本科", "硕士", "博士" };

int sb__round_education(const char *name)
{
	int i;
	for (i = 1; i <= SB_ROUND_EDU_BOSHI; i++)
		if (strcmp(name, edu_names[i]) == 0)
			return i;
	return -1;
}

const char *sb__round_education_name(int level)
{
	return level >= 0 && level <= SB_ROUND_EDU_BOSHI ? edu_names[level] : "";
}
