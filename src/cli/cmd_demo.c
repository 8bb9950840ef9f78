/*
 * `shuangbai demo`: a province's whole year in one command, on generated applicants and
 * rosters over the real divisions: registry, recruitment round, placement, hiring, take-over,
 * keys, contracts, assessments with a retroactive raise, twelve payrolls with exports, and the
 * verification of every output. Each step is an ordinary library call, the same one a verb
 * makes; the demo keeps its own calendar (SHUANGBAI_TODAY) so that the year can pass in
 * seconds. It prints a summary and where each output lies.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"usage: shuangbai demo [--province guangdong|inner-mongolia] [--dir DIR]\n"
	"                      [--scale small|province] [--seed N]\n\n"
	"Run a province's year end to end in DIR (default ./shuangbai-demo), afresh:\n"
	"divisions, flags, employers, stations; a recruitment round (pools per county) with\n"
	"the province's example policy; placement and hiring; take-over of existing staff;\n"
	"keys and signed contracts; assessments and a retroactive raise; twelve payrolls,\n"
	"closed, exported and verified. --scale province staffs every station of the province;\n"
	"the default (small) recruits in a few counties and finishes in seconds.\n"
	"Keys are protected with $SHUANGBAI_PASSPHRASE (default \"demo\").\n";

typedef struct {
	const char *name;     /* guangdong | inner-mongolia */
	const char *code;     /* the province's division code */
	const char *title;
	int papers;           /* written papers: 1 × 100 or 2 × 150 */
	int minority;         /* percent of applicants with the minority bonus */
} province;

static const province provinces[] = {
	{ "guangdong", "440000000000", "广东省", 1, 0 },
	{ "inner-mongolia", "150000000000", "内蒙古自治区", 2, 20 },
};

