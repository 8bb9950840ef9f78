/* `shuangbai audit verify|log`: check the hash chain of the audit log, or list it. */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] audit verify\n"
	"       shuangbai [--db FILE] audit log [--last N]\n\n"
	"verify  recompute the SHA-256 chain of every entry; name the first bad one.\n"
	"log     list entries (time, actor, command, change), oldest first.\n";

int cmd_audit(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "last", required_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	sb_db *db = NULL;
	int rc = EXIT_OK, c;
	int64_t entries = 0;
	size_t last = 0;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage("shuangbai audit verify|log", "audit needs verify or log");
	if (strcmp(argv[1], "verify") == 0) {
		if (argc != 2)
			return cli_usage("shuangbai audit verify", "audit verify takes no arguments");
		if (cli_open(&db, cli, SB_DB_READONLY) < 0)
			return cli_fail();
		if (sb_audit_verify(db, &entries) < 0)
			rc = cli_fail();
		else
			printf("audit log intact: %lld entries\n", (long long)entries);
	} else if (strcmp(argv[1], "log") == 0) {
		sb_audit_entry *list = NULL;
		size_t n = 0, i;
		while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
			char *end;
			long v;
			if (c != 'n')
				return cli_usage("shuangbai audit log [--last N]", "unknown option");
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v <= 0)
				return cli_usage("shuangbai audit log [--last N]", "--last needs a positive number");
			last = (size_t)v;
		}
		if (optind < argc - 1)
			return cli_usage("shuangbai audit log [--last N]", "unexpected argument '%s'", argv[optind + 1]);
		if (cli_open(&db, cli, SB_DB_READONLY) < 0)
			return cli_fail();
		if (sb_audit_list(&list, &n, db, last) < 0) {
			rc = cli_fail();
		} else {
			for (i = 0; i < n; i++)
				printf("%lld\t%s\t%s\t%s\t%s\n", (long long)list[i].id, list[i].at, list[i].actor,
				       list[i].command, list[i].change);
			sb_audit_list_free(list, n);
		}
	} else {
		return cli_usage("shuangbai audit verify|log", "unknown audit command '%s'", argv[1]);
	}
	sb_db_close(db);
	return rc;
}
