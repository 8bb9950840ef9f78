/* `shuangbai init`: create the registry database (or bring an old one up to date). */
#include "config.h"
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] init\n\n"
	"Create the registry database (default ./shuangbai.db) with the current schema.\n"
	"An existing registry is kept and its schema upgraded; nothing else changes.\n";

int cmd_init(sb_cli *cli, int argc, char **argv)
{
	sb_db *db = NULL;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc != 1)
		return cli_usage("shuangbai init", "init takes no arguments");
	if (cli_open(&db, cli, SB_DB_CREATE) < 0)
		return cli_fail();
	printf("registry %s ready (schema %d)\n", cli->db_path, sb_db_schema_version(db));
	sb_db_close(db);
	return EXIT_OK;
}
