/*
 * The staff area: social workers of the stations (staff_worker), their registration for
 * round hiring (sb__staff_add), the list other areas read (sb_staff_workers), and the
 * take-over of existing relief caseworkers and disability officers from township rosters
 * (SPEC §5), CSV or .xlsx, every row checked the same way whatever the format. Not for pay
 * (steps and scales are the pay area's) or contracts.
 */
#include "config.h"
#include "common_internal.h"
#include "audit_internal.h"
#include "csv_internal.h"
#include "db_internal.h"
#include "person_internal.h"
#include "staff_internal.h"
#include "xlsx_internal.h"

#include "shuangbai/org.h"
#include "shuangbai/person.h"
#include "shuangbai/staff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- seniority ------------------------------------------------------------------- */

int sb_staff_seniority(const char *service_start, const char *date)
{
	int sy, sm, sd, y, m, d, years;

	if (!service_start || !date || sb__date_parse(service_start, &sy, &sm, &sd) < 0 ||
	    sb__date_parse(date, &y, &m, &d) < 0)
		return 0;
	/* Completed years, counted like an age: an anniversary on `date` counts. */
	years = sb__age_on(sy, sm, sd, y, m, d);
	return years < 0 ? 0 : years;
}

void sb_staff_today(char out[11])
{
	int y, m, d;
	sb__today(&y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- registering a worker ---------------------------------------------------------- */

static int active_worker(int64_t *out_id, sb_db *db, const char *id_number)
{
	sb__stmt *st;
	int error, r;

	*out_id = 0;
	if ((error = sb__db_prepare(db, &st, "SELECT id FROM staff_worker WHERE id_number = ?1 AND end_date IS NULL")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, id_number)) < 0)
		return error;
	if ((r = sb__stmt_step(st)) == 1) {
		*out_id = sb__stmt_int64(st, 0);
		sb__stmt_reset(st);
	}
	return r;
}

static const char *nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

int sb__staff_add(sb_db *db, const sb__staff_new *w, int64_t *out_id, int *out_existed)
{
	sb__stmt *st;
	int64_t id = 0;
	int error, r;
	char masked[19];

	if (out_id)
		*out_id = 0;
	if (out_existed)
		*out_existed = 0;
	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((r = active_worker(&id, db, w->id_number)) < 0) {
		error = r;
		goto done;
	}
	if (r == 1) {
		if (out_existed)
			*out_existed = 1;
		goto done;
	}
	if ((error = sb__person_register(db, w->id_number, w->name, w->phone, w->bank_account, NULL, NULL)) < 0)
		goto done;
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO staff_worker (id_number, township_code, village_code, kind, source,"
				    " qualification, start_date, service_start, round_code, app_no, post_id)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, w->id_number)) < 0 ||
	    (error = sb__stmt_bind_text(st, 2, w->township_code)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, nz(w->village_code))) < 0 ||
	    (error = sb__stmt_bind_text(st, 4, w->kind)) < 0 || (error = sb__stmt_bind_text(st, 5, w->source)) < 0 ||
	    (error = sb__stmt_bind_text(st, 6, w->qualification)) < 0 ||
	    (error = sb__stmt_bind_text(st, 7, w->start_date)) < 0 ||
	    (error = sb__stmt_bind_text(st, 8, nz(w->service_start))) < 0 ||
	    (error = sb__stmt_bind_text(st, 9, nz(w->round_code))) < 0 ||
	    (error = sb__stmt_bind_text(st, 10, nz(w->app_no))) < 0 ||
	    (error = sb__stmt_bind_text(st, 11, nz(w->post_id))) < 0 || (error = sb__stmt_run(st)) < 0)
		goto done;
	id = sb__db_last_rowid(db);
	error = sb__audit_append(db, "staff worker %lld added: %s, %s post at %s, source %s, level %s, from %s",
				 (long long)id, sb_person_id_mask(masked, w->id_number), w->kind,
				 nz(w->village_code) ? w->village_code : w->township_code, w->source, w->qualification,
				 w->start_date);
done:
	error = sb__db_tx_end(db, error);
	if (error == 0 && out_id)
		*out_id = id;
	return error;
}

/* ---- the list -------------------------------------------------------------------- */

void sb_staff_workers_free(sb_worker *list, size_t n)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].bank_account);
	}
	free(list);
}

static void copy_field(char *dst, size_t size, const char *src)
{
	sb__copy(dst, size, src);
}

typedef struct {
	sb_worker **by_id; /* the workers by ID number */
	size_t n, at;
} people_pass;

static int by_id_number(const void *a, const void *b)
{
	return strcmp((*(sb_worker *const *)a)->id_number, (*(sb_worker *const *)b)->id_number);
}

static int people_take(void *ctx, const char *id_number, const char *name, const char *bank)
{
	people_pass *pp = ctx;
	while (pp->at < pp->n && strcmp(pp->by_id[pp->at]->id_number, id_number) <= 0) {
		sb_worker *w = pp->by_id[pp->at];
		if (strcmp(w->id_number, id_number) < 0)
			return sb_error_set(SB_ENOTFOUND, "person %s is not in the registry", w->id_number);
		if (!(w->name = sb__strdup(name)) || !(w->bank_account = sb__strdup(bank)))
			return SB_ENOMEM;
		pp->at++;
	}
	return 0;
}

