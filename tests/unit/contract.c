/* Unit tests of the contract area: the Labour Contract Law rules (Arts. 17, 19, 20) with
 * exact limits, term and probation arithmetic, numbering (also with two processes at once),
 * contracts in force by month and scope, and issuing: defaults, refusals that write nothing. */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "contract_internal.h"
#include "staff_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

#include <dirent.h>
#include <sys/wait.h>

static const char divisions[] =
	"code,name,level,parent,lon,lat\n"
	"440000000000,广东省,province,,113.7,23.0\n"
	"440100000000,广州市,prefecture,440000000000,113.4,23.1\n"
	"440103000000,荔湾区,county,440100000000,113.2,23.1\n"
	"440103001000,沙面街道,township,440103000000,,\n"
	"440103001101,翠洲社区居民委员会,village,440103001000,,\n"
	"440103002000,岭南街道,township,440103000000,,\n"
	"440103002101,扬仁东社区居民委员会,village,440103002000,,\n";

static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void id_with_check(char out[19], const char *first17)
{
	memcpy(out, first17, 17);
	out[17] = sb_person_id_check_char(first17);
	out[18] = '\0';
}

static void uscc(char out[19], const char *org8)
{
	memcpy(out, "11440103", 8);
	memcpy(out + 8, org8, 8);
	out[16] = sb_person_orgcode_check_char(org8);
	out[17] = sb_person_uscc_check_char(out);
	out[18] = '\0';
}

static void rules(void)
{
	char end[11];
	/* Art. 19 limits at every boundary */
	is_int(sb__contract_probation_max(2), 0, "term of 2 months: no probation");
	is_int(sb__contract_probation_max(3), 1, "3 months: 1 month");
	is_int(sb__contract_probation_max(11), 1, "11 months: 1 month");
	is_int(sb__contract_probation_max(12), 2, "1 year: 2 months");
	is_int(sb__contract_probation_max(35), 2, "35 months: 2 months");
	is_int(sb__contract_probation_max(36), 6, "3 years: 6 months");
	is_int(sb__contract_probation_max(0), 6, "open-ended: 6 months");
	is_int(sb__contract_check_probation(36, 6), 0, "6 months for 3 years is allowed");
	is_int(sb__contract_check_probation(36, 7), SB_EPOLICY, "7 months for 3 years is refused");
	has_msg("Art. 19", "the article is named");
	is_int(sb__contract_check_probation(12, 3), SB_EPOLICY, "3 months for 1 year is refused");
	has_msg("1 to under 3 years", "the band is named");
	is_int(sb__contract_check_probation(6, 1), 0, "1 month for 6 months");
	is_int(sb__contract_check_probation(6, 2), SB_EPOLICY, "2 months for 6 months refused");
	is_int(sb__contract_check_probation(2, 1), SB_EPOLICY, "any probation under 3 months refused");
	is_int(sb__contract_check_probation(0, 7), SB_EPOLICY, "open-ended: 7 months refused");

	/* Art. 20 and the minimum wage, exact at the fen */
	is_int(sb__contract_check_pay(300000, 240000, 250000, 2), SB_EPOLICY, "probation 2400.00 below minimum 2500.00");
	has_msg("Art. 20: probation wage 2400.00 is below the local minimum wage 2500.00", "minimum named with amounts");
	is_int(sb__contract_check_pay(300000, 240000, 200000, 2), 0, "exactly 80% is allowed");
	is_int(sb__contract_check_pay(300000, 239999, 200000, 2), SB_EPOLICY, "one fen under 80% is refused");
	has_msg("below 80% of the contract wage", "80% named");
	is_int(sb__contract_check_pay(249999, 249999, 250000, 0), SB_EPOLICY, "contract wage under the minimum");
	has_msg("contract wage 2499.99 is below the local minimum wage 2500.00", "contract wage named");
	is_int(sb__contract_check_pay(300000, 1, 250000, 0), 0, "no probation: its wage is not checked");
	is_int(sb__contract_check_pay(300000, 200000, 0, 2), SB_EPOLICY, "unknown minimum: the 80% rule still holds");

	/* terms */
	sb__contract_add_months(end, "2026-12-01", 36);
	is_str(end, "2029-11-30", "3 years from 2026-12-01 end 2029-11-30");
	sb__contract_add_months(end, "2026-01-31", 1);
	is_str(end, "2026-02-28", "a month from 31 January ends 28 February");
	sb__contract_add_months(end, "2024-02-29", 12);
	is_str(end, "2025-02-28", "a year from 29 February ends 28 February");
	sb__contract_add_months(end, "2026-11-15", 2);
	is_str(end, "2027-01-14", "2 months from 15 November end 14 January");
}

