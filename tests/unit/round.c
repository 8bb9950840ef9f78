/*
 * Unit tests of the round area: the published arithmetic cases, panel correction by the pooled
 * mean and by the mean of panel means with hand-computed values, factor-decimals, policy
 * parsing and its refusals, and what placement reads (units, seats, proposed applicants,
 * whether a post is open to an applicant).
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "round_internal.h"
#include "shuangbai.h"
#include "tap.h"

#include <stdlib.h>

static sb__round_policy *parse(const char *xml, int check)
{
	sb__round_policy *p = NULL;
	if (sb__round_policy_parse(&p, xml, strlen(xml), "p.xml", check) < 0)
		return NULL;
	return p;
}

static const char *policy_with(char *buf, size_t size, const char *written, const char *combined)
{
	snprintf(buf, size,
		 "<?xml version=\"1.0\"?>\n"
		 "<policy xmlns=\"urn:shuangbai:policy:1\" name=\"t\" reference-date=\"2026-05-01\">\n"
		 "  <written %s><subject id=\"sw\" name=\"s\" max=\"100\"/></written>\n"
		 "  <shortlist ratio=\"3\"/>\n"
		 "  <interview pass=\"60\"/>\n"
		 "  <combined %s/>\n"
		 "</policy>\n",
		 written, combined);
	return buf;
}

static void arithmetic(void)
{
	static const int64_t marks[] = { 8500, 8800, 9000, 7900, 9200, 8600, 8400 };
	static const int64_t four[] = { 8000, 9000, 7000, 6000 };
	static const int64_t three[] = { 7000, 7100, 7100 };
	static const int64_t im[] = { 12000, 10500 }, im_max[] = { 15000, 15000 };
	static const int64_t one[] = { 1 }, eight[] = { 800 };
	int64_t wt;

	is_int(sb__round_interview_raw(marks, 7, 1), 8660, "trimmed mean of 85 88 90 79 92 86 84 is 86.60");
	is_int(sb__round_interview_raw(marks, 7, 0), 8629, "their plain mean is 86.29 (604/7 = 86.285...)");
	is_int(sb__round_interview_raw(four, 4, 1), 7500, "trimmed with four examiners is the plain mean");
	is_int(sb__round_interview_raw(three, 3, 0), 7067, "212/3 = 70.666... rounds to 70.67");
	is_int(sb__round_combined(7235, 8660, 50, 50), 7948,
	       "72.35 and 86.60 at 50/50 give 79.48 (79.475 exactly, half-up)");
	wt = sb__round_written(im, im_max, 2) + 250;
	is_int(wt, 7750, "Inner Mongolia: 120 and 105 of 150 each, plus 2.50, is 77.50");
	is_int(sb__round_combined(wt, 8000, 60, 40), 7850, "with interview 80.00 at 60/40: 78.50");
	is_int(sb__round_written(one, eight, 1), 13, "0.01 of 8 scaled to 100 is 0.125 -> 0.13 half-up");
	is_int(sb__round_combined(6001, 6000, 50, 50), 6001, "60.005 rounds half-up to 60.01");
}

static void correction(void)
{
	sb__round_iv iv[3];
	/* panel 0: raws 80 and 90 (mean 85); panel 1: raw 70 (mean 70) */
	const int64_t raw[3] = { 8000, 9000, 7000 };
	const size_t panel[3] = { 0, 0, 1 };
	size_t i;

#define SETUP()                                                                                    \
	for (i = 0; i < 3; i++) {                                                                  \
		iv[i].raw = raw[i];                                                                \
		iv[i].panel = panel[i];                                                            \
		iv[i].out = -1;                                                                    \
	}
	SETUP();
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_POOLED, -1) == 0, "pooled");
	/* M = 240/3 = 80: 80 × 80/85 = 75.294..., 90 × 80/85 = 84.705..., 70 × 80/70 = 80 */
	is_int(iv[0].out, 7529, "pooled 80 -> 75.29");
	is_int(iv[1].out, 8471, "pooled 90 -> 84.71");
	is_int(iv[2].out, 8000, "pooled 70 -> 80.00");
	SETUP();
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_MEANS, -1) == 0, "mean of means");
	/* M = (85 + 70)/2 = 77.5: 80 × 77.5/85 = 72.941..., 90 × 77.5/85 = 82.058..., 70 -> 77.5 */
	is_int(iv[0].out, 7294, "mean-of-means 80 -> 72.94");
	is_int(iv[1].out, 8206, "mean-of-means 90 -> 82.06");
	is_int(iv[2].out, 7750, "mean-of-means 70 -> 77.50");
	SETUP();
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_MEANS, 1) == 0, "factor to one decimal");
	/* factors 77.5/85 = 0.911... -> 0.9 and 77.5/70 = 1.107... -> 1.1 */
	is_int(iv[0].out, 7200, "factor 0.9: 80 -> 72.00");
	is_int(iv[1].out, 8100, "factor 0.9: 90 -> 81.00");
	is_int(iv[2].out, 7700, "factor 1.1: 70 -> 77.00");
	SETUP();
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_MEANS, 4) == 0, "factor to four decimals");
	/* 0.9118 × 80 = 72.944, × 90 = 82.062; 1.1071 × 70 = 77.497 */
	is_int(iv[0].out + iv[1].out + iv[2].out, 7294 + 8206 + 7750, "four decimals: 72.94, 82.06, 77.50");
	SETUP();
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_NONE, -1) == 0 && iv[0].out == 8000 && iv[2].out == 7000,
	   "correction none: interview = raw");
	SETUP();
	iv[2].panel = 0;
	ok(sb__round_correct(iv, 3, 2, SB_ROUND_CORR_POOLED, -1) == 0 && iv[0].out == 8000 && iv[1].out == 9000 &&
		   iv[2].out == 7000,
	   "one panel of present interviewees: no correction");
