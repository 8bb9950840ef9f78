/*
 * Unit tests of the staff area: Excel date serials (1900 system with its phantom leap day,
 * 1904 system), the .xlsx reader on workbooks written by libxlsxwriter and on crafted ones
 * (DOCTYPE, missing parts), seniority, registering a worker twice, the worker list and its
 * scopes, and an import under injected faults (allocation, SQLite step) that must leave the
 * registry as it was.
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "staff_internal.h"
#include "xlsx_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

static const char divisions[] =
	"code,name,level,parent,lon,lat\n"
	"440000000000,广东省,province,,113.7,23.0\n"
	"440100000000,广州市,prefecture,440000000000,113.4,23.1\n"
	"440103000000,荔湾区,county,440100000000,113.2,23.1\n"
	"440103001000,沙面街道,township,440103000000,,\n"
	"440103001101,翠洲社区,village,440103001000,,\n"
	"440103002000,岭南街道,township,440103000000,,\n"
	"440103002102,扬仁西社区,village,440103002000,,\n";

static const char roster[] =
	"id_number,name,township_code,village_code,role,service_start,qualification,phone,bank_account\n"
	"440103198503150012,陈志强,440103001000,440103001101,service,2015-03-01,assistant,13800138000,6222020200112233445\n"
	"44010319900720002X,李晓梅,440103002000,,office,2018/7/1,社会工作师,,6217000010002000300\n"
	"440103197812010035,黄国华,440103002000,440103002102,service,2009年9月1日,,13900139000,\n";

static const char *serial(const char *n, int d1904)
{
	static char out[11];
	if (sb__xlsx_serial_date(out, n, d1904) < 0)
		return "error";
	return out;
}

/* A workbook with the given parts, written with libzip (crafted on purpose). */
static int write_zip(const char *path, const char *const *names, const char *const *texts, int n)
{
	int i, err;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z)
		return -1;
	for (i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
		if (!s || zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8) < 0)
			return -1;
	}
	return zip_close(z);
}

