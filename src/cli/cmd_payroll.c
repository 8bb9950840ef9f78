/*
 * `shuangbai payroll run|show|close|export|verify`: the monthly payroll. Parses options,
 * loads the township key for an export (passphrase as for `pki`), calls the payroll area,
 * prints. Not for any pay rule: those live in src/lib/payroll.c and src/lib/tax.c.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: shuangbai [--db FILE] payroll run YYYY-MM [--scope CODE]\n"
	"       shuangbai [--db FILE] payroll show YYYY-MM [--scope CODE] [--format text|csv]\n"
	"       shuangbai [--db FILE] payroll close YYYY-MM\n"
	"       shuangbai [--db FILE] payroll export YYYY-MM --scope CODE --key KEY --cert CERT --out DIR\n"
	"                 [--no-payslips]\n"
	"       shuangbai [--db FILE] payroll verify FILE.xml --ca CA [--crl CRL] [--db FILE]\n\n"
	"run     compute the month for every contract in force (rerun until closed)\n"
	"show    the month's lines; csv in SPEC's columns, text with totals per township\n"
	"close   close the month: it never changes again\n"
	"export  signed XML, bank CSV and payslips PDF of a closed month for finance\n"
	"verify  check an export's signature, schema, arithmetic and totals; with the\n"
	"        registry also that every line is a contracted worker at the pay run\n\n"
	"The key's passphrase comes from SHUANGBAI_PASSPHRASE, or a prompt on the terminal.\n";

#define USE "shuangbai payroll run|show|close|export|verify"

static int run(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai payroll run YYYY-MM [--scope CODE]";
	const char *scope = NULL;
	sb_payroll_stats st;
	sb_db *db = NULL;
	char g[32], t[32], n[32];
	int c, error;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			scope = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one month YYYY-MM is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	error = sb_payroll_run(&st, db, argv[optind], scope, cli_progress, NULL);
	cli_progress_end();
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("payroll %s: %lld lines, %lld months of arrears, gross %s, tax %s, net %s\n", argv[optind],
	       (long long)st.lines, (long long)st.arrears_lines, sb_money_format(g, sizeof g, st.gross),
	       sb_money_format(t, sizeof t, st.tax), sb_money_format(n, sizeof n, st.net));
	return EXIT_OK;
}

enum { C_BASE, C_ALLOW, C_ARR, C_GROSS, C_PEN, C_MED, C_UNEMP, C_HF, C_SPEC, C_TAX, C_NET, C_N };

static void amounts(int64_t a[C_N], const sb_payroll_line *l)
{
	a[C_BASE] = l->base;
	a[C_ALLOW] = l->allowances;
	a[C_ARR] = l->arrears;
	a[C_GROSS] = l->gross;
	a[C_PEN] = l->pension;
	a[C_MED] = l->medical;
	a[C_UNEMP] = l->unemployment;
	a[C_HF] = l->housing_fund;
	a[C_SPEC] = l->special_deductions;
	a[C_TAX] = l->tax;
	a[C_NET] = l->net;
}

/* The amounts in columns, then the name last: a Chinese name's width is not its bytes. */
static void print_amounts(const int64_t a[C_N], const char *name)
{
	char v[32];
	int i;
	for (i = 0; i < C_N; i++)
		printf(" %11s", sb_money_format(v, sizeof v, a[i]));
	if (name)
		printf("  %s", name);
	putchar('\n');
}

static void print_total(const char *label, size_t count, const int64_t a[C_N])
{
	char lab[64];
	snprintf(lab, sizeof lab, "%s (%zu)", label, count);
	printf("%-21s", lab);
	print_amounts(a, NULL);
}

