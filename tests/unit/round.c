/*
 * Unit tests of the round area: the published arithmetic cases, panel correction by the pooled
 * mean and by the mean of panel means with hand-computed values, factor-decimals, policy
 * parsing and its refusals, what placement reads (units, seats, proposed applicants,
 * whether a post is open to an applicant), and the round report's figures, histogram bins,
 * cut-offs and placement distances on the hand-made round of tests/data/round.
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "round_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

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
	is_int(th_count(db, "SELECT count(*) FROM round_app WHERE status = 'tie'"), 2, "two tied");
	sb_db_close(db);
#undef DATA
}

/*
 * The round report on tests/data/round, with two villages of pool A given coordinates 0.02°
 * of latitude apart (2.22 km: 22 tenths), so that placement has distances to count.
 */
static void report(const char *src)
{
	static const char divisions[] =
		"code,name,level,parent,lon,lat\n"
		"440000000000,广东省,province,,113.731999,23.04211\n"
		"440100000000,广州市,prefecture,440000000000,113.406452,23.159564\n"
		"440300000000,深圳市,prefecture,440000000000,114.110049,22.605214\n"
		"440103000000,荔湾区,county,440100000000,113.244258,23.125863\n"
		"440104000000,越秀区,county,440100000000,113.266835,23.128537\n"
		"440303000000,罗湖区,county,440300000000,114.131459,22.548389\n"
		"440103001000,沙面街道,township,440103000000,,\n"
		"440103001101,翠洲社区居民委员会,village,440103001000,113.24,23.10\n"
		"440103002000,岭南街道,township,440103000000,,\n"
		"440103002101,扬仁东社区居民委员会,village,440103002000,113.24,23.12\n"
		"440103002102,扬仁西社区居民委员会,village,440103002000,,\n"
		"440104001000,洪桥街道,township,440104000000,,\n"
		"440104001007,三眼井社区居委会,village,440104001000,,\n"
		"440104001101,德源里社区居委会,village,440104001000,,\n"
		"440303001000,桂园街道,township,440303000000,,\n"
		"440303001001,大塘龙社区居民委员会,village,440303001000,,\n"
		"440303001002,桂木园社区居民委员会,village,440303001000,,\n";
	char dir[1100], path[1200], pdf[1200], f[1100];
	sb_round_report *r = NULL;
	sb_place_result *pr = NULL;
	const sb_round_report_unit *a = NULL, *b = NULL, *p3 = NULL, *p4 = NULL, *t;
	sb_db *db = NULL;
	size_t i;
	int pages = 0;
	FILE *fp;

#define DATA(name) (snprintf(f, sizeof(f), "%s/tests/data/round/%s", src, name), f)
	snprintf(dir, sizeof(dir), "%s", tap_tmpdir("round-report"));
	snprintf(path, sizeof(path), "%s/r.db", dir);
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "report: create a registry");
	ok(sb_org_import(db, tap_write(dir, "divisions.csv", divisions), NULL, NULL, NULL) == 0, "report: divisions");
	ok(sb_round_report_get(&r, db, "T") == SB_ENOTFOUND && !r, "report: an unknown round is SB_ENOTFOUND");
	has_msg("no such round", "report: saying so");
	ok(sb_round_create(db, "T", DATA("policy-none.xml")) == 0 && sb_round_posts(db, "T", DATA("posts.csv"), NULL) == 0 &&
		   sb_round_apply(db, "T", DATA("applications.csv"), NULL, NULL, NULL) == 0 &&
		   sb_round_screen(NULL, db, "T") == 0,
	   "report: a round to screening");
	ok(sb_round_report_get(&r, db, "T") == SB_ESTATE && !r, "report: before written scores is SB_ESTATE");
	has_msg("not scored yet: `round written` must come first (last step taken: `round screen`)",
		"report: naming the step");

	ok(sb_round_written(db, "T", DATA("written.csv"), NULL, NULL, NULL) == 0, "report: written scores");
	ok(sb_round_report_get(&r, db, "T") == 0 && r, "report: after written scores");
	if (r) {
		t = &r->total;
		ok(!r->ranked && !r->has_placement && r->total.shortlisted == 0 && r->total.combined_hist[18] == 0,
		   "report: no shortlist, combined scores or placement yet");
		is_int(t->sat, 18, "report: 18 sat (A10 and C9 absent)");
	}
	sb_round_report_free(r);
	r = NULL;

	ok(sb_round_shortlist(NULL, db, "T") == 0 && sb_round_interview(db, "T", DATA("interview.csv"), NULL, NULL, NULL) == 0 &&
		   sb_round_rank(NULL, NULL, db, "T") == 0 && sb_place_run(&pr, db, "T", SB_PLACE_MERIT) == 0,
	   "report: shortlist, interview, rank, placement by merit");
	sb_place_result_free(pr);
	ok(sb_round_report_get(&r, db, "T") == 0 && r, "report: the whole round");
	if (!r) {
		sb_db_close(db);
		return;
	}
	is_str(r->name, "测试轮次（不校正）", "report: the policy's name");
	ok(r->ranked && r->has_placement && strcmp(r->place_method, "merit") == 0 && r->written_pass == 6000,
	   "report: ranked, placed by merit, pass line 60.00");
	is_int(r->nunits, 4, "report: four units");
	for (i = 0; i < r->nunits; i++) {
		const sb_round_report_unit *x = &r->units[i];
		if (strcmp(x->unit, "A") == 0)
			a = x;
		else if (strcmp(x->unit, "B") == 0)
			b = x;
		else if (strcmp(x->unit, "P3") == 0)
			p3 = x;
		else if (strcmp(x->unit, "P4") == 0)
			p4 = x;
	}
	ok(a && b && p3 && p4 && a == &r->units[0] && p4 == &r->units[3], "report: units A, B, P3, P4 in unit order");
	ok(r->pools == 2 && r->cancelled == 1, "report: two pools, one unit cancelled");
	t = &r->total;
	ok(t->posts == 6 && t->quota == 11 && t->open_quota == 7, "report: 6 posts, 11 seats, 7 after the opening ratio");
	ok(t->applicants == 34 && t->eligible == 29 && t->sat == 18 && t->passed == 17,
	   "report: round: 34 applied, 29 eligible, 18 sat, 17 passed (C10's 59.99 is below 60)");
	is_int(t->pass_permille, 944, "report: round pass rate 17/18 = 94.4%");
	/* (775 + 705.99) / 18 = 82.2772... */
	is_int(t->written_mean, 8228, "report: round written mean 82.28");
	ok(t->shortlisted == 16 && t->interviewed == 14 && t->proposed == 4 && t->cutoff == -1,
	   "report: round: 16 shortlisted, 14 interviewed, 4 proposed, no round cut-off");
	{
		static const int64_t want[SB_ROUND_REPORT_SCORE_BINS] = { [11] = 1, [14] = 1, [15] = 3, [16] = 5,
									  [17] = 4, [18] = 3, [19] = 1 };
		ok(memcmp(t->written_hist, want, sizeof(want)) == 0,
		   "report: written bins 55-60: 1 (59.99), 70-75: 1, 75-80: 3, 80-85: 5 (80.00 opens its bin), "
		   "85-90: 4, 90-95: 3, 95-100: 1");
	}
	if (a) {
		static const int64_t wa[SB_ROUND_REPORT_SCORE_BINS] = { [15] = 1, [16] = 3, [17] = 2, [18] = 2, [19] = 1 };
		/* 92.50 90.00 | 87.50 | 84.00 84.00 83.00 | 75.34 | 69.34 (A09: below the interview pass mark) */
		static const int64_t ca[SB_ROUND_REPORT_SCORE_BINS] = { [13] = 1, [15] = 1, [16] = 3, [17] = 1, [18] = 2 };
		ok(a->is_pool && a->posts == 2 && a->quota == 3 && a->open_quota == 3, "report: A is a pool of 2 posts, 3 seats");
		ok(a->applicants == 10 && a->eligible == 10 && a->sat == 9 && a->passed == 9, "report: A: 10, 10, 9 sat, 9 passed");
		is_int(a->pass_permille, 1000, "report: A's pass rate 100.0%");
		is_int(a->written_mean, 8611, "report: A's written mean 775/9 = 86.11");
		ok(a->shortlisted == 9 && a->interviewed == 8 && a->proposed == 3, "report: A: 9 shortlisted, 8 interviewed, 3 proposed");
		is_int(a->cutoff, 7900, "report: A's cut-off is A09's 79.00");
		ok(memcmp(a->written_hist, wa, sizeof(wa)) == 0, "report: A's written bins");
		ok(memcmp(a->combined_hist, ca, sizeof(ca)) == 0, "report: A's combined bins");
		/* merit: A01 (home 002101) takes 101 at 001101, A02 (home 001101) 102 at 002101: 2.2 km
		 * each; A03 (home 001101) 101: 0 km */
		ok(a->placed == 3 && a->unplaced == 0, "report: A: 3 placed");
		ok(a->distance_total_tenths == 44 && a->distance_max_tenths == 22 && a->distance_mean_tenths == 15,
		   "report: A: distances 2.2 + 2.2 + 0: total 4.4, max 2.2, mean 1.5 (1.466... half-up)");
		is_int(a->distance_bin_tenths, 10, "report: 1 km distance bins (2.2 km < 10 bins)");
		ok(a->distance_hist[0] == 1 && a->distance_hist[2] == 2 && a->distance_hist[1] == 0,
		   "report: A: 0-1 km: 1, 2-3 km: 2");
	}
	if (p3) {
		/* written_total: C1 90, C2 88 (85 + 5 capped at 3), C3 86, C4 82, C5 81, C6 78, C7 78 (76 + 2),
		 * C8 70: the first 6 end at C6's 78.00 and C7 is tied with it */
		static const int64_t cp[SB_ROUND_REPORT_SCORE_BINS] = { [13] = 1, [16] = 1, [17] = 3, [18] = 1 };
		ok(!p3->is_pool && p3->posts == 1 && p3->applicants == 15 && p3->eligible == 10 && p3->sat == 9 &&
			   p3->passed == 8,
		   "report: P3: 15 applied, 10 eligible, 9 sat, 8 passed");
		is_int(p3->pass_permille, 889, "report: P3's pass rate 8/9 = 88.9%");
		is_int(p3->shortlisted, 7, "report: P3: 7 shortlisted (a tie at the last place enters)");
		is_int(p3->cutoff, 7800, "report: P3's cut-off is the written total 78.00");
		ok(p3->interviewed == 6 && p3->proposed == 1, "report: P3: C4 absent (an examiner's row missing), 1 proposed");
		ok(memcmp(p3->combined_hist, cp, sizeof(cp)) == 0, "report: P3's combined bins");
		ok(p3->placed == 0 && p3->distance_bin_tenths == 0, "report: a post without a pool is not placed");
	}
	if (b)
		ok(b->open_quota == 2 && b->sat == 0 && b->pass_permille == -1 && b->written_mean == -1 && b->cutoff == -1 &&
			   b->placed == 0,
		   "report: B: nobody sat: no pass rate, mean or cut-off");
	if (p4)
		ok(p4->open_quota == 0 && p4->applicants == 2 && p4->shortlisted == 0, "report: P4 cancelled");
	ok(t->placed == 3 && t->distance_bin_tenths == 10 && t->distance_hist[2] == 2, "report: the round's distances");

	ok(sb_round_report_pdf(&pages, r, pdf) == 0, "report: the PDF");
	is_int(pages, 2, "report: a title page and one page of four units");
	fp = fopen(pdf, "rb");
	ok(fp != NULL, "report: the PDF exists");
	if (fp)
		fclose(fp);
	remove(pdf);
	free(r->units[2].unit);
	r->units[2].unit = sb__strdup("P\xf0\xa0\xae\xb7"); /* 𠮷, outside the BMP */
	ok(sb_round_report_pdf(&pages, r, pdf) == SB_EINVALID && pages == 0, "report: a unit name the font cannot draw");
	has_msg("unit P\xf0\xa0\xae\xb7: character U+20BB7", "report: naming the unit and the character");
	ok((fp = fopen(pdf, "rb")) == NULL, "report: and no PDF is written");
	if (fp)
		fclose(fp);
	sb_round_report_free(r);
	sb_round_report_free(NULL);
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
	if (src && *src) {
		for_placement(src);
		report(src);
	}
	return tap_done();
}