/* Names and bank accounts of the listed workers: a query per person for a few, one ordered
 * pass over the person registry for many (a province's payroll lists a million). */
static int workers_people(sb_worker *list, size_t n, sb_db *db)
{
	people_pass pp;
	size_t i;
	int error = 0;

	if (n < 2048) {
		for (i = 0; i < n; i++)
			if ((error = sb__person_get(&list[i].name, &list[i].bank_account, db, list[i].id_number)) < 0)
				return error;
		return 0;
	}
	memset(&pp, 0, sizeof pp);
	if (!(pp.by_id = sb__malloc(n * sizeof *pp.by_id)))
		return SB_ENOMEM;
	for (i = 0; i < n; i++)
		pp.by_id[i] = &list[i];
	pp.n = n;
	qsort(pp.by_id, n, sizeof *pp.by_id, by_id_number);
	if ((error = sb__person_each(db, people_take, &pp)) == 0 && pp.at < n)
		error = sb_error_set(SB_ENOTFOUND, "person %s is not in the registry", pp.by_id[pp.at]->id_number);
	free(pp.by_id);
	return error;
}

int sb_staff_workers(sb_worker **out, size_t *out_n, sb_db *db, const char *scope, const char *id_number)
{
	sb__stmt *st;
	sb_worker *list = NULL;
	size_t n = 0, cap = 0;
	int error = 0, r, scope_level = 0;
	char lo[13], hi[13], town_scope[13];

	*out = NULL;
	*out_n = 0;
	if (scope) {
		sb_division d;
		if ((error = sb_org_division(&d, db, scope)) < 0)
			return sb_error_set(error, "scope %s: not a division of the registry", scope);
		scope_level = d.level;
		sb_division_clear(&d);
	}
	/* Two statements, so that a look-up by ID number uses its index. */
	if (id_number)
		error = sb__db_prepare(db, &st,
				       "SELECT id, id_number, township_code, coalesce(village_code, ''), kind, source,"
				       " qualification, start_date, coalesce(service_start, ''), coalesce(end_date, '')"
				       " FROM staff_worker WHERE id_number = ?1 ORDER BY id");
	else
		error = sb__db_prepare(db, &st,
				       "SELECT id, id_number, township_code, coalesce(village_code, ''), kind, source,"
				       " qualification, start_date, coalesce(service_start, ''), coalesce(end_date, '')"
				       " FROM staff_worker WHERE township_code >= ?1 AND township_code < ?2"
				       " ORDER BY township_code, id_number, id");
	if (error < 0)
		return error;
	/* A scope is a range of township codes, so that one township's list reads only its own
	 * rows; a village's workers are its township's, filtered below (a village code begins
	 * with its township's nine digits). */
	if (scope_level == SB_LEVEL_VILLAGE)
		snprintf(town_scope, sizeof town_scope, "%.9s000", scope);
	if ((error = sb_org_scope_range(lo, hi, db, scope_level == SB_LEVEL_VILLAGE ? town_scope : scope)) < 0)
		return error;
	if (id_number)
		error = sb__stmt_bind_text(st, 1, id_number);
	else if ((error = sb__stmt_bind_text(st, 1, lo)) == 0)
		error = sb__stmt_bind_text(st, 2, hi);
	if (error < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1) {
		const char *town = sb__stmt_text(st, 2), *village = sb__stmt_text(st, 3);
		sb_worker *w;
		if (id_number && (strcmp(town, lo) < 0 || strcmp(town, hi) >= 0))
			continue;
		if (scope_level == SB_LEVEL_VILLAGE && strcmp(village, scope) != 0)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			sb_worker *p = sb__realloc(list, nc * sizeof(*p));
			if (!p) {
				error = SB_ENOMEM;
				sb__stmt_reset(st);
				goto done;
			}
			list = p;
			cap = nc;
		}
		w = &list[n++];
		memset(w, 0, sizeof(*w));
		w->id = sb__stmt_int64(st, 0);
		copy_field(w->id_number, sizeof(w->id_number), sb__stmt_text(st, 1));
		copy_field(w->township_code, sizeof(w->township_code), town);
		copy_field(w->village_code, sizeof(w->village_code), village);
		copy_field(w->kind, sizeof(w->kind), sb__stmt_text(st, 4));
		copy_field(w->source, sizeof(w->source), sb__stmt_text(st, 5));
		copy_field(w->qualification, sizeof(w->qualification), sb__stmt_text(st, 6));
		copy_field(w->start_date, sizeof(w->start_date), sb__stmt_text(st, 7));
		copy_field(w->service_start, sizeof(w->service_start), sb__stmt_text(st, 8));
		copy_field(w->end_date, sizeof(w->end_date), sb__stmt_text(st, 9));
	}
	if (r < 0) {
		error = r;
		goto done;
	}
	/* Names and bank accounts belong to the person registry: ask it, after the scan (one
	 * statement at a time keeps the cached statements simple). */
	if ((error = workers_people(list, n, db)) < 0)
		goto done;
	*out = list;
	*out_n = n;
	list = NULL;
done:
	sb_staff_workers_free(list, n);
	return error;
}

/* ---- take-over import: the roster ----------------------------------------------------- */

enum { C_ID, C_NAME, C_TOWN, C_VILL, C_ROLE, C_START, C_QUAL, C_PHONE, C_BANK, NCOL };

