/*
 * Unit tests of monthly payroll: a small township registry paid from January to April 2026
 * with exact expected fen for every rule of SPEC §7 (proration on joining and leaving,
 * probation with its split month and the minimum wage, allowances by inherited flag, region
 * by county, contributions with clamps and each rounding, cumulative tax across a bracket,
 * special deductions, the 60,000 rule, retroactive raise and general adjustment as arrears
 * of either sign), closed months that never change, and export → verify with every
 * tampering named.
 */
#include "config.h"
#include "pay_fixture.h"

#include "audit_internal.h"
#include "payroll_internal.h"
#include "sign_internal.h"

/* Line of worker `seq` in a payroll, or NULL. */
static const sb_payroll_line *line_of(const sb_payroll *p, int seq)
{
	char id[19];
	size_t i;
	fx_id(id, seq);
	for (i = 0; p && i < p->n; i++)
		if (strcmp(p->lines[i].id_number, id) == 0)
			return &p->lines[i];
	return NULL;
}

/* Expected amounts in fen, in SPEC's column order. */
static void expect(const sb_payroll *p, int seq, const char *what, int days, int64_t base,
		   int64_t allowances, int64_t arrears, int64_t pension, int64_t medical,
		   int64_t unemployment, int64_t housing, int64_t special, int64_t tax)
{
	const sb_payroll_line *l = line_of(p, seq);
	char name[160];
	int64_t gross = base + allowances + arrears;
	int64_t net = gross - pension - medical - unemployment - housing - tax;

	snprintf(name, sizeof name, "%s %s: line present", p ? p->month : "?", what);
	if (!ok(l != NULL, "%s", name))
		return;
#define CHECK(field, want)                                                                          \
	do {                                                                                       \
		snprintf(name, sizeof name, "%s %s: " #field, p->month, what);                      \
		is_int(l->field, want, name);                                                      \
	} while (0)
	CHECK(days, days);
	CHECK(base, base);
	CHECK(allowances, allowances);
	CHECK(arrears, arrears);
	CHECK(gross, gross);
	CHECK(pension, pension);
	CHECK(medical, medical);
	CHECK(unemployment, unemployment);
	CHECK(housing_fund, housing);
	CHECK(special_deductions, special);
	CHECK(tax, tax);
	CHECK(net, net);
#undef CHECK
}

static char *show_csv(sb_db *db, const char *month)
{
	sb_payroll *p = NULL;
	sb_buf b = SB_BUF_INIT;
	size_t i;
	if (sb_payroll_get(&p, db, month, NULL) < 0)
		return NULL;
	for (i = 0; i < p->n; i++) {
		const sb_payroll_line *l = &p->lines[i];
		sb__buf_printf(&b, "%s,%d,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", l->id_number, l->days,
			       (long long)l->base, (long long)l->allowances, (long long)l->arrears, (long long)l->gross,
			       (long long)l->pension, (long long)l->medical, (long long)l->unemployment,
			       (long long)l->housing_fund, (long long)l->tax, (long long)l->net);
	}
	sb_payroll_free(p);
	return sb__buf_detach(&b);
}

static int rerun(sb_db *db, const char *m)
{
	return sb_payroll_run(NULL, db, m, NULL, NULL, NULL);
}

/* Replace `from` by `to` once in the file, then sign it again with the township key: what a
 * dishonest insider holding the key could do. The verifier must still name the problem. */
static int tamper(const char *in, const char *out, const char *from, const char *to,
		  const sb_signer *s)
{
	char *xml = NULL, *hit, *signed_xml = NULL, *sig;
	size_t len = 0, slen = 0;
	sb_buf b = SB_BUF_INIT;
	int error;
	if ((error = sb__read_file(&xml, &len, in)) < 0)
		return error;
	/* drop the old signature */
	if ((sig = strstr(xml, "<ds:Signature")) || (sig = strstr(xml, "<Signature"))) {
		char *end = strstr(sig, "</payroll>");
		if (end)
			memmove(sig, end, strlen(end) + 1);
	}
	if ((hit = strstr(xml, from))) {
		sb__buf_put(&b, xml, (size_t)(hit - xml));
		sb__buf_puts(&b, to);
		sb__buf_puts(&b, hit + strlen(from));
	} else {
		sb__buf_puts(&b, xml);
	}
	error = sb_sign_xml(&signed_xml, &slen, s, b.ptr, b.len);
	if (error == 0)
		error = sb__write_file(out, signed_xml, slen, 0644);
	free(signed_xml);
	sb__buf_free(&b);
	free(xml);
	return error;
}

/* `m` rendered for township A, signed by `s` and written to `path`. */
static int resign(const sb_payroll *m, const sb_signer *s, const char *path)
{
	char *doc = NULL, *sx = NULL;
	size_t dl = 0, sl = 0;
	int error;
	if ((error = sb__payroll_render(&doc, &dl, m, FX_TOWN_A, NULL)) == 0 &&
	    (error = sb_sign_xml(&sx, &sl, s, doc, dl)) == 0)
		error = sb__write_file(path, sx, sl, 0644);
	free(doc);
	free(sx);
	return error;
}

/* A copy of line k appended to `m`. */
static void add_copy(sb_payroll *m, size_t k)
{
	sb_payroll_line *grown = realloc(m->lines, (m->n + 1) * sizeof *m->lines);
	if (!grown)
		abort();
	m->lines = grown;
	m->lines[m->n] = m->lines[k];
	m->lines[m->n].name = strdup(m->lines[k].name);
	m->lines[m->n].bank_account = strdup(m->lines[k].bank_account);
	m->n++;
}

int main(void)
{
	const char *dir = tap_tmpdir("payroll");
	char xml[8192], path[1200], id[19], ca[1200], key[1200], cert[1200], xmlp[1200], bad[1200];
	char *before = NULL, *after = NULL;
	sb_db *db = fx_registry(dir);
	sb_payroll *p = NULL;
	sb_payroll_stats st;
	sb_payroll_export_info e;
	sb_payroll_verified v;
	sb_signer *signer = NULL;
	int64_t w[9], rows;
	int k;

	setenv("SHUANGBAI_TODAY", "2026-11-29", 0);
	/* W1 recruit, none, whole year; W2 taken over, senior, 15 years of seniority → step 8;
	 * W3 assistant joining on the 17th with probation to 16 March; W4 leaving on 10 February
	 * at the remote township; W5 as W2 but under the 60,000 rule; W6 at the remote township;
	 * W7 in the county paid by the low scale, probation below the minimum wage; W8 a contract
	 * wage of 30,000 above the scale, with special deductions. */
	w[1] = fx_worker(db, 1, FX_TOWN_A, "recruit", "none", "2026-01-01", NULL);
	w[2] = fx_worker(db, 2, FX_TOWN_A, "relief", "senior", "2026-01-01", "2010-03-01");
	w[3] = fx_worker(db, 3, FX_TOWN_A, "recruit", "assistant", "2026-01-17", NULL);
	w[4] = fx_worker(db, 4, FX_TOWN_B, "recruit", "none", "2026-01-01", NULL);
	w[5] = fx_worker(db, 5, FX_TOWN_A, "relief", "senior", "2026-01-01", "2010-03-01");
	w[6] = fx_worker(db, 6, FX_TOWN_B, "recruit", "none", "2026-01-01", NULL);
	w[7] = fx_worker(db, 7, FX_TOWN_C, "recruit", "none", "2026-01-01", NULL);
	w[8] = fx_worker(db, 8, FX_TOWN_A, "recruit", "intermediate", "2026-01-01", NULL);
	for (k = 1; k <= 8; k++)
		ok(w[k] > 0, "worker %d registered", k);
	ok(fx_contract(db, w[1], 1, FX_TOWN_A, "2026-01-01", "2028-12-31", NULL, 500000, 0) == 0 &&
	   fx_contract(db, w[2], 2, FX_TOWN_A, "2026-01-01", "2028-12-31", NULL, 928000, 0) == 0 &&
	   fx_contract(db, w[3], 3, FX_TOWN_A, "2026-01-17", "2029-01-16", "2026-03-16", 560000, 448000) == 0 &&
	   fx_contract(db, w[4], 4, FX_TOWN_B, "2026-01-01", "2026-02-10", NULL, 500000, 0) == 0 &&
	   fx_contract(db, w[5], 5, FX_TOWN_A, "2026-01-01", "2028-12-31", NULL, 928000, 0) == 0 &&
	   fx_contract(db, w[6], 6, FX_TOWN_B, "2026-01-01", NULL, NULL, 500000, 0) == 0 &&
	   fx_contract(db, w[7], 7, FX_TOWN_C, "2026-01-01", "2028-12-31", "2026-02-28", 450000, 360000) == 0 &&
	   fx_contract(db, w[8], 8, FX_TOWN_A, "2026-01-01", "2028-12-31", NULL, 3000000, 2400000) == 0,
	   "contracts recorded");
	ok(sb_pay_prior_year(&rows, db, 2025,
			     tap_write(dir, "prior.csv", "id_number,township_code,months,wages\n"
							 "110101199001010053,440103001000,12,59000.00\n"
							 "110101199001010029,440103001000,11,50000.00\n")) < 0,
	   "prior-year: a wrong check digit is refused");
	has_msg("prior.csv:2: id_number", "…naming file, line and field");
	fx_id(id, 5);
	snprintf(xml, sizeof xml, "id_number,township_code,months,wages\n%s,440103001000,12,59000.00\n", id);
	fx_id(id, 2);
	snprintf(xml + strlen(xml), sizeof xml - strlen(xml), "%s,440103001000,11,50000.00\n", id);
	ok(sb_pay_prior_year(&rows, db, 2025, tap_write(dir, "prior.csv", xml)) == 0 && rows == 2,
	   "prior-year 2025 recorded");
	fx_id(id, 8);
	snprintf(xml, sizeof xml, "id_number,from,to,amount\n%s,2026-01,2026-12,2000.00\n", id);
	ok(sb_pay_deductions(&rows, db, tap_write(dir, "ded.csv", xml)) == 0 && rows == 1, "deductions recorded");

	/* ---- January ---- */
	ok(sb_payroll_run(&st, db, "2026-01", NULL, NULL, NULL) == 0 && st.lines == 8, "January runs: 8 lines");
	ok(sb_payroll_get(&p, db, "2026-01", NULL) == 0, "January read back");
	expect(p, 1, "W1 whole month", 31, 500000, 0, 0, 40000, 10000, 1000, 25000, 0, 0);
	/* 9,280 − 5,000 − 1,410.56 = 2,869.44 × 3% = 86.0832 → 86.08 */
	expect(p, 2, "W2 taken over at step 8", 31, 928000, 0, 0, 74240, 18560, 1856, 46400, 0, 8608);
	/* joins on the 17th: 15 of 31 days at the probation wage 4,480: 2,167.741… → 2,167.74;
	 * contributions on the full base 5,600 */
	expect(p, 3, "W3 joins on the 17th in probation", 15, 216774, 0, 0, 44800, 11200, 1120, 28000, 0, 0);
	expect(p, 4, "W4 remote allowance", 31, 500000, 30000, 0, 40000, 10000, 1000, 25000, 0, 0);
	expect(p, 5, "W5 60,000 rule: no tax", 31, 928000, 0, 0, 74240, 18560, 1856, 46400, 0, 0);
	/* the county's own scale (most specific division) and minimum wage 4,000 above 80% of 4,500;
	 * the border allowance 600 comes from the county's flag */
	expect(p, 7, "W7 probation at the minimum wage", 31, 400000, 60000, 0, 36000, 9000, 900, 22500, 0, 0);
	/* 30,000: pension and medical on the ceiling 27,501, housing fund on 30,000 to the yuan;
	 * 30,000 − 5,000 − 4,305.10 − 2,000 = 18,694.90 × 3% = 560.847 → 560.85 */
	expect(p, 8, "W8 above the ceiling", 31, 3000000, 0, 0, 220008, 55002, 5500, 150000, 200000, 56085);
	sb_payroll_free(p);
	p = NULL;
	ok(rerun(db, "2026-01") == 0, "an open month can be rerun");
	is_int(th_count(db, "SELECT count(*) FROM payroll_line WHERE month = '2026-01'"), 8, "rerun replaces, never adds");
	/* The run finds a contract's worker by position in the range of staff ids when the ids
	 * are dense (they are given out in order), by search when not: both pay the same. */
	before = show_csv(db, "2026-01");
	ok(sb__db_exec(db, "UPDATE staff_worker SET id = id + 9000000000 WHERE id % 2 = 0;"
			   "UPDATE contract_contract SET worker_id = worker_id + 9000000000 WHERE worker_id % 2 = 0") == 0 &&
	   rerun(db, "2026-01") == 0, "January rerun with staff ids far apart");
	after = show_csv(db, "2026-01");
	ok(before && after && strcmp(before, after) == 0, "…pays every line the same");
	free(after);
	ok(sb__db_exec(db, "UPDATE staff_worker SET id = -id WHERE id > 9000000000;"
			   "UPDATE contract_contract SET worker_id = -worker_id WHERE worker_id > 9000000000") == 0 &&
	   rerun(db, "2026-01") == 0, "…and with negative ones");
	after = show_csv(db, "2026-01");
	ok(before && after && strcmp(before, after) == 0, "…the same");
	free(after);
	snprintf(xml, sizeof xml, "UPDATE staff_worker SET id = -id - 9000000000 WHERE id < 0;"
		 "UPDATE contract_contract SET worker_id = -worker_id - 9000000000 WHERE worker_id < 0;"
		 "UPDATE contract_contract SET worker_id = 77777 WHERE worker_id = %lld", (long long)w[1]);
	ok(sb__db_exec(db, xml) == 0, "ids back, one contract's worker made unknown");
	ok(rerun(db, "2026-01") < 0 && sb_error_code() == SB_ENOTFOUND, "…a contract whose worker is not in the registry is refused");
	has_msg("worker 77777 is not in the registry", "…naming the worker");
	snprintf(xml, sizeof xml, "UPDATE contract_contract SET worker_id = %lld WHERE worker_id = 77777", (long long)w[1]);
	ok(sb__db_exec(db, xml) == 0 && rerun(db, "2026-01") == 0, "…and paid again once it is known");
	after = show_csv(db, "2026-01");
	ok(before && after && strcmp(before, after) == 0, "…as before");
	free(before);
	free(after);
	before = after = NULL;
	ok(rerun(db, "2026-02") < 0 && sb_error_code() == SB_ESTATE, "February before January is closed: refused");
	has_msg("2026-01 is not closed", "…saying which month");
	ok(sb_payroll_close(db, "2026-01") == 0, "January closed");
	ok(sb_payroll_close(db, "2026-01") < 0 && sb_error_code() == SB_ESTATE, "closing twice is refused");

	/* ---- February (28 days) ---- */
	ok(rerun(db, "2026-02") == 0, "February runs");
	ok(sb_payroll_get(&p, db, "2026-02", NULL) == 0, "February read back");
	/* cumulative: 5,738.88 × 3% = 172.1664 − 86.08 = 86.0864 → 86.09 */
	expect(p, 2, "W2 second month", 28, 928000, 0, 0, 74240, 18560, 1856, 46400, 0, 8609);
	expect(p, 3, "W3 whole month in probation", 28, 448000, 0, 0, 44800, 11200, 1120, 28000, 0, 0);
	/* leaves on the 10th: 5,000 × 10/28 = 1,785.714 → 1,785.71; 300 × 10/28 = 107.142 → 107.14 */
	expect(p, 4, "W4 leaves on the 10th", 10, 178571, 10714, 0, 40000, 10000, 1000, 25000, 0, 0);
	/* crosses into the 10% bracket: 37,389.80 × 10% − 2,520 − 560.85 = 658.13 */
	expect(p, 8, "W8 crosses a bracket", 28, 3000000, 0, 0, 220008, 55002, 5500, 150000, 200000, 65813);
	sb_payroll_free(p);
	p = NULL;
	ok(sb_payroll_close(db, "2026-02") == 0, "February closed");

	/* ---- March ---- */
	ok(rerun(db, "2026-03") == 0, "March runs");
	ok(sb_payroll_get(&p, db, "2026-03", NULL) == 0, "March read back");
	ok(line_of(p, 4) == NULL, "W4 has left: no line");
	/* split by the end of probation on the 16th: 4,480 × 16/31 = 2,312.258 → 2,312.26 and
	 * 5,600 × 15/31 = 2,709.677 → 2,709.68 */
	expect(p, 3, "W3 month split by the end of probation", 31, 231226 + 270968, 0, 0, 44800, 11200, 1120, 28000, 0, 0);
	expect(p, 7, "W7 after probation", 31, 450000, 60000, 0, 36000, 9000, 900, 22500, 0, 0);
	/* 56,084.70 × 10% − 2,520 − 1,218.98 = 1,869.49 */
	expect(p, 8, "W8 third month", 31, 3000000, 0, 0, 220008, 55002, 5500, 150000, 200000, 186949);
	expect(p, 2, "W2 third month", 31, 928000, 0, 0, 74240, 18560, 1856, 46400, 0, 8608);
	sb_payroll_free(p);
	p = NULL;
	ok(sb_payroll_close(db, "2026-03") == 0, "March closed");
	before = show_csv(db, "2026-03");

	/* ---- what reaches back into closed months ---- */
	fx_id(id, 1);
	snprintf(xml, sizeof xml, "id_number,grade\n%s,competent\n", id);
	fx_id(id, 2);
	snprintf(xml + strlen(xml), sizeof xml - strlen(xml), "%s,excellent\n", id);
	fx_id(id, 6);
	snprintf(xml + strlen(xml), sizeof xml - strlen(xml), "%s,basic\n", id);
	ok(sb_pay_evaluate(&rows, db, 2025, tap_write(dir, "eval.csv", xml)) == 0 && rows == 3, "2025 grades recorded");
	ok(sb_pay_raise(&rows, db, 2025, "2026-02-01") == 0, "raise of 2025 from 1 February (reaching back)");
	is_int(rows, 1, "only W1 moves up (W2 is at the top step, W6 basic)");
	ok(sb_pay_raise(&rows, db, 2025, "2026-02-01") == 0 && rows == 0, "the same raise again changes nothing");
	ok(sb_pay_raise(&rows, db, 2025, "2026-03-01") < 0 && sb_error_code() == SB_EEXISTS,
	   "a different date for the same year is refused");
	ok(sb_pay_policy_load(NULL, db, tap_write(dir, "t2.xml", fx_policy(xml, sizeof xml, "2026-03", "200.00", "jiao-up"))) == 0,
	   "general adjustment from March (reaching back)");
	ok(sb_pay_policy_load(NULL, db, tap_write(dir, "t1b.xml", fx_policy(xml, sizeof xml, "2026-01", "310.00", "fen"))) < 0 &&
	   sb_error_code() == SB_ESTATE, "replacing a policy closed months were paid under is refused");
	fx_id(id, 6);
	snprintf(xml, sizeof xml, "id_number,qualification,effective\n%s,assistant,2026-04-01\n", id);
	ok(sb_pay_qualify(&rows, db, tap_write(dir, "qual.csv", xml)) == 0 && rows == 1, "W6 qualifies as assistant from April");
	fx_id(id, 8);
	snprintf(xml, sizeof xml, "id_number,from,to,amount\n%s,2026-01,2026-03,1000.00\n", id);
	ok(sb_pay_deductions(&rows, db, tap_write(dir, "ded2.csv", xml)) == 0 && rows == 1, "a late declaration for January to March");
	ok(rerun(db, "2026-03") < 0 && sb_error_code() == SB_ESTATE, "rerunning a closed month is refused");
	has_msg("closed", "…saying it is closed");
	after = show_csv(db, "2026-03");
	ok(before && after && strcmp(before, after) == 0, "the closed month is unchanged by all of it");

	/* ---- April: arrears, new policy, new level ---- */
	ok(sb_payroll_run(&st, db, "2026-04", NULL, NULL, NULL) == 0, "April runs");
	ok(sb_payroll_get(&p, db, "2026-04", NULL) == 0, "April read back");
	/* step 2 = 5,150 from February: +150 for February and March, paid and taxed in April;
	 * housing fund 5% of 5,150 = 257.50 → 258 (yuan half-up) */
	expect(p, 1, "W1 raise with arrears", 30, 515000, 0, 30000, 41200, 10300, 1030, 25800, 0, 0);
	{
		sb__stmt *q;
		int64_t n = -1;
		fx_id(id, 1);
		if (sb__db_prepare(db, &q, "SELECT count(*) FROM payroll_arrears WHERE month = '2026-04' AND id_number = ?1") == 0) {
			sb__stmt_bind_text(q, 1, id);
			if (sb__stmt_step(q) == 1)
				n = sb__stmt_int64(q, 0);
			sb__stmt_reset(q);
		}
		is_int(n, 2, "one arrears line per month");
	}
	/* 见分进角: 0.20% of 9,280 = 18.56 → 18.60 under the new policy; tax 86.08 */
	expect(p, 2, "W2 jiao-up", 30, 928000, 0, 0, 74240, 18560, 1860, 46400, 0, 8608);
	/* assistant at the lowest step not below 5,000 = 5,600; March's allowance now 200, paid
	 * 300: arrears −100 */
	expect(p, 6, "W6 new level, negative arrears", 30, 560000, 20000, -10000, 44800, 11200, 1120, 28000, 0, 0);
	/* cumulative special deductions 4 × 2,000 + 3 × 1,000 = 11,000: 71,779.60 × 10% − 2,520 −
	 * 3,088.47 = 1,569.49 */
	expect(p, 8, "W8 late declaration", 30, 3000000, 0, 0, 220008, 55002, 5500, 150000, 200000, 156949);
	sb_payroll_free(p);
	p = NULL;
	ok(sb_audit_verify(db, NULL) == 0, "the audit chain holds");

	/* ---- export and verify ---- */
	snprintf(ca, sizeof ca, "%s/pki/ca.pem", dir);
	snprintf(key, sizeof key, "%s/pki/" FX_TOWN_A ".key", dir);
	snprintf(cert, sizeof cert, "%s/pki/" FX_TOWN_A ".pem", dir);
	snprintf(path, sizeof path, "%s/pki", dir);
	ok(sb_pki_init(path, 0, "secret", NULL) == 0 && sb_pki_issue(path, FX_TOWN_A, "secret", 0, NULL) == 0 &&
	   sb_pki_issue(path, FX_TOWN_B, "secret", 0, NULL) == 0, "CA and township keys");
	ok(sb_signer_load(&signer, key, cert, "secret") == 0, "township key loaded");
	snprintf(path, sizeof path, "%s/out", dir);
	mkdir(path, 0700);
	ok(sb_payroll_export(&e, db, "2026-04", FX_TOWN_A, signer, path, 0) < 0 && sb_error_code() == SB_ESTATE,
	   "an open month is not exported");
	ok(sb_payroll_export(&e, db, "2026-03", FX_TOWN_B, signer, path, 0) < 0 && sb_error_code() == SB_EPOLICY,
	   "a key signs only its own township's payroll");
	ok(sb_payroll_export(&e, db, "2026-03", FX_TOWN_A, signer, path, 0) == 0, "March of township A exported");
	is_int(e.count, 5, "5 lines (W1, W2, W3, W5, W8)");
	snprintf(xmlp, sizeof xmlp, "%s", e.xml_path ? e.xml_path : "");
	sb_payroll_export_clear(&e);
	memset(&v, 0, sizeof v);
	ok(sb_payroll_verify(&v, xmlp, ca, NULL, NULL) == 0, "the export verifies without the registry");
	ok(v.signer && strcmp(v.signer, FX_TOWN_A) == 0 && v.count == 5, "signer and count reported");
	sb_payroll_verified_clear(&v);
	ok(sb_payroll_verify(&v, xmlp, ca, NULL, db) == 0, "…and against the registry");
	sb_payroll_verified_clear(&v);

	snprintf(bad, sizeof bad, "%s/bad.xml", dir);
	{
		/* a changed byte without re-signing */
		char *x = NULL, *hit;
		size_t len;
		sb__read_file(&x, &len, xmlp);
		if ((hit = strstr(x, "net=\"4240.00\"")))
			hit[6] = '5';
		sb__write_file(bad, x, len, 0644);
		free(x);
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0 && sb_error_code() == SB_ECRYPTO,
		   "a changed amount breaks the signature");
	}
	ok(tamper(xmlp, bad, "net=\"4240.00\"", "net=\"4250.00\"", signer) == 0, "re-signed with a changed net");
	ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0, "the arithmetic catches it");
	has_msg("net 4250.00 is not gross less contributions and tax (4240.00)", "…naming the line and the amount");
	ok(tamper(xmlp, bad, "base=\"500000.00\"", "base=\"500000.00\"", signer) == 0 &&
	   sb_payroll_verify(&v, bad, ca, NULL, NULL) == 0, "re-signing unchanged content verifies");
	sb_payroll_verified_clear(&v);
	/* a line changed consistently, header left as it was */
	ok(tamper(xmlp, bad, "arrears=\"0.00\" base=\"5000.00\" contract=\"440103001000-2026-000001\" days=\"31\" "
			     "gross=\"5000.00\" housing-fund=\"250.00\" id-number=\"110101199001010015\" medical=\"100.00\" "
			     "name=\"工人1\" net=\"4240.00\"",
		  "arrears=\"100.00\" base=\"5000.00\" contract=\"440103001000-2026-000001\" days=\"31\" "
		  "gross=\"5100.00\" housing-fund=\"250.00\" id-number=\"110101199001010015\" medical=\"100.00\" "
		  "name=\"工人1\" net=\"4340.00\"",
		  signer) == 0, "re-signed with a changed arrears, gross and net");
	ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0, "the header totals catch it");
	has_msg("<header> arrears: 0.00, but the lines add up to 100.00", "…naming the header total");

	/* the export is rendered canonical and signed in one pass: xmlsec signing the same
	 * document must compute the same digest, and the one-pass signature must verify */
	{
		sb_payroll *m = NULL;
		char *doc = NULL, *sx = NULL, *sc = NULL, *d1, *d2;
		size_t dl = 0, sl = 0, cl = 0;
		ok(sb_payroll_get(&m, db, "2026-03", FX_TOWN_A) == 0 && sb__payroll_render(&doc, &dl, m, FX_TOWN_A, "沙面<&\"\t\n>") == 0,
		   "March rendered with a name that needs escaping");
		ok(sb_sign_xml(&sx, &sl, signer, doc, dl) == 0 && sb__sign_xml_canonical(&sc, &cl, signer, doc, dl) == 0,
		   "signed both ways");
		d1 = sx ? strstr(sx, "<ds:DigestValue>") : NULL;
		d2 = sc ? strstr(sc, "<ds:DigestValue>") : NULL;
		ok(d1 && d2 && strncmp(d1, d2, 60) == 0, "the same digest: the rendered document is canonical");
		ok(sc && sb__write_file(bad, sc, cl, 0644) == 0 && sb_payroll_verify(&v, bad, ca, NULL, NULL) == 0,
		   "the one-pass signature verifies");
		sb_payroll_verified_clear(&v);
		if (sc && (d2 = strstr(sc, "net=\"4240.00\""))) {
			d2[6] = '5';
			sb__write_file(bad, sc, cl, 0644);
		}
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0 && sb_error_code() == SB_ECRYPTO,
		   "…and a changed byte breaks it");
		free(doc);
		free(sx);
		free(sc);
		sb_payroll_free(m);
	}

	/* consistent files (totals recomputed) that only the registry can refute */
	{
		sb_payroll *m = NULL;
		ok(sb_payroll_get(&m, db, "2026-03", FX_TOWN_A) == 0 && m->n == 5, "March of A read back");
		/* a changed amount, arithmetic kept */
		m->lines[0].arrears += 10000;
		m->lines[0].gross += 10000;
		m->lines[0].net += 10000;
		ok(resign(m, signer, bad) == 0, "re-signed with a consistent change");
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) == 0, "without the registry it passes");
		sb_payroll_verified_clear(&v);
		ok(sb_payroll_verify(&v, bad, ca, NULL, db) < 0, "with the registry it fails");
		has_msg("wrong amount: arrears 100.00, the registry's payroll says 0.00", "…naming the wrong amount");
		m->lines[0].arrears -= 10000;
		m->lines[0].gross -= 10000;
		m->lines[0].net -= 10000;
		/* the days paid changed (no amount depends on them in the file) */
		m->lines[0].days -= 1;
		ok(resign(m, signer, bad) == 0, "re-signed with a day less");
		ok(sb_payroll_verify(&v, bad, ca, NULL, db) < 0, "the registry refutes the days");
		snprintf(path, sizeof path, "<line> %s: wrong amount: days %d, the registry's payroll says %d", m->lines[0].id_number,
			 m->lines[0].days, m->lines[0].days + 1);
		has_msg(path, "…naming both");
		m->lines[0].days += 1;
		/* the registry without one of the file's lines (removed here inside a transaction
		 * that is then rolled back: a closed month cannot lose a line otherwise) */
		ok(resign(m, signer, bad) == 0 && sb_payroll_verify(&v, bad, ca, NULL, db) == 0, "the file as exported verifies");
		sb_payroll_verified_clear(&v);
		snprintf(xml, sizeof xml, "DELETE FROM payroll_line WHERE month = '2026-03' AND id_number = '%s'", m->lines[2].id_number);
		ok(sb__db_tx_begin(db) == 0 && sb__db_exec(db, xml) == 0, "a line taken from the registry");
		ok(sb_payroll_verify(&v, bad, ca, NULL, db) < 0, "…is missed");
		snprintf(path, sizeof path, "<line> %s: the registry's payroll of 2026-03 has no line for this person",
			 m->lines[2].id_number);
		has_msg(path, "…naming the person");
		sb__db_tx_end(db, SB_EINVALID);
		sb_error_clear();
		ok(sb_payroll_verify(&v, bad, ca, NULL, db) == 0, "…and found again once the change is rolled back");
		sb_payroll_verified_clear(&v);
		/* a duplicate: the same person twice */
		add_copy(m, 1);
		ok(resign(m, signer, bad) == 0, "re-signed with a duplicate line");
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0, "a duplicate is refused");
		fx_id(id, 2);
		snprintf(path, sizeof path, "<line> %s: duplicate: the same person is paid on line 5 too", id);
		has_msg(path, "…naming the person and both lines");
		/* a third time: each line after the first is named, in the file's order, with the
		 * one before it */
		add_copy(m, 1);
		ok(resign(m, signer, bad) == 0, "re-signed with the person a third time");
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) < 0, "refused");
		snprintf(path, sizeof path, ":9: <line> %s: duplicate: the same person is paid on line 5 too (and 1 more problem)", id);
		has_msg(path, "…the first named first, and the other counted");
		m->n--;
		free(m->lines[m->n].name);
		free(m->lines[m->n].bank_account);
		/* a ghost: someone without a contract */
		fx_id(m->lines[m->n - 1].id_number, 99);
		ok(resign(m, signer, bad) == 0, "re-signed with a ghost line");
		ok(sb_payroll_verify(&v, bad, ca, NULL, NULL) == 0, "a ghost passes the arithmetic");
		sb_payroll_verified_clear(&v);
		ok(sb_payroll_verify(&v, bad, ca, NULL, db) < 0, "the registry names the ghost");
		fx_id(id, 99);
		snprintf(path, sizeof path, "<line> %s: ghost worker: no signed contract", id);
		has_msg(path, "…as a ghost worker");
		sb_payroll_free(m);
	}
	sb_payroll_verified_clear(&v);
	return (free(before), free(after), sb_signer_free(signer), sb_db_close(db), tap_done());
}
