/*
 * `shuangbai contract issue|verify`: a township's signed labour contracts. Parses options,
 * loads the township's key (passphrase as for `pki`), calls the contract area, reports.
 * Not for the contract rules or documents themselves (src/lib/contract.c).
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: shuangbai [--db FILE] contract issue --township CODE --key KEY --cert CERT --out DIR\n"
	"           [--person ID] [--start YYYY-MM-DD] [--term-years N | --open-ended]\n"
	"           [--probation-months N] [--monthly-pay YUAN] [--probation-pay YUAN]\n"
	"           [--ca CA] [--crl CRL]\n"
	"       shuangbai contract verify FILE.xml|FILE.pdf... --ca CA [--crl CRL]\n\n"
	"issue   the labour contract of every worker of township CODE who has none (or of one\n"
	"        person): DIR/<number>.xml (XML-DSig) and DIR/<number>.pdf (PAdES), signed with\n"
	"        the township's key. Defaults: start on the worker's start date, 3 years, probation\n"
	"        2 months for a recruit and none for a taken-over worker, pay by the pay policy.\n"
	"        --monthly-pay stands in when no pay policy applies. The CA and CRL default to\n"
	"        ca.pem and crl.pem beside CERT, when present: a revoked key is refused.\n"
	"verify  check a contract's signature, chain to CA, revocation (CRL), that the signer is\n"
	"        the employer, and (XML) the schema.\n";


/* ca.pem / crl.pem beside the certificate, when there. */
static char *beside(const char *cert, const char *name)
{
	char *copy = strdup(cert), *dir, *out = NULL;
	size_t n;
	if (!copy)
		return NULL;
	dir = dirname(copy);
	n = strlen(dir) + strlen(name) + 2;
	if ((out = malloc(n))) {
		snprintf(out, n, "%s/%s", dir, name);
		if (access(out, R_OK) != 0) {
			free(out);
			out = NULL;
		}
	}
	free(copy);
	return out;
}

static int issue(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "township", required_argument, NULL, 't' },
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "person", required_argument, NULL, 'p' },
		{ "start", required_argument, NULL, 's' },
		{ "term-years", required_argument, NULL, 'y' },
		{ "open-ended", no_argument, NULL, 'e' },
		{ "probation-months", required_argument, NULL, 'm' },
		{ "monthly-pay", required_argument, NULL, 'w' },
		{ "probation-pay", required_argument, NULL, 'W' },
		{ "ca", required_argument, NULL, 'A' },
		{ "crl", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai contract issue --township CODE --key KEY --cert CERT --out DIR [options]";
	sb_contract_issue_opts o;
	const char *key = NULL, *cert = NULL;
	char *ca = NULL, *crl = NULL, *end, pass[256];
	sb_signer *signer = NULL;
	sb_db *db = NULL;
	size_t count = 0;
	int c, error, term_given = 0;
	long v;

	memset(&o, 0, sizeof o);
	o.probation_months = -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': o.township = optarg; break;
		case 'k': key = optarg; break;
		case 'c': cert = optarg; break;
		case 'o': o.out_dir = optarg; break;
		case 'p': o.id_number = optarg; break;
		case 's': o.start = optarg; break;
		case 'e': o.open_ended = 1; break;
		case 'A': free(ca); ca = strdup(optarg); break;
		case 'R': free(crl); crl = strdup(optarg); break;
		case 'y':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 50) {
				error = cli_usage(use, "--term-years must be a number of years from 1 to 50");
				goto out;
			}
			o.term_years = (int)v;
			term_given = 1;
			break;
		case 'm':
			v = strtol(optarg, &end, 10);
			if (*end || v < 0 || v > 120) {
				error = cli_usage(use, "--probation-months must be a number of months");
				goto out;
			}
			o.probation_months = (int)v;
			break;
		case 'w':
		case 'W':
			if (sb_money_parse(c == 'w' ? &o.monthly_fen : &o.probation_fen, optarg) < 0 ||
			    (c == 'w' ? o.monthly_fen : o.probation_fen) <= 0) {
				error = cli_usage(use, "--%s: '%s' is not an amount in yuan", c == 'w' ? "monthly-pay" : "probation-pay", optarg);
				goto out;
			}
			break;
		default: error = cli_usage(use, "unknown option"); goto out;
		}
	}
	if (optind < argc) {
		error = cli_usage(use, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!o.township || !key || !cert || !o.out_dir) {
		error = cli_usage(use, "--township, --key, --cert and --out are needed");
		goto out;
	}
	if (term_given && o.open_ended) {
		error = cli_usage(use, "--term-years and --open-ended exclude each other");
		goto out;
	}
	if (!ca)
		ca = beside(cert, "ca.pem");
	if (!crl)
		crl = beside(cert, "crl.pem");
	o.ca_path = ca;
	o.crl_path = crl;
	o.progress = cli_progress;
	if (cli_passphrase(pass, sizeof pass, 0) < 0) {
		error = EXIT_DATA;
		goto out;
	}
	error = sb_signer_load(&signer, key, cert, pass);
	sb_pki_wipe(pass, sizeof pass);
	if (error < 0) {
		error = cli_fail();
		goto out;
	}
	if (cli_open(&db, cli, 0) < 0) {
		error = cli_fail();
		goto out;
	}
	error = sb_contract_issue(&count, db, signer, &o);
	cli_progress_end();
	if (error < 0) {
		error = cli_fail();
		goto out;
	}
	printf("%zu contract%s issued in %s\n", count, count == 1 ? "" : "s", o.out_dir);
	error = EXIT_OK;
out:
	sb_db_close(db);
	sb_signer_free(signer);
	free(ca);
	free(crl);
	return error;
}

static int verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", required_argument, NULL, 'A' },
		{ "crl", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai contract verify FILE... --ca CA [--crl CRL]";
	const char *ca = NULL, *crl = NULL;
	int c, i, bad = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'A')
			ca = optarg;
		else if (c == 'R')
			crl = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (!ca)
		return cli_usage(use, "--ca is needed");
	if (optind >= argc)
		return cli_usage(use, "a FILE is needed");
	for (i = optind; i < argc; i++) {
		sb_contract_verified v;
		if (sb_contract_verify(&v, argv[i], ca, crl) < 0) {
			cli_fail();
			bad = 1;
			continue;
		}
		printf("%s: valid: contract %s, employer %s%s%s%s%s\n", argv[i], v.number, v.township,
		       v.employer_name ? " " : "", v.employer_name ? v.employer_name : "", v.worker_name ? ", worker " : "",
		       v.worker_name ? v.worker_name : "");
		sb_contract_verified_clear(&v);
	}
	return bad ? EXIT_DATA : EXIT_OK;
}

int cmd_contract(sb_cli *cli, int argc, char **argv)
{
	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage("shuangbai contract issue|verify", "contract needs a command");
	if (strcmp(argv[1], "issue") == 0)
		return issue(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return verify(argc - 1, argv + 1);
	return cli_usage("shuangbai contract issue|verify", "unknown contract command '%s'", argv[1]);
}