/* The columns of SPEC §5. village_code, qualification, phone and bank_account may be left
 * out of a roster: an office post needs no village, an empty level is `none`. */
static const sb__csv_col roster_cols[NCOL] = {
	{ "id_number", 1 },     { "name", 1 },          { "township_code", 1 },
	{ "village_code", 0 },  { "role", 1 },          { "service_start", 1 },
	{ "qualification", 0 }, { "phone", 0 },         { "bank_account", 0 },
};

/* One data row, whichever format it came from: its line (CSV) or row number (xlsx), the
 * file's columns as text (for the rejects file), and our columns (trimmed). */
typedef struct {
	long line;
	int nraw;
	char **raw;       /* nraw texts, by file column */
	const char *f[NCOL];
	char *conv[NCOL]; /* owned texts for converted xlsx cells */
	int bad_col;      /* an xlsx cell that could not become text: its column, else -1 */
	char bad_msg[256];
} roster_row;

typedef struct {
	const char *path;
	sb__csv *csv;
	sb__xlsx *xlsx;
	size_t xi;
	int map[NCOL];
	int nhead;
	const char *head[NCOL]; /* header names by file column */
	roster_row row;
} roster;

static void row_clear(roster_row *r)
{
	int i;
	for (i = 0; r->raw && i < r->nraw; i++)
		free(r->raw[i]);
	free(r->raw);
	for (i = 0; i < NCOL; i++)
		free(r->conv[i]);
	memset(r, 0, sizeof(*r));
}

static int is_xlsx(const char *path)
{
	size_t l = strlen(path);
	return l >= 5 && (strcmp(path + l - 5, ".xlsx") == 0 || strcmp(path + l - 5, ".XLSX") == 0);
}

/* Trim ASCII blanks and the no-break / ideographic spaces spreadsheets leave behind. */
static char *trim(char *s)
{
	char *e;
	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
			s += 2;
		else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
			e -= 2;
		else if (e - s >= 3 && (unsigned char)e[-3] == 0xE3 && (unsigned char)e[-2] == 0x80 &&
			 (unsigned char)e[-1] == 0x80)
			e -= 3;
		else
			break;
	}
	*e = '\0';
	return s;
}

static int roster_open(roster *ro, const char *path)
{
	int error, i, j;

	memset(ro, 0, sizeof(*ro));
	ro->path = path;
	if (!is_xlsx(path)) {
		if ((error = sb__csv_open(&ro->csv, path)) < 0 ||
		    (error = sb__csv_header(ro->csv, roster_cols, NCOL, ro->map)) < 0)
			return error;
	} else {
		/* The header row goes through the CSV reader's header check, so that an unknown,
		 * doubled or missing column reads the same whatever the format. */
		sb_buf h = SB_BUF_INIT;
		sb__csv *hc = NULL;
		int n;
		if ((error = sb__xlsx_open(&ro->xlsx, path)) < 0)
			return error;
		if (sb__xlsx_nrows(ro->xlsx) == 0)
			return sb_error_set(SB_EINVALID, "%s:1: header: the sheet is empty", path);
		if (sb__xlsx_rownum(ro->xlsx, 0) != 1)
			return sb_error_set(SB_EINVALID, "%s:1: header: the first row is empty", path);
		n = sb__xlsx_ncols(ro->xlsx, 0);
		for (j = 0; j < n; j++) {
			const char *s = sb__xlsx_get(ro->xlsx, 0, j).text;
			if (j)
				sb__buf_putc(&h, ',');
			sb__buf_putc(&h, '"');
			for (; *s; s++) {
				if (*s == '"')
					sb__buf_putc(&h, '"');
				sb__buf_putc(&h, *s == '\n' || *s == '\r' ? ' ' : *s);
			}
			sb__buf_putc(&h, '"');
		}
		sb__buf_putc(&h, '\n');
		if ((error = sb__buf_failed(&h)) < 0)
			return error;
		error = sb__csv_open_mem(&hc, path, h.ptr, h.len);
		if (error == 0)
			error = sb__csv_header(hc, roster_cols, NCOL, ro->map);
		sb__csv_free(hc);
		sb__buf_free(&h);
		if (error < 0)
			return error;
		ro->xi = 1;
	}
	ro->nhead = 0;
	for (j = 0; j < NCOL; j++)
		for (i = 0; i < NCOL; i++)
			if (ro->map[i] == j) {
				ro->head[j] = roster_cols[i].name;
				ro->nhead = j + 1;
			}
	return 0;
}

static void roster_close(roster *ro)
{
	row_clear(&ro->row);
	sb__csv_free(ro->csv);
	sb__xlsx_free(ro->xlsx);
}

/* Excel's General format for a large number, for messages: 4.40524E+17. */
static void general_number(char *out, size_t size, const char *stored)
{
	double v = strtod(stored, NULL);
	char m[32], *e, *z;
	if (fabs(v) < 1e11) {
		snprintf(out, size, "%s", stored);
		return;
	}
	snprintf(m, sizeof(m), "%.5E", v);
	e = strchr(m, 'E');
	for (z = e; z > m && z[-1] == '0'; z--)
		;
	if (z > m && z[-1] == '.')
		z--;
	snprintf(out, size, "%.*s%s", (int)(z - m), m, e);
}

