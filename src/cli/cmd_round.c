/*
 * `shuangbai round create|posts|apply|screen|written|shortlist|interview|rank|resolve|
 * outcome|notice|report|show|list`: a recruitment round from policy to public notice (SPEC §3)
 * and its report for HR. Parses options, calls the round area, prints results and CSV. Not
 * for placement or hiring.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] round create CODE --policy FILE.xml\n"
	"       shuangbai [--db FILE] round posts|apply|written|interview|outcome CODE FILE.csv\n"
	"       shuangbai [--db FILE] round screen CODE [--format text|csv]\n"
	"       shuangbai [--db FILE] round shortlist CODE\n"
	"       shuangbai [--db FILE] round rank CODE [--format text|csv]\n"
	"       shuangbai [--db FILE] round resolve CODE APP_NO...\n"
	"       shuangbai [--db FILE] round notice CODE --pdf FILE.pdf\n"
	"       shuangbai [--db FILE] round report CODE [--pdf FILE.pdf]\n"
	"       shuangbai [--db FILE] round show CODE\n"
	"       shuangbai [--db FILE] round list CODE [--format text|csv]\n"
	"       shuangbai [--db FILE] round place|hire CODE ... (see round place --help)\n\n"
	"The steps, in the order of a round's life (each may be rerun until the next is taken):\n"
	"create     a round from its policy (xsd/policy.xsd)\n"
	"posts      post_id,station_code,title,kind,quota,pool,education,majors,max_age,hukou_scope,language\n"
	"apply      app_no,id_number,name,post_id,hukou_code,home_code,education,major,qualification,\n"
	"           bonus,languages,preferences\n"
	"screen     eligibility and the opening ratio; --format csv lists rejections with reasons\n"
	"written    app_no,subject,score (score `absent` for a no-show)\n"
	"shortlist  the interview shortlist of each unit, ties with the last included\n"
	"interview  app_no,panel,examiner,mark (mark `absent` for a no-show)\n"
	"rank       combined score, ranks, proposed / reserve / tie\n"
	"resolve    the tied applicants in the order of an additional assessment, best first\n"
	"outcome    app_no,outcome (passed, failed-medical, failed-inspection, withdrew); backfill\n"
	"notice     the public notice (公示) of the proposed applicants as a PDF\n"
	"report     per unit: applicants, pass rate, shortlist cut-off, score and distance\n"
	"           histograms; as text, or drawn as a PDF with --pdf (after written)\n"
	"show       the round's state; list: the current ranking without changing it\n";

static const char *dec(char *buf, size_t size, int64_t v)
{
	return sb_decimal_format(buf, size, v, 2);
}

/* --format text|csv, and no other option; the positional arguments are left in argv. */
static int parse_format(int *out_csv, int argc, char **argv, const char *use)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	*out_csv = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return cli_usage(use, "unknown option");
		if (strcmp(optarg, "csv") == 0)
			*out_csv = 1;
		else if (strcmp(optarg, "text") != 0)
			return cli_usage(use, "--format must be text or csv");
	}
	return 0;
}

static int create(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai round create CODE --policy FILE.xml";
	const char *policy = NULL;
	sb_db *db = NULL;
	int c, error;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'p')
			return cli_usage(use, "unknown option");
		policy = optarg;
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one round CODE is needed");
	if (!policy)
		return cli_usage(use, "--policy FILE.xml is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_round_create(db, argv[optind], policy);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round %s created from %s\n", argv[optind], policy);
	return EXIT_OK;
}

