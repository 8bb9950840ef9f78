/*
 * What the command's verbs share: the registry location, error reporting with the exit
 * codes of the command (0 ok, 1 rule or data error, 2 usage), the progress bar and the
 * output helpers. Only src/cli prints or exits.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <stdio.h>

#include "shuangbai.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

typedef struct {
	const char *db_path;
	char *command_line;
	int argc;
	char **argv;
} sb_cli;

/* A verb's entry point: argv[0] is the verb. Returns an exit code. */
typedef int (*sb_verb_fn)(sb_cli *cli, int argc, char **argv);

/* Print "shuangbai: MESSAGE" for the last library error; return the exit code for it. */
int cli_fail(void);
/* Print a usage error with the verb's usage line; return EXIT_USAGE. */
int cli_usage(const char *usage, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Open the registry (creating it when `create`), with actor and command set for the audit. */
int cli_open(sb_db **out, sb_cli *cli, int flags);
/* The progress callback: a bar on a terminal, nothing otherwise. */
void cli_progress(uint64_t done, uint64_t total, const char *what, void *ctx);
/* End a bar started by cli_progress (a newline on a terminal). */
void cli_progress_end(void);
/* True when argv holds --help or -h; prints `help` then. */
int cli_want_help(int argc, char **argv, const char *help);
/* Write one CSV field, quoted (RFC 4180) when it holds a comma, quote or line break. */
void cli_csv_field(FILE *f, const char *s);
/* Where the shipped data files are ("data/divisions/..." under it). */
const char *cli_datadir(void);

int cmd_init(sb_cli *cli, int argc, char **argv);
int cmd_org(sb_cli *cli, int argc, char **argv);
int cmd_audit(sb_cli *cli, int argc, char **argv);
int cmd_round(sb_cli *cli, int argc, char **argv);
/* `round place` and `round hire` (cmd_place.c); cmd_round dispatches to them. */
int cmd_round_place(sb_cli *cli, int argc, char **argv);
int cmd_round_hire(sb_cli *cli, int argc, char **argv);
int cmd_demo(sb_cli *cli, int argc, char **argv);
int cmd_generate(sb_cli *cli, int argc, char **argv);
int cmd_staff(sb_cli *cli, int argc, char **argv);
int cmd_pki(sb_cli *cli, int argc, char **argv);
int cmd_contract(sb_cli *cli, int argc, char **argv);
int cmd_pay(sb_cli *cli, int argc, char **argv);
int cmd_payroll(sb_cli *cli, int argc, char **argv);
/* A passphrase from SHUANGBAI_PASSPHRASE or the terminal (echo off; twice when confirm).
 * The caller wipes buf with sb_pki_wipe. Prints why and returns -1 when there is none. */
int cli_passphrase(char *buf, size_t size, int confirm);

#endif