static void record_in(sb_db *db, const char *id, const char *town, const char *start, const char *end_, int64_t worker)
{
	sb_contract_info c;
	memset(&c, 0, sizeof c);
	c.worker_id = worker;
	snprintf(c.id_number, sizeof c.id_number, "%s", id);
	snprintf(c.township_code, sizeof c.township_code, "%s", town);
	snprintf(c.start, sizeof c.start, "%s", start);
	snprintf(c.end, sizeof c.end, "%s", end_);
	c.monthly_fen = 300000;
	c.probation_fen = 300000;
	if (sb__contract_record(db, &c) < 0)
		printf("# record: %s\n", sb_error_last());
}

static void numbering(const char *dir)
{
	char path[1024];
	sb_db *db = NULL;
	sb_contract_info *list = NULL;
	size_t n = 0;
	pid_t kids[2];
	int i, status, all_ok = 1;

	snprintf(path, sizeof path, "%s/numbers.db", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "open");
	sb_org_import(db, tap_write(dir, "div.csv", divisions), NULL, NULL, NULL);
	record_in(db, "440103199001010011", "440103001000", "2026-12-01", "2029-11-30", 1);
	record_in(db, "440103199001010012", "440103001000", "2026-03-01", "2026-11-30", 2);
	record_in(db, "440103199001010013", "440103002000", "2027-01-01", "", 3);
	is_int(th_count(db, "SELECT count(*) FROM contract_contract WHERE number = '440103001000-2026-000002'"), 1,
	       "serials count up per township and year");
	is_int(th_count(db, "SELECT count(*) FROM contract_contract WHERE number = '440103002000-2027-000001'"), 1,
	       "another township and year start at 1");
	is_int(sb_contract_in_force(&list, &n, db, 2026, 11, NULL), 0, "in force in 2026-11");
	is_int(n, 1, "one contract in force in 2026-11 (the other starts in December)");
	is_str(n ? list[0].id_number : "", "440103199001010012", "the one ending on 30 November");
	sb_contract_info_free(list);
	sb_contract_in_force(&list, &n, db, 2026, 12, NULL);
	is_int(n, 1, "2026-12: the one ended in November is gone, the new one is in");
	is_str(n ? list[0].end : "", "2029-11-30", "its last day");
	sb_contract_info_free(list);
	sb_contract_in_force(&list, &n, db, 2027, 1, NULL);
	is_int(n, 2, "2027-01: the open-ended one joins");
	sb_contract_info_free(list);
	sb_contract_in_force(&list, &n, db, 2027, 1, "440103002000");
	is_int(n, 1, "scope: one township");
	is_str(n ? list[0].end : "x", "", "open-ended: end is empty");
	sb_contract_info_free(list);
	sb_contract_in_force(&list, &n, db, 2027, 1, "440103000000");
	is_int(n, 2, "scope: a county holds both townships' contracts");
	sb_contract_info_free(list);
	is_int(sb_contract_in_force(&list, &n, db, 2027, 1, "440199000000"), SB_ENOTFOUND,
	       "scope: a division not in the registry is refused");
	is_int(sb_contract_in_force(&list, &n, db, 2027, 13, NULL), SB_EINVALID, "month 13 is refused");
	sb_db_close(db);

	/* two processes allocating at once never share a number */
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			sb_db *mine = NULL;
			int k, bad = 0;
			if (sb_db_open(&mine, path, 0) < 0)
				_exit(2);
			for (k = 0; k < 40; k++) {
				char id[19];
				snprintf(id, sizeof id, "4401031990%08d", i * 100 + k);
				sb_contract_info c;
				memset(&c, 0, sizeof c);
				c.worker_id = 100 + i * 100 + k;
				snprintf(c.id_number, sizeof c.id_number, "%s", id);
				snprintf(c.township_code, sizeof c.township_code, "440103001000");
				snprintf(c.start, sizeof c.start, "2026-05-01");
				c.monthly_fen = c.probation_fen = 300000;
				if (sb__contract_record(mine, &c) < 0)
					bad = 1;
			}
			sb_db_close(mine);
			_exit(bad);
		}
	}
	for (i = 0; i < 2; i++) {
		waitpid(kids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			all_ok = 0;
	}
	ok(all_ok, "two processes each recorded 40 contracts");
	sb_db_open(&db, path, 0);
	is_int(th_count(db, "SELECT count(DISTINCT number) FROM contract_contract WHERE township_code = '440103001000'"), 82,
	       "82 distinct numbers in the township");
	is_int(th_count(db, "SELECT last FROM contract_serial WHERE township_code = '440103001000' AND year = 2026"), 82,
	       "the serial counted every one");
	sb_db_close(db);
}

