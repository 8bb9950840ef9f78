/*
 * The registry the pay and payroll unit tests share: a few divisions of Guangzhou (one
 * township flagged remote, one county paid by its own scale), a test pay policy whose figures
 * are easy to follow by hand, and helpers to add workers and contracts. Not a test itself.
 */
#ifndef SB_PAY_FIXTURE_H
#define SB_PAY_FIXTURE_H

#include "common_internal.h"
#include "contract_internal.h"
#include "db_internal.h"
#include "staff_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

static const char fx_divisions[] =
	"code,name,level,parent,lon,lat\n"
	"440000000000,广东省,province,,113.7,23.0\n"
	"440100000000,广州市,prefecture,440000000000,113.4,23.1\n"
	"440103000000,荔湾区,county,440100000000,113.2,23.1\n"
	"440103001000,沙面街道,township,440103000000,,\n"
	"440103001001,沙面社区,village,440103001000,,\n"
	"440103002000,岭南街道,township,440103000000,,\n"
	"440103002001,岭南社区,village,440103002000,,\n"
	"440106000000,天河区,county,440100000000,113.3,23.1\n"
	"440106001000,五山街道,township,440106000000,,\n"
	"440106001001,五山社区,village,440106001000,,\n";

/* remote on a township; border on a whole county (inherited by its townships) */
static const char fx_flags[] = "code,flag\n440103002000,remote\n440106000000,border\n";

#define FX_TOWN_A "440103001000"
#define FX_TOWN_B "440103002000" /* remote */
#define FX_TOWN_C "440106001000" /* county paid by the "low" scale, flagged border */

/* The test policy: T1 from 2026-01; fx_policy(…, "2026-03", "200.00", "jiao-up") is the
 * general adjustment of the tests. */
static inline const char *fx_policy(char *buf, size_t size, const char *effective, const char *remote,
			     const char *unemployment_rounding)
{
	snprintf(buf, size,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<pay xmlns=\"urn:shuangbai:pay:1\" name=\"测试\" effective=\"%s\">\n"
		"<scales>\n"
		"<scale id=\"a\">\n"
		"<level id=\"L0\" qualification=\"none\"><step base=\"5000.00\"/><step base=\"5150.00\"/><step base=\"5300.00\"/><step base=\"5450.00\"/></level>\n"
		"<level id=\"L1\" qualification=\"assistant\"><step base=\"5600.00\"/><step base=\"5770.00\"/><step base=\"5940.00\"/></level>\n"
		"<level id=\"L2\" qualification=\"intermediate\"><step base=\"6400.00\"/><step base=\"6600.00\"/><step base=\"6800.00\"/></level>\n"
		"<level id=\"L3\" qualification=\"senior\"><step base=\"7600.00\"/><step base=\"7840.00\"/><step base=\"8080.00\"/><step base=\"8320.00\"/>"
		"<step base=\"8560.00\"/><step base=\"8800.00\"/><step base=\"9040.00\"/><step base=\"9280.00\"/></level>\n"
		"</scale>\n"
		"<scale id=\"low\">\n"
		"<level id=\"L0\" qualification=\"none\"><step base=\"4500.00\"/><step base=\"4600.00\"/></level>\n"
		"<level id=\"L1\" qualification=\"assistant\"><step base=\"4700.00\"/></level>\n"
		"<level id=\"L2\" qualification=\"intermediate\"><step base=\"4800.00\"/></level>\n"
		"<level id=\"L3\" qualification=\"senior\"><step base=\"4900.00\"/></level>\n"
		"</scale>\n"
		"</scales>\n"
		"<regions>\n"
		"<region id=\"city\" scale=\"a\" minimum-wage=\"2500.00\"><division code=\"440100000000\"/></region>\n"
		"<region id=\"county\" scale=\"low\" minimum-wage=\"4000.00\"><division code=\"440106000000\"/></region>\n"
		"</regions>\n"
		"<allowances><allowance id=\"remote\" flag=\"remote\" amount=\"%s\"/><allowance id=\"border\" flag=\"border\" amount=\"600.00\"/></allowances>\n"
		"<contributions>\n"
		"<item id=\"pension\" employee=\"8.00\" employer=\"15.00\" floor=\"4492.00\" ceiling=\"27501.00\" rounding=\"fen\"/>\n"
		"<item id=\"medical\" employee=\"2.00\" employer=\"5.50\" floor=\"4492.00\" ceiling=\"27501.00\" rounding=\"fen\"/>\n"
		"<item id=\"unemployment\" employee=\"0.20\" employer=\"0.32\" floor=\"2500.00\" ceiling=\"27501.00\" rounding=\"%s\"/>\n"
		"<item id=\"housing_fund\" employee=\"5.00\" employer=\"5.00\" floor=\"2500.00\" ceiling=\"39828.00\" rounding=\"yuan\"/>\n"
		"</contributions>\n"
		"<probation wage-percent=\"80\"/>\n"
		"<takeover years-per-step=\"2\"/>\n"
		"<raises><grade id=\"excellent\" steps=\"2\"/><grade id=\"competent\" steps=\"1\"/><grade id=\"basic\" steps=\"0\"/><grade id=\"incompetent\" steps=\"0\"/></raises>\n"
		"</pay>\n",
		effective, remote, unemployment_rounding);
	return buf;
}

