/*
 * Unit tests of the pay area: policies (the shared examples as they are, refusals with the
 * element and line, idempotent reload, replacement), regions by the most specific division,
 * start positions (recruit, taken over, capped at the top), contract terms, raises with their
 * cap and idempotence, qualification upgrades, deductions and prior-year wages — each input
 * error naming FILE:LINE: FIELD with nothing written.
 */
#include "config.h"
#include "pay_fixture.h"

#include "pay_internal.h"

static int64_t dbcount(sb_db *db, const char *sql)
{
	return th_count(db, sql);
}

int main(void)
{
	const char *dir = tap_tmpdir("pay");
	char xml[8192], csv[2048], id1[19], id2[19], id3[19], path[1200];
	sb_db *db = fx_registry(dir);
	sb_pay_policy_info info;
	sb_pay_position pos;
	int64_t rows, monthly, minimum, audit;
	int pct;
	sb__pay_policies ps = { NULL, 0 };
	sb__pay_place place;

	setenv("SHUANGBAI_TODAY", "2026-11-29", 0);
	fx_id(id1, 1);
	fx_id(id2, 2);
	fx_id(id3, 3);
	ok(fx_worker(db, 1, FX_TOWN_A, "recruit", "assistant", "2026-01-01", NULL) > 0 &&
	   fx_worker(db, 2, FX_TOWN_C, "relief", "none", "2026-01-01", "2021-01-02") > 0 &&
	   fx_worker(db, 3, FX_TOWN_A, "disability", "intermediate", "2026-01-01", "1990-01-01") > 0,
	   "workers registered");

	/* ---- policies ---- */
	snprintf(path, sizeof path, "%s/examples/pay-guangdong.xml", getenv("SHARED") ? getenv("SHARED") : "/work/shared");
	ok(sb_pay_policy_load(&info, db, path) == 0, "the Guangdong example loads as it is");
	is_str(info.effective, "2026-01", "its month");
	is_int(info.steps, 64, "64 steps");
	ok(info.replaced == 1, "it replaced the test policy of the same month (no closed payroll)");
	ok(sb_pay_policy_load(&info, db, path) == 0 && info.unchanged == 1, "loading it again changes nothing");
	snprintf(path, sizeof path, "%s/examples/pay-inner-mongolia.xml", getenv("SHARED") ? getenv("SHARED") : "/work/shared");
	ok(sb_pay_policy_load(&info, db, path) == 0 && info.allowances == 3, "the Inner Mongolia example loads as it is");
	ok(sb_pay_policy_load(&info, db, tap_write(dir, "t1.xml", fx_policy(xml, sizeof xml, "2026-01", "300.00", "fen"))) == 0,
	   "back to the test policy");

	audit = dbcount(db, "SELECT count(*) FROM audit_log");
	ok(sb_pay_policy_load(NULL, db, tap_write(dir, "dt.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE pay [<!ENTITY a \"b\">]>\n<pay/>")) == SB_EXML,
	   "a DOCTYPE is refused");
	has_msg("DOCTYPE is not allowed", "…and named");
	ok(sb_pay_policy_load(NULL, db, tap_write(dir, "ns.xml", "<?xml version=\"1.0\"?>\n<pay xmlns=\"urn:other\" name=\"x\" effective=\"2026-01\"/>\n")) == SB_EXML,
	   "a foreign namespace is refused");
	has_msg("ns.xml:2: not valid against xsd/pay.xsd", "…with the line");
	fx_policy(xml, sizeof xml, "2026-05", "300.00", "fen");
	{
		char *hit = strstr(xml, "<step base=\"5150.00\"/>");
		memcpy(hit, "<step base=\"4999.00\"/>", 22);
	}
	ok(sb_pay_policy_load(NULL, db, tap_write(dir, "down.xml", xml)) == SB_EINVALID, "a step below the one before is refused");
	has_msg("down.xml:5: <step>: base is below the step before it", "…naming element and line");
	is_int(dbcount(db, "SELECT count(*) FROM audit_log"), audit, "nothing written");
	is_int(dbcount(db, "SELECT count(*) FROM pay_policy"), 1, "one policy: each load of 2026-01 replaced the one before");

	/* ---- regions, positions, terms ---- */
	ok(sb__pay_policies_load(&ps, db) == 0 && ps.n == 1, "policies in memory");
	ok(sb__pay_place_load(&place, db, FX_TOWN_C) == 0, "a place");
	is_str(sb__pay_region_of(&ps.p[0], &place)->id, "county", "the county's own region wins over its prefecture's");
	is_int(sb__pay_allowances(&ps.p[0], &place), 60000, "the county's border flag holds for its township");
	ok(sb__pay_place_load(&place, db, FX_TOWN_B) == 0 && (place.flags & SB_FLAG_REMOTE), "flags inherited");
	is_int(sb__pay_allowances(&ps.p[0], &place), 30000, "remote allowance");
	is_str(sb__pay_region_of(&ps.p[0], &place)->id, "city", "a township of the prefecture");
	sb__pay_policies_clear(&ps);

	ok(sb_pay_position_on(&pos, db, id1, "2026-01-01") == 0, "a recruit's position");
	ok(strcmp(pos.qualification, "assistant") == 0 && pos.step == 1 && pos.base_fen == 560000, "step 1 of the level of the qualification");
	/* 2021-01-02 to 2026-01-01: 4 completed years (the anniversary is the day after) → step 3,
	 * capped at the top step 2 of the low scale */
	ok(sb_pay_position_on(&pos, db, id2, "2026-01-01") == 0 && pos.step == 2 && pos.base_fen == 460000,
	   "taken over: 1 + floor(4 / 2) = 3, capped at the top step 2");
	ok(sb_pay_position_on(&pos, db, id3, "2026-01-01") == 0 && pos.step == 3 && pos.base_fen == 680000,
	   "36 years of seniority: capped at the top step");
	ok(sb_pay_contract_terms(&monthly, &minimum, &pct, db, id2, "2026-01-01") == 0, "contract terms");
	ok(monthly == 460000 && minimum == 400000 && pct == 80, "scale base, the region's minimum wage, 80%");
	ok(sb_pay_contract_terms(&monthly, &minimum, &pct, db, id2, "2025-12-31") == SB_ENOTFOUND, "no policy before 2026-01");
	has_msg("no pay policy is in force on 2025-12-31", "…said");
	ok(sb_pay_contract_terms(&monthly, &minimum, &pct, db, "110101199001019999", "2026-01-01") < 0, "not a worker");

	/* ---- evaluate and raise ---- */
	audit = dbcount(db, "SELECT count(*) FROM audit_log");
	snprintf(csv, sizeof csv, "id_number,grade\n%s,excellent\n%s,outstanding\n", id1, id2);
	ok(sb_pay_evaluate(&rows, db, 2025, tap_write(dir, "e.csv", csv)) == SB_EINVALID, "a bad grade is refused");
	has_msg("e.csv:3: grade: 'outstanding'", "…with file, line and field");
	is_int(dbcount(db, "SELECT count(*) FROM pay_evaluation"), 0, "nothing recorded");
	is_int(dbcount(db, "SELECT count(*) FROM audit_log"), audit, "nothing audited");
	snprintf(csv, sizeof csv, "id_number,grade\n%s,excellent\n%s,competent\n%s,incompetent\n", id1, id2, id3);
	ok(sb_pay_evaluate(&rows, db, 2025, tap_write(dir, "e.csv", csv)) == 0 && rows == 3, "grades recorded");
	ok(sb_pay_raise(&rows, db, 2025, "2026-01-15") == SB_EUSAGE, "a raise from mid-month is refused");
	ok(sb_pay_raise(&rows, db, 2025, "2026-04-01") == 0 && rows == 1,
	   "raise: excellent moves up two, the taken-over worker at the top and the incompetent one not");
	ok(sb_pay_position_on(&pos, db, id1, "2026-04-01") == 0 && pos.step == 3 && pos.base_fen == 594000, "W1 at step 3 from April");
	ok(sb_pay_position_on(&pos, db, id1, "2026-03-31") == 0 && pos.step == 1, "…and at step 1 until then");
	ok(sb_pay_evaluate(&rows, db, 2025, tap_write(dir, "e.csv", csv)) == SB_ESTATE, "grades of a raised year are final");

	/* ---- qualify ---- */
	snprintf(csv, sizeof csv, "id_number,qualification,effective\n%s,senior,2026-06-01\n", id1);
	ok(sb_pay_qualify(&rows, db, tap_write(dir, "q.csv", csv)) == 0 && rows == 1, "qualification upgrade");
	/* current 5,940 (assistant step 3); the lowest senior step not below it is step 1 (7,600) */
	ok(sb_pay_position_on(&pos, db, id1, "2026-06-01") == 0 && strcmp(pos.qualification, "senior") == 0 && pos.step == 1,
	   "lowest step not below the current base");
	snprintf(csv, sizeof csv, "id_number,qualification,effective\n%s,none,2026-07-01\n", id3);
	ok(sb_pay_qualify(&rows, db, tap_write(dir, "q2.csv", csv)) == 0, "a move to a lower level");
	ok(sb_pay_position_on(&pos, db, id3, "2026-07-01") == 0 && pos.step == 4 && pos.base_fen == 545000,
	   "no step of none reaches 6,800: the top step");
	audit = dbcount(db, "SELECT count(*) FROM audit_log");
	snprintf(csv, sizeof csv, "id_number,qualification,effective\n%s,senior,2026-06-01\n%s,senior,2026-06-02\n", id2, id2);
	ok(sb_pay_qualify(&rows, db, tap_write(dir, "q3.csv", csv)) == SB_EINVALID, "a date not on the first of a month");
	has_msg("q3.csv:3: effective: '2026-06-02' is not the first day of a month", "…line 3 named");
	is_int(dbcount(db, "SELECT count(*) FROM audit_log"), audit, "and the good first row not kept");

	/* ---- deductions ---- */
	snprintf(csv, sizeof csv, "id_number,from,to,amount\n%s,2026-01,2026-12,1000\n%s,2026-01,2026-12,1000\n%s,2026-03,2026-04,400.50\n",
		 id1, id1, id2);
	ok(sb_pay_deductions(&rows, db, tap_write(dir, "d.csv", csv)) == 0 && rows == 3, "declarations recorded (two identical ones are two)");
	ok(sb_pay_deductions(&rows, db, tap_write(dir, "d.csv", csv)) == 0 && rows == 0, "the same file again adds nothing");
	snprintf(csv, sizeof csv, "id_number,from,to,amount\n%s,2026-01,2026-12,0\n", id1);
	ok(sb_pay_deductions(&rows, db, tap_write(dir, "d0.csv", csv)) == SB_EINVALID, "a zero amount is refused");
	has_msg("d0.csv:2: amount", "…named");
	is_int(dbcount(db, "SELECT count(*) FROM pay_deduction"), 3, "still three");

	/* ---- prior year ---- */
	snprintf(csv, sizeof csv, "id_number,township_code,months,wages\n%s,440103001000,12,60000.00\n", id1);
	ok(sb_pay_prior_year(&rows, db, 2025, tap_write(dir, "p.csv", csv)) == 0 && rows == 1, "prior year recorded");
	snprintf(csv, sizeof csv, "id_number,township_code,months,wages\n%s,440103001000,12,60000.01\n", id1);
	ok(sb_pay_prior_year(&rows, db, 2025, tap_write(dir, "p.csv", csv)) == 0, "and replaced");
	is_int(dbcount(db, "SELECT wages_fen FROM pay_prior"), 6000001, "with the new wages");
	sb_db_close(db);
	return tap_done();
}