static void issuing(const char *dir)
{
	char path[1024], pki[1024], out[1024], key[1024], cert[1024], key2[1024], cert2[1024], ca[1024], crl[1024];
	char id1[19], id2[19], u1[19], u2[19], emp[1024];
	sb_db *db = NULL;
	sb_signer *s = NULL, *s2 = NULL;
	sb_contract_issue_opts o;
	size_t n = 0;
	int64_t wid;
	sb__staff_new w;
	sb_contract_info *list = NULL;
	size_t ln = 0;

	snprintf(path, sizeof path, "%s/issue.db", dir);
	snprintf(pki, sizeof pki, "%s/pki", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	mkdir(out, 0755);
	snprintf(key, sizeof key, "%s/440103001000.key", pki);
	snprintf(cert, sizeof cert, "%s/440103001000.pem", pki);
	snprintf(key2, sizeof key2, "%s/440103002000.key", pki);
	snprintf(cert2, sizeof cert2, "%s/440103002000.pem", pki);
	snprintf(ca, sizeof ca, "%s/ca.pem", pki);
	snprintf(crl, sizeof crl, "%s/crl.pem", pki);
	if (sb_pki_init(pki, 0, "passphrase", NULL) < 0 || sb_pki_issue(pki, "440103001000", "passphrase", 0, NULL) < 0 ||
	    sb_pki_issue(pki, "440103002000", "passphrase", 0, NULL) < 0 || sb_signer_load(&s, key, cert, "passphrase") < 0 ||
	    sb_signer_load(&s2, key2, cert2, "passphrase") < 0) {
		printf("Bail out! %s\n", sb_error_last());
		exit(1);
	}
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "open");
	sb_org_import(db, tap_write(dir, "div.csv", divisions), NULL, NULL, NULL);
	sb_org_stations(db, NULL, NULL);
	uscc(u1, "00752143");
	uscc(u2, "00752145");
	/* the first employer has no address: Art. 17 */
	snprintf(emp, sizeof emp, "township_code,name,address,legal_rep,uscc\n"
		 "440103001000,广州市荔湾区沙面街道办事处,,王建国,%s\n440103002000,广州市荔湾区岭南街道办事处,和平中路2号,刘卫东,%s\n",
		 u1, u2);
	is_int(sb_org_employers(db, tap_write(dir, "emp.csv", emp), NULL), 0, "employers");
	id_with_check(id1, "44010319950101001");
	id_with_check(id2, "44010319880202002");
	memset(&w, 0, sizeof w);
	w.id_number = id1;
	w.name = "周小红";
	w.township_code = "440103001000";
	w.village_code = "440103001101";
	w.kind = "service";
	w.source = "recruit";
	w.qualification = "assistant";
	w.start_date = "2026-12-01";
	w.phone = "13800000000";
	is_int(sb__staff_add(db, &w, &wid, NULL), 0, "a recruit");
	w.id_number = id2;
	w.name = "赵大勇";
	w.township_code = "440103002000";
	w.village_code = "440103002101";
	w.source = "relief";
	w.service_start = "2012-05-01";
	is_int(sb__staff_add(db, &w, NULL, NULL), 0, "a taken-over worker");

	memset(&o, 0, sizeof o);
	o.township = "440103001000";
	o.out_dir = out;
	o.probation_months = -1;
	o.monthly_fen = 300000;
	o.ca_path = ca;
	o.crl_path = crl;
	is_int(sb_contract_issue(&n, db, s2, &o), SB_EPOLICY, "another township's key is refused");
	has_msg("cannot sign contracts of township 440103001000", "message names both townships");
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "employer without an address is refused");
	has_msg("Art. 17: the employer has no address", "Art. 17 named");
	is_int(files_in(out), 0, "nothing written");
	is_int(th_count(db, "SELECT count(*) FROM contract_contract"), 0, "no row written");

	snprintf(emp, sizeof emp, "township_code,name,address,legal_rep,uscc\n"
		 "440103001000,广州市荔湾区沙面街道办事处,沙面南街1号,王建国,%s\n", u1);
	sb_org_employers(db, tap_write(dir, "emp2.csv", emp), NULL);
	o.term_years = 1;
	o.probation_months = 3;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "3 months' probation on a 1-year term is refused");
	has_msg("Art. 19", "Art. 19 named");
	o.term_years = 0;
	o.probation_months = -1;
	o.probation_fen = 239999;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "probation wage one fen under 80% is refused");
	has_msg("Art. 20", "Art. 20 named");
	o.probation_fen = 0;
	o.monthly_fen = 0;
	is_int(sb_contract_issue(&n, db, s, &o), SB_ENOTFOUND, "no pay policy and no wage given");
	has_msg("no wage for the contract", "the message says so");
	is_int(files_in(out), 0, "still nothing written");

	o.monthly_fen = 300000;
	is_int(sb_contract_issue(&n, db, s, &o), 0, "issue");
	is_int(n, 1, "one contract");
	is_int(files_in(out), 2, "its XML and PDF");
	sb_contract_in_force(&list, &ln, db, 2026, 12, NULL);
	is_int(ln, 1, "in force from December");
	if (ln == 1) {
		is_str(list[0].number, "440103001000-2026-000001", "the number");
		is_str(list[0].end, "2029-11-30", "default term: 3 years");
		is_str(list[0].probation_end, "2027-01-31", "a recruit's default probation: 2 months");
		is_int(list[0].monthly_fen, 300000, "wage");
		is_int(list[0].probation_fen, 240000, "probation wage: 80% of the wage");
		is_int(list[0].worker_id, wid, "worker id");
	}
	sb_contract_info_free(list);
	{
		sb_contract_verified v;
		char file[1200];
		snprintf(file, sizeof file, "%s/440103001000-2026-000001.xml", out);
		is_int(sb_contract_verify(&v, file, ca, crl), 0, "the XML verifies");
		is_str(v.worker_name, "周小红", "worker's name");
		sb_contract_verified_clear(&v);
		snprintf(file, sizeof file, "%s/440103001000-2026-000001.pdf", out);
		is_int(sb_contract_verify(&v, file, ca, crl), 0, "the PDF verifies");
		is_str(v.township, "440103001000", "employer from the PDF");
		sb_contract_verified_clear(&v);
	}
	is_int(sb_contract_issue(&n, db, s, &o), 0, "issuing again");
	is_int(n, 0, "issues nothing: the worker has a contract");
	o.id_number = id1;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EEXISTS, "one person who has a contract");
	/* a second contract after the first: no second probation with the same employer */
	o.start = "2030-01-01";
	o.probation_months = 1;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "a second probation is refused");
	has_msg("only one is allowed", "Art. 19 one probation");
	o.probation_months = -1;
	is_int(sb_contract_issue(&n, db, s, &o), 0, "a second contract without probation");
	sb_contract_in_force(&list, &ln, db, 2030, 1, NULL);
	is_str(ln == 1 ? list[0].probation_end : "x", "", "default: no second probation");
	sb_contract_info_free(list);
	o.id_number = id2;
	o.start = NULL;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "a worker of another township");
	has_msg("employed by township 440103002000", "names the real employer");

	/* revoked */
	sb_pki_revoke(pki, "440103001000", "passphrase");
	o.id_number = NULL;
	is_int(sb_contract_issue(&n, db, s, &o), SB_EPOLICY, "a revoked key is refused");
	has_msg("revoked", "message says revoked");
	sb_signer_free(s);
	sb_signer_free(s2);
	sb_db_close(db);
}

int main(void)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", tap_tmpdir("contract"));
	rules();
	numbering(dir);
	issuing(dir);
	return tap_done();
}
