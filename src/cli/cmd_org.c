/*
 * `shuangbai org import|flags|employers|stations|coverage`: the registry of divisions and
 * stations. Parses options, calls the org area, reports.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] org import FILE.csv\n"
	"       shuangbai [--db FILE] org flags FILE.csv\n"
	"       shuangbai [--db FILE] org employers FILE.csv\n"
	"       shuangbai [--db FILE] org stations\n"
	"       shuangbai [--db FILE] org coverage [--scope CODE] [--format text|csv]\n\n"
	"import     load divisions (code,name,level,parent,lon,lat; UTF-8 or GB18030)\n"
	"flags      mark divisions border, pastoral or remote (code,flag); flags hold below\n"
	"employers  record township governments (township_code,name,address,legal_rep,uscc)\n"
	"stations   create a station per township and a point per village lacking one\n"
	"coverage   per county: stations, points, staffed stations, served points\n";

static void pct(char *buf, size_t size, int64_t part, int64_t whole)
{
	/* One decimal, half-up, in integers. */
	if (whole == 0) {
		snprintf(buf, size, "-");
		return;
	}
	int64_t t;
	t = sb_money_div_round(part * 1000, whole);
	snprintf(buf, size, "%lld.%lld%%", (long long)(t / 10), (long long)(t % 10));
}

static void print_row_text(const sb_coverage_row *r, const char *label)
{
	char a[48], b[48], c[48], d[48];
	pct(a, sizeof(a), r->stations, r->townships);
	pct(b, sizeof(b), r->points, r->villages);
	pct(c, sizeof(c), r->staffed_stations, r->stations);
	pct(d, sizeof(d), r->served_points, r->points);
	printf("%-12s %6lld %6lld %7s %7lld %7lld %7s %6lld %7s %6lld %7s  %s\n", label, (long long)r->townships,
	       (long long)r->stations, a, (long long)r->villages, (long long)r->points, b,
	       (long long)r->staffed_stations, c, (long long)r->served_points, d, r->name);
}

static void print_row_csv(const sb_coverage_row *r, const char *code)
{
	fputs(code, stdout);
	putchar(',');
	cli_csv_field(stdout, r->name);
	putchar(',');
	cli_csv_field(stdout, r->prefecture);
	printf(",%lld,%lld,%lld,%lld,%lld,%lld\n", (long long)r->townships, (long long)r->stations,
	       (long long)r->villages, (long long)r->points, (long long)r->staffed_stations,
	       (long long)r->served_points);
}

static int coverage(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai org coverage [--scope CODE] [--format text|csv]";
	const char *scope = NULL, *format = "text";
	sb_coverage *cov = NULL;
	sb_db *db = NULL;
	int c;
	size_t i;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			scope = optarg;
		else if (c == 'f')
			format = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind < argc)
		return cli_usage(use, "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(use, "--format must be text or csv");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	if (sb_org_coverage(&cov, db, scope) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	if (strcmp(format, "csv") == 0) {
		printf("county_code,county,prefecture,townships,stations,villages,points,staffed_stations,served_points\n");
		for (i = 0; i < cov->n; i++)
			print_row_csv(&cov->rows[i], cov->rows[i].code);
		print_row_csv(&cov->total, "total");
	} else {
		printf("%-12s %6s %6s %7s %7s %7s %7s %6s %7s %6s %7s  %s\n", "county", "towns", "stat.", "%",
		       "villag.", "points", "%", "staffd", "%", "served", "%", "name");
		for (i = 0; i < cov->n; i++)
			print_row_text(&cov->rows[i], cov->rows[i].code);
		print_row_text(&cov->total, "total");
	}
	sb_coverage_free(cov);
	sb_db_close(db);
	return EXIT_OK;
}

typedef int (*file_fn)(sb_db *db, const char *path, sb_org_stats *out);

static int import_file(sb_cli *cli, int argc, char **argv, const char *use, const char *what)
{
	sb_db *db = NULL;
	sb_org_stats stats;
	int error;

	if (argc != 2)
		return cli_usage(use, "%s", argc < 2 ? "a FILE is needed" : "one FILE only");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (strcmp(what, "divisions") == 0)
		error = sb_org_import(db, argv[1], &stats, cli_progress, NULL);
	else if (strcmp(what, "flags") == 0)
		error = sb_org_flags(db, argv[1], &stats);
	else
		error = sb_org_employers(db, argv[1], &stats);
	cli_progress_end();
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("%s: %lld rows, %lld %s added, %lld updated, %lld unchanged\n", argv[1], (long long)stats.rows,
	       (long long)stats.added, what, (long long)stats.updated, (long long)stats.unchanged);
	return EXIT_OK;
}

int cmd_org(sb_cli *cli, int argc, char **argv)
{
	const char *sub;
	sb_db *db = NULL;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage("shuangbai org import|flags|employers|stations|coverage", "org needs a command");
	sub = argv[1];
	if (strcmp(sub, "import") == 0)
		return import_file(cli, argc - 1, argv + 1, "shuangbai org import FILE.csv", "divisions");
	if (strcmp(sub, "flags") == 0)
		return import_file(cli, argc - 1, argv + 1, "shuangbai org flags FILE.csv", "flags");
	if (strcmp(sub, "employers") == 0)
		return import_file(cli, argc - 1, argv + 1, "shuangbai org employers FILE.csv", "employers");
	if (strcmp(sub, "coverage") == 0)
		return coverage(cli, argc - 1, argv + 1);
	if (strcmp(sub, "stations") == 0) {
		sb_org_stats st, pt;
		if (argc != 2)
			return cli_usage("shuangbai org stations", "org stations takes no arguments");
		if (cli_open(&db, cli, 0) < 0)
			return cli_fail();
		if (sb_org_stations(db, &st, &pt) < 0) {
			sb_db_close(db);
			return cli_fail();
		}
		sb_db_close(db);
		printf("%lld stations and %lld points created\n", (long long)st.added, (long long)pt.added);
		return EXIT_OK;
	}
	return cli_usage("shuangbai org import|flags|employers|stations|coverage", "unknown org command '%s'", sub);
}