/* A number a spreadsheet stored in a column of digits (ID number, bank account, codes,
 * phone). A double holds 15 significant digits for sure: a whole number below 10^15 came
 * through intact and is taken as its digits; anything larger, or with a fraction, has lost
 * digits the program cannot know. */
static int number_as_digits(char **out, char *msg, size_t msg_size, const char *stored)
{
	char *end, shown[48];
	double v = strtod(stored, &end);

	*out = NULL;
	if (end != stored && !*end && isfinite(v) && v >= 0 && v < 1e15 && v == floor(v)) {
		char digits[24];
		snprintf(digits, sizeof(digits), "%.0f", v);
		*out = sb__strdup(digits);
		return *out ? 0 : SB_ENOMEM;
	}
	general_number(shown, sizeof(shown), stored);
	snprintf(msg, msg_size, "the spreadsheet stored this as a number (%s) and lost digits; format the column as text",
		 shown);
	return SB_EINVALID;
}

/* Turn an xlsx cell of one of our columns into the text a CSV would hold. */
static int xlsx_field(roster_row *r, int k, sb__xlsx_cell c, int date1904)
{
	char date[11];
	int error;

	r->f[k] = c.text;
	if (r->bad_col >= 0)
		return 0;
	if (c.type == SB_XLSX_ERROR) {
		r->bad_col = k;
		snprintf(r->bad_msg, sizeof(r->bad_msg), "the cell holds a spreadsheet error (%s)", c.text);
		return 0;
	}
	if (c.type == SB_XLSX_DATE && k == C_START) {
		snprintf(date, sizeof(date), "%.10s", c.text);
		return (r->f[k] = r->conv[k] = sb__strdup(date)) ? 0 : SB_ENOMEM;
	}
	if (c.type != SB_XLSX_NUMBER)
		return 0;
	switch (k) {
	case C_START:
		/* A date cell is a serial day number (ECMA-376 Part 1, 18.17.4.1). */
		if (sb__xlsx_serial_date(date, c.text, date1904) < 0) {
			r->bad_col = k;
			snprintf(r->bad_msg, sizeof(r->bad_msg),
				 "the spreadsheet stored %s, which is not a date serial number; write the date as YYYY-MM-DD",
				 c.text);
			return 0;
		}
		return (r->f[k] = r->conv[k] = sb__strdup(date)) ? 0 : SB_ENOMEM;
	case C_ID:
	case C_BANK:
	case C_PHONE:
	case C_TOWN:
	case C_VILL:
		error = number_as_digits(&r->conv[k], r->bad_msg, sizeof(r->bad_msg), c.text);
		if (error == SB_EINVALID) {
			r->bad_col = k;
			return 0;
		}
		if (error < 0)
			return error;
		r->f[k] = r->conv[k];
		return 0;
	default:
		return 0;
	}
}

/* Next data row: 1 read, 0 end, negative error. */
static int roster_next(roster *ro)
{
	roster_row *r = &ro->row;
	int error, j, k;

	row_clear(r);
	r->bad_col = -1;
	if (ro->csv) {
		if ((error = sb__csv_next(ro->csv)) <= 0)
			return error;
		r->line = sb__csv_line(ro->csv);
		r->nraw = sb__csv_nfields(ro->csv);
		if (!(r->raw = sb__calloc((size_t)r->nraw, sizeof(char *))))
			return SB_ENOMEM;
		for (j = 0; j < r->nraw; j++)
			if (!(r->raw[j] = sb__strdup(sb__csv_field(ro->csv, j))))
				return SB_ENOMEM;
		for (k = 0; k < NCOL; k++)
			r->f[k] = ro->map[k] >= 0 ? trim(r->raw[ro->map[k]]) : "";
		return 1;
	}
	if (ro->xi >= sb__xlsx_nrows(ro->xlsx))
		return 0;
	{
		size_t i = ro->xi++;
		int n = sb__xlsx_ncols(ro->xlsx, i), d1904 = sb__xlsx_date1904(ro->xlsx);
		r->line = sb__xlsx_rownum(ro->xlsx, i);
		r->nraw = ro->nhead;
		if (!(r->raw = sb__calloc((size_t)(r->nraw ? r->nraw : 1), sizeof(char *))))
			return SB_ENOMEM;
		for (k = 0; k < NCOL; k++) {
			r->f[k] = "";
			if (ro->map[k] >= 0 &&
			    (error = xlsx_field(r, k, sb__xlsx_get(ro->xlsx, i, ro->map[k]), d1904)) < 0)
				return error;
		}
		/* Cells right of the header have no column to go to. */
		if (n > ro->nhead && r->bad_col < 0) {
			char col[4];
			sb__xlsx_colname(col, ro->nhead);
			for (j = ro->nhead; j < n; j++)
				if (sb__xlsx_get(ro->xlsx, i, j).type != SB_XLSX_EMPTY) {
					sb__xlsx_colname(col, j);
					break;
				}
			r->bad_col = NCOL;
			snprintf(r->bad_msg, sizeof(r->bad_msg), "cell %s%ld lies right of the header's last column",
				 col, r->line);
		}
		for (k = 0; k < NCOL; k++) {
			char *t;
			if (!r->conv[k] && !(r->conv[k] = sb__strdup(r->f[k])))
				return SB_ENOMEM;
			t = trim(r->conv[k]);
			memmove(r->conv[k], t, strlen(t) + 1);
			r->f[k] = r->conv[k];
			if (ro->map[k] >= 0 && !(r->raw[ro->map[k]] = sb__strdup(r->f[k])))
				return SB_ENOMEM;
		}
		for (j = 0; j < r->nraw; j++)
			if (!r->raw[j] && !(r->raw[j] = sb__strdup("")))
				return SB_ENOMEM;
	}
	return 1;
}

