/*
 * Writes the .xlsx fixtures of the staff take-over tests with a real spreadsheet writer
 * (libxlsxwriter, as Debian ships it), so that the reader is tested on what spreadsheet
 * programs write rather than on hand-made XML: shared strings, inline strings (the
 * writer's constant-memory mode), dates as serial numbers with a date format and as text,
 * numbers as numbers, and an ID column a spreadsheet turned into numbers. Also converts a
 * plain CSV (no quoted fields) into a workbook for bench/takeover. Not part of the program.
 *
 *   cc -o make-xlsx make-xlsx.c $(pkg-config --cflags --libs xlsxwriter)
 *   ./make-xlsx fixtures DIR        # DIR/staff-roster.xlsx, ...-inline.xlsx, ...-numeric-id.xlsx,
 *                                   # ...-bad.xlsx
 *   ./make-xlsx csv IN.csv OUT.xlsx # every cell a string
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

static const char *const header[] = { "id_number", "name", "township_code", "village_code", "role",
				      "service_start", "qualification", "phone", "bank_account" };

static void write_header(lxw_worksheet *ws)
{
	int c;
	for (c = 0; c < 9; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
}

/* The three rows of staff-roster.csv, the way a township office keys them in. */
static int roster(const char *path, int inline_strings, int numeric_id)
{
	lxw_workbook_options opt = { 0 };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime d1 = { 2015, 3, 1, 0, 0, 0 }, d3 = { 2009, 9, 1, 0, 0, 0 };

	opt.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE;
	wb = workbook_new_opt(path, &opt);
	ws = workbook_add_worksheet(wb, "花名册");
	workbook_add_worksheet(wb, "说明"); /* a second sheet that must be ignored */
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	write_header(ws);

	if (numeric_id)
		worksheet_write_number(ws, 1, 0, 440103198503150012.0, NULL);
	else
		worksheet_write_string(ws, 1, 0, "440103198503150012", NULL);
	worksheet_write_string(ws, 1, 1, "陈志强", NULL);
	worksheet_write_number(ws, 1, 2, 440103001000.0, NULL); /* a code as a number: exact */
	worksheet_write_string(ws, 1, 3, "440103001101", NULL);
	worksheet_write_string(ws, 1, 4, "service", NULL);
	worksheet_write_datetime(ws, 1, 5, &d1, date); /* a serial number with a date format */
	worksheet_write_string(ws, 1, 6, "assistant", NULL);
	worksheet_write_number(ws, 1, 7, 13800138000.0, NULL); /* a phone as a number: exact */
	worksheet_write_string(ws, 1, 8, "6222020200112233445", NULL);

	worksheet_write_string(ws, 2, 0, "44010319900720002X", NULL);
	worksheet_write_string(ws, 2, 1, "李晓梅", NULL);
	worksheet_write_string(ws, 2, 2, "440103002000", NULL);
	worksheet_write_string(ws, 2, 4, "office", NULL);
	worksheet_write_string(ws, 2, 5, "2018/7/1", NULL); /* a date typed as text */
	worksheet_write_string(ws, 2, 6, "社会工作师", NULL);
	worksheet_write_string(ws, 2, 8, "6217000010002000300", NULL);

	/* an empty row between, as rosters have: row numbers must stay the spreadsheet's */
	worksheet_write_string(ws, 4, 0, "440103197812010035", NULL);
	worksheet_write_string(ws, 4, 1, "黄国华", NULL);
	worksheet_write_string(ws, 4, 2, "440103002000", NULL);
	worksheet_write_string(ws, 4, 3, "440103002102", NULL);
	worksheet_write_string(ws, 4, 4, "service", NULL);
	worksheet_write_number(ws, 4, 5, 40057.0, NULL); /* 2009-09-01 as a bare serial */
	(void)d3;
	worksheet_write_string(ws, 4, 7, "13900139000", NULL);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

/* A roster whose 2nd data row has a bank account stored as a number (lost digits). */
static int bad(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	write_header(ws);
	worksheet_write_string(ws, 1, 0, "440103198503150012", NULL);
	worksheet_write_string(ws, 1, 1, "陈志强", NULL);
	worksheet_write_string(ws, 1, 2, "440103001000", NULL);
	worksheet_write_string(ws, 1, 3, "440103001101", NULL);
	worksheet_write_string(ws, 1, 4, "service", NULL);
	worksheet_write_string(ws, 1, 5, "2015-03-01", NULL);
	worksheet_write_string(ws, 2, 0, "440103198808080051", NULL);
	worksheet_write_string(ws, 2, 1, "周建明", NULL);
	worksheet_write_string(ws, 2, 2, "440103001000", NULL);
	worksheet_write_string(ws, 2, 4, "office", NULL);
	worksheet_write_string(ws, 2, 5, "2016-05-01", NULL);
	worksheet_write_number(ws, 2, 8, 6222020200112233445.0, NULL);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static int from_csv(const char *in, const char *out)
{
	FILE *f = fopen(in, "r");
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char line[4096];
	lxw_row_t r = 0;

	if (!f) {
		perror(in);
		return 1;
	}
	wb = workbook_new(out);
	ws = workbook_add_worksheet(wb, NULL);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *comma;
		lxw_col_t c = 0;
		line[strcspn(line, "\r\n")] = '\0';
		for (;;) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if (*p)
				worksheet_write_string(ws, r, c, p, NULL);
			c++;
			if (!comma)
				break;
			p = comma + 1;
		}
		r++;
	}
	fclose(f);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv)
{
	char path[4096];
	int rc = 0;

	if (argc == 3 && strcmp(argv[1], "fixtures") == 0) {
		snprintf(path, sizeof(path), "%s/staff-roster.xlsx", argv[2]);
		rc |= roster(path, 0, 0);
		snprintf(path, sizeof(path), "%s/staff-roster-inline.xlsx", argv[2]);
		rc |= roster(path, 1, 0);
		snprintf(path, sizeof(path), "%s/staff-roster-numeric-id.xlsx", argv[2]);
		rc |= roster(path, 0, 1);
		snprintf(path, sizeof(path), "%s/staff-roster-bad.xlsx", argv[2]);
		rc |= bad(path);
		return rc;
	}
	if (argc == 4 && strcmp(argv[1], "csv") == 0)
		return from_csv(argv[2], argv[3]);
	fprintf(stderr, "usage: make-xlsx fixtures DIR | make-xlsx csv IN.csv OUT.xlsx\n");
	return 2;
}