#undef SETUP
}

static void names(void)
{
	ok(sb__round_post_cmp("10", "9") > 0, "post ids compare as numbers: 10 > 9");
	ok(sb__round_post_cmp("P10", "P9") < 0, "other ids compare as text");
	is_int(sb__round_education("本科"), SB_ROUND_EDU_BENKE, "本科");
	ok(sb__round_education("大专") < sb__round_education("本科") &&
		   sb__round_education("本科") < sb__round_education("硕士") &&
		   sb__round_education("硕士") < sb__round_education("博士"),
	   "大专 < 本科 < 硕士 < 博士");
	is_int(sb__round_education("高中"), -1, "高中 is not a level");
}

static void policies(const char *shared)
{
	char path[1024], buf[2048];
	char *xml = NULL;
	size_t len;
	sb__round_policy *p;

	snprintf(path, sizeof(path), "%s/examples/policy-guangdong.xml", shared);
	ok(sb__read_file(&xml, &len, path) == 0 && sb__round_policy_parse(&p, xml, len, path, 1) == 0,
	   "the shared Guangdong policy");
	free(xml);
	if (p) {
		ok(p->trimmed && p->correction == SB_ROUND_CORR_POOLED && p->w_written == 50 && p->written_pass == 6000 &&
			   p->bonus_cap == 300 && p->opening_ratio == 3 && p->shortlist_ratio == 3 && p->factor_decimals == -1,
		   "Guangdong: trimmed, pooled, 50/50, pass 60, cap 3, 1:3");
		is_str(p->reference_date, "2026-05-01", "reference date");
		sb__round_policy_free(p);
	}
	snprintf(path, sizeof(path), "%s/examples/policy-inner-mongolia.xml", shared);
	ok(sb__read_file(&xml, &len, path) == 0 && sb__round_policy_parse(&p, xml, len, path, 1) == 0,
	   "the shared Inner Mongolia policy");
	free(xml);
	if (p) {
		ok(!p->trimmed && p->correction == SB_ROUND_CORR_MEANS && p->factor_decimals == 4 && p->nsubjects == 2 &&
			   p->subjects[1].max == 15000 && p->w_written == 60 && p->opening_ratio == 2,
		   "Inner Mongolia: mean, mean-of-means to 4 decimals, two papers of 150, 60/40, 1:2");
		sb__round_policy_free(p);
	}
	ok(!parse(policy_with(buf, sizeof(buf), "pass=\"60\"", "written=\"60\" interview=\"60\""), 1),
	   "weights summing to 120 are refused");
	has_msg("p.xml:6: <combined> written/interview: the weights must sum to 100", "naming the element and line");
	ok(!parse(policy_with(buf, sizeof(buf), "pass=\"-0.01\"", "written=\"50\" interview=\"50\""), 1),
	   "a negative pass line is refused");
	has_msg("<written> pass: the pass line must not be negative", "naming the element");
	ok(!parse("<?xml version=\"1.0\"?><!DOCTYPE p SYSTEM \"http://x/p.dtd\"><policy/>", 1), "a DOCTYPE is refused");
	is_int(sb_error_code(), SB_EXML, "as XML");
	ok(!parse("<policy xmlns=\"urn:other\"/>", 1), "another namespace is refused");
}

static int64_t count(sb_db *db, const char *sql)
{
	sb__stmt *st;
	int64_t v = -1;
	if (sb__db_prepare(db, &st, sql) == 0 && sb__stmt_step(st) == 1)
		v = sb__stmt_int64(st, 0);
	sb__stmt_reset(st);
	return v;
}

