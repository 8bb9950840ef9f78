/*
 * `shuangbai pki init|issue|revoke`: the province CA, township signing certificates and
 * the CRL. Parses options, gets the passphrase (SHUANGBAI_PASSPHRASE, else a prompt on the
 * terminal with echo off), calls the pki area, wipes the passphrase. Also home of the
 * passphrase reader `contract issue` uses. Not for key handling itself (src/lib/pki.c).
 */
#include "config.h"
#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char help[] =
	"usage: shuangbai pki init --dir DIR [--rsa] [--province NAME]\n"
	"       shuangbai pki issue --dir DIR --township CODE [--days N] [--not-before YYYY-MM-DD]\n"
	"       shuangbai pki revoke --dir DIR --township CODE\n\n"
	"init    make the province root CA: DIR/ca.pem, DIR/ca.key (EC P-256, or RSA-3072 with --rsa)\n"
	"issue   make township CODE's signing certificate and key: DIR/CODE.pem, DIR/CODE.key\n"
	"revoke  revoke township CODE's certificate and write the CRL DIR/crl.pem\n\n"
	"Private keys are encrypted with the passphrase in SHUANGBAI_PASSPHRASE, or one asked\n"
	"for on the terminal; key files get mode 0600. --days and --not-before set a township\n"
	"certificate's validity (default: from now, 5 years).\n";

static int read_tty(char *buf, size_t size, const char *prompt)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY), echo_off = 0;
	size_t n = 0;
	char c;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy; reading still works */
	}
	while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
		if (n + 1 < size)
			buf[n++] = c;
	buf[n] = '\0';
	c = 0;
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* as above */
	}
	close(fd);
	return 0;
}

int cli_passphrase(char *buf, size_t size, int confirm)
{
	const char *env = getenv("SHUANGBAI_PASSPHRASE");
	char again[256];

	if (env) {
		size_t n = strlen(env);
		if (n + 1 > size) {
			fprintf(stderr, "shuangbai: SHUANGBAI_PASSPHRASE is too long\n");
			return -1;
		}
		memcpy(buf, env, n + 1);
		return 0;
	}
	if (read_tty(buf, size, "Passphrase: ") < 0) {
		fprintf(stderr, "shuangbai: no passphrase: set SHUANGBAI_PASSPHRASE or run on a terminal\n");
		return -1;
	}
	if (confirm) {
		if (read_tty(again, sizeof again, "Passphrase again: ") < 0 || strcmp(buf, again) != 0) {
			sb_pki_wipe(again, sizeof again);
			sb_pki_wipe(buf, size);
			fprintf(stderr, "shuangbai: the passphrases differ\n");
			return -1;
		}
		sb_pki_wipe(again, sizeof again);
	}
	return 0;
}

int cmd_pki(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "rsa", no_argument, NULL, 'r' },
		{ "province", required_argument, NULL, 'p' },
		{ "township", required_argument, NULL, 't' },
		{ "days", required_argument, NULL, 'n' },
		{ "not-before", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai pki init|issue|revoke --dir DIR [--township CODE] [--rsa]";
	const char *sub, *dir = NULL, *province = NULL, *township = NULL, *not_before = NULL;
	char pass[256];
	int rsa = 0, days = 0, c, error;
	char *end;

	(void)cli;
	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(use, "pki needs a command");
	sub = argv[1];
	if (strcmp(sub, "init") != 0 && strcmp(sub, "issue") != 0 && strcmp(sub, "revoke") != 0)
		return cli_usage(use, "unknown pki command '%s'", sub);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'r': rsa = 1; break;
		case 'p': province = optarg; break;
		case 't': township = optarg; break;
		case 'b': not_before = optarg; break;
		case 'n':
			days = (int)strtol(optarg, &end, 10);
			if (*end || days <= 0 || days > 36500)
				return cli_usage(use, "--days must be a number of days from 1 to 36500");
			break;
		default: return cli_usage(use, "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage(use, "unexpected argument '%s'", argv[optind]);
	if (!dir)
		return cli_usage(use, "--dir is needed");
	if (strcmp(sub, "init") != 0 && !township)
		return cli_usage(use, "--township is needed");
	if (strcmp(sub, "init") == 0 && township)
		return cli_usage(use, "pki init takes no --township");
	if (cli_passphrase(pass, sizeof pass, strcmp(sub, "init") == 0) < 0)
		return EXIT_DATA;
	if (strcmp(sub, "init") == 0)
		error = sb_pki_init(dir, rsa, pass, province);
	else if (strcmp(sub, "issue") == 0)
		error = sb_pki_issue(dir, township, pass, days, not_before);
	else
		error = sb_pki_revoke(dir, township, pass);
	sb_pki_wipe(pass, sizeof pass);
	if (error < 0)
		return cli_fail();
	if (strcmp(sub, "init") == 0)
		printf("%s/ca.pem, %s/ca.key (%s), %s/crl.pem written\n", dir, dir, rsa ? "RSA-3072" : "EC P-256", dir);
	else if (strcmp(sub, "issue") == 0)
		printf("%s/%s.pem, %s/%s.key written\n", dir, township, dir, township);
	else
		printf("township %s revoked; %s/crl.pem written\n", township, dir);
	return EXIT_OK;
}
