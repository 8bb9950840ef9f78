/*
 * `shuangbai round place` and `shuangbai round hire`: the two sub-commands of the round verb
 * that belong to the placement area; cmd_round.c dispatches to them. Parses options, calls
 * sb_place_run / sb_place_hire, prints rows and the comparison of both methods.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char place_use[] = "shuangbai round place CODE [--method merit|distance] [--format text|csv]";
static const char hire_use[] = "shuangbai round hire CODE --start YYYY-MM-DD";

static const char place_help[] =
	"usage: shuangbai [--db FILE] round place CODE [--method merit|distance] [--format text|csv]\n\n"
	"Place the proposed applicants of every pool of round CODE in its posts and store the\n"
	"placement for `round hire`.\n\n"
	"  --method merit     rank order; first free preferred post, else the nearest (default)\n"
	"  --method distance  the least total of home-to-post distances (rounded to 0.1 km)\n"
	"  --format csv       rows pool,app_no,post_id,station_code,distance_km,reason on standard\n"
	"                     output; the comparison of both methods on standard error\n"
	"  --format text      rows and comparison as a table (default)\n";

static const char hire_help[] =
	"usage: shuangbai [--db FILE] round hire CODE --start YYYY-MM-DD\n\n"
	"Register every proposed applicant of round CODE whose outcome is passed as a social worker\n"
	"at their post (the placed post in a pool, else the post applied to), from the start date.\n"
	"Hiring twice changes nothing.\n";

static void km(char *buf, size_t size, int64_t tenths)
{
	if (tenths < 0)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

static void permille(char *buf, size_t size, int64_t p)
{
	snprintf(buf, size, "%lld.%lld%%", (long long)(p / 10), (long long)(p % 10));
}

static void summary_line(FILE *f, const char *pool, const char *method, const sb_place_summary *s)
{
	char tot[32], mean[32], max[32], tw[16], co[16];
	km(tot, sizeof(tot), s->total_tenths);
	km(mean, sizeof(mean), s->mean_tenths);
	km(max, sizeof(max), s->max_tenths);
	permille(tw, sizeof(tw), s->township_permille);
	permille(co, sizeof(co), s->county_permille);
	fprintf(f, "%-12s %-9s %6lld %6lld %12s %9s %9s %9s %9s\n", pool, method, (long long)s->applicants,
		(long long)s->placed, tot, mean, max, tw, co);
}

static void summary(FILE *f, const sb_place_result *r)
{
	size_t i;
	fprintf(f, "%-12s %-9s %6s %6s %12s %9s %9s %9s %9s\n", "pool", "method", "apps", "placed", "total_km",
		"mean_km", "max_km", "home_twp", "home_cty");
	for (i = 0; i < r->npools; i++) {
		const char *name = r->pools[i].pool[0] ? r->pools[i].pool : "all pools";
		summary_line(f, name, "merit", &r->pools[i].merit);
		summary_line(f, name, "distance", &r->pools[i].distance);
	}
}

int cmd_round_place(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *method = "merit", *format = "text", *code;
	sb_place_result *res = NULL;
	sb_db *db = NULL;
	int c, error;
	size_t i;

	if (cli_want_help(argc, argv, place_help))
		return EXIT_OK;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm')
			method = optarg;
		else if (c == 'f')
			format = optarg;
		else
			return cli_usage(place_use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(place_use, "%s", optind >= argc ? "a round CODE is needed" : "one round CODE only");
	code = argv[optind];
	if (strcmp(method, "merit") != 0 && strcmp(method, "distance") != 0)
		return cli_usage(place_use, "--method must be merit or distance");
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(place_use, "--format must be text or csv");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_place_run(&res, db, code, strcmp(method, "distance") == 0 ? SB_PLACE_DISTANCE : SB_PLACE_MERIT);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	if (strcmp(format, "csv") == 0) {
		printf("pool,app_no,post_id,station_code,distance_km,reason\n");
		for (i = 0; i < res->nrows; i++) {
			const sb_place_row *row = &res->rows[i];
			char d[32];
			km(d, sizeof(d), row->distance_tenths);
			cli_csv_field(stdout, row->pool);
			putchar(',');
			cli_csv_field(stdout, row->app_no);
			putchar(',');
			cli_csv_field(stdout, row->post_id);
			printf(",%s,%s,", row->station_code, d);
			cli_csv_field(stdout, row->reason);
			putchar('\n');
		}
		summary(stderr, res);
	} else {
		printf("%-12s %-12s %-10s %-12s %11s  %s\n", "pool", "app_no", "post_id", "station_code",
		       "distance_km", "reason");
		for (i = 0; i < res->nrows; i++) {
			const sb_place_row *row = &res->rows[i];
			char d[32];
			km(d, sizeof(d), row->distance_tenths);
			printf("%-12s %-12s %-10s %-12s %11s  %s\n", row->pool, row->app_no,
			       row->post_id[0] ? row->post_id : "-", row->station_code[0] ? row->station_code : "-",
			       d[0] ? d : "-", row->reason);
		}
		printf("\n");
		summary(stdout, res);
	}
	sb_place_result_free(res);
	return EXIT_OK;
}

int cmd_round_hire(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "start", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *start = NULL;
	sb_place_hire_stats st;
	sb_db *db = NULL;
	int c, error;

	if (cli_want_help(argc, argv, hire_help))
		return EXIT_OK;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			start = optarg;
		else
			return cli_usage(hire_use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(hire_use, "%s", optind >= argc ? "a round CODE is needed" : "one round CODE only");
	if (!start)
		return cli_usage(hire_use, "--start YYYY-MM-DD is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_place_hire(&st, db, argv[optind], start);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("%lld passed: %lld hired, %lld already in service", (long long)st.passed, (long long)st.hired,
	       (long long)st.existing);
	if (st.unplaced)
		printf(", %lld unplaced (not hired)", (long long)st.unplaced);
	printf("\n");
	return EXIT_OK;
}
