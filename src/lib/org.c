/*
 * Divisions, flags, employers, stations and coverage. Division codes are the 12-digit
 * statistical codes: 2 digits of province, 2 of prefecture, 2 of county, 3 of township and
 * 3 of village, so a code's shape fixes its level and the codes of its ancestors. A
 * township may hang directly under a prefecture that has no counties (东莞, 中山).
 * This file does not know about workers beyond counting them for coverage.
 */
#include "config.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "db_internal.h"
#include "audit_internal.h"
#include "shuangbai/org.h"
#include "shuangbai/person.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = { "", "province", "prefecture", "county", "township", "village" };
static const int level_digits[] = { 0, 2, 4, 6, 9, 12 };

static int level_from_name(const char *s)
{
	int i;
	for (i = 1; i <= 5; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return 0;
}

static int all_zero(const char *s, int from, int to)
{
	int i;
	for (i = from; i < to; i++)
		if (s[i] != '0')
			return 0;
	return 1;
}

int sb_org_code_level(const char *code)
{
	int i, level;
	if (strlen(code) != 12)
		return 0;
	for (i = 0; i < 12; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	if (all_zero(code, 0, 2))
		return 0;
	for (level = 1; level <= 5; level++)
		if (all_zero(code, level_digits[level], 12))
			break;
	/* The part belonging to this level must not be all zeros, except that a township of a
	 * prefecture without counties has county digits 00 (441900003000). */
	if (level > 1 && all_zero(code, level_digits[level - 1], level_digits[level]))
		return 0;
	return level;
}

/* ---- the import ---------------------------------------------------------------- */

typedef struct {
	uint64_t code;
	uint64_t parent; /* 0 for a province */
	char *name;
	int level;
	int has_centre;
	double lon, lat;
	long line;
} div_row;

/* Open addressing over uint64 codes; values are row indexes + 1. */
typedef struct {
	uint64_t *keys;
	size_t *vals;
	size_t cap;
} code_map;

static int map_init(code_map *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->keys = sb__calloc(m->cap, sizeof(*m->keys));
	m->vals = sb__calloc(m->cap, sizeof(*m->vals));
	return (m->keys && m->vals) ? 0 : SB_ENOMEM;
}

static size_t map_slot(const code_map *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void map_free(code_map *m)
{
	free(m->keys);
	free(m->vals);
}

static uint64_t code_value(const char *s)
{
	uint64_t v = 0;
	int i;
	for (i = 0; i < 12; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

static void code_text(char out[13], uint64_t v)
{
	int i;
	for (i = 11; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[12] = '\0';
}

static int parse_coord(double *out, const char *s, double limit)
{
	char *end;
	const char *p;
	int dots = 0;
	/* Plain decimal degrees only: no exponent, no hex, no inf/nan. */
	for (p = s; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!((*p >= '0' && *p <= '9') || (p == s && *p == '-')))
			return -1;
	}
	if (dots > 1 || !*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end || fabs(*out) > limit)
		return -1;
	return 0;
}

static int level_cmp(const void *a, const void *b)
{
	const div_row *x = a, *y = b;
	if (x->level != y->level)
		return x->level - y->level;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int db_level_of(sb_db *db, const char *code, int *out_level, char *out_parent, char **out_name,
		       double *lon, double *lat, int *has_centre)
{
	sb__stmt *st;
	int error, r;
	if ((error = sb__db_prepare(db, &st, "SELECT level, parent, name, lon, lat FROM org_division WHERE code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	if ((r = sb__stmt_step(st)) <= 0)
		return r < 0 ? r : SB_ENOTFOUND;
	*out_level = (int)sb__stmt_int64(st, 0);
	if (out_parent)
		snprintf(out_parent, 13, "%s", sb__stmt_text(st, 1));
	if (out_name && !(*out_name = sb__strdup(sb__stmt_text(st, 2)))) {
		sb__stmt_reset(st);
		return SB_ENOMEM;
	}
	if (has_centre) {
		*has_centre = !sb__stmt_isnull(st, 3) && !sb__stmt_isnull(st, 4);
		*lon = sb__stmt_double(st, 3);
		*lat = sb__stmt_double(st, 4);
	}
	sb__stmt_reset(st);
	return 0;
}

static int validate_row(sb__csv *c, const int *map, div_row *row)
{
	const char *code = sb__csv_field(c, map[0]);
	const char *name = sb__csv_field(c, map[1]);
	const char *level = sb__csv_field(c, map[2]);
	const char *parent = sb__csv_field(c, map[3]);
	const char *lon = sb__csv_field(c, map[4]);
	const char *lat = sb__csv_field(c, map[5]);
	int shape, plevel;

	row->line = sb__csv_line(c);
	if (!(shape = sb_org_code_level(code)))
		return sb__csv_error(c, "code", "'%s' is not a 12-digit division code", code);
	if (!(row->level = level_from_name(level)))
		return sb__csv_error(c, "level", "'%s' is not one of province, prefecture, county, township, village",
				     level);
	if (shape != row->level)
		return sb__csv_error(c, "level", "'%s' does not fit code %s (a %s code)", level, code,
				     level_names[shape]);
	if (!name[0])
		return sb__csv_error(c, "name", "empty");
	if (strlen(name) > 200)
		return sb__csv_error(c, "name", "longer than 200 bytes");
	row->code = code_value(code);
	if (row->level == SB_LEVEL_PROVINCE) {
		if (parent[0])
			return sb__csv_error(c, "parent", "a province has no parent");
		row->parent = 0;
	} else {
		if (!(plevel = sb_org_code_level(parent)))
			return sb__csv_error(c, "parent", "'%s' is not a 12-digit division code", parent);
		if (strncmp(parent, code, (size_t)level_digits[plevel]) != 0)
			return sb__csv_error(c, "parent", "%s cannot contain %s (codes differ in the first %d digits)",
					     parent, code, level_digits[plevel]);
		if (!(plevel == row->level - 1 ||
		      (row->level == SB_LEVEL_TOWNSHIP && plevel == SB_LEVEL_PREFECTURE &&
		       all_zero(code, 4, 6))))
			return sb__csv_error(c, "parent", "a %s cannot belong to a %s", level_names[row->level],
					     level_names[plevel]);
		row->parent = code_value(parent);
	}
	row->has_centre = 0;
	if (lon[0] || lat[0]) {
		if (!lon[0] || !lat[0])
			return sb__csv_error(c, lon[0] ? "lat" : "lon", "empty while the other coordinate is given");
		if (parse_coord(&row->lon, lon, 180.0) < 0)
			return sb__csv_error(c, "lon", "'%s' is not a longitude in degrees", lon);
		if (parse_coord(&row->lat, lat, 90.0) < 0)
			return sb__csv_error(c, "lat", "'%s' is not a latitude in degrees", lat);
		row->has_centre = 1;
	}
	if (!(row->name = sb__strdup(name)))
		return SB_ENOMEM;
	return 0;
}

int sb_org_import(sb_db *db, const char *path, sb_org_stats *out_stats, sb_progress_fn progress, void *ctx)
{
	static const sb__csv_col cols[] = {
		{ "code", 1 }, { "name", 1 }, { "level", 1 }, { "parent", 1 }, { "lon", 0 }, { "lat", 0 }
	};
	sb__csv *c = NULL;
	div_row *rows = NULL;
	size_t n = 0, cap = 0, i;
	code_map m = { 0 };
	int map[6], error = 0, r;
	sb_org_stats stats = { 0 };
	sb_buf changes = SB_BUF_INIT;
	sb__stmt *ins = NULL, *upd = NULL;

	if (out_stats)
		memset(out_stats, 0, sizeof(*out_stats));
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 6, map)) < 0)
		goto done;
	while ((r = sb__csv_next(c)) == 1) {
		if (n == cap) {
			div_row *p;
			cap = cap ? cap * 2 : 1024;
			if (!(p = sb__realloc(rows, cap * sizeof(*p)))) {
				error = SB_ENOMEM;
				goto done;
			}
			rows = p;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		if ((error = validate_row(c, map, &rows[n])) < 0)
			goto done;
		n++;
	}
	if (r < 0) {
		error = r;
		goto done;
	}
	stats.rows = (int64_t)n;

	/* Duplicates and parents, reported on the line of the later or child row. */
	if ((error = map_init(&m, n)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		size_t s = map_slot(&m, rows[i].code);
		if (m.vals[s]) {
			char code[13];
			code_text(code, rows[i].code);
			error = sb_error_set(SB_EINVALID, "%s:%ld: code: %s appears twice (first on line %ld)",
					     sb__csv_name(c), rows[i].line, code, rows[m.vals[s] - 1].line);
			goto done;
		}
		m.keys[s] = rows[i].code;
		m.vals[s] = i + 1;
	}

	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	for (i = 0; i < n && error == 0; i++) {
		div_row *row = &rows[i];
		char code[13], parent[13];
		if (!row->parent)
			continue;
		code_text(parent, row->parent);
		if (m.vals[map_slot(&m, row->parent)] == 0) {
			int plevel;
			r = db_level_of(db, parent, &plevel, NULL, NULL, NULL, NULL, NULL);
			if (r == SB_ENOTFOUND) {
				code_text(code, row->code);
				error = sb_error_set(SB_EINVALID, "%s:%ld: parent: %s is neither in the file nor in the registry",
						     sb__csv_name(c), row->line, parent);
			} else if (r < 0) {
				error = r;
			}
		}
	}
	if (error < 0)
		goto rollback;

	/* Parents before children, so that every foreign key holds as rows go in. */
	qsort(rows, n, sizeof(*rows), level_cmp);
	for (i = 0; i < n; i++) {
		div_row *row = &rows[i];
		char code[13], parent[13];
		code_text(code, row->code);
		if (row->parent)
			code_text(parent, row->parent);
		if ((error = sb__db_prepare(db, &ins,
					    "INSERT INTO org_division (code, name, level, parent, lon, lat) "
					    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO NOTHING")) < 0 ||
		    (error = sb__stmt_bind_text_static(ins, 1, code)) < 0 ||
		    (error = sb__stmt_bind_text_static(ins, 2, row->name)) < 0 ||
		    (error = sb__stmt_bind_int64(ins, 3, row->level)) < 0 ||
		    (error = row->parent ? sb__stmt_bind_text_static(ins, 4, parent) : sb__stmt_bind_null(ins, 4)) < 0 ||
		    (error = row->has_centre ? sb__stmt_bind_double(ins, 5, row->lon) : sb__stmt_bind_null(ins, 5)) < 0 ||
		    (error = row->has_centre ? sb__stmt_bind_double(ins, 6, row->lat) : sb__stmt_bind_null(ins, 6)) < 0 ||
		    (error = sb__stmt_run(ins)) < 0)
			goto rollback;
		if (sb__db_changes(db) == 1) {
			stats.added++;
		} else {
			int olevel, ohas;
			char oparent[13];
			char *oname = NULL;
			double olon = 0, olat = 0;
			if ((error = db_level_of(db, code, &olevel, oparent, &oname, &olon, &olat, &ohas)) < 0)
				goto rollback;
			if (olevel != row->level || strcmp(oparent, row->parent ? parent : "") != 0) {
				error = sb_error_set(SB_EINVALID,
						     "%s:%ld: code: %s is in the registry as a %s under %s; a file cannot move it",
						     sb__csv_name(c), row->line, code, level_names[olevel],
						     oparent[0] ? oparent : "(none)");
				free(oname);
				goto rollback;
			}
			if (strcmp(oname, row->name) != 0 || ohas != row->has_centre ||
			    (ohas && (olon != row->lon || olat != row->lat))) {
				if ((error = sb__db_prepare(db, &upd,
							    "UPDATE org_division SET name = ?2, lon = ?3, lat = ?4 WHERE code = ?1")) < 0 ||
				    (error = sb__stmt_bind_text(upd, 1, code)) < 0 ||
				    (error = sb__stmt_bind_text(upd, 2, row->name)) < 0 ||
				    (error = row->has_centre ? sb__stmt_bind_double(upd, 3, row->lon) : sb__stmt_bind_null(upd, 3)) < 0 ||
				    (error = row->has_centre ? sb__stmt_bind_double(upd, 4, row->lat) : sb__stmt_bind_null(upd, 4)) < 0 ||
				    (error = sb__stmt_run(upd)) < 0) {
					free(oname);
					goto rollback;
				}
				stats.updated++;
				sb__buf_printf(&changes, "; %s %s -> %s", code, oname, row->name);
			} else {
				stats.unchanged++;
			}
			free(oname);
		}
		if (progress && (i % 1024 == 0 || i + 1 == n))
			progress(i + 1, n, "divisions", ctx);
	}
	if ((error = sb__buf_failed(&changes)) < 0)
		goto rollback;
	if (stats.added || stats.updated)
		error = sb__audit_append(db, "org import %s (sha256 %s, %s): %lld divisions added, %lld updated%s",
					 path, sb__csv_digest(c), sb__csv_encoding(c), (long long)stats.added,
					 (long long)stats.updated, changes.ptr ? changes.ptr : "");
rollback:
	error = sb__db_tx_end(db, error);
done:
	if (error == 0 && out_stats)
		*out_stats = stats;
	for (i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
	map_free(&m);
	sb__buf_free(&changes);
	sb__csv_free(c);
	return error;
}

/* ---- flags ---------------------------------------------------------------------- */

static const char *const flag_names[] = { "border", "pastoral", "remote" };

int sb_org_flags(sb_db *db, const char *path, sb_org_stats *out_stats)
{
	static const sb__csv_col cols[] = { { "code", 1 }, { "flag", 1 } };
	sb__csv *c = NULL;
	int map[2], error = 0, r, level;
	sb_org_stats stats = { 0 };
	sb__stmt *ins = NULL;

	if (out_stats)
		memset(out_stats, 0, sizeof(*out_stats));
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 2, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	while ((r = sb__csv_next(c)) == 1) {
		const char *code = sb__csv_field(c, map[0]), *flag = sb__csv_field(c, map[1]);
		int k, known = 0;
		stats.rows++;
		if (!sb_org_code_level(code)) {
			error = sb__csv_error(c, "code", "'%s' is not a 12-digit division code", code);
			break;
		}
		for (k = 0; k < 3; k++)
			known |= strcmp(flag, flag_names[k]) == 0;
		if (!known) {
			error = sb__csv_error(c, "flag", "'%s' is not one of border, pastoral, remote", flag);
			break;
		}
		r = db_level_of(db, code, &level, NULL, NULL, NULL, NULL, NULL);
		if (r == SB_ENOTFOUND) {
			error = sb__csv_error(c, "code", "%s is not in the registry", code);
			break;
		} else if (r < 0) {
			error = r;
			break;
		}
		if ((error = sb__db_prepare(db, &ins, "INSERT OR IGNORE INTO org_flag (code, flag) VALUES (?1, ?2)")) < 0 ||
		    (error = sb__stmt_bind_text(ins, 1, code)) < 0 || (error = sb__stmt_bind_text(ins, 2, flag)) < 0 ||
		    (error = sb__stmt_run(ins)) < 0)
			break;
		if (sb__db_changes(db))
			stats.added++;
		else
			stats.unchanged++;
	}
	if (r < 0 && error == 0)
		error = r;
	if (error == 0 && stats.added)
		error = sb__audit_append(db, "org flags %s (sha256 %s): %lld flags added", path, sb__csv_digest(c),
					 (long long)stats.added);
	error = sb__db_tx_end(db, error);
done:
	if (error == 0 && out_stats)
		*out_stats = stats;
	sb__csv_free(c);
	return error;
}

/* ---- employers ------------------------------------------------------------------ */

int sb_org_employers(sb_db *db, const char *path, sb_org_stats *out_stats)
{
	static const sb__csv_col cols[] = {
		{ "township_code", 1 }, { "name", 1 }, { "address", 1 }, { "legal_rep", 1 }, { "uscc", 1 }
	};
	sb__csv *c = NULL;
	int map[5], error = 0, r, level;
	sb_org_stats stats = { 0 };
	sb__stmt *st = NULL;
	sb_buf seen = SB_BUF_INIT;

	if (out_stats)
		memset(out_stats, 0, sizeof(*out_stats));
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 5, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	while ((r = sb__csv_next(c)) == 1) {
		const char *code = sb__csv_field(c, map[0]), *name = sb__csv_field(c, map[1]);
		const char *address = sb__csv_field(c, map[2]), *rep = sb__csv_field(c, map[3]);
		const char *uscc = sb__csv_field(c, map[4]);
		stats.rows++;
		if (sb_org_code_level(code) != SB_LEVEL_TOWNSHIP) {
			error = sb__csv_error(c, "township_code", "'%s' is not a township code", code);
			break;
		}
		r = db_level_of(db, code, &level, NULL, NULL, NULL, NULL, NULL);
		if (r == SB_ENOTFOUND) {
			error = sb__csv_error(c, "township_code", "%s is not in the registry", code);
			break;
		} else if (r < 0) {
			error = r;
			break;
		}
		if (strstr(seen.ptr ? seen.ptr : "", code)) {
			error = sb__csv_error(c, "township_code", "%s appears twice in the file", code);
			break;
		}
		sb__buf_printf(&seen, "%s,", code);
		if (!name[0]) {
			error = sb__csv_error(c, "name", "empty");
			break;
		}
		if (sb_person_uscc_check(uscc) < 0) {
			error = sb__csv_error(c, "uscc", "%s", sb_error_last());
			break;
		}
		if ((error = sb__db_prepare(db, &st,
					    "SELECT name, address, legal_rep, uscc FROM org_employer WHERE township_code = ?1")) < 0 ||
		    (error = sb__stmt_bind_text(st, 1, code)) < 0)
			break;
		if ((r = sb__stmt_step(st)) < 0) {
			error = r;
			break;
		}
		if (r == 1) {
			int same = strcmp(sb__stmt_text(st, 0), name) == 0 && strcmp(sb__stmt_text(st, 1), address) == 0 &&
				   strcmp(sb__stmt_text(st, 2), rep) == 0 && strcmp(sb__stmt_text(st, 3), uscc) == 0;
			sb__stmt_reset(st);
			if (same) {
				stats.unchanged++;
				continue;
			}
			stats.updated++;
		} else {
			stats.added++;
		}
		if ((error = sb__db_prepare(db, &st,
					    "INSERT INTO org_employer (township_code, name, address, legal_rep, uscc) "
					    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(township_code) DO UPDATE SET "
					    "name = excluded.name, address = excluded.address, "
					    "legal_rep = excluded.legal_rep, uscc = excluded.uscc")) < 0 ||
		    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_text(st, 2, name)) < 0 ||
		    (error = sb__stmt_bind_text(st, 3, address)) < 0 || (error = sb__stmt_bind_text(st, 4, rep)) < 0 ||
		    (error = sb__stmt_bind_text(st, 5, uscc)) < 0)
			break;
		if ((error = sb__stmt_run(st)) < 0) {
			if (strstr(sb_error_last(), "UNIQUE"))
				error = sb__csv_error(c, "uscc", "%s is already the code of another employer", uscc);
			break;
		}
		if ((error = sb__audit_append(db, "employer %s: %s, %s, legal representative %s, uscc %s", code, name,
					      address, rep, uscc)) < 0)
			break;
	}
	if (r < 0 && error == 0)
		error = r;
	if (error == 0)
		error = sb__buf_failed(&seen);
	error = sb__db_tx_end(db, error);
done:
	if (error == 0 && out_stats)
		*out_stats = stats;
	sb__buf_free(&seen);
	sb__csv_free(c);
	return error;
}

/* ---- stations ------------------------------------------------------------------- */

int sb_org_stations(sb_db *db, sb_org_stats *out_stations, sb_org_stats *out_points)
{
	sb__stmt *st = NULL;
	int error;
	int64_t stations = 0, points = 0;

	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO org_station (code, kind, township_code) "
				    "SELECT d.code, 'station', d.code FROM org_division d "
				    "WHERE d.level = 4 AND NOT EXISTS (SELECT 1 FROM org_station s WHERE s.code = d.code)")) < 0 ||
	    (error = sb__stmt_run(st)) < 0)
		goto done;
	stations = sb__db_changes(db);
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO org_station (code, kind, township_code) "
				    "SELECT d.code, 'point', d.parent FROM org_division d "
				    "WHERE d.level = 5 AND NOT EXISTS (SELECT 1 FROM org_station s WHERE s.code = d.code)")) < 0 ||
	    (error = sb__stmt_run(st)) < 0)
		goto done;
	points = sb__db_changes(db);
	if (stations || points)
		error = sb__audit_append(db, "org stations: %lld stations and %lld points created", (long long)stations,
					 (long long)points);
done:
	error = sb__db_tx_end(db, error);
	if (error == 0) {
		if (out_stations) {
			memset(out_stations, 0, sizeof(*out_stations));
			out_stations->added = stations;
		}
		if (out_points) {
			memset(out_points, 0, sizeof(*out_points));
			out_points->added = points;
		}
	}
	return error;
}

/* ---- look-ups for the other areas ------------------------------------------------ */

int sb_org_division(sb_division *out, sb_db *db, const char *code)
{
	int error;
	memset(out, 0, sizeof(*out));
	if (!sb_org_code_level(code))
		return sb_error_set(SB_ENOTFOUND, "%s: not a division code", code);
	error = db_level_of(db, code, &out->level, out->parent, &out->name, &out->lon, &out->lat, &out->has_centre);
	if (error == SB_ENOTFOUND)
		return sb_error_set(SB_ENOTFOUND, "%s: not in the registry", code);
	if (error == 0)
		snprintf(out->code, sizeof(out->code), "%s", code);
	return error;
}

void sb_division_clear(sb_division *d)
{
	if (d) {
		free(d->name);
		d->name = NULL;
	}
}

int sb_org_centre(double *out_lon, double *out_lat, sb_db *db, const char *code)
{
	char cur[13];
	int error, level, has;
	double lon, lat;

	snprintf(cur, sizeof(cur), "%s", code);
	while (cur[0]) {
		char parent[13];
		error = db_level_of(db, cur, &level, parent, NULL, &lon, &lat, &has);
		if (error == SB_ENOTFOUND)
			return sb_error_set(SB_ENOTFOUND, "%s: not in the registry", cur);
		if (error < 0)
			return error;
		if (has) {
			*out_lon = lon;
			*out_lat = lat;
			return 0;
		}
		memcpy(cur, parent, 13);
	}
	return sb_error_set(SB_ENOTFOUND, "%s: neither it nor any ancestor has a centre", code);
}

int sb_org_ancestor(char out[13], sb_db *db, const char *code, int level)
{
	char cur[13], parent[13];
	int error, l;

	snprintf(cur, sizeof(cur), "%s", code);
	for (;;) {
		error = db_level_of(db, cur, &l, parent, NULL, NULL, NULL, NULL);
		if (error == SB_ENOTFOUND)
			return sb_error_set(SB_ENOTFOUND, "%s: not in the registry", cur);
		if (error < 0)
			return error;
		if (l == level) {
			memcpy(out, cur, 13);
			return 0;
		}
		/* A township of a prefecture without counties (东莞, 中山) has no county: the
		 * prefecture stands in for it. */
		if (level == SB_LEVEL_COUNTY && l == SB_LEVEL_TOWNSHIP &&
		    sb_org_code_level(parent) == SB_LEVEL_PREFECTURE) {
			memcpy(out, parent, 13);
			return 0;
		}
		if (l < level || !parent[0])
			return sb_error_set(SB_ENOTFOUND, "%s: has no ancestor at level %s", code, level_names[level]);
		memcpy(cur, parent, 13);
	}
}

int sb_org_within(sb_db *db, const char *code, const char *scope)
{
	char cur[13];
	int error, l;

	snprintf(cur, sizeof(cur), "%s", code);
	while (cur[0]) {
		char parent[13];
		if (strcmp(cur, scope) == 0)
			return 1;
		error = db_level_of(db, cur, &l, parent, NULL, NULL, NULL, NULL);
		if (error == SB_ENOTFOUND)
			return sb_error_set(SB_ENOTFOUND, "%s: not in the registry", cur);
		if (error < 0)
			return error;
		memcpy(cur, parent, 13);
	}
	return 0;
}

int sb_org_scope_range(char lo[13], char hi[13], sb_db *db, const char *scope)
{
	sb_division d;
	int error, digits;

	if (!scope || !*scope) {
		/* Every code is twelve digits: "" sorts before all of them, ":" after. */
		lo[0] = '\0';
		memcpy(hi, ":", 2);
		return 0;
	}
	if ((error = sb_org_division(&d, db, scope)) == SB_ENOTFOUND)
		return sb_error_set(error, "scope %s: not a division of the registry", scope);
	if (error < 0)
		return error;
	digits = level_digits[d.level];
	sb_division_clear(&d);
	/* The prefix, and the prefix with its last digit raised by one ('9' becomes ':', which
	 * sorts after every digit), bound the codes beginning with it. */
	memcpy(lo, scope, (size_t)digits);
	lo[digits] = '\0';
	memcpy(hi, lo, (size_t)digits + 1);
	hi[digits - 1]++;
	return 0;
}

int sb_org_flags_of(unsigned *out, sb_db *db, const char *code)
{
	char cur[13];
	int error, l, r, k;
	sb__stmt *st;
	unsigned flags = 0;

	*out = 0;
	snprintf(cur, sizeof(cur), "%s", code);
	while (cur[0]) {
		char parent[13];
		if ((error = sb__db_prepare(db, &st, "SELECT flag FROM org_flag WHERE code = ?1")) < 0 ||
		    (error = sb__stmt_bind_text(st, 1, cur)) < 0)
			return error;
		while ((r = sb__stmt_step(st)) == 1)
			for (k = 0; k < 3; k++)
				if (strcmp(sb__stmt_text(st, 0), flag_names[k]) == 0)
					flags |= 1u << k;
		if (r < 0)
			return r;
		error = db_level_of(db, cur, &l, parent, NULL, NULL, NULL, NULL);
		if (error == SB_ENOTFOUND)
			return sb_error_set(SB_ENOTFOUND, "%s: not in the registry", cur);
		if (error < 0)
			return error;
		memcpy(cur, parent, 13);
	}
	*out = flags;
	return 0;
}

/* ---- coverage ------------------------------------------------------------------- */

int sb_org_coverage(sb_coverage **out, sb_db *db, const char *scope)
{
	sb__stmt *st = NULL;
	sb_coverage *cov = NULL;
	size_t cap = 0;
	int error = 0, r, slevel = 0;
	char prefix[13] = "";

	*out = NULL;
	if (scope) {
		sb_division d;
		if ((error = sb_org_division(&d, db, scope)) < 0)
			return error;
		slevel = d.level;
		sb_division_clear(&d);
		snprintf(prefix, sizeof(prefix), "%.*s", level_digits[slevel], scope);
	}
	if (!(cov = sb__calloc(1, sizeof(*cov))) || !(cov->total.name = sb__strdup("total")) ||
	    !(cov->total.prefecture = sb__strdup(""))) {
		error = SB_ENOMEM;
		goto done;
	}
	/* Per township first (a township's villages are its children), then summed per county:
	 * the parent of a township is its county, or a prefecture without counties. */
	if ((error = sb__db_prepare(db, &st,
		"WITH t AS ("
		"  SELECT d.code, d.parent AS county,"
		"    EXISTS (SELECT 1 FROM org_station s WHERE s.code = d.code) AS has_station,"
		"    EXISTS (SELECT 1 FROM staff_worker w WHERE w.township_code = d.code AND w.end_date IS NULL) AS staffed,"
		"    (SELECT count(*) FROM org_division v WHERE v.parent = d.code) AS villages,"
		"    (SELECT count(*) FROM org_division v JOIN org_station s ON s.code = v.code WHERE v.parent = d.code) AS points,"
		"    (SELECT count(*) FROM org_division v WHERE v.parent = d.code AND EXISTS ("
		"       SELECT 1 FROM staff_worker w WHERE w.village_code = v.code AND w.kind = 'service'"
		"       AND w.end_date IS NULL)) AS served"
		"  FROM org_division d WHERE d.level = 4 AND d.code LIKE ?1 || '%')"
		" SELECT c.code, c.name, coalesce(p.name, ''), count(*), sum(has_station), sum(staffed),"
		"   sum(villages), sum(points), sum(served)"
		" FROM t JOIN org_division c ON c.code = t.county LEFT JOIN org_division p ON p.code = c.parent"
		" GROUP BY c.code ORDER BY c.code")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, prefix)) < 0)
		goto done;
	while ((r = sb__stmt_step(st)) == 1) {
		sb_coverage_row *row;
		if (cov->n == cap) {
			sb_coverage_row *p;
			cap = cap ? cap * 2 : 64;
			if (!(p = sb__realloc(cov->rows, cap * sizeof(*p)))) {
				error = SB_ENOMEM;
				sb__stmt_reset(st);
				goto done;
			}
			cov->rows = p;
		}
		row = &cov->rows[cov->n];
		memset(row, 0, sizeof(*row));
		cov->n++;
		snprintf(row->code, sizeof(row->code), "%s", sb__stmt_text(st, 0));
		row->name = sb__strdup(sb__stmt_text(st, 1));
		row->prefecture = sb__strdup(sb__stmt_text(st, 2));
		if (!row->name || !row->prefecture) {
			error = SB_ENOMEM;
			sb__stmt_reset(st);
			goto done;
		}
		row->townships = sb__stmt_int64(st, 3);
		row->stations = sb__stmt_int64(st, 4);
		row->staffed_stations = sb__stmt_int64(st, 5);
		row->villages = sb__stmt_int64(st, 6);
		row->points = sb__stmt_int64(st, 7);
		row->served_points = sb__stmt_int64(st, 8);
		cov->total.townships += row->townships;
		cov->total.stations += row->stations;
		cov->total.staffed_stations += row->staffed_stations;
		cov->total.villages += row->villages;
		cov->total.points += row->points;
		cov->total.served_points += row->served_points;
	}
	if (r < 0)
		error = r;
done:
	if (error < 0) {
		sb_coverage_free(cov);
		return error;
	}
	*out = cov;
	return 0;
}

void sb_coverage_free(sb_coverage *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->rows[i].name);
		free(c->rows[i].prefecture);
	}
	free(c->rows);
	free(c->total.name);
	free(c->total.prefecture);
	free(c);
}

/* For the staff area: a worker may only join a station or point that exists. */
int sb_org_has_station(sb_db *db, const char *code)
{
	sb__stmt *st;
	int error, r;

	if ((error = sb__db_prepare(db, &st, "SELECT 1 FROM org_station WHERE code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	r = sb__stmt_step(st);
	if (r == 1)
		sb__stmt_reset(st);
	return r;
}

/* For the contract area: the employer's particulars for the contract's first party. */
int sb_org_employer(sb_employer *out, sb_db *db, const char *township_code)
{
	sb__stmt *st;
	int error, r;

	memset(out, 0, sizeof *out);
	if ((error = sb__db_prepare(db, &st,
				    "SELECT name, address, legal_rep, uscc FROM org_employer WHERE township_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, township_code)) < 0)
		return error;
	if ((r = sb__stmt_step(st)) < 0)
		return r;
	if (r == 0)
		return sb_error_set(SB_ENOTFOUND, "township %s has no employer record (load it with shuangbai org employers)",
				    township_code);
	snprintf(out->township_code, sizeof out->township_code, "%s", township_code);
	out->name = sb__strdup(sb__stmt_text(st, 0));
	out->address = sb__strdup(sb__stmt_text(st, 1));
	out->legal_rep = sb__strdup(sb__stmt_text(st, 2));
	snprintf(out->uscc, sizeof out->uscc, "%s", sb__stmt_text(st, 3));
	sb__stmt_reset(st);
	if (!out->name || !out->address || !out->legal_rep) {
		sb_employer_clear(out);
		return SB_ENOMEM;
	}
	return 0;
}

void sb_employer_clear(sb_employer *e)
{
	if (!e)
		return;
	free(e->name);
	free(e->address);
	free(e->legal_rep);
	e->name = e->address = e->legal_rep = NULL;
}

int sb_org_list(sb_division **out, size_t *out_n, sb_db *db, const char *scope, int level)
{
	sb__stmt *st = NULL;
	sb_division *list = NULL;
	size_t n = 0, cap = 0;
	int error = 0, r, slevel;
	char prefix[13] = "";

	*out = NULL;
	*out_n = 0;
	if (scope) {
		if (!(slevel = sb_org_code_level(scope)))
			return sb_error_set(SB_ENOTFOUND, "%s: not a division code", scope);
		snprintf(prefix, sizeof(prefix), "%.*s", level_digits[slevel], scope);
	}
	if ((error = sb__db_prepare(db, &st,
				    "SELECT code, parent, name, level, lon, lat FROM org_division "
				    "WHERE level = ?1 AND code LIKE ?2 || '%' ORDER BY code")) < 0 ||
	    (error = sb__stmt_bind_int64(st, 1, level)) < 0 || (error = sb__stmt_bind_text(st, 2, prefix)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) == 1) {
		sb_division *d;
		if (n == cap) {
			sb_division *p;
			cap = cap ? cap * 2 : 256;
			if (!(p = sb__realloc(list, cap * sizeof(*p)))) {
				error = SB_ENOMEM;
				sb__stmt_reset(st);
				break;
			}
			list = p;
		}
		d = &list[n];
		memset(d, 0, sizeof(*d));
		snprintf(d->code, sizeof(d->code), "%s", sb__stmt_text(st, 0));
		snprintf(d->parent, sizeof(d->parent), "%s", sb__stmt_text(st, 1));
		d->level = (int)sb__stmt_int64(st, 3);
		d->has_centre = !sb__stmt_isnull(st, 4) && !sb__stmt_isnull(st, 5);
		d->lon = sb__stmt_double(st, 4);
		d->lat = sb__stmt_double(st, 5);
		n++;
		if (!(d->name = sb__strdup(sb__stmt_text(st, 2)))) {
			error = SB_ENOMEM;
			sb__stmt_reset(st);
			break;
		}
	}
	if (r < 0 && error == 0)
		error = r;
	if (error < 0) {
		sb_division_list_free(list, n);
		return error;
	}
	*out = list;
	*out_n = n;
	return 0;
}

void sb_division_list_free(sb_division *list, size_t n)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}