static int show(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai payroll show YYYY-MM [--scope CODE] [--format text|csv]";
	const char *scope = NULL, *format = "text";
	sb_payroll *p = NULL;
	sb_db *db = NULL;
	size_t k, intown = 0;
	int c, i;
	int64_t a[C_N], town_tot[C_N], all[C_N];
	char v[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			scope = optarg;
		else if (c == 'f')
			format = optarg;
		else
			return cli_usage(use, "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one month YYYY-MM is needed");
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(use, "--format must be text or csv");
	if (cli_open(&db, cli, SB_DB_READONLY) < 0)
		return cli_fail();
	if (sb_payroll_get(&p, db, argv[optind], scope) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	if (strcmp(format, "csv") == 0) {
		printf("id_number,name,days,base,allowances,arrears,gross,pension,medical,unemployment,"
		       "housing_fund,special_deductions,tax,net\n");
		for (k = 0; k < p->n; k++) {
			fputs(p->lines[k].id_number, stdout);
			putchar(',');
			cli_csv_field(stdout, p->lines[k].name);
			printf(",%d", p->lines[k].days);
			amounts(a, &p->lines[k]);
			for (i = 0; i < C_N; i++)
				printf(",%s", sb_money_format(v, sizeof v, a[i]));
			putchar('\n');
		}
	} else {
		memset(all, 0, sizeof all);
		memset(town_tot, 0, sizeof town_tot);
		printf("payroll %s%s, %zu lines, amounts in yuan\n", p->month, p->closed ? " (closed)" : " (open)", p->n);
		for (k = 0; k < p->n; k++) {
			const sb_payroll_line *l = &p->lines[k];
			if (k == 0 || strcmp(l->township_code, p->lines[k - 1].township_code) != 0) {
				sb_division d;
				if (sb_org_division(&d, db, l->township_code) == 0) {
					printf("\n%s %s\n", l->township_code, d.name);
					sb_division_clear(&d);
				} else {
					printf("\n%s\n", l->township_code);
				}
				printf("%-18s %2s %11s %11s %11s %11s %11s %11s %11s %11s %11s %11s %11s  %s\n", "id_number",
				       "d", "base", "allowances", "arrears", "gross", "pension", "medical",
				       "unemploym.", "housing", "special", "tax", "net", "name");
			}
			printf("%-18s %2d", l->id_number, l->days);
			amounts(a, l);
			print_amounts(a, l->name);
			for (i = 0; i < C_N; i++) {
				town_tot[i] += a[i];
				all[i] += a[i];
			}
			intown++;
			if (k + 1 == p->n || strcmp(l->township_code, p->lines[k + 1].township_code) != 0) {
				print_total("township total", intown, town_tot);
				memset(town_tot, 0, sizeof town_tot);
				intown = 0;
			}
		}
		putchar('\n');
		print_total("total", p->n, all);
	}
	sb_payroll_free(p);
	sb_db_close(db);
	return EXIT_OK;
}

static int close_month(sb_cli *cli, int argc, char **argv)
{
	sb_db *db = NULL;
	if (argc != 2)
		return cli_usage("shuangbai payroll close YYYY-MM", "one month YYYY-MM is needed");
	if (cli_open(&db, cli, 0) < 0)
		return cli_fail();
	if (sb_payroll_close(db, argv[1]) < 0) {
		sb_db_close(db);
		return cli_fail();
	}
	sb_db_close(db);
	printf("payroll %s closed\n", argv[1]);
	return EXIT_OK;
}

static int export(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-payslips", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai payroll export YYYY-MM --scope CODE --key KEY --cert CERT --out DIR [--no-payslips]";
	const char *scope = NULL, *key = NULL, *cert = NULL, *dir = NULL;
	char pass[1024];
	sb_signer *signer = NULL;
	sb_payroll_export_info e;
	sb_db *db = NULL;
	int c, error;
	unsigned flags = 0;
	char net[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': flags |= SB_PAYROLL_NO_PAYSLIPS; break;
		case 's': scope = optarg; break;
		case 'k': key = optarg; break;
		case 'c': cert = optarg; break;
		case 'o': dir = optarg; break;
		default: return cli_usage(use, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one month YYYY-MM is needed");
	if (!scope || !key || !cert || !dir)
		return cli_usage(use, "--scope, --key, --cert and --out are needed");
	if (cli_passphrase(pass, sizeof pass, 0) < 0)
		return EXIT_DATA;
	error = sb_signer_load(&signer, key, cert, pass);
	sb_pki_wipe(pass, sizeof pass);
	if (error < 0)
		return cli_fail();
	if (cli_open(&db, cli, SB_DB_READONLY) < 0) {
		sb_signer_free(signer);
		return cli_fail();
	}
	memset(&e, 0, sizeof e);
	error = sb_payroll_export(&e, db, argv[optind], scope, signer, dir, flags);
	sb_db_close(db);
	sb_signer_free(signer);
	if (error < 0)
		return cli_fail();
	printf("%lld lines, net %s\n%s\n%s\n", (long long)e.count, sb_money_format(net, sizeof net, e.net),
	       e.xml_path, e.bank_path);
	if (e.pdf_path)
		printf("%s\n", e.pdf_path);
	sb_payroll_export_clear(&e);
	return EXIT_OK;
}

static int verify(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ca", required_argument, NULL, 'A' },
		{ "crl", required_argument, NULL, 'R' },
		{ "db", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai payroll verify FILE.xml --ca CA [--crl CRL] [--db FILE]";
	const char *ca = NULL, *crl = NULL;
	sb_payroll_verified v;
	sb_db *db = NULL;
	int c, error, with_db = 0;
	char net[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'A': ca = optarg; break;
		case 'R': crl = optarg; break;
		case 'D': cli->db_path = optarg; with_db = 1; break;
		default: return cli_usage(use, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(use, "one FILE.xml is needed");
	if (!ca)
		return cli_usage(use, "--ca is needed");
	/* finance may hold only the file: the registry is consulted when --db names it */
	if (with_db) {
		if (cli_open(&db, cli, SB_DB_READONLY) < 0)
			return cli_fail();
	}
	memset(&v, 0, sizeof v);
	error = sb_payroll_verify(&v, argv[optind], ca, crl, db);
	sb_db_close(db);
	if (error < 0)
		return cli_fail();
	printf("%s: valid payroll %s of %s signed by %s: %lld lines, net %s%s\n", argv[optind], v.month, v.scope,
	       v.signer, (long long)v.count, sb_money_format(net, sizeof net, v.net),
	       db ? ", matching the registry" : "");
	sb_payroll_verified_clear(&v);
	return EXIT_OK;
}

int cmd_payroll(sb_cli *cli, int argc, char **argv)
{
	const char *sub;

	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 2)
		return cli_usage(USE, "payroll needs a command");
	sub = argv[1];
	if (strcmp(sub, "run") == 0)
		return run(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return show(cli, argc - 1, argv + 1);
	if (strcmp(sub, "close") == 0)
		return close_month(cli, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return export(cli, argc - 1, argv + 1);
	if (strcmp(sub, "verify") == 0)
		return verify(cli, argc - 1, argv + 1);
	return cli_usage(USE, "unknown payroll command '%s'", sub);
}