/* A valid resident ID number born 1990-01-01 with sequence `seq` (0..999). */
static inline const char *fx_id(char out[19], int seq)
{
	snprintf(out, 19, "11010119900101%03d", seq % 1000);
	out[17] = sb_person_id_check_char(out);
	out[18] = '\0';
	return out;
}

/* A worker; returns its id (0 on failure). */
static inline int64_t fx_worker(sb_db *db, int seq, const char *town, const char *source, const char *qual,
			 const char *start, const char *service_start)
{
	char id[19], name[32], village[13];
	sb__staff_new w;
	int64_t wid = 0;
	memset(&w, 0, sizeof w);
	snprintf(name, sizeof name, "工人%d", seq);
	snprintf(village, sizeof village, "%.9s001", town);
	w.id_number = fx_id(id, seq);
	w.name = name;
	w.township_code = town;
	w.village_code = village;
	w.kind = "service";
	w.source = source;
	w.qualification = qual;
	w.start_date = start;
	w.service_start = service_start;
	w.bank_account = "6222000000000000";
	if (sb__staff_add(db, &w, &wid, NULL) < 0)
		return 0;
	return wid;
}

static inline int fx_contract(sb_db *db, int64_t wid, int seq, const char *town, const char *start,
		       const char *end, const char *probation_end, int64_t monthly, int64_t probation)
{
	sb_contract_info c;
	memset(&c, 0, sizeof c);
	c.worker_id = wid;
	fx_id(c.id_number, seq);
	snprintf(c.township_code, sizeof c.township_code, "%s", town);
	snprintf(c.start, sizeof c.start, "%s", start);
	snprintf(c.end, sizeof c.end, "%s", end ? end : "");
	snprintf(c.probation_end, sizeof c.probation_end, "%s", probation_end ? probation_end : "");
	c.monthly_fen = monthly;
	c.probation_fen = probation;
	return sb__contract_record(db, &c);
}

/* A registry with divisions, flags, stations and the T1 policy. */
static inline sb_db *fx_registry(const char *dir)
{
	char path[1100], xml[8192];
	sb_db *db = NULL;
	snprintf(path, sizeof path, "%s/r.db", dir);
	if (sb_db_open(&db, path, SB_DB_CREATE) < 0 ||
	    sb_org_import(db, tap_write(dir, "div.csv", fx_divisions), NULL, NULL, NULL) < 0 ||
	    sb_org_flags(db, tap_write(dir, "flags.csv", fx_flags), NULL) < 0 ||
	    sb_org_stations(db, NULL, NULL) < 0 ||
	    sb_pay_policy_load(NULL, db, tap_write(dir, "t1.xml", fx_policy(xml, sizeof xml, "2026-01", "300.00", "fen"))) < 0) {
		printf("Bail out! fixture: %s\n", sb_error_last());
		exit(1);
	}
	return db;
}

#endif