typedef struct {
	const province *p;
	const char *dir;
	char db[4096];
	int province_scale;
	uint64_t seed;
	sb_db *h;
	const char *pass;
	double t0;
} demo;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void step(demo *d, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void step(demo *d, const char *fmt, ...)
{
	va_list ap;
	printf("[%6.1fs] ", now() - d->t0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void path(char *out, size_t size, const demo *d, const char *rel)
{
	snprintf(out, size, "%s/%s", d->dir, rel);
}

static int mkdirs(const demo *d, const char *rel)
{
	char p[4096];
	path(p, sizeof(p), d, rel);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return sb_error_set(SB_EIO, "%s: cannot create: %s", p, strerror(errno));
	return 0;
}

/* The demo's calendar: the registry's rules read today's date from here. */
static void today(const char *date)
{
	setenv("SHUANGBAI_TODAY", date, 1);
}

static const char *formsdir(void)
{
	static char buf[4096];
	struct stat st;
	snprintf(buf, sizeof(buf), "%s/forms", cli_datadir());
	if (stat(buf, &st) == 0)
		return buf;
	snprintf(buf, sizeof(buf), "%s/../forms", cli_datadir());
	return buf;
}

static int registry(demo *d)
{
	char p[4096], q[4096];
	sb_org_stats stats, st, pt;

	snprintf(p, sizeof(p), "%s/divisions/%s.csv", cli_datadir(), d->p->name);
	if (sb_org_import(d->h, p, &stats, cli_progress, NULL) < 0)
		return -1;
	cli_progress_end();
	step(d, "divisions: %lld imported from %s", (long long)stats.added, p);
	if (strcmp(d->p->name, "inner-mongolia") == 0) {
		snprintf(p, sizeof(p), "%s/flags-inner-mongolia.csv", cli_datadir());
		if (sb_org_flags(d->h, p, &stats) < 0)
			return -1;
		step(d, "flags: %lld border, pastoral and remote divisions marked", (long long)stats.added);
	}
	path(q, sizeof(q), d, "inputs/employers.csv");
	if (sb_generate_employers(d->h, d->p->code, d->seed, q) < 0 || sb_org_employers(d->h, q, &stats) < 0)
		return -1;
	step(d, "employers: %lld township governments with credit codes", (long long)stats.added);
	if (sb_org_stations(d->h, &st, &pt) < 0)
		return -1;
	step(d, "stations: %lld stations and %lld points created", (long long)st.added, (long long)pt.added);
	return 0;
}

static int recruitment(demo *d, const char *round)
{
	char p[4096], in[4096];
	sb_generate_round_opts o;
	sb_generate_counts n;
	int64_t rows, shortlisted;
	char **list = NULL;
	size_t nl = 0, i, nrows = 0, proposed = 0, ties = 0;
	sb_round_row *rows_out = NULL;
	sb_round_screening *scr = NULL;
	int error;

	snprintf(p, sizeof(p), "%s/policy-%s.xml", formsdir(), d->p->name);
	today("2026-03-01");
	if (sb_round_create(d->h, round, p) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.seed = d->seed;
	o.pools = d->province_scale ? 0 : 3;
	o.seats_per_pool = d->province_scale ? 20 : 6;
	o.applicants_per_seat = 8;
	o.subjects = d->p->papers;
	o.subject_ids[0] = d->p->papers == 2 ? "zc" : "sw";
	o.subject_ids[1] = "zy";
	o.subject_max = d->p->papers == 2 ? 150 : 100;
	o.minority_share = d->p->minority;
	o.minority_bonus = 250;
	o.minority_language = d->p->minority ? "mn" : NULL;
	path(in, sizeof(in), d, "inputs");
	if (sb_generate_round(&n, d->h, d->p->code, &o, in) < 0)
		return -1;
	path(p, sizeof(p), d, "inputs/posts.csv");
	if (sb_round_posts(d->h, round, p, &rows) < 0)
		return -1;
	path(p, sizeof(p), d, "inputs/applications.csv");
	if (sb_round_apply(d->h, round, p, &rows, cli_progress, NULL) < 0)
		return -1;
	cli_progress_end();
	step(d, "round %s: %lld posts in %lld pools, %lld applications (policy %s/policy-%s.xml)", round,
	     (long long)n.posts, (long long)n.pools, (long long)rows, formsdir(), d->p->name);
	if (sb_round_screen(&scr, d->h, round) < 0)
		return -1;
	sb_round_screening_free(scr);
	/* Only the applicants screening admitted sit the written exam. */
	if (sb_round_eligible(&list, &nl, d->h, round) < 0)
		return -1;
	path(p, sizeof(p), d, "inputs/written.csv");
	error = sb_generate_written(&rows, &o, (const char *const *)list, nl, p);
	sb_round_list_free(list, nl);
	list = NULL;
	if (error < 0 || sb_round_written(d->h, round, p, &rows, cli_progress, NULL) < 0)
		return -1;
	cli_progress_end();
	if (sb_round_shortlist(&shortlisted, d->h, round) < 0)
		return -1;
	step(d, "screened, written scores loaded, %lld shortlisted for interview", (long long)shortlisted);
	if (sb_round_shortlisted(&list, &nl, d->h, round) < 0)
		return -1;
	path(p, sizeof(p), d, "inputs/interview.csv");
	error = sb_generate_interviews((const char *const *)list, nl, 3, d->p->papers == 2 ? 5 : 7, d->seed, p);
	sb_round_list_free(list, nl);
	if (error < 0 || sb_round_interview(d->h, round, p, &rows, cli_progress, NULL) < 0)
		return -1;
	cli_progress_end();
	if (sb_round_rank(&rows_out, &nrows, d->h, round) < 0)
		return -1;
	/* Ties across the last seat are the panel's to break by an additional assessment; the demo
	 * stands in for it by taking the tied applicant with the smaller app_no. */
	{
		const char **tied = NULL;
		size_t nt = 0;
		tied = calloc(nrows ? nrows : 1, sizeof(*tied));
		for (i = 0; tied && i < nrows; i++) {
			if (strcmp(rows_out[i].status, "tie") == 0) {
				size_t j = i;
				while (j + 1 < nrows && strcmp(rows_out[j + 1].status, "tie") == 0 &&
				       strcmp(rows_out[j + 1].unit, rows_out[i].unit) == 0)
					j++;
				tied[nt++] = rows_out[i].app_no;
				ties++;
				i = j;
			}
		}
		if (nt && sb_round_resolve(d->h, round, tied, nt) < 0) {
			free(tied);
			sb_round_rows_free(rows_out, nrows);
			return -1;
		}
		free(tied);
	}
	sb_round_rows_free(rows_out, nrows);
	if (sb_round_rows(&rows_out, &nrows, d->h, round) < 0)
		return -1;
	list = calloc(nrows ? nrows : 1, sizeof(*list));
	for (i = 0; list && i < nrows; i++)
		if (strcmp(rows_out[i].status, "proposed") == 0)
			list[proposed++] = rows_out[i].app_no;
	path(p, sizeof(p), d, "inputs/outcomes.csv");
	error = list ? sb_generate_outcomes((const char *const *)list, proposed, d->seed, p) : SB_ENOMEM;
	free(list);
	sb_round_rows_free(rows_out, nrows);
	step(d, "interviews corrected by panel, ranked: %zu proposed, %zu ties resolved", proposed, ties);
	today("2026-05-20");
	if (error < 0 || sb_round_outcome(d->h, round, p, &rows) < 0)
		return -1;
	path(p, sizeof(p), d, "notice.pdf");
	if (sb_round_notice(d->h, round, p) < 0)
		return -1;
	step(d, "medical and inspection outcomes with backfill; public notice %s", p);
	return 0;
}

static int placement(demo *d, const char *round)
{
	sb_place_result *merit = NULL, *dist = NULL;
	sb_place_hire_stats hs;
	const sb_place_summary *m, *x;

	if (sb_place_run(&dist, d->h, round, SB_PLACE_DISTANCE) < 0 || sb_place_run(&merit, d->h, round, SB_PLACE_MERIT) < 0) {
		sb_place_result_free(dist);
		return -1;
	}
	m = &merit->pools[merit->npools - 1].merit;
	x = &dist->pools[dist->npools - 1].distance;
	step(d, "placement by merit: %lld of %lld placed, mean %lld.%lld km, max %lld.%lld km; "
		"minimum distance would give mean %lld.%lld km",
	     (long long)m->placed, (long long)m->applicants, (long long)(m->mean_tenths / 10),
	     (long long)(m->mean_tenths % 10), (long long)(m->max_tenths / 10), (long long)(m->max_tenths % 10),
	     (long long)(x->mean_tenths / 10), (long long)(x->mean_tenths % 10));
	sb_place_result_free(dist);
	sb_place_result_free(merit);
	{
		char p[4096];
		sb_round_report *rep = NULL;
		int pages = 0;
		path(p, sizeof(p), d, "round-report.pdf");
		if (sb_round_report_get(&rep, d->h, round) < 0 || sb_round_report_pdf(&pages, rep, p) < 0) {
			sb_round_report_free(rep);
			return -1;
		}
		step(d, "round report of %zu units, %d pages: %s", rep->nunits, pages, p);
		sb_round_report_free(rep);
	}
	today("2026-06-20");
	if (sb_place_hire(&hs, d->h, round, "2026-07-01") < 0)
		return -1;
	step(d, "hired %lld social workers from 2026-07-01", (long long)hs.hired);
	return 0;
}

static int takeover(demo *d)
{
	char p[4096], scope[13];
	int64_t rows = 0;
	sb_staff_import_opts o;
	sb_staff_stats st;
	sb_worker *w = NULL;
	size_t nw = 0;

	/* The small demo takes over the staff of the county where the first recruit works; the
	 * province scale every township's. */
	if (sb_staff_workers(&w, &nw, d->h, d->p->code, NULL) < 0)
		return -1;
	if (d->province_scale || nw == 0)
		snprintf(scope, sizeof(scope), "%s", d->p->code);
	else
		snprintf(scope, sizeof(scope), "%.6s000000", w[0].township_code);
	sb_staff_workers_free(w, nw);
	path(p, sizeof(p), d, "inputs/roster.csv");
	/* province scale: every station and every village point staffed (SPEC §8) */
	if (sb_generate_roster(&rows, d->h, scope, d->province_scale ? 0 : 2, d->seed, p) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.source = "relief";
	o.start_date = "2026-07-01";
	o.progress = cli_progress;
	if (sb_staff_import(&st, d->h, p, &o) < 0)
		return -1;
	cli_progress_end();
	step(d, "took over %lld relief caseworkers of %s with their years of service (%s)", (long long)st.added, scope, p);
	return 0;
}

/* Townships with workers: the employers who sign. */
static int townships(char (**out)[13], size_t *out_n, demo *d)
{
	sb_worker *w = NULL;
	size_t n = 0, i, k = 0;
	char(*list)[13];

	*out = NULL;
	*out_n = 0;
	if (sb_staff_workers(&w, &n, d->h, d->p->code, NULL) < 0)
		return -1;
	if (!(list = calloc(n ? n : 1, sizeof(*list)))) {
		sb_staff_workers_free(w, n);
		return sb_error_set(SB_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < k && strcmp(list[j], w[i].township_code) != 0; j++)
			;
		if (j == k)
			memcpy(list[k++], w[i].township_code, 13);
	}
	sb_staff_workers_free(w, n);
	*out = list;
	*out_n = k;
	return 0;
}

static int contracts(demo *d, char (*towns)[13], size_t nt, sb_signer **signers, size_t *out_total)
{
	char pki[4096], key[4200], cert[4200], ca[4200], out[4096];
	size_t i, total = 0;

	path(pki, sizeof(pki), d, "pki");
	path(out, sizeof(out), d, "contracts");
	snprintf(ca, sizeof(ca), "%s/ca.pem", pki);
	if (sb_pki_init(pki, 0, d->pass, d->p->title) < 0)
		return -1;
	for (i = 0; i < nt; i++) {
		sb_signer *s = NULL;
		sb_contract_issue_opts o;
		size_t count = 0;
		int error;
		if (sb_pki_issue(pki, towns[i], d->pass, 3 * 366, NULL) < 0)
			return -1;
		snprintf(key, sizeof(key), "%s/%s.key", pki, towns[i]);
		snprintf(cert, sizeof(cert), "%s/%s.pem", pki, towns[i]);
		if (sb_signer_load(&signers[i], key, cert, d->pass) < 0)
			return -1;
		s = signers[i];
		memset(&o, 0, sizeof(o));
		o.township = towns[i];
		o.out_dir = out;
		o.probation_months = -1;
		o.ca_path = ca;
		error = sb_contract_issue(&count, d->h, s, &o);
		if (error < 0)
			return -1;
		total += count;
	}
	*out_total = total;
	step(d, "keys: province CA and %zu township certificates in %s; %zu contracts signed (XML + PDF) in %s",
	     nt, pki, total, out);
	return 0;
}

static int payrolls(demo *d, char (*towns)[13], size_t nt, sb_signer **signers)
{
	static const char *const months[] = { "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
					      "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06" };
	char p[4096], pki[4096], out[4096], ca[4200], date[16];
	sb_worker *w = NULL;
	size_t nw = 0, i, m, exports = 0;
	const char **ids = NULL;
	int64_t rows, raised = 0, gross = 0, tax = 0, net = 0, arrears = 0;

	path(pki, sizeof(pki), d, "pki");
	path(out, sizeof(out), d, "payroll");
	snprintf(ca, sizeof(ca), "%s/ca.pem", pki);
	if (sb_staff_workers(&w, &nw, d->h, d->p->code, NULL) < 0)
		return -1;
	if (!(ids = calloc(nw ? nw : 1, sizeof(*ids)))) {
		sb_staff_workers_free(w, nw);
		return sb_error_set(SB_ENOMEM, "out of memory");
	}
	for (i = 0; i < nw; i++)
		ids[i] = w[i].id_number;
	path(p, sizeof(p), d, "inputs/deductions.csv");
	if (sb_generate_deductions(ids, nw, 2026, d->seed, p) < 0 || sb_pay_deductions(&rows, d->h, p) < 0)
		goto fail;
	path(p, sizeof(p), d, "inputs/deductions-2027.csv");
	if (sb_generate_deductions(ids, nw, 2027, d->seed + 1, p) < 0 || sb_pay_deductions(&rows, d->h, p) < 0)
		goto fail;
	for (m = 0; m < 12; m++) {
		sb_payroll_stats st;
		snprintf(date, sizeof(date), "%s-28", months[m]);
		today(date);
		if (m == 6) {
			/* January: the 2026 assessment is in; its raise is decided in April, back to January. */
			path(p, sizeof(p), d, "inputs/evaluation-2026.csv");
			if (sb_generate_evaluations(ids, nw, d->seed, p) < 0 || sb_pay_evaluate(&rows, d->h, 2026, p) < 0)
				goto fail;
		}
		if (m == 9) {
			if (sb_pay_raise(&raised, d->h, 2026, "2027-01-01") < 0)
				goto fail;
			step(d, "2026 assessment: %lld workers raised from 2027-01-01, decided in April: arrears follow", (long long)raised);
		}
		if (sb_payroll_run(&st, d->h, months[m], NULL, cli_progress, NULL) < 0 || sb_payroll_close(d->h, months[m]) < 0)
			goto fail;
		cli_progress_end();
		gross += st.gross;
		tax += st.tax;
		net += st.net;
		arrears += st.arrears_lines;
		/* Finance gets every township's signed export of every month. */
		for (i = 0; i < nt; i++) {
			sb_payroll_export_info e;
			int error;
			memset(&e, 0, sizeof(e));
			error = sb_payroll_export(&e, d->h, months[m], towns[i], signers[i], out, 0);
			if (error == 0) {
				sb_payroll_verified v;
				memset(&v, 0, sizeof(v));
				error = sb_payroll_verify(&v, e.xml_path, ca, NULL, d->h);
				sb_payroll_verified_clear(&v);
				exports++;
			}
			sb_payroll_export_clear(&e);
			if (error < 0)
				goto fail;
		}
		step(d, "payroll %s: %lld lines, gross %lld.%02lld, tax %lld.%02lld, net %lld.%02lld yuan; closed, %zu exports signed and verified",
		     months[m], (long long)st.lines, (long long)(st.gross / 100), (long long)(st.gross % 100),
		     (long long)(st.tax / 100), (long long)(st.tax % 100), (long long)(st.net / 100),
		     (long long)(st.net % 100), nt);
	}
	step(d, "twelve payrolls: gross %lld.%02lld, tax %lld.%02lld, net %lld.%02lld yuan; %lld months of arrears paid; %zu exports in %s",
	     (long long)(gross / 100), (long long)(gross % 100), (long long)(tax / 100), (long long)(tax % 100),
	     (long long)(net / 100), (long long)(net % 100), (long long)arrears, exports, out);
	free(ids);
	sb_staff_workers_free(w, nw);
	return 0;
fail:
	free(ids);
	sb_staff_workers_free(w, nw);
	return -1;
}

static int verify_contracts(demo *d)
{
	char out[4096], ca[4200], p[8400];
	sb_contract_info *c = NULL;
	size_t n = 0, i, ok = 0;

	path(out, sizeof(out), d, "contracts");
	snprintf(ca, sizeof(ca), "%s/pki/ca.pem", d->dir);
	if (sb_contract_in_force(&c, &n, d->h, 2027, 6, d->p->code) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *ext[2] = { "xml", "pdf" };
		int k;
		for (k = 0; k < 2; k++) {
			sb_contract_verified v;
			memset(&v, 0, sizeof(v));
			snprintf(p, sizeof(p), "%s/%s.%s", out, c[i].number, ext[k]);
			if (sb_contract_verify(&v, p, ca, NULL) < 0) {
				sb_contract_info_free(c);
				return -1;
			}
			sb_contract_verified_clear(&v);
			ok++;
		}
	}
	sb_contract_info_free(c);
	step(d, "verified %zu contract documents (signature, chain, employer, schema)", ok);
	return 0;
}

int cmd_demo(sb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "province", required_argument, NULL, 'p' }, { "dir", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },    { "seed", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	static const char use[] = "shuangbai demo [--province guangdong|inner-mongolia] [--dir DIR] [--scale small|province]";
	const char *pname = "guangdong", *scale = "small";
	char tmp[4200], abs_dir[4096];
	demo d;
	int c, rc = EXIT_OK;
	int64_t entries = 0;
	size_t i, nt = 0, ncontracts = 0;
	char(*towns)[13] = NULL;
	sb_signer **signers = NULL;
	char *end;

	memset(&d, 0, sizeof(d));
	d.dir = "shuangbai-demo";
	d.seed = 2026;
	if (cli_want_help(argc, argv, help))
		return EXIT_OK;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			pname = optarg;
		else if (c == 'd')
			d.dir = optarg;
		else if (c == 's')
			scale = optarg;
		else if (c == 'e') {
			errno = 0;
			d.seed = strtoull(optarg, &end, 10);
			if (errno || *end)
				return cli_usage(use, "--seed needs a number");
		} else
			return cli_usage(use, "unknown option");
	}
	if (optind < argc)
		return cli_usage(use, "unexpected argument '%s'", argv[optind]);
	for (i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (strcmp(pname, provinces[i].name) == 0)
			d.p = &provinces[i];
	if (!d.p)
		return cli_usage(use, "--province must be guangdong or inner-mongolia");
	if (strcmp(scale, "small") != 0 && strcmp(scale, "province") != 0)
		return cli_usage(use, "--scale must be small or province");
	d.province_scale = strcmp(scale, "province") == 0;
	d.pass = getenv("SHUANGBAI_PASSPHRASE");
	if (!d.pass || !*d.pass)
		d.pass = "demo";
	d.t0 = now();
	if (mkdir(d.dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "shuangbai: %s: cannot create: %s\n", d.dir, strerror(errno));
		return EXIT_DATA;
	}
	if (!realpath(d.dir, abs_dir)) {
		fprintf(stderr, "shuangbai: %s: %s\n", d.dir, strerror(errno));
		return EXIT_DATA;
	}
	d.dir = abs_dir;
	/* The demo's directory is its own: start it afresh each run. */
	snprintf(tmp, sizeof(tmp), "rm -rf '%s/inputs' '%s/pki' '%s/contracts' '%s/payroll' '%s/notice.pdf' '%s/round-report.pdf' '%s/shuangbai.db' '%s/shuangbai.db-wal' '%s/shuangbai.db-shm'",
		 d.dir, d.dir, d.dir, d.dir, d.dir, d.dir, d.dir, d.dir, d.dir);
	if (strchr(d.dir, '\'') || system(tmp) != 0) {
		fprintf(stderr, "shuangbai: %s: cannot clear the demo directory\n", d.dir);
		return EXIT_DATA;
	}
	if (mkdirs(&d, "inputs") < 0 || mkdirs(&d, "pki") < 0 || mkdirs(&d, "contracts") < 0 || mkdirs(&d, "payroll") < 0)
		return cli_fail();
	snprintf(d.db, sizeof(d.db), "%s/shuangbai.db", d.dir);
	cli->db_path = d.db;
	today("2026-01-05");
	printf("Shuangbai demo: %s (%s), %s scale, seed %llu\n", d.p->title, d.p->name, scale, (unsigned long long)d.seed);
	if (cli_open(&d.h, cli, SB_DB_CREATE) < 0)
		return cli_fail();
	if (registry(&d) < 0 || recruitment(&d, "DEMO-2026") < 0 || placement(&d, "DEMO-2026") < 0)
		goto fail;
	today("2026-06-25");
	{
		char p[4096];
		sb_pay_policy_info info;
		snprintf(p, sizeof(p), "%s/examples/pay-%s.xml", cli_datadir(), d.p->name);
		if (sb_pay_policy_load(&info, d.h, p) < 0)
			goto fail;
		step(&d, "pay policy in force from %s: %d scales, %d regions (%s)", info.effective, info.scales, info.regions, p);
	}
	if (takeover(&d) < 0 || townships(&towns, &nt, &d) < 0)
		goto fail;
	today("2026-06-28");
	if (!(signers = calloc(nt ? nt : 1, sizeof(*signers)))) {
		sb_error_set(SB_ENOMEM, "out of memory");
		goto fail;
	}
	if (contracts(&d, towns, nt, signers, &ncontracts) < 0 || payrolls(&d, towns, nt, signers) < 0 ||
	    verify_contracts(&d) < 0)
		goto fail;
	if (sb_audit_verify(d.h, &entries) < 0)
		goto fail;
	step(&d, "audit log intact: %lld entries", (long long)entries);
	printf("\noutputs in %s:\n"
	       "  shuangbai.db        the registry (sqlite3)\n"
	       "  inputs/             the generated input files, in the formats users bring\n"
	       "  notice.pdf          the public notice of the round\n"
	       "  round-report.pdf    the round report: figures and histograms per unit\n"
	       "  pki/                the province CA (ca.pem), township certificates and keys, crl\n"
	       "  contracts/          %zu signed contracts, <number>.xml and <number>.pdf\n"
	       "  payroll/            signed payroll XML, bank files and payslips, per township and month\n",
	       d.dir, ncontracts);
	goto done;
fail:
	cli_progress_end();
	rc = cli_fail();
done:
	for (i = 0; signers && i < nt; i++)
		sb_signer_free(signers[i]);
	free(signers);
	free(towns);
	sb_db_close(d.h);
	return rc;
}