static void for_placement(const char *src)
{
	const char *dir = tap_tmpdir("round");
	char path[1100], f[1100];
	sb_db *db = NULL;
	sb__round_unit *units = NULL;
	sb__round_app *apps = NULL;
	size_t nunits = 0, napps = 0, i;
	int open = -1;
	char *why = NULL;

#define DATA(name) (snprintf(f, sizeof(f), "%s/tests/data/round/%s", src, name), f)
	snprintf(path, sizeof(path), "%s/r.db", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "create a registry");
	ok(sb_org_import(db, DATA("divisions.csv"), NULL, NULL, NULL) == 0, "divisions");
	ok(sb_round_create(db, "T", DATA("policy-none.xml")) == 0, "round");
	ok(sb__round_proposed(&apps, &napps, db, "T", NULL, 0) == SB_ESTATE, "no proposed applicants before the ranking");
	ok(sb_round_posts(db, "T", DATA("posts.csv"), NULL) == 0 &&
		   sb_round_apply(db, "T", DATA("applications.csv"), NULL, NULL, NULL) == 0 &&
		   sb_round_screen(NULL, db, "T") == 0 && sb_round_written(db, "T", DATA("written.csv"), NULL, NULL, NULL) == 0 &&
		   sb_round_shortlist(NULL, db, "T") == 0 &&
		   sb_round_interview(db, "T", DATA("interview.csv"), NULL, NULL, NULL) == 0 &&
		   sb_round_rank(NULL, NULL, db, "T") == 0,
	   "a whole round to the ranking");
	ok(sb__round_units(&units, &nunits, db, "T") == 0, "units");
	is_int(nunits, 4, "four units: A, B, P3, P4");
	for (i = 0; i < nunits; i++) {
		if (strcmp(units[i].unit, "B") == 0)
			ok(units[i].is_pool && units[i].quota == 4 && units[i].open_quota == 2 && units[i].nposts == 2 &&
				   strcmp(units[i].posts[0].post_id, "9") == 0 && units[i].posts[0].open_quota == 1 &&
				   units[i].posts[1].open_quota == 1,
			   "pool B: 4 seats cut to 2, one each, posts in id order");
		if (strcmp(units[i].unit, "P4") == 0)
			ok(!units[i].is_pool && units[i].open_quota == 0, "P4 cancelled");
		if (strcmp(units[i].unit, "P3") == 0)
			ok(units[i].posts[0].education == SB_ROUND_EDU_BENKE && units[i].posts[0].max_age == 35 &&
				   units[i].posts[0].hukou_scope == SB_ROUND_HUKOU_COUNTY &&
				   strcmp(units[i].posts[0].language, "yue") == 0 && strcmp(units[i].posts[0].kind, "office") == 0,
			   "P3's requirements");
	}
	ok(sb__round_proposed(&apps, &napps, db, "T", "A", 0) == 0, "proposed of pool A");
	is_int(napps, 3, "three");
	if (napps == 3) {
		is_str(apps[0].app_no, "A01", "rank order");
		ok(apps[0].rank == 1 && apps[2].rank == 3 && strcmp(apps[0].unit, "A") == 0 &&
			   strcmp(apps[0].home_code, "440103002101") == 0 && apps[0].npreferences == 2 &&
			   strcmp(apps[0].preferences[1], "102") == 0 && strcmp(apps[1].qualification, "assistant") == 0,
		   "rank, home, preferences, qualification");
		is_int(apps[0].age, 31, "age on the reference date");
	}
	sb__round_apps_free(apps, napps);
	ok(sb__round_proposed(&apps, &napps, db, "T", NULL, 1) == 0 && napps == 0, "no one has passed yet");
	sb__round_apps_free(apps, napps);
	ok(sb__round_proposed(&apps, &napps, db, "T", "P3", 0) == 0 && napps == 1, "P3: the tie is not proposed");
	for (i = 0; i < nunits; i++) {
		if (strcmp(units[i].unit, "P3") != 0 || napps != 1)
			continue;
		ok(sb__round_post_open_to(&open, &why, db, &units[i].posts[0], &apps[0]) == 0 && open == 1 && !why,
		   "P3 is open to its own proposed applicant");
		free(apps[0].languages);
		apps[0].languages = sb__strdup("en");
		apps[0].age = 36;
		ok(sb__round_post_open_to(&open, &why, db, &units[i].posts[0], &apps[0]) == 0 && open == 0 && why,
		   "not to someone 36 without Cantonese");
		is_str(why, "age 36 above 35; language yue not held", "with the reasons");
		free(why);
		why = NULL;
		free(apps[0].hukou_code);
		apps[0].hukou_code = sb__strdup("440303001001");
		apps[0].age = 35;
		apps[0].languages[0] = '\0';
		ok(sb__round_post_open_to(&open, NULL, db, &units[i].posts[0], &apps[0]) == 0 && open == 0,
		   "nor to a hukou in another county");
	}
	sb__round_apps_free(apps, napps);
	sb__round_units_free(units, nunits);
	is_int(count(db, "SELECT count(*) FROM round_app WHERE status = 'tie'"), 2, "two tied");
	sb_db_close(db);
#undef DATA
}

int main(void)
{
	const char *src = getenv("SRCDIR"), *shared = getenv("SHARED");
	arithmetic();
	correction();
	names();
	if (shared && *shared)
		policies(shared);
	if (src && *src)
		for_placement(src);
	return tap_done();
}