static const char wb_xml[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"1\"/><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
static const char rels_xml[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	"Target=\"/xl/worksheets/s.xml\"/></Relationships>";

int main(void)
{
	const char *dir = tap_tmpdir("staff");
	const char *src = getenv("SRCDIR");
	char path[1100], file[1100], db_path[1100];
	sb__xlsx *x = NULL;
	sb__xlsx_cell c;
	sb_db *db = NULL;
	sb_worker *w = NULL;
	size_t n = 0;
	sb_staff_stats stats;
	sb_staff_import_opts opts;
	sb__staff_new nw;
	int64_t id, id2;
	int existed, k, error;
	char col[4];

	if (!src)
		src = "..";

	/* ---- Excel serial dates (ECMA-376 Part 1, 18.17.4) ---- */
	is_str(serial("1", 0), "1900-01-01", "serial 1 is 1900-01-01");
	is_str(serial("59", 0), "1900-02-28", "serial 59 is 1900-02-28");
	is_str(serial("60", 0), "error", "serial 60 is the phantom 1900-02-29: refused");
	is_str(serial("61", 0), "1900-03-01", "serial 61 is 1900-03-01");
	is_str(serial("42064", 0), "2015-03-01", "serial 42064 is 2015-03-01");
	is_str(serial("40057", 0), "2009-09-01", "serial 40057 is 2009-09-01");
	is_str(serial("42064.75", 0), "2015-03-01", "a time of day is dropped");
	is_str(serial("2958465", 0), "9999-12-31", "the last serial");
	is_str(serial("2958466", 0), "error", "beyond 9999-12-31: refused");
	is_str(serial("0", 0), "error", "serial 0 (1900-01-00): refused");
	is_str(serial("-3", 0), "error", "negative: refused");
	is_str(serial("abc", 0), "error", "not a number: refused");
	is_str(serial("0", 1), "1904-01-01", "1904 system: serial 0 is 1904-01-01");
	is_str(serial("40602", 1), "2015-03-01", "1904 system: 1,462 days less");
	sb__xlsx_colname(col, 0);
	is_str(col, "A", "column 0 is A");
	sb__xlsx_colname(col, 26);
	is_str(col, "AA", "column 26 is AA");
	sb__xlsx_colname(col, 16383);
	is_str(col, "XFD", "the last column is XFD");

	/* ---- the reader on libxlsxwriter's output ---- */
	snprintf(file, sizeof(file), "%s/tests/data/staff-roster.xlsx", src);
	ok(sb__xlsx_open(&x, file) == 0, "libxlsxwriter workbook opens");
	if (x) {
		is_int(sb__xlsx_nrows(x), 4, "header and three rows (the empty row 4 is not a row)");
		is_int(sb__xlsx_rownum(x, 3), 5, "the last row is spreadsheet row 5");
		c = sb__xlsx_get(x, 1, 0);
		ok(c.type == SB_XLSX_TEXT && strcmp(c.text, "440103198503150012") == 0, "A2: a shared string");
		c = sb__xlsx_get(x, 1, 2);
		ok(c.type == SB_XLSX_NUMBER && strcmp(c.text, "440103001000") == 0, "C2: a number");
		c = sb__xlsx_get(x, 1, 5);
		ok(c.type == SB_XLSX_NUMBER && strcmp(c.text, "42064") == 0, "F2: a date as a serial number");
		c = sb__xlsx_get(x, 2, 5);
		ok(c.type == SB_XLSX_TEXT && strcmp(c.text, "2018/7/1") == 0, "F3: a date as text");
		c = sb__xlsx_get(x, 2, 3);
		ok(c.type == SB_XLSX_EMPTY && strcmp(c.text, "") == 0, "D3: empty");
		c = sb__xlsx_get(x, 2, 40);
		ok(c.type == SB_XLSX_EMPTY, "beyond the row: empty");
		is_int(sb__xlsx_date1904(x), 0, "1900 date system");
		sb__xlsx_free(x);
		x = NULL;
	}
	snprintf(file, sizeof(file), "%s/tests/data/staff-roster-inline.xlsx", src);
	ok(sb__xlsx_open(&x, file) == 0, "constant-memory workbook (inline strings) opens");
	if (x) {
		c = sb__xlsx_get(x, 2, 1);
		ok(c.type == SB_XLSX_TEXT && strcmp(c.text, "李晓梅") == 0, "B3: an inline string");
		sb__xlsx_free(x);
		x = NULL;
	}
	snprintf(file, sizeof(file), "%s/tests/data/staff-roster-numeric-id.xlsx", src);
	ok(sb__xlsx_open(&x, file) == 0, "numeric-ID workbook opens");
	if (x) {
		c = sb__xlsx_get(x, 1, 0);
		ok(c.type == SB_XLSX_NUMBER && strcmp(c.text, "4.4010319850315E+17") == 0,
		   "A2: the ID number as the number the spreadsheet kept");
		sb__xlsx_free(x);
		x = NULL;
	}

	/* ---- crafted workbooks ---- */
	{
		const char *names[] = { "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/s.xml",
					"xl/sharedStrings.xml" };
		const char *texts[] = {
			wb_xml, rels_xml,
			"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
			"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c><c r=\"C1\" t=\"b\"><v>1</v></c></row>"
			"<row><c t=\"e\"><v>#N/A</v></c><c><v>40602</v></c><c t=\"s\"><v>0</v></c></row>"
			"</sheetData></worksheet>",
			"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><r><t>甲</t></r>"
			"<r><t>乙</t></r><rPh><t>jia</t></rPh></si></sst>",
		};
		snprintf(file, sizeof(file), "%s/crafted.xlsx", dir);
		ok(write_zip(file, names, texts, 4) == 0, "crafted workbook written");
		ok(sb__xlsx_open(&x, file) == 0, "crafted workbook opens");
		if (x) {
			is_int(sb__xlsx_date1904(x), 1, "date1904 read from workbookPr");
			is_str(sb__xlsx_get(x, 0, 0).text, "a\rb", "_x000D_ decoded");
			ok(sb__xlsx_get(x, 0, 1).type == SB_XLSX_EMPTY, "B1 missing: empty");
			ok(sb__xlsx_get(x, 0, 2).type == SB_XLSX_BOOL, "C1: boolean");
			is_int(sb__xlsx_rownum(x, 1), 2, "a row without r follows the previous");
			ok(sb__xlsx_get(x, 1, 0).type == SB_XLSX_ERROR, "A2: an error cell");
			is_str(sb__xlsx_get(x, 1, 1).text, "40602", "B2: cells without r follow the previous");
			is_str(sb__xlsx_get(x, 1, 2).text, "甲乙", "rich text runs joined, phonetic run left out");
			sb__xlsx_free(x);
			x = NULL;
		}
		{
			/* A sheet far larger than one parser push (64 KiB) streams whole. */
			sb_buf big = SB_BUF_INIT;
			int r;
			sb__buf_puts(&big, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
			for (r = 1; r <= 5000; r++)
				sb__buf_printf(&big, "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>第%d行</t></is></c>"
					       "<c r=\"B%d\"><v>%d</v></c></row>", r, r, r, r, r * 7);
			sb__buf_puts(&big, "</sheetData></worksheet>");
			texts[2] = big.ptr;
			ok(big.len > 300000 && write_zip(file, names, texts, 4) == 0, "a 5,000-row sheet written");
			ok(sb__xlsx_open(&x, file) == 0, "a large sheet opens");
			if (x) {
				is_int(sb__xlsx_nrows(x), 5000, "every row read");
				is_str(sb__xlsx_get(x, 4999, 0).text, "第5000行", "the last row's text");
				is_str(sb__xlsx_get(x, 4999, 1).text, "35000", "the last row's number");
				sb__xlsx_free(x);
				x = NULL;
			}
			sb__buf_free(&big);
		}
		texts[2] = "<!DOCTYPE w [<!ENTITY e \"boom\">]><worksheet><sheetData/></worksheet>";
		ok(write_zip(file, names, texts, 4) == 0, "workbook with a DOCTYPE written");
		is_int(sb__xlsx_open(&x, file), SB_EINVALID, "a DOCTYPE is refused");
		has_msg("xl/worksheets/s.xml: a DOCTYPE is not allowed", "the message names the part");
		texts[2] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1\"/></sheetData></worksheet>";
		ok(write_zip(file, names, texts, 4) == 0, "workbook with rows out of order written");
		is_int(sb__xlsx_open(&x, file), SB_EINVALID, "rows out of order are refused");
		texts[2] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>";
		ok(write_zip(file, names, texts, 4) == 0, "workbook with a bad shared string index written");
		is_int(sb__xlsx_open(&x, file), SB_EINVALID, "a shared string index out of range is refused");
		texts[2] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></sheetData></worksheet>";
		ok(write_zip(file, names, texts, 4) == 0, "malformed sheet written");
		is_int(sb__xlsx_open(&x, file), SB_EINVALID, "malformed XML is refused");
		has_msg("not well-formed XML", "and said so");
		ok(write_zip(file, names + 1, texts + 1, 2) == 0, "workbook without workbook.xml written");
		is_int(sb__xlsx_open(&x, file), SB_EINVALID, "no workbook part: refused");
		has_msg("xl/workbook.xml is missing", "the missing part is named");
		ok(x == NULL, "nothing is returned on error");
	}

	/* ---- seniority ---- */
	is_int(sb_staff_seniority("2015-03-01", "2026-02-28"), 10, "the day before the anniversary: 10 years");
	is_int(sb_staff_seniority("2015-03-01", "2026-03-01"), 11, "on the anniversary: 11 years");
	is_int(sb_staff_seniority("2027-01-01", "2026-03-01"), 0, "a start after the date: 0");
	is_int(sb_staff_seniority("", "2026-03-01"), 0, "no service start: 0");

	/* ---- the registry ---- */
	snprintf(db_path, sizeof(db_path), "%s/r.db", dir);
	ok(sb_db_open(&db, db_path, SB_DB_CREATE) == 0, "create");
	snprintf(path, sizeof(path), "%s", tap_write(dir, "div.csv", divisions));
	ok(sb_org_import(db, path, NULL, NULL, NULL) == 0 && sb_org_stations(db, NULL, NULL) == 0, "divisions and stations");

	memset(&nw, 0, sizeof(nw));
	nw.id_number = "440103198503150012";
	nw.name = "陈志强";
	nw.township_code = "440103001000";
	nw.village_code = "440103001101";
	nw.kind = "service";
	nw.source = "recruit";
	nw.qualification = "assistant";
	nw.start_date = "2026-12-01";
	nw.round_code = "GD2026";
	nw.app_no = "A001";
	nw.post_id = "P01";
	ok(sb__staff_add(db, &nw, &id, &existed) == 0 && existed == 0 && id > 0, "a hired worker is registered");
	is_int(th_count(db, "SELECT count(*) FROM audit_log"), 4, "person and worker audited");
	ok(sb__staff_add(db, &nw, &id2, &existed) == 0 && existed == 1 && id2 == id, "hiring twice: the same worker");
	is_int(th_count(db, "SELECT count(*) FROM staff_worker"), 1, "not duplicated");
	is_int(th_count(db, "SELECT count(*) FROM audit_log"), 4, "and nothing audited");
	ok(sb_staff_workers(&w, &n, db, NULL, NULL) == 0 && n == 1, "one worker listed");
	if (n == 1) {
		is_str(w[0].name, "陈志强", "name from the person registry");
		is_str(w[0].service_start, "", "a recruit has no carried-over service");
		is_str(w[0].bank_account, "", "no bank account yet");
		is_str(w[0].kind, "service", "kind");
	}
	sb_staff_workers_free(w, n);
	ok(sb_staff_workers(&w, &n, db, "440103002000", NULL) == 0 && n == 0 && w == NULL, "another township: none");
	sb_staff_workers_free(w, n);
	is_int(sb_staff_workers(&w, &n, db, "449999999999", NULL), SB_ENOTFOUND, "unknown scope");

	/* ---- an import under injected faults leaves the registry as it was ---- */
	snprintf(file, sizeof(file), "%s", tap_write(dir, "roster.csv", roster));
	memset(&opts, 0, sizeof(opts));
	opts.source = "relief";
	{
		static const char *const kinds[] = { "alloc", "step", "io" };
		int kk, clean = 1, failed_some = 0, succeeded = 1;
		for (kk = 0; kk < 3; kk++) {
			sb_db *fdb = NULL;
			int64_t before;
			snprintf(path, sizeof(path), "%s/fault-%s.db", dir, kinds[kk]);
			if (sb_db_open(&fdb, path, SB_DB_CREATE) < 0 ||
			    sb_org_import(fdb, tap_write(dir, "div.csv", divisions), NULL, NULL, NULL) < 0 ||
			    sb_org_stations(fdb, NULL, NULL) < 0) {
				ok(0, "fault database");
				break;
			}
			before = th_count(fdb, "SELECT count(*) FROM audit_log");
			for (k = 1; k < 5000; k++) {
				char spec[32];
				snprintf(spec, sizeof(spec), "%s:%d", kinds[kk], k);
				setenv("SHUANGBAI_FAULT", spec, 1);
				sb__fault_reset();
				error = sb_staff_import(&stats, fdb, file, &opts);
				unsetenv("SHUANGBAI_FAULT");
				sb__fault_reset();
				if (error == 0)
					break;
				failed_some = 1;
				if (th_count(fdb, "SELECT count(*) FROM staff_worker") != 0 ||
				    th_count(fdb, "SELECT count(*) FROM person") != 0 ||
				    th_count(fdb, "SELECT count(*) FROM audit_log") != before)
					clean = 0;
			}
			if (error != 0 || th_count(fdb, "SELECT count(*) FROM staff_worker") != 3)
				succeeded = 0;
			sb_db_close(fdb);
		}
		ok(failed_some, "faults were injected");
		ok(clean, "every failed import left the registry unchanged");
		ok(succeeded, "and once past the last fault point the import succeeds");
	}
	ok(sb_staff_import(&stats, db, file, &opts) == 0, "the import without faults");
	is_int(stats.added, 2, "two added");
	is_int(stats.existing, 1, "the hired worker matched, not duplicated");
	sb_db_close(db);
	return tap_done();
}