/* ---- take-over import: the rules ------------------------------------------------------ */

/* An ID number seen in this file: line of its first accepted row. Open addressing. */
typedef struct {
	char id[19];
	long line;
} seen_slot;

typedef struct {
	seen_slot *slots;
	size_t cap, n;
} seen_set;

static size_t seen_hash(const char *id)
{
	size_t h = 1469598103934665603u;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211u;
	return h;
}

static long seen_find(const seen_set *s, const char *id)
{
	size_t i;
	if (!s->cap)
		return 0;
	for (i = seen_hash(id) & (s->cap - 1); s->slots[i].id[0]; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->slots[i].id, id) == 0)
			return s->slots[i].line;
	return 0;
}

static int seen_add(seen_set *s, const char *id, long line)
{
	size_t i;
	if ((s->n + 1) * 2 > s->cap) {
		seen_set bigger = { NULL, s->cap ? s->cap * 2 : 1024, 0 };
		if (!(bigger.slots = sb__calloc(bigger.cap, sizeof(seen_slot))))
			return SB_ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->slots[i].id[0])
				seen_add(&bigger, s->slots[i].id, s->slots[i].line);
		free(s->slots);
		*s = bigger;
	}
	for (i = seen_hash(id) & (s->cap - 1); s->slots[i].id[0]; i = (i + 1) & (s->cap - 1))
		;
	snprintf(s->slots[i].id, sizeof(s->slots[i].id), "%s", id);
	s->slots[i].line = line;
	s->n++;
	return 0;
}

/* Townships and villages already found good in this import, with the village's township:
 * a roster names the same few places again and again. */
typedef struct {
	seen_set codes; /* line holds the index into parents */
	char (*parents)[13];
	size_t n, cap;
} place_cache;

static const char *place_find(const place_cache *pc, const char *code)
{
	long k = seen_find(&pc->codes, code);
	return k ? pc->parents[k - 1] : NULL;
}

static int place_add(place_cache *pc, const char *code, const char *parent)
{
	if (pc->n == pc->cap) {
		size_t nc = pc->cap ? pc->cap * 2 : 256;
		char(*p)[13] = sb__realloc(pc->parents, nc * sizeof(*p));
		if (!p)
			return SB_ENOMEM;
		pc->parents = p;
		pc->cap = nc;
	}
	snprintf(pc->parents[pc->n], 13, "%s", parent);
	pc->n++;
	return seen_add(&pc->codes, code, (long)pc->n);
}

static void place_free(place_cache *pc)
{
	free(pc->codes.slots);
	free(pc->parents);
}

typedef struct {
	const char *id, *name, *town, *village, *kind, *start, *qual, *phone, *bank;
	char start_buf[11];
} checked_row;

/* Set "FILE:LINE: FIELD: what"; the rejects file gets "FIELD: what". */
static int row_error(sb_buf *reason, const char *path, long line, const char *field, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int row_error(sb_buf *reason, const char *path, long line, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reason->len = 0;
	sb__buf_printf(reason, "%s: %s", field, msg);
	return sb_error_set(SB_EINVALID, "%s:%ld: %s: %s", path, line, field, msg);
}

/* A date as rosters write it: 2015-03-01, 2015-3-1, 2015/3/1, 2015.3.1, 2015年3月1日 or
 * 20150301. */
static int loose_date(char out[11], const char *s)
{
	int y = 0, m = 0, d = 0, k, yy, mm, dd;
	const char *p = s;
	char buf[11];

	if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		if (sb__date_parse(buf, &yy, &mm, &dd) < 0)
			return -1;
		memcpy(out, buf, 11);
		return 0;
	}
	for (k = 0; k < 4; k++, p++) {
		if (*p < '0' || *p > '9')
			return -1;
		y = y * 10 + (*p - '0');
	}
	/* month, then day, each after its separator */
	for (k = 0; k < 2; k++) {
		int v = 0, nd = 0;
		if (*p == '-' || *p == '/' || *p == '.')
			p++;
		else if (strncmp(p, k == 0 ? "年" : "月", 3) == 0)
			p += 3;
		else
			return -1;
		while (*p >= '0' && *p <= '9' && nd < 2) {
			v = v * 10 + (*p - '0');
			p++;
			nd++;
		}
		if (nd == 0)
			return -1;
		if (k == 0)
			m = v;
		else
			d = v;
	}
	if (strncmp(p, "日", 3) == 0)
		p += 3;
	if (*p || y < 1000 || m < 1 || m > 12 || d < 1)
		return -1;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	if (sb__date_parse(buf, &yy, &mm, &dd) < 0)
		return -1;
	memcpy(out, buf, 11);
	return 0;
}

/* Level words: SPEC's four, and the titles a roster is likely to write (SPEC §7 names
 * them); empty means no qualification. */
