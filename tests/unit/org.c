/* Unit tests of the org area: import rules, idempotence, flags, employers, stations, coverage. */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

static const char divisions[] =
	"code,name,level,parent,lon,lat\n"
	"440000000000,广东省,province,,113.7,23.0\n"
	"440100000000,广州市,prefecture,440000000000,113.4,23.1\n"
	"440103000000,荔湾区,county,440100000000,113.2,23.1\n"
	"440103001000,沙面街道,township,440103000000,,\n"
	"440103001001,沙面社区,village,440103001000,,\n"
	"440103001002,翠洲社区,village,440103001000,,\n"
	"440103002000,岭南街道,township,440103000000,,\n"
	"440103002001,岭南社区,village,440103002000,,\n"
	"441900000000,东莞市,prefecture,440000000000,113.8,23.0\n"
	"441900003000,东城街道,township,441900000000,,\n"
	"441900003001,东城社区,village,441900003000,,\n";

static void make_uscc(char out[19], const char *first8, const char *org8)
{
	memcpy(out, first8, 8);
	memcpy(out + 8, org8, 8);
	out[16] = sb_person_orgcode_check_char(org8);
	out[17] = sb_person_uscc_check_char(out);
	out[18] = '\0';
}

int main(void)
{
	const char *dir = tap_tmpdir("org");
	char path[1100], file[1100];
	sb_db *db = NULL;
	sb_org_stats stats, st2;
	sb_coverage *cov = NULL;
	sb_division d;
	double lon, lat;
	char anc[13];
	unsigned flags;

	snprintf(path, sizeof(path), "%s/r.db", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "create");
	snprintf(file, sizeof(file), "%s", tap_write(dir, "div.csv", divisions));
	ok(sb_org_import(db, file, &stats, NULL, NULL) == 0, "import");
	is_int(stats.added, 11, "11 divisions added");
	ok(sb_org_import(db, file, &stats, NULL, NULL) == 0 && stats.added == 0 && stats.unchanged == 11,
	   "importing again changes nothing");
	is_int(th_count(db, "SELECT count(*) FROM audit_log"), 1, "and writes no audit entry");

	/* Bad rows, each naming its line; nothing written. */
	{
		static const struct {
			const char *text, *msg, *name;
		} bad[] = {
			{ "code,name,level,parent,lon,lat\n449901000000,某区,county,449900000000,,\n",
			  "bad.csv:2: parent: 449900000000 is neither in the file nor in the registry", "unknown parent" },
			{ "code,name,level,parent,lon,lat\n440104000000,越秀区,county,440100000000,,\n440104000000,x,county,440100000000,,\n",
			  "bad.csv:3: code: 440104000000 appears twice (first on line 2)", "duplicate code" },
			{ "code,name,level,parent,lon,lat\n44010400000,越秀区,county,440100000000,,\n",
			  "bad.csv:2: code: '44010400000' is not a 12-digit division code", "malformed code" },
			{ "code,name,level,parent,lon,lat\n440104000000,越秀区,township,440100000000,,\n",
			  "bad.csv:2: level: 'township' does not fit code 440104000000", "level against code shape" },
			{ "code,name,level,parent,lon,lat\n440104000000,越秀区,county,440100000000\n",
			  "bad.csv:2: record: 4 fields, the header has 6", "wrong column count" },
			{ "code,name,level,parent,lon,lat\n440104000000,越秀区,county,440300000000,,\n",
			  "bad.csv:2: parent: 440300000000 cannot contain 440104000000", "parent of another prefix" },
			{ "code,name,level,parent,lon,lat\n440104000000,越秀区,county,440100000000,200.0,23\n",
			  "bad.csv:2: lon: '200.0' is not a longitude", "longitude out of range" },
			{ "code,name,level,parent,lon,lat\n440104000000,,county,440100000000,,\n",
			  "bad.csv:2: name: empty", "empty name" },
			{ "code,name,level,parent,lon,lat\n440103001000,沙面街道,township,440103000000,,\n440103001001,沙面社区,village,440103002000,,\n",
			  "bad.csv:3: parent: 440103002000 cannot contain 440103001001", "a village moved to another township" },
		};
		size_t i;
		int64_t before = th_count(db, "SELECT count(*) FROM org_division");
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char bpath[1100];
			snprintf(bpath, sizeof(bpath), "%s", tap_write(dir, "bad.csv", bad[i].text));
			ok(sb_org_import(db, bpath, &stats, NULL, NULL) == SB_EINVALID, "%s refused", bad[i].name);
			has_msg(bad[i].msg, bad[i].name);
		}
		is_int(th_count(db, "SELECT count(*) FROM org_division"), before, "nothing written by the bad files");
	}

	/* Renaming a division updates it and is audited. */
	{
		char rpath[1100];
		snprintf(rpath, sizeof(rpath), "%s",
			 tap_write(dir, "rename.csv", "code,name,level,parent\n440103002000,岭南街道办,township,440103000000\n"));
		ok(sb_org_import(db, rpath, &stats, NULL, NULL) == 0 && stats.updated == 1, "a new name updates");
		ok(sb_org_division(&d, db, "440103002000") == 0, "look up");
		is_str(d.name, "岭南街道办", "name updated");
		is_int(d.level, SB_LEVEL_TOWNSHIP, "level");
		sb_division_clear(&d);
		is_int(th_count(db, "SELECT count(*) FROM audit_log"), 2, "the rename is audited");
	}

	/* Centres, ancestors, within. */
	ok(sb_org_centre(&lon, &lat, db, "440103001001") == 0 && lon == 113.2, "a village takes its county's centre");
	ok(sb_org_ancestor(anc, db, "440103001001", SB_LEVEL_COUNTY) == 0 && strcmp(anc, "440103000000") == 0,
	   "county of a village");
	ok(sb_org_ancestor(anc, db, "441900003001", SB_LEVEL_COUNTY) == 0 && strcmp(anc, "441900000000") == 0,
	   "a prefecture without counties stands in for the county");
	is_int(sb_org_within(db, "440103001001", "440100000000"), 1, "village within its prefecture");
	is_int(sb_org_within(db, "441900003001", "440100000000"), 0, "东莞 village not within 广州");

	/* A scope as a range of codes: exactly the codes sharing its significant prefix. */
	{
		char lo[13], hi[13];
		ok(sb_org_scope_range(lo, hi, db, "440000000000") == 0 && strcmp(lo, "44") == 0 && strcmp(hi, "45") == 0,
		   "province range 44 .. 45");
		ok(sb_org_scope_range(lo, hi, db, "440103000000") == 0 && strcmp(lo, "440103") == 0 &&
		   strcmp(hi, "440104") == 0, "county range 440103 .. 440104");
		ok(sb_org_scope_range(lo, hi, db, "441900000000") == 0 && strcmp(lo, "4419") == 0 &&
		   strcmp(hi, "441:") == 0, "a prefix ending in 9 is bounded by ':'");
		ok(strcmp("441900003000", lo) >= 0 && strcmp("441900003000", hi) < 0 &&
		   strcmp("442000000000", hi) >= 0, "东莞's township inside, 中山 outside");
		ok(sb_org_scope_range(lo, hi, db, "440103001000") == 0 && strcmp(lo, "440103001") == 0 &&
		   strcmp(hi, "440103002") == 0, "township range");
		ok(sb_org_scope_range(lo, hi, db, NULL) == 0 && strcmp(lo, "") == 0 && strcmp(hi, ":") == 0,
		   "no scope: every code");
		is_int(sb_org_scope_range(lo, hi, db, "440199000000"), SB_ENOTFOUND, "a scope not in the registry");
		has_msg("440199000000: not a division of the registry", "and says so");
	}

	/* Flags hold below. */
	{
		char fpath[1100];
		snprintf(fpath, sizeof(fpath), "%s", tap_write(dir, "flags.csv", "code,flag\n440103000000,remote\n441900000000,border\n"));
		ok(sb_org_flags(db, fpath, &stats) == 0 && stats.added == 2, "flags");
		ok(sb_org_flags(db, fpath, &stats) == 0 && stats.added == 0, "flags again change nothing");
		ok(sb_org_flags_of(&flags, db, "440103001002") == 0 && flags == SB_FLAG_REMOTE, "a village inherits remote");
		ok(sb_org_flags_of(&flags, db, "440103000000") == 0 && flags == SB_FLAG_REMOTE, "the county itself");
		ok(sb_org_flags_of(&flags, db, "440100000000") == 0 && flags == 0, "not upwards");
		snprintf(fpath, sizeof(fpath), "%s", tap_write(dir, "flags.csv", "code,flag\n440103000000,coastal\n"));
		ok(sb_org_flags(db, fpath, &stats) == SB_EINVALID, "unknown flag refused");
		has_msg("flags.csv:2: flag: 'coastal' is not one of", "unknown flag named");
	}

	/* Employers. */
	{
		char uscc[19], epath[1100], text[512];
		make_uscc(uscc, "11440103", "00694320");
		snprintf(text, sizeof(text), "township_code,name,address,legal_rep,uscc\n440103001000,沙面街道办事处,广州市荔湾区沙面大街1号,张三,%s\n", uscc);
		snprintf(epath, sizeof(epath), "%s", tap_write(dir, "emp.csv", text));
		ok(sb_org_employers(db, epath, &stats) == 0 && stats.added == 1, "employer recorded");
		ok(sb_org_employers(db, epath, &stats) == 0 && stats.unchanged == 1, "again: unchanged");
		uscc[17] = uscc[17] == 'A' ? 'B' : 'A';
		snprintf(text, sizeof(text), "township_code,name,address,legal_rep,uscc\n440103002000,岭南街道办事处,地址,李四,%s\n", uscc);
		snprintf(epath, sizeof(epath), "%s", tap_write(dir, "emp.csv", text));
		ok(sb_org_employers(db, epath, &stats) == SB_EINVALID, "bad USCC refused");
		has_msg("emp.csv:2: uscc:", "USCC error names line and field");
		snprintf(epath, sizeof(epath), "%s", tap_write(dir, "emp.csv",
			"township_code,name,address,legal_rep,uscc\n440103000000,荔湾区,地址,李四,91350100M000100Y43\n"));
		ok(sb_org_employers(db, epath, &stats) == SB_EINVALID, "a county is no township");
		has_msg("emp.csv:2: township_code:", "township_code named");
	}

	/* Stations and coverage. */
	ok(sb_org_stations(db, &stats, &st2) == 0 && stats.added == 3 && st2.added == 4, "3 stations, 4 points");
	ok(sb_org_stations(db, &stats, &st2) == 0 && stats.added == 0 && st2.added == 0, "again: none");
	ok(sb_org_coverage(&cov, db, NULL) == 0, "coverage");
	if (cov) {
		is_int(cov->n, 2, "two counties (荔湾区 and 东莞市)");
		is_int(cov->total.townships, 3, "3 townships");
		is_int(cov->total.stations, 3, "3 stations");
		is_int(cov->total.villages, 4, "4 villages");
		is_int(cov->total.points, 4, "4 points");
		is_int(cov->total.staffed_stations, 0, "no staffed station yet");
		is_str(cov->rows[1].code, "441900000000", "东莞 is its own county row");
		sb_coverage_free(cov);
	}
	ok(sb_org_coverage(&cov, db, "441900000000") == 0 && cov->n == 1 && cov->total.villages == 1, "scoped coverage");
	sb_coverage_free(cov);
	ok(sb_audit_verify(db, NULL) == 0, "the audit chain holds");
	sb_db_close(db);
	return tap_done();
}
