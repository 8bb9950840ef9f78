/*
 * `shuangbai staff import|list`: taking over existing relief caseworkers and disability
 * officers from township rosters, and listing the workers of a scope with seniority and
 * step. Parses options, calls the staff (and pay, for the step) area, reports.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] staff import FILE.csv|FILE.xlsx --source relief|disability|other\n"
	"                 [--start YYYY-MM-DD] [--skip-invalid --rejects FILE.csv]\n"
	"       shuangbai [--db FILE] staff list [--township CODE] [--format text|csv] [--unmasked]\n\n"
	"import   take over existing staff from a roster with the columns id_number,name,\n"
	"         township_code,village_code,role,service_start,qualification,phone,bank_account\n"
	"         (CSV in UTF-8 or GB18030, or the first sheet of an .xlsx workbook).\n"
	"         --source         where they come from (required)\n"
	"         --start          their start at the station (default: today)\n"
	"         --skip-invalid   import the valid rows; write the others, each with its reason,\n"
	"                          to --rejects FILE (default: all or nothing)\n"
	"list     the workers under a division (default: all) with station, point, post kind,\n"
	"         source, level, service start, seniority in completed years today, and the pay\n"
	"         step today under the pay policy in force ('-' when none); ID numbers masked\n"
	"         unless --unmasked\n";

static const char use_import[] =
	"shuangbai staff import FILE --source relief|disability|other [--start YYYY-MM-DD] "
	"[--skip-invalid --rejects FILE]";
static const char use_list[] = "shuangbai staff list [--township CODE] [--format text|csv] [--unmasked]";

static void on_match(const char *file, long line, const char *id_number, int added, const char *differs, void *ctx)
{
	char masked[19];
	(void)ctx;
	printf("%s:%ld: %s: %s; %s%s\n", file, line, sb_person_id_mask(masked, id_number),
	       added ? "the person is in the registry already, now a worker" : "already a worker in the registry",
	       differs[0] ? "fields differing from the registry: " : "same person, no field differs",
	       differs);
}

static int import(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ "skip-invalid", no_argument, NULL, 'k' },
		{ "rejects", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	sb_staff_import_opts o;
	sb_staff_stats stats;
	sb_db *db = NULL;
	int c, error;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			o.source = optarg;
		else if (c == 'S')
			o.start_date = optarg;
		else if (c == 'k')
			o.skip_invalid = 1;
		else if (c == 'r')
			o.rejects_path = optarg;
		else
			return cli_usage(use_import, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(use_import, "%s", optind >= argc ? "a FILE is needed" : "one FILE only");
	if (!o.source)
		return cli_usage(use_import, "--source is needed");
	if (strcmp(o.source, "relief") != 0 && strcmp(o.source, "disability") != 0 && strcmp(o.source, "other") != 0)
		return cli_usage(use_import, "--source must be relief, disability or other");
	if (o.skip_invalid && !o.rejects_path)
		return cli_usage(use_import, "--skip-invalid needs --rejects FILE");
	if (o.rejects_path && !o.skip_invalid)
		return cli_usage(use_import, "--rejects goes with --skip-invalid");
	o.on_match = on_match;
	o.progress = cli_progress;
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_staff_import(&stats, db, argv[optind], &o);
	cli_progress_end();
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("%s: %lld rows, %lld workers added, %lld already in service", argv[optind], (long long)stats.rows,
	       (long long)stats.added, (long long)stats.existing);
	if (o.skip_invalid)
		printf(", %lld rejected (written to %s)", (long long)stats.rejected, o.rejects_path);
	printf("\n");
	return EXIT_OK;
}

static int list(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "unmasked", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scope = NULL, *format = "text";
	sb_worker *w = NULL;
	size_t n = 0, i;
	sb_db *db = NULL;
	int c, unmasked = 0, csv;
	char today[11];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't')
			scope = optarg;
		else if (c == 'f')
			format = optarg;
		else if (c == 'u')
			unmasked = 1;
		else
			return cli_usage(use_list, "unknown option");
	}
	if (optind < argc)
		return cli_usage(use_list, "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(use_list, "--format must be text or csv");
	csv = strcmp(format, "csv") == 0;
	sb_staff_today(today);
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	if (sb_staff_workers(&w, &n, db, scope, NULL) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	if (csv)
		printf("id_number,name,township_code,village_code,role,source,qualification,start_date,"
		       "service_start,seniority,step,end_date\n");
	else
		printf("%-18s %-12s %-12s %-7s %-10s %-12s %-10s %-10s %5s %4s  %s\n", "id_number", "station", "point",
		       "role", "source", "level", "start", "service", "years", "step", "name");
	for (i = 0; i < n; i++) {
		char masked[19], step[16] = "-";
		sb_pay_position pos;
		int years = sb_staff_seniority(w[i].service_start, today);
		int error = sb_pay_position_on(&pos, db, w[i].id_number, today);
		if (error == 0)
			snprintf(step, sizeof(step), "%d", pos.step);
		else if (error != SB_ENOTFOUND) {
			sb_staff_workers_free(w, n);
			sb_db_close(db);
			return cli_fail();
		}
		const char *id = unmasked ? w[i].id_number : sb_person_id_mask(masked, w[i].id_number);
		if (csv) {
			printf("%s,", id);
			cli_csv_field(stdout, w[i].name);
			printf(",%s,%s,%s,%s,%s,%s,%s,%d,%s,%s\n", w[i].township_code, w[i].village_code, w[i].kind,
			       w[i].source, w[i].qualification, w[i].start_date, w[i].service_start, years, step,
			       w[i].end_date);
		} else {
			printf("%-18s %-12s %-12s %-7s %-10s %-12s %-10s %-10s %5d %4s  %s\n", id, w[i].township_code,
			       w[i].village_code[0] ? w[i].village_code : "-", w[i].kind, w[i].source,
			       w[i].qualification, w[i].start_date, w[i].service_start[0] ? w[i].service_start : "-",
			       years, step, w[i].name);
		}
	}
	if (!csv)
		printf("%zu worker%s\n", n, n == 1 ? "" : "s");
	sb_staff_workers_free(w, n);
	sb_db_close(db);
	return EXIT_OK;
}

int cmd_staff(sb_cli *cli, int argc, char **argv)
{
	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage("shuangbai staff import|list", "staff needs a command");
	if (strcmp(argv[1], "import") == 0)
		return import(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return list(cli, argc - 1, argv + 1);
	return cli_usage("shuangbai staff import|list", "unknown staff command '%s'", argv[1]);
}