static const char *qualification_of(const char *s)
{
	static const char *const words[][3] = {
		{ "none", "社会工作员", "" },
		{ "assistant", "助理社会工作师", NULL },
		{ "intermediate", "社会工作师", NULL },
		{ "senior", "高级社会工作师", NULL },
	};
	size_t i, j;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		for (j = 0; j < 3 && words[i][j]; j++)
			if (strcmp(s, words[i][j]) == 0)
				return words[i][0];
	return NULL;
}

static const char *role_of(const char *s)
{
	if (strcmp(s, "service") == 0 || strcmp(s, "服务性岗位") == 0)
		return "service";
	if (strcmp(s, "office") == 0 || strcmp(s, "事务性岗位") == 0)
		return "office";
	return NULL;
}

static int digits_only(const char *s)
{
	return s[strspn(s, "0123456789")] == '\0';
}

/* A township or village code of the registry at the level wanted, with a station or point.
 * Returns 0, SB_EINVALID (message set), or another error. */
static int check_place(char out_parent[13], sb_db *db, place_cache *pc, sb_buf *reason, const char *path, long line,
		       const char *field, const char *code, int level)
{
	static const char *const level_names[] = { "", "province", "prefecture", "county", "township", "village" };
	sb_division d;
	sb_division *out = &d;
	const char *known;
	int error, r;

	if (!code[0])
		return row_error(reason, path, line, field, "empty");
	if ((known = place_find(pc, code))) {
		snprintf(out_parent, 13, "%s", known);
		return 0;
	}
	error = sb_org_division(out, db, code);
	if (error == SB_ENOTFOUND)
		return row_error(reason, path, line, field, "'%s' is not a division of the registry", code);
	if (error < 0)
		return error;
	if (out->level != level) {
		error = row_error(reason, path, line, field, "'%s' (%s) is a %s, not a %s", code, out->name,
				  level_names[out->level], level_names[level]);
		sb_division_clear(out);
		return error;
	}
	if ((r = sb_org_has_station(db, code)) < 0) {
		sb_division_clear(out);
		return r;
	}
	if (r == 0) {
		error = row_error(reason, path, line, field, "'%s' (%s) has no %s yet; run `shuangbai org stations` first",
				  code, out->name, level == SB_LEVEL_TOWNSHIP ? "station" : "point");
		sb_division_clear(out);
		return error;
	}
	snprintf(out_parent, 13, "%s", out->parent);
	sb_division_clear(out);
	return place_add(pc, code, out_parent);
}

static int check_row(checked_row *out, sb_db *db, const roster *ro, const seen_set *seen, place_cache places[2],
		     sb_buf *reason, const char *today)
{
	const roster_row *r = &ro->row;
	const char *path = ro->path;
	long line = r->line, first;
	sb_id_info info;
	char parent[13];
	int error, ty, tm, td, sy, sm, sd;

	memset(out, 0, sizeof(*out));
	if (r->bad_col >= 0)
		return row_error(reason, path, line, r->bad_col < NCOL ? roster_cols[r->bad_col].name : "record", "%s",
				 r->bad_msg);
	out->id = r->f[C_ID];
	if (!out->id[0])
		return row_error(reason, path, line, "id_number", "empty");
	if (sb_person_id_check(&info, out->id) < 0)
		return row_error(reason, path, line, "id_number", "%s", sb_error_last());
	if ((first = seen_find(seen, out->id)))
		return row_error(reason, path, line, "id_number", "the same ID number as line %ld", first);
	out->name = r->f[C_NAME];
	if (!out->name[0])
		return row_error(reason, path, line, "name", "empty");
	out->town = r->f[C_TOWN];
	if ((error = check_place(parent, db, &places[0], reason, path, line, "township_code", out->town,
				 SB_LEVEL_TOWNSHIP)) < 0)
		return error;
	if (!(out->kind = role_of(r->f[C_ROLE])))
		return row_error(reason, path, line, "role", "'%s' is not service or office", r->f[C_ROLE]);
	out->village = r->f[C_VILL];
	if (strcmp(out->kind, "service") == 0) {
		/* A service post (服务性岗位) sits at a village point (SPEC §3). */
		if (!out->village[0])
			return row_error(reason, path, line, "village_code", "a service post needs the village of its point");
		if ((error = check_place(parent, db, &places[1], reason, path, line, "village_code", out->village,
					 SB_LEVEL_VILLAGE)) < 0)
			return error;
		if (strcmp(parent, out->town) != 0) {
			char *vname = NULL;
			sb_division v;
			if (sb_org_division(&v, db, out->village) == 0)
				vname = v.name;
			error = row_error(reason, path, line, "village_code", "'%s' (%s) lies in township %s, not in %s",
					  out->village, vname ? vname : "?", parent, out->town);
			if (vname)
				sb_division_clear(&v);
			return error;
		}
	} else if (out->village[0]) {
		/* An office post (事务性岗位) is at the station itself. */
		return row_error(reason, path, line, "village_code",
				 "an office post sits at the station; leave the village empty");
	}
	if (!r->f[C_START][0])
		return row_error(reason, path, line, "service_start", "empty");
	if (loose_date(out->start_buf, r->f[C_START]) < 0)
		return row_error(reason, path, line, "service_start", "'%s' is not a date (YYYY-MM-DD)", r->f[C_START]);
	out->start = out->start_buf;
	sb__date_parse(out->start, &sy, &sm, &sd);
	sb__date_parse(today, &ty, &tm, &td);
	if (strcmp(out->start, today) > 0)
		return row_error(reason, path, line, "service_start", "%s is in the future (today is %s)", out->start, today);
	/* Labour Law Art. 15: no one is employed before the age of 16. */
	if (sb__age_on(info.year, info.month, info.day, sy, sm, sd) < 16)
		return row_error(reason, path, line, "service_start", "%s is before the person's 16th birthday (born %04d-%02d-%02d)",
				 out->start, info.year, info.month, info.day);
	if (!(out->qual = qualification_of(r->f[C_QUAL])))
		return row_error(reason, path, line, "qualification",
				 "'%s' is not none, assistant, intermediate or senior", r->f[C_QUAL]);
	out->phone = r->f[C_PHONE];
	if (out->phone[0] && (!digits_only(out->phone) || strlen(out->phone) < 5 || strlen(out->phone) > 20))
		return row_error(reason, path, line, "phone", "'%s' is not a telephone number (5 to 20 digits)", out->phone);
	out->bank = r->f[C_BANK];
	if (out->bank[0] && (!digits_only(out->bank) || strlen(out->bank) < 12 || strlen(out->bank) > 30))
		return row_error(reason, path, line, "bank_account", "'%s' is not an account number (12 to 30 digits)",
				 out->bank);
	return 0;
}

