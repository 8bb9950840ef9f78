/*
 * `shuangbai pay policy|evaluate|qualify|raise|deductions|prior-year|position`: pay policies
 * and each worker's pay history. Parses options, calls the pay area, reports.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"usage: shuangbai [--db FILE] pay policy FILE.xml\n"
	"       shuangbai [--db FILE] pay evaluate YEAR FILE.csv\n"
	"       shuangbai [--db FILE] pay qualify FILE.csv\n"
	"       shuangbai [--db FILE] pay raise YEAR --effective YYYY-MM-01\n"
	"       shuangbai [--db FILE] pay deductions FILE.csv\n"
	"       shuangbai [--db FILE] pay prior-year YEAR FILE.csv\n"
	"       shuangbai [--db FILE] pay position ID_NUMBER [--date YYYY-MM-DD]\n\n"
	"policy      load a pay policy (xsd/pay.xsd), in force from its effective month\n"
	"evaluate    record the annual assessment of YEAR (id_number,grade)\n"
	"qualify     record qualification upgrades (id_number,qualification,effective)\n"
	"raise       apply the grades of YEAR from the first of a month\n"
	"deductions  record special additional deductions (id_number,from,to,amount)\n"
	"prior-year  wages of YEAR paid outside the registry (id_number,township_code,months,wages)\n"
	"position    a worker's level, step and base on a date (default today)\n";

#define USE "shuangbai pay policy|evaluate|qualify|raise|deductions|prior-year|position"

static int parse_year(int *out, const char *s)
{
	int64_t v;
	if (sb_decimal_parse(&v, s, 0) < 0 || v < 1900 || v > 9999)
		return -1;
	*out = (int)v;
	return 0;
}

static int policy(sb_cli *cli, int argc, char **argv)
{
	sb_db *db = NULL;
	sb_pay_policy_info info;

	if (argc != 2)
		return cli_usage("shuangbai pay policy FILE.xml", "%s", argc < 2 ? "a FILE is needed" : "one FILE only");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (sb_pay_policy_load(&info, db, argv[1]) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	sb_db_close(db);
	if (info.unchanged)
		printf("%s: the policy effective %s is already loaded; nothing changed\n", argv[1], info.effective);
	else
		printf("%s: policy effective %s %s: %d scales, %d levels, %d steps, %d regions, %d allowances, %d items\n",
		       argv[1], info.effective, info.replaced ? "replaced" : "loaded", info.scales, info.levels,
		       info.steps, info.regions, info.allowances, info.items);
	return EXIT_OK;
}

static int year_file(sb_cli *cli, int argc, char **argv, int prior)
{
	const char *use = prior ? "shuangbai pay prior-year YEAR FILE.csv" : "shuangbai pay evaluate YEAR FILE.csv";
	sb_db *db = NULL;
	int year, error;
	int64_t rows = 0;

	if (argc != 3)
		return cli_usage(use, "YEAR and FILE are needed");
	if (parse_year(&year, argv[1]) < 0)
		return cli_usage(use, "'%s' is not a year", argv[1]);
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = prior ? sb_pay_prior_year(&rows, db, year, argv[2]) : sb_pay_evaluate(&rows, db, year, argv[2]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("%s: %lld rows recorded for %d\n", argv[2], (long long)rows, year);
	return EXIT_OK;
}

static int file_only(sb_cli *cli, int argc, char **argv, int deductions)
{
	const char *use = deductions ? "shuangbai pay deductions FILE.csv" : "shuangbai pay qualify FILE.csv";
	sb_db *db = NULL;
	int error;
	int64_t rows = 0;

	if (argc != 2)
		return cli_usage(use, "%s", argc < 2 ? "a FILE is needed" : "one FILE only");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = deductions ? sb_pay_deductions(&rows, db, argv[1]) : sb_pay_qualify(&rows, db, argv[1]);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	if (deductions)
		printf("%s: %lld new declarations\n", argv[1], (long long)rows);
	else
		printf("%s: %lld qualification changes\n", argv[1], (long long)rows);
	return EXIT_OK;
}

static int do_raise(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "effective", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai pay raise YEAR --effective YYYY-MM-01";
	const char *effective = NULL;
	sb_db *db = NULL;
	int c, year;
	int64_t raised = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'e')
			effective = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one YEAR is needed");
	if (parse_year(&year, argv[optind]) < 0)
		return cli_usage(use, "'%s' is not a year", argv[optind]);
	if (!effective)
		return cli_usage(use, "--effective is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (sb_pay_raise(&raised, db, year, effective) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	sb_db_close(db);
	printf("raises of %d from %s: %lld workers moved up\n", year, effective, (long long)raised);
	return EXIT_OK;
}

static int position(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai pay position ID_NUMBER [--date YYYY-MM-DD]";
	const char *date = NULL;
	char today[16], base[32], minimum[32];
	sb_pay_position pos;
	sb_db *db = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			date = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one ID_NUMBER is needed");
	if (!date) {
		/* today in UTC, or SHUANGBAI_TODAY for reproducible runs */
		const char *env = getenv("SHUANGBAI_TODAY");
		time_t now = time(NULL);
		struct tm tm;
		if (env && *env) {
			snprintf(today, sizeof today, "%.10s", env);
		} else {
			gmtime_r(&now, &tm);
			strftime(today, sizeof today, "%Y-%m-%d", &tm);
		}
		date = today;
	}
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	if (sb_pay_position_on(&pos, db, argv[optind], date) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	sb_db_close(db);
	printf("%s on %s: %s step %d since %s, region %s, base %s, minimum wage %s\n", argv[optind], date,
	       pos.qualification, pos.step, pos.since, pos.region, sb_money_format(base, sizeof base, pos.base_fen),
	       sb_money_format(minimum, sizeof minimum, pos.minimum_fen));
	return EXIT_OK;
}

int cmd_pay(sb_cli *cli, int argc, char **argv)
{
	const char *sub;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(USE, "pay needs a command");
	sub = argv[1];
	if (strcmp(sub, "policy") == 0)
		return policy(cli, argc - 1, argv + 1);
	if (strcmp(sub, "evaluate") == 0)
		return year_file(cli, argc - 1, argv + 1, 0);
	if (strcmp(sub, "prior-year") == 0)
		return year_file(cli, argc - 1, argv + 1, 1);
	if (strcmp(sub, "qualify") == 0)
		return file_only(cli, argc - 1, argv + 1, 0);
	if (strcmp(sub, "deductions") == 0)
		return file_only(cli, argc - 1, argv + 1, 1);
	if (strcmp(sub, "raise") == 0)
		return do_raise(cli, argc - 1, argv + 1);
	if (strcmp(sub, "position") == 0)
		return position(cli, argc - 1, argv + 1);
	return cli_usage(USE, "unknown pay command '%s'", sub);
}
