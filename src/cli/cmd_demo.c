/*
 * `shuangbai demo`: a province's year end to end in one command, on the shipped division
 * data. It grows with each capability; each step is an ordinary library call.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"usage: shuangbai demo [--province guangdong|inner-mongolia] [--dir DIR]\n\n"
	"Create DIR (default ./shuangbai-demo) with a fresh registry, import the province's\n"
	"divisions (both provinces when none is named), create every station and point, and\n"
	"print the coverage. Prints where each output lies.\n";

static int run_province(sb_db *db, const char *province)
{
	char path[4096];
	sb_org_stats stats, st, pt;
	sb_coverage *cov = NULL;

	snprintf(path, sizeof(path), "%s/divisions/%s.csv", cli_datadir(), province);
	printf("== %s\n", province);
	if (sb_org_import(db, path, &stats, cli_progress, NULL) < 0)
		return -1;
	cli_progress_end();
	printf("divisions: %lld imported from %s\n", (long long)stats.added, path);
	if (sb_org_stations(db, &st, &pt) < 0)
		return -1;
	printf("stations: %lld created, points: %lld created\n", (long long)st.added, (long long)pt.added);
	if (sb_org_coverage(&cov, db, strcmp(province, "guangdong") == 0 ? "440000000000" : "150000000000") < 0)
		return -1;
	printf("coverage: %lld of %lld townships have a station, %lld of %lld villages a point, over %zu counties\n",
	       (long long)cov->total.stations, (long long)cov->total.townships, (long long)cov->total.points,
	       (long long)cov->total.villages, cov->n);
	sb_coverage_free(cov);
	return 0;
}

int cmd_demo(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "province", required_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai demo [--province guangdong|inner-mongolia] [--dir DIR]";
	const char *province = NULL, *dir = "shuangbai-demo";
	char dbpath[4096], tmp[4200];
	sb_db *db = NULL;
	int c, rc = EXIT_OK;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			province = optarg;
		else if (c == 'd')
			dir = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind < argc)
		return cli_usage(use, "unexpected argument '%s'", argv[optind]);
	if (province && strcmp(province, "guangdong") != 0 && strcmp(province, "inner-mongolia") != 0)
		return cli_usage(use, "--province must be guangdong or inner-mongolia");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "shuangbai: %s: cannot create: %s\n", dir, strerror(errno));
		return EXIT_DATA;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/shuangbai.db", dir);
	/* The demo's registry is its own: start it afresh each run. */
	unlink(dbpath);
	snprintf(tmp, sizeof(tmp), "%s-wal", dbpath);
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s-shm", dbpath);
	unlink(tmp);
	cli->db_path = dbpath;
	if (cli_open(&db, cli, SB_DB_CREATE) < 0)
		return cli_fail();
	if ((!province || strcmp(province, "guangdong") == 0) && run_province(db, "guangdong") < 0)
		rc = cli_fail();
	if (rc == EXIT_OK && (!province || strcmp(province, "inner-mongolia") == 0) &&
	    run_province(db, "inner-mongolia") < 0)
		rc = cli_fail();
	if (rc == EXIT_OK && sb_audit_verify(db, NULL) < 0)
		rc = cli_fail();
	sb_db_close(db);
	if (rc == EXIT_OK)
		printf("\noutputs:\n  registry  %s\n", dbpath);
	return rc;
}
