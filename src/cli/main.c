/*
 * The shuangbai command: global options, then a verb from the table below, each in its own
 * cmd_<verb>.c. This is the only code that prints or exits; everything it does it asks of
 * libshuangbai.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	sb_verb_fn fn;
	const char *summary;
} verbs[] = {
	{ "init", cmd_init, "create the registry database" },
	{ "org", cmd_org, "divisions, flags, employers, stations, coverage" },
	{ "audit", cmd_audit, "verify or list the hash-chained audit log" },
	{ "round", cmd_round, "a recruitment round from policy to public notice" },
	{ "staff", cmd_staff, "take over existing staff from rosters, list workers" },
	{ "pki", cmd_pki, "the province CA, township signing keys, revocation" },
	{ "contract", cmd_contract, "issue and verify signed labour contracts" },
	{ "pay", cmd_pay, "pay policies, assessments, raises, deductions" },
	{ "payroll", cmd_payroll, "monthly payroll: run, show, close, export, verify" },
	{ "demo", cmd_demo, "run a province's year end to end on generated data" },
	{ "generate", cmd_generate, "generate realistic input files (employers, rounds, rosters...)" },
};

static void usage(FILE *f)
{
	size_t i;
	fprintf(f,
		"usage: shuangbai [--db FILE] VERB [ARGS...]\n"
		"       shuangbai --help | --version\n\n"
		"The workforce system of social-work stations (双百).\n\n"
		"Options:\n"
		"  --db FILE    the registry database (default $SHUANGBAI_DB, else ./shuangbai.db)\n"
		"  --help       this text; VERB --help describes a verb\n"
		"  --version    the program's version\n\n"
		"Verbs:\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\nExit status: 0 success, 1 data or rule error, 2 usage error.\n"
		   "See shuangbai(1).\n");
}

int cli_fail(void)
{
	fprintf(stderr, "shuangbai: %s\n", sb_error_last());
	return sb_error_code() == SB_EUSAGE ? EXIT_USAGE : EXIT_DATA;
}

int cli_usage(const char *usage_line, const char *fmt, ...)
{
	va_list ap;
	fputs("shuangbai: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage_line);
	return EXIT_USAGE;
}

int cli_want_help(int argc, char **argv, const char *help)
{
	int i;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return 1;
		}
	}
	return 0;
}

static const char *actor(void)
{
	const char *a = getenv("SHUANGBAI_ACTOR");
	struct passwd *pw;
	if (a && *a)
		return a;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

int cli_open(sb_db **out, sb_cli *cli, int flags)
{
	if (sb_db_open(out, cli->db_path, flags) < 0)
		return -1;
	if (sb_db_set_context(*out, actor(), cli->command_line) < 0) {
		sb_db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int progress_shown;

void cli_progress(uint64_t done, uint64_t total, const char *what, void *ctx)
{
	int width = 40, fill, i;
	(void)ctx;
	if (!isatty(STDERR_FILENO))
		return;
	if (total == 0) {
		fprintf(stderr, "\r%s: %llu", what, (unsigned long long)done);
	} else {
		fill = (int)(done * (uint64_t)width / total);
		fprintf(stderr, "\r%-10s [", what);
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : ' ', stderr);
		fprintf(stderr, "] %3d%% %llu/%llu", (int)(done * 100 / total), (unsigned long long)done,
			(unsigned long long)total);
	}
	progress_shown = 1;
	fflush(stderr);
}

void cli_progress_end(void)
{
	if (progress_shown && isatty(STDERR_FILENO))
		fputc('\n', stderr);
	progress_shown = 0;
}

const char *cli_datadir(void)
{
	static const char *const candidates[] = { SB_DATADIR, SB_SRCDATADIR };
	const char *env = getenv("SHUANGBAI_DATA");
	struct stat st;
	size_t i;
	char probe[4096];

	if (env && *env)
		return env;
	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		snprintf(probe, sizeof(probe), "%s/divisions/guangdong.csv", candidates[i]);
		if (stat(probe, &st) == 0)
			return candidates[i];
	}
	return SB_DATADIR;
}

void cli_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	int i;
	char *s, *p;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (!(s = malloc(len)))
		return NULL;
	p = s;
	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(p, argv[i], n);
		p += n;
		*p++ = i + 1 < argc ? ' ' : '\0';
	}
	if (argc == 0)
		*p = '\0';
	return s;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	sb_cli cli;
	const char *env;
	size_t i;
	int c, rc;

	/* Character classes for the terminal; numbers are never read through the locale. */
	setlocale(LC_CTYPE, "");
	memset(&cli, 0, sizeof(cli));
	env = getenv("SHUANGBAI_DB");
	cli.db_path = (env && *env) ? env : "shuangbai.db";

	/* Global options stop at the verb: "+" keeps getopt from permuting. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("shuangbai %s\n", sb_version());
			return EXIT_OK;
		default:
			fprintf(stderr, "shuangbai: unknown option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	rc = EXIT_USAGE;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			int verb = optind;
			if (!(cli.command_line = join_args(argc, argv))) {
				fprintf(stderr, "shuangbai: out of memory\n");
				return EXIT_DATA;
			}
			cli.argc = argc;
			cli.argv = argv;
			optind = 0; /* GNU getopt: start afresh on the verb's own argv */
			opterr = 1;
			rc = verbs[i].fn(&cli, argc - verb, argv + verb);
			break;
		}
	}
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		fprintf(stderr, "shuangbai: unknown verb '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	free(cli.command_line);
	return rc;
}