static int load_file(sb_cli *cli, int argc, char **argv, const char *what)
{
	char use[128];
	sb_db *db = NULL;
	int64_t rows = 0;
	int error;

	snprintf(use, sizeof(use), "shuangbai round %s CODE FILE.csv", what);
	if (argc != 3)
		return cli_usage(use, "a round CODE and one FILE are needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (strcmp(what, "posts") == 0)
		error = sb_round_posts(db, argv[1], argv[2], &rows);
	else if (strcmp(what, "apply") == 0)
		error = sb_round_apply(db, argv[1], argv[2], &rows, cli_progress, NULL);
	else if (strcmp(what, "written") == 0)
		error = sb_round_written(db, argv[1], argv[2], &rows, cli_progress, NULL);
	else if (strcmp(what, "interview") == 0)
		error = sb_round_interview(db, argv[1], argv[2], &rows, cli_progress, NULL);
	else
		error = sb_round_outcome(db, argv[1], argv[2], &rows);
	cli_progress_end();
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round %s: %s: %lld rows loaded from %s\n", argv[1], what, (long long)rows, argv[2]);
	return EXIT_OK;
}

static int screen(sb_cli *cli, int argc, char **argv)
{
	static const char use[] = "shuangbai round screen CODE [--format text|csv]";
	sb_round_screening *s = NULL;
	sb_db *db = NULL;
	size_t i;
	int as_csv, rc;

	if ((rc = parse_format(&as_csv, argc, argv, use)) != 0)
		return rc;
	if (optind + 1 != argc)
		return cli_usage(use, "one round CODE is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (sb_round_screen(&s, db, argv[optind]) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	sb_db_close(db);
	if (as_csv) {
		printf("app_no,post_id,reason\n");
		for (i = 0; i < s->nrejections; i++) {
			cli_csv_field(stdout, s->rejections[i].app_no);
			putchar(',');
			cli_csv_field(stdout, s->rejections[i].post_id);
			putchar(',');
			cli_csv_field(stdout, s->rejections[i].reason);
			putchar('\n');
		}
	} else {
		printf("%lld applications, %lld eligible, %lld rejected\n", (long long)s->applicants,
		       (long long)s->eligible, (long long)(s->applicants - s->eligible));
		for (i = 0; i < s->nunits; i++) {
			const sb_round_unit_info *u = &s->units[i];
			if (u->open_quota == u->quota)
				continue;
			if (u->open_quota == 0)
				printf("unit %s: cancelled (%lld eligible for %lld seats)\n", u->unit,
				       (long long)u->eligible, (long long)u->quota);
			else
				printf("unit %s: seats reduced from %lld to %lld (%lld eligible)\n", u->unit,
				       (long long)u->quota, (long long)u->open_quota, (long long)u->eligible);
		}
	}
	sb_round_screening_free(s);
	return EXIT_OK;
}

static int shortlist(sb_cli *cli, int argc, char **argv)
{
	sb_db *db = NULL;
	int64_t n = 0;
	int error;
	if (argc != 2)
		return cli_usage("shuangbai round shortlist CODE", "one round CODE is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_round_shortlist(&n, db, argv[1]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round %s: %lld shortlisted for interview\n", argv[1], (long long)n);
	return EXIT_OK;
}

static void print_rows(const sb_round_row *rows, size_t n, int as_csv)
{
	char a[32], b[32], c[32], d[32], e[32], f[32];
	size_t i;
	if (as_csv)
		printf("unit,rank,app_no,name,written,bonus,written_total,interview_raw,interview,combined,status\n");
	else
		printf("%-10s %4s %-12s %-10s %7s %5s %7s %7s %7s %7s  %s\n", "unit", "rank", "app_no", "name",
		       "written", "bonus", "total", "raw", "intv", "comb", "status");
	for (i = 0; i < n; i++) {
		const sb_round_row *r = &rows[i];
		char rank[24] = "";
		if (r->rank)
			snprintf(rank, sizeof(rank), "%lld", (long long)r->rank);
		dec(a, sizeof(a), r->written);
		dec(b, sizeof(b), r->bonus);
		dec(c, sizeof(c), r->written_total);
		if (r->has_interview) {
			dec(d, sizeof(d), r->interview_raw);
			dec(e, sizeof(e), r->interview);
			dec(f, sizeof(f), r->combined);
		} else {
			d[0] = e[0] = f[0] = '\0';
		}
		if (as_csv) {
			cli_csv_field(stdout, r->unit);
			printf(",%s,", rank);
			cli_csv_field(stdout, r->app_no);
			putchar(',');
			cli_csv_field(stdout, r->name);
			printf(",%s,%s,%s,%s,%s,%s,%s\n", a, b, c, d, e, f, r->status);
		} else {
			printf("%-10s %4s %-12s %-10s %7s %5s %7s %7s %7s %7s  %s\n", r->unit, rank, r->app_no, r->name,
			       a, b, c, d, e, f, r->status);
		}
	}
}

static int rank(sb_cli *cli, int argc, char **argv, int recompute)
{
	const char *use = recompute ? "shuangbai round rank CODE [--format text|csv]"
				    : "shuangbai round list CODE [--format text|csv]";
	sb_round_row *rows = NULL;
	size_t n = 0;
	sb_db *db = NULL;
	int as_csv, rc, error;

	if ((rc = parse_format(&as_csv, argc, argv, use)) != 0)
		return rc;
	if (optind + 1 != argc)
		return cli_usage(use, "one round CODE is needed");
	if (cli_open(&db, cli, recompute ? 0 : SB_DB_READONLY) < 0)
		return cli_fail();
	error = recompute ? sb_round_rank(&rows, &n, db, argv[optind]) : sb_round_rows(&rows, &n, db, argv[optind]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	print_rows(rows, n, as_csv);
	sb_round_rows_free(rows, n);
	return EXIT_OK;
}

static int resolve(sb_cli *cli, int argc, char **argv)
{
	sb_db *db = NULL;
	int error;
	if (argc < 3)
		return cli_usage("shuangbai round resolve CODE APP_NO...", "a round CODE and the tied APP_NOs are needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_round_resolve(db, argv[1], (const char *const *)(argv + 2), (size_t)(argc - 2));
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round %s: tie resolved (%d applicants, best first)\n", argv[1], argc - 2);
	return EXIT_OK;
}

static int notice(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai round notice CODE --pdf FILE.pdf";
	const char *pdf = NULL;
	sb_db *db = NULL;
	int c, error;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'p')
			return cli_usage(use, "unknown option");
		pdf = optarg;
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one round CODE is needed");
	if (!pdf)
		return cli_usage(use, "--pdf FILE is needed");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	error = sb_round_notice(db, argv[optind], pdf);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round %s: notice written to %s\n", argv[optind], pdf);
	return EXIT_OK;
}

/* A histogram's non-empty bins, "75-80 3, 80-85 1"; the last bin also holds what lies above. */
static void print_bins(const char *what, const int64_t *h, size_t n, int64_t width, int64_t scale, const char *unit)
{
	size_t i;
	int any = 0;
	printf("  %-9s", what);
	for (i = 0; i < n; i++) {
		if (h[i] == 0)
			continue;
		printf("%s%lld-%lld%s%s %lld", any ? ", " : " ", (long long)((int64_t)i * width / scale),
		       (long long)((int64_t)(i + 1) * width / scale), i + 1 == n ? "+" : "", unit, (long long)h[i]);
		any = 1;
	}
	printf("%s\n", any ? "" : " -");
}

static void print_unit(const sb_round_report *r, const sb_round_report_unit *x)
{
	char a[32], b[32], c[32], d[32];
	if (*x->unit) {
		printf("unit %s: %s, %lld seats", x->unit, x->is_pool ? "pool" : "post", (long long)x->quota);
		if (x->is_pool)
			printf(" in %lld posts", (long long)x->posts);
		if (x->open_quota == 0)
			printf(", cancelled");
		else if (x->open_quota != x->quota)
			printf(", reduced to %lld", (long long)x->open_quota);
		putchar('\n');
	}
	if (x->pass_permille >= 0)
		snprintf(b, sizeof(b), "%s%%", sb_decimal_format(a, sizeof(a), x->pass_permille, 1));
	else
		snprintf(b, sizeof(b), "-");
	printf("  applicants %lld, eligible %lld, sat %lld, passed %lld, pass rate %s, written mean %s\n",
	       (long long)x->applicants, (long long)x->eligible, (long long)x->sat, (long long)x->passed, b,
	       x->written_mean >= 0 ? dec(c, sizeof(c), x->written_mean) : "-");
	printf("  shortlisted %lld", (long long)x->shortlisted);
	if (*x->unit)
		printf(", cut-off %s", x->cutoff >= 0 ? dec(d, sizeof(d), x->cutoff) : "-");
	printf(", interviewed %lld, proposed %lld\n", (long long)x->interviewed, (long long)x->proposed);
	print_bins("written", x->written_hist, SB_ROUND_REPORT_SCORE_BINS, SB_ROUND_REPORT_SCORE_BIN, 100, "");
	if (r->ranked)
		print_bins("combined", x->combined_hist, SB_ROUND_REPORT_SCORE_BINS, SB_ROUND_REPORT_SCORE_BIN, 100, "");
	if (!r->has_placement || (*x->unit && !x->is_pool))
		return;
	if (x->placed == 0) {
		printf("  distance placed 0, unplaced %lld\n", (long long)x->unplaced);
		return;
	}
	printf("  distance placed %lld, unplaced %lld, mean %s km, max %s km\n", (long long)x->placed,
	       (long long)x->unplaced, sb_decimal_format(a, sizeof(a), x->distance_mean_tenths, 1),
	       sb_decimal_format(b, sizeof(b), x->distance_max_tenths, 1));
	print_bins("", x->distance_hist, SB_ROUND_REPORT_DISTANCE_BINS, x->distance_bin_tenths, 10, " km");
}

static int report(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai round report CODE [--pdf FILE.pdf]";
	sb_round_report *r = NULL;
	const char *pdf = NULL;
	sb_db *db = NULL;
	size_t i;
	int c, error, pages = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'p')
			return cli_usage(use, "unknown option");
		pdf = optarg;
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one round CODE is needed");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	error = sb_round_report_get(&r, db, argv[optind]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	if (pdf) {
		error = sb_round_report_pdf(&pages, r, pdf);
		if (error == 0)
			printf("round %s: report of %zu units written to %s (%d pages)\n", r->code, r->nunits, pdf, pages);
		sb_round_report_free(r);
		return error < 0 ? cli_fail() : EXIT_OK;
	}
	printf("round %s: %s, reference date %s, last step %s\n", r->code, r->name, r->reference_date, r->last_step);
	printf("%zu units (%lld pools, %lld cancelled), %lld posts, %lld seats (%lld open)", r->nunits,
	       (long long)r->pools, (long long)r->cancelled, (long long)r->total.posts, (long long)r->total.quota,
	       (long long)r->total.open_quota);
	if (r->has_placement)
		printf(", placement by %s", r->place_method);
	putchar('\n');
	print_unit(r, &r->total);
	for (i = 0; i < r->nunits; i++)
		print_unit(r, &r->units[i]);
	sb_round_report_free(r);
	return EXIT_OK;
}

static int show(sb_cli *cli, int argc, char **argv)
{
	sb_round_status s;
	sb_db *db = NULL;
	int error;
	if (argc != 2)
		return cli_usage("shuangbai round show CODE", "one round CODE is needed");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	error = sb_round_show(&s, db, argv[1]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("round:          %s\n", argv[1]);
	printf("name:           %s\n", s.name);
	printf("reference date: %s\n", s.reference_date);
	printf("last step:      %s\n", s.last_step);
	printf("next step:      %s\n", *s.next_step ? s.next_step : "-");
	printf("posts:          %lld\n", (long long)s.posts);
	printf("applications:   %lld\n", (long long)s.applicants);
	printf("eligible:       %lld\n", (long long)s.eligible);
	printf("shortlisted:    %lld\n", (long long)s.shortlisted);
	printf("proposed:       %lld\n", (long long)s.proposed);
	printf("tied:           %lld\n", (long long)s.ties);
	sb_round_status_clear(&s);
	return EXIT_OK;
}

int cmd_round(sb_cli *cli, int argc, char **argv)
{
	static const char subs[] = "shuangbai round create|posts|apply|screen|written|shortlist|interview|"
				   "rank|resolve|outcome|notice|report|show|list|place|hire";
	const char *sub;

	/* placement's sub-commands have their own help (cmd_place.c) */
	if (argc >= 2 && strcmp(argv[1], "place") == 0)
		return cmd_round_place(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "hire") == 0)
		return cmd_round_hire(cli, argc - 1, argv + 1);
	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(subs, "round needs a command");
	sub = argv[1];
	if (strcmp(sub, "create") == 0)
		return create(cli, argc - 1, argv + 1);
	if (strcmp(sub, "posts") == 0 || strcmp(sub, "apply") == 0 || strcmp(sub, "written") == 0 ||
	    strcmp(sub, "interview") == 0 || strcmp(sub, "outcome") == 0)
		return load_file(cli, argc - 1, argv + 1, sub);
	if (strcmp(sub, "screen") == 0)
		return screen(cli, argc - 1, argv + 1);
	if (strcmp(sub, "shortlist") == 0)
		return shortlist(cli, argc - 1, argv + 1);
	if (strcmp(sub, "rank") == 0)
		return rank(cli, argc - 1, argv + 1, 1);
	if (strcmp(sub, "list") == 0)
		return rank(cli, argc - 1, argv + 1, 0);
	if (strcmp(sub, "resolve") == 0)
		return resolve(cli, argc - 1, argv + 1);
	if (strcmp(sub, "notice") == 0)
		return notice(cli, argc - 1, argv + 1);
	if (strcmp(sub, "report") == 0)
		return report(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return show(cli, argc - 1, argv + 1);
	return cli_usage(subs, "unknown round command '%s'", sub);
}
