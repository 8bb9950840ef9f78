/*
 * `shuangbai generate employers|round|roster`: realistic input files made from the
 * registry's divisions and a seed, for trying the program and for benchmarks. The files are
 * ordinary inputs of the other verbs; nothing is written to the registry.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai generate employers --scope CODE --out FILE [--seed N]\n"
	"       shuangbai generate round --scope CODE --out DIR [--seed N] [--pools N]\n"
	"                 [--seats N] [--ratio N] [--papers 1|2] [--minority PERCENT]\n"
	"       shuangbai generate roster --scope CODE --out FILE [--seed N] [--per-township N]\n"
	"       shuangbai generate written|interview|outcomes --round CODE --out FILE [--seed N]\n"
	"                 [--papers 1|2]\n\n"
	"employers  township governments with valid unified social credit codes\n"
	"round      DIR/posts.csv and DIR/applications.csv: pools per county,\n"
	"           --seats seats per pool, --ratio applications per seat; --papers 2 makes two\n"
	"           150-mark papers (zc, zy) instead of one 100-mark paper (sw); --minority gives\n"
	"           that share of applicants the 2.50 bonus and Mongolian (mn)\n"
	"roster     a take-over roster of existing staff with years of service: --per-township N\n"
	"           workers (default 3) for every township with villages; 0: one at every station\n"
	"           and one at every village point\n"
	"written    written scores for the applicants the round's screening admitted\n"
	"interview  marks of 3 panels of 7 examiners for the round's shortlist\n"
	"outcomes   medical and inspection outcomes for the round's proposed applicants\n"
	"The same --seed (default 1) gives the same files.\n";

static int number(long *out, const char *text, long min, long max)
{
	char *end;
	errno = 0;
	*out = strtol(text, &end, 10);
	return (errno || *end || *out < min || *out > max) ? -1 : 0;
}

int cmd_generate(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },  { "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 'e' },   { "pools", required_argument, NULL, 'p' },
		{ "seats", required_argument, NULL, 't' },  { "ratio", required_argument, NULL, 'r' },
		{ "papers", required_argument, NULL, 'a' }, { "minority", required_argument, NULL, 'm' },
		{ "per-township", required_argument, NULL, 'n' }, { "round", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai generate employers|round|roster --scope CODE --out PATH [options]";
	const char *what, *scope = NULL, *outp = NULL, *round = NULL;
	long seed = 1, pools = 0, seats = 6, ratio = 8, papers = 1, minority = 0, per = 3, v;
	sb_db *db = NULL;
	int c, rc = EXIT_OK, error = 0;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(use, "generate needs employers, round or roster");
	what = argv[1];
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 's') {
			scope = optarg;
			continue;
		}
		if (c == 'o') {
			outp = optarg;
			continue;
		}
		if (c == 'R') {
			round = optarg;
			continue;
		}
		if (c == '?')
			return cli_usage(use, "unknown option");
		if (number(&v, optarg, 0, 100000000) < 0)
			return cli_usage(use, "'%s' is not a number in range", optarg);
		switch (c) {
		case 'e': seed = v; break;
		case 'p': pools = v; break;
		case 't': seats = v; break;
		case 'r': ratio = v; break;
		case 'a': papers = v; break;
		case 'm': minority = v; break;
		case 'n': per = v; break;
		}
	}
	if (optind < argc - 1)
		return cli_usage(use, "unexpected argument '%s'", argv[optind + 1]);
	if (strcmp(what, "written") == 0 || strcmp(what, "interview") == 0 || strcmp(what, "outcomes") == 0) {
		if (!round || !outp)
			return cli_usage(use, "--round and --out are needed");
	} else if (!scope || !outp) {
		return cli_usage(use, "--scope and --out are needed");
	}
	if (papers != 1 && papers != 2)
		return cli_usage(use, "--papers must be 1 or 2");
	if (minority > 100)
		return cli_usage(use, "--minority is a percentage");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	if (strcmp(what, "employers") == 0) {
		if ((error = sb_generate_employers(db, scope, (uint64_t)seed, outp)) == 0)
			printf("employers written to %s\n", outp);
	} else if (strcmp(what, "round") == 0) {
		sb_generate_round_opts o;
		sb_generate_counts n;
		memset(&o, 0, sizeof(o));
		o.seed = (uint64_t)seed;
		o.pools = (int)pools;
		o.seats_per_pool = (int)seats;
		o.applicants_per_seat = (int)ratio;
		o.subjects = (int)papers;
		if (papers == 2) {
			o.subject_ids[0] = "zc";
			o.subject_ids[1] = "zy";
			o.subject_max = 150;
		} else {
			o.subject_ids[0] = "sw";
			o.subject_max = 100;
		}
		o.minority_share = (int)minority;
		o.minority_bonus = 250;
		o.minority_language = minority ? "mn" : NULL;
		if ((error = sb_generate_round(&n, db, scope, &o, outp)) == 0)
			printf("%lld pools, %lld posts, %lld applications in %s\n", (long long)n.pools,
			       (long long)n.posts, (long long)n.applications, outp);
	} else if (strcmp(what, "roster") == 0) {
		int64_t rows = 0;
		if ((error = sb_generate_roster(&rows, db, scope, (int)per, (uint64_t)seed, outp)) == 0)
			printf("%lld workers written to %s\n", (long long)rows, outp);
	} else if (strcmp(what, "written") == 0 || strcmp(what, "interview") == 0) {
		char **list = NULL;
		size_t n = 0;
		int64_t rows = 0;
		if (strcmp(what, "written") == 0) {
			sb_generate_round_opts o;
			memset(&o, 0, sizeof(o));
			o.seed = (uint64_t)seed;
			o.subjects = (int)papers;
			o.subject_ids[0] = papers == 2 ? "zc" : "sw";
			o.subject_ids[1] = "zy";
			o.subject_max = papers == 2 ? 150 : 100;
			if ((error = sb_round_eligible(&list, &n, db, round)) == 0)
				error = sb_generate_written(&rows, &o, (const char *const *)list, n, outp);
		} else if ((error = sb_round_shortlisted(&list, &n, db, round)) == 0) {
			error = sb_generate_interviews((const char *const *)list, n, 3, 7, (uint64_t)seed, outp);
			rows = (int64_t)n * 7;
		}
		sb_round_list_free(list, n);
		if (error == 0)
			printf("%lld rows written to %s\n", (long long)rows, outp);
	} else if (strcmp(what, "outcomes") == 0) {
		sb_round_row *rows = NULL;
		const char **ids = NULL;
		size_t n = 0, i, k = 0;
		if ((error = sb_round_rows(&rows, &n, db, round)) == 0) {
			if (!(ids = calloc(n ? n : 1, sizeof(*ids)))) {
				error = sb_error_set(SB_ENOMEM, "out of memory");
			} else {
				for (i = 0; i < n; i++)
					if (strcmp(rows[i].status, "proposed") == 0)
						ids[k++] = rows[i].app_no;
				error = sb_generate_outcomes(ids, k, (uint64_t)seed, outp);
			}
		}
		free(ids);
		sb_round_rows_free(rows, n);
		if (error == 0)
			printf("%zu outcomes written to %s\n", k, outp);
	} else {
		sb_db_close(db);
		return cli_usage(use, "unknown generate command '%s'", what);
	}
	if (error < 0)
		rc = cli_fail();
	sb_db_close(db);
	return rc;
}
