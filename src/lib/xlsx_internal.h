/*
 * Reading the first sheet of an .xlsx workbook (Office Open XML, ECMA-376) for the imports
 * that accept spreadsheets: cells as text with their stored type, so that the caller can
 * tell a number from text and a date serial from a date written out. Not for writing
 * spreadsheets, formulas, styles or any sheet but the first.
 */
#ifndef SB_XLSX_INTERNAL_H
#define SB_XLSX_INTERNAL_H

#include <stddef.h>

typedef struct sb__xlsx sb__xlsx;

/* How a cell was stored. */
enum {
	SB_XLSX_EMPTY = 0,
	SB_XLSX_TEXT,    /* shared, inline or formula string: `text` as stored */
	SB_XLSX_NUMBER,  /* a number: `text` is the stored decimal (e.g. "4.40524199001011E+17") */
	SB_XLSX_BOOL,    /* "0" or "1" */
	SB_XLSX_ERROR,   /* "#N/A" and the like */
	SB_XLSX_DATE     /* t="d": an ISO 8601 date as stored */
};

typedef struct {
	int type;
	const char *text; /* never NULL */
} sb__xlsx_cell;

/**
 * Open PATH and read its first sheet whole. Errors (SB_EINVALID) name the file and say
 * what is wrong: not a zip, no workbook, a sheet that is not well-formed XML, a DOCTYPE.
 */
int sb__xlsx_open(sb__xlsx **out, const char *path);
void sb__xlsx_free(sb__xlsx *x);
/** The same over the parts' XML in memory (sst may be NULL): for the fuzz target. */
int sb__xlsx_parse_mem(sb__xlsx **out, const char *name, const char *sheet, size_t sheet_len, const char *sst,
		       size_t sst_len);

/** Rows that hold at least one cell, in sheet order. */
size_t sb__xlsx_nrows(const sb__xlsx *x);
/** The spreadsheet row number (1-based, as the spreadsheet program shows it) of row i. */
long sb__xlsx_rownum(const sb__xlsx *x, size_t i);
/** Number of columns of row i (last non-empty column + 1). */
int sb__xlsx_ncols(const sb__xlsx *x, size_t i);
/** Cell of row i, column col (0 = A); an empty cell for a column beyond the row. */
sb__xlsx_cell sb__xlsx_get(const sb__xlsx *x, size_t i, int col);
/** 1 when the workbook counts dates from 1904 (workbookPr date1904). */
int sb__xlsx_date1904(const sb__xlsx *x);

/**
 * Convert a stored date serial number to YYYY-MM-DD (1900 date system with its phantom
 * 1900-02-29, or the 1904 system). A fraction (time of day) is dropped.
 * @return 0, or -1 when the number is not a serial day between 1900-01-01 and 9999-12-31
 *         or is the phantom 1900-02-29
 */
int sb__xlsx_serial_date(char out[11], const char *number, int date1904);

/** Column letters ("A", "AB") of a 0-based column index; out has room for 4 bytes. */
void sb__xlsx_colname(char out[4], int col);

#endif