/* ---- take-over import: the registry --------------------------------------------------- */

/* What a worker already in service has in common with a roster row. */
static int differences(sb_buf *out, sb_db *db, const checked_row *c, const char *source)
{
	sb_worker *w = NULL;
	size_t n = 0, i;
	unsigned pd = 0;
	int error, existed;

	out->len = 0;
	if ((error = sb__person_register(db, c->id, c->name, c->phone, c->bank, &existed, &pd)) < 0)
		return error;
	if (pd & SB_PERSON_NAME)
		sb__buf_puts(out, ", name");
	if ((error = sb_staff_workers(&w, &n, db, NULL, c->id)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		if (w[i].end_date[0])
			continue;
		if (strcmp(w[i].township_code, c->town) != 0)
			sb__buf_puts(out, ", township_code");
		if (strcmp(w[i].village_code, c->village) != 0)
			sb__buf_puts(out, ", village_code");
		if (strcmp(w[i].kind, c->kind) != 0)
			sb__buf_puts(out, ", role");
		if (strcmp(w[i].service_start, c->start) != 0)
			sb__buf_puts(out, ", service_start");
		if (strcmp(w[i].qualification, c->qual) != 0)
			sb__buf_puts(out, ", qualification");
		if (strcmp(w[i].source, source) != 0)
			sb__buf_puts(out, ", source");
	}
	sb_staff_workers_free(w, n);
	if (pd & SB_PERSON_PHONE)
		sb__buf_puts(out, ", phone");
	if (pd & SB_PERSON_BANK)
		sb__buf_puts(out, ", bank_account");
	return sb__buf_failed(out);
}

static void csv_put(sb_buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		sb__buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb__buf_putc(b, '"');
			sb__buf_putc(b, *s);
		}
		sb__buf_putc(b, '"');
	} else {
		sb__buf_puts(b, s);
	}
}

/* A match to report once the import has committed. */
typedef struct {
	long line;
	char id[19];
	int added;
	char *differs;
} match;

int sb_staff_import(sb_staff_stats *out_stats, sb_db *db, const char *path, const sb_staff_import_opts *opts)
{
	roster ro;
	seen_set seen = { NULL, 0, 0 };
	place_cache places[2]; /* townships, villages */
	sb_buf reason = SB_BUF_INIT, rejects = SB_BUF_INIT, diff = SB_BUF_INIT;
	sb_staff_stats stats = { 0, 0, 0, 0 };
	match *matches = NULL;
	size_t nmatch = 0, capmatch = 0, i;
	char today[11], start[11];
	int error = 0, r, y, m, d, in_tx = 0;
	uint64_t total;

	if (out_stats)
		memset(out_stats, 0, sizeof(*out_stats));
	memset(&ro, 0, sizeof(ro));
	memset(places, 0, sizeof(places));
	if (!opts || !opts->source || (strcmp(opts->source, "relief") != 0 && strcmp(opts->source, "disability") != 0 &&
				       strcmp(opts->source, "other") != 0))
		return sb_error_set(SB_EUSAGE, "--source must be relief, disability or other");
	if (opts->skip_invalid && !opts->rejects_path)
		return sb_error_set(SB_EUSAGE, "--skip-invalid needs --rejects FILE");
	sb__today(&y, &m, &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	if (opts->start_date) {
		if (sb__date_parse(opts->start_date, &y, &m, &d) < 0)
			return sb_error_set(SB_EUSAGE, "--start '%s' is not a date (YYYY-MM-DD)", opts->start_date);
		snprintf(start, sizeof(start), "%s", opts->start_date);
	} else {
		memcpy(start, today, sizeof(start));
	}

	if ((error = roster_open(&ro, path)) < 0)
		goto done;
	if (opts->skip_invalid) {
		/* A BOM, so that a spreadsheet program opens the UTF-8 file as UTF-8. */
		sb__buf_puts(&rejects, "\xEF\xBB\xBF");
		for (i = 0; i < (size_t)ro.nhead; i++) {
			csv_put(&rejects, ro.head[i]);
			sb__buf_putc(&rejects, ',');
		}
		sb__buf_puts(&rejects, "reason\r\n");
	}
	total = ro.csv ? (uint64_t)sb__csv_size(ro.csv) : (uint64_t)sb__xlsx_nrows(ro.xlsx);
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	while ((r = roster_next(&ro)) == 1) {
		checked_row c;
		int64_t id;
		int existed, person_existed;
		unsigned pd;

		stats.rows++;
		if (opts->progress && (stats.rows & 255) == 0)
			opts->progress(ro.csv ? (uint64_t)sb__csv_offset(ro.csv) : (uint64_t)ro.xi, total, "workers",
				       opts->ctx);
		error = check_row(&c, db, &ro, &seen, places, &reason, today);
		if (error == SB_EINVALID && opts->skip_invalid) {
			for (i = 0; i < (size_t)ro.row.nraw; i++) {
				csv_put(&rejects, ro.row.raw[i]);
				sb__buf_putc(&rejects, ',');
			}
			if ((error = sb__buf_failed(&reason)) < 0)
				goto done;
			csv_put(&rejects, reason.ptr ? reason.ptr : "");
			sb__buf_puts(&rejects, "\r\n");
			stats.rejected++;
			error = 0;
			continue;
		}
		if (error < 0)
			goto done;
		if ((error = seen_add(&seen, c.id, ro.row.line)) < 0)
			goto done;
		if ((r = active_worker(&id, db, c.id)) < 0) {
			error = r;
			goto done;
		}
		if (r == 1) {
			/* Already in service: reported, never duplicated or changed. */
			if ((error = differences(&diff, db, &c, opts->source)) < 0)
				goto done;
			stats.existing++;
		} else {
			sb__staff_new w;
			if ((error = sb__person_register(db, c.id, c.name, c.phone, c.bank, &person_existed, &pd)) < 0)
				goto done;
			diff.len = 0;
			if (person_existed) {
				if (pd & SB_PERSON_NAME)
					sb__buf_puts(&diff, ", name");
				if (pd & SB_PERSON_PHONE)
					sb__buf_puts(&diff, ", phone");
				if (pd & SB_PERSON_BANK)
					sb__buf_puts(&diff, ", bank_account");
			}
			if ((error = sb__buf_failed(&diff)) < 0)
				goto done;
			memset(&w, 0, sizeof(w));
			w.id_number = c.id;
			w.name = c.name;
			w.township_code = c.town;
			w.village_code = c.village;
			w.kind = c.kind;
			w.source = opts->source;
			w.qualification = c.qual;
			w.start_date = start;
			w.service_start = c.start;
			w.phone = c.phone;
			w.bank_account = c.bank;
			if ((error = sb__staff_add(db, &w, &id, &existed)) < 0)
				goto done;
			stats.added++;
			if (!person_existed)
				continue;
		}
		if (nmatch == capmatch) {
			size_t nc = capmatch ? capmatch * 2 : 64;
			match *p = sb__realloc(matches, nc * sizeof(*p));
			if (!p) {
				error = SB_ENOMEM;
				goto done;
			}
			matches = p;
			capmatch = nc;
		}
		matches[nmatch].line = ro.row.line;
		matches[nmatch].added = r != 1;
		snprintf(matches[nmatch].id, sizeof(matches[nmatch].id), "%s", c.id);
		if (!(matches[nmatch].differs = sb__strdup(diff.len > 2 ? diff.ptr + 2 : ""))) {
			error = SB_ENOMEM;
			goto done;
		}
		nmatch++;
	}
	if (r < 0) {
		error = r;
		goto done;
	}
	/* One entry for the import as a whole, naming the file (and for CSV its digest), beside
	 * the entries of each person and worker registered. */
	if (stats.added &&
	    (error = sb__audit_append(db, "staff import %s (%s%s%s): %lld rows, %lld workers added from %s, start %s",
				      path, ro.csv ? "sha256 " : "xlsx", ro.csv ? sb__csv_digest(ro.csv) : "",
				      ro.csv ? (strcmp(sb__csv_encoding(ro.csv), "UTF-8") == 0 ? ", UTF-8" : ", GB18030") : "",
				      (long long)stats.rows, (long long)stats.added, opts->source, start)) < 0)
		goto done;
	if (opts->skip_invalid) {
		if ((error = sb__buf_failed(&rejects)) < 0 ||
		    (error = sb__write_file(opts->rejects_path, rejects.ptr, rejects.len, 0644)) < 0)
			goto done;
	}
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (error == 0) {
		if (opts->on_match)
			for (i = 0; i < nmatch; i++)
				opts->on_match(path, matches[i].line, matches[i].id, matches[i].added, matches[i].differs,
					       opts->ctx);
		if (out_stats)
			*out_stats = stats;
	}
	for (i = 0; i < nmatch; i++)
		free(matches[i].differs);
	free(matches);
	free(seen.slots);
	place_free(&places[0]);
	place_free(&places[1]);
	sb__buf_free(&reason);
	sb__buf_free(&rejects);
	sb__buf_free(&diff);
	roster_close(&ro);
	return error;
}
