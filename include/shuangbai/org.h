/*
 * The registry of divisions (province, prefecture, county, township, village), their flags
 * (border, pastoral, remote), the township governments as employers, and the stations
 * (社工站, one per township) and points (社工点, one per village). Coverage reports the
 * programme's "two hundred percent". Not for people: workers belong to the staff area.
 */
#ifndef SHUANGBAI_ORG_H
#define SHUANGBAI_ORG_H

#include "common.h"
#include "db.h"

enum {
	SB_LEVEL_PROVINCE = 1,
	SB_LEVEL_PREFECTURE = 2,
	SB_LEVEL_COUNTY = 3,
	SB_LEVEL_TOWNSHIP = 4,
	SB_LEVEL_VILLAGE = 5
};

enum {
	SB_FLAG_BORDER = 1,
	SB_FLAG_PASTORAL = 2,
	SB_FLAG_REMOTE = 4
};

/** Counts of what an import or a creation did. */
typedef struct {
	int64_t rows;      /* data rows read */
	int64_t added;
	int64_t updated;
	int64_t unchanged;
} sb_org_stats;

/**
 * Load divisions from CSV `code,name,level,parent,lon,lat` (lon and lat may be empty or
 * absent). UTF-8 or GB18030, BOM or not, LF or CRLF. All or nothing: a bad row is
 * SB_EINVALID naming FILE:LINE: FIELD and nothing is written. A division already present
 * with the same level and parent keeps its code; a changed name or centre is updated.
 */
SB_EXTERN(int) sb_org_import(sb_db *db, const char *path, sb_org_stats *out_stats,
			     sb_progress_fn progress, void *ctx);

/** Mark divisions with flags from CSV `code,flag` (flags hold for everything below). */
SB_EXTERN(int) sb_org_flags(sb_db *db, const char *path, sb_org_stats *out_stats);

/**
 * Record township governments as employers from CSV
 * `township_code,name,address,legal_rep,uscc`; the USCC is checked (GB 32100).
 */
SB_EXTERN(int) sb_org_employers(sb_db *db, const char *path, sb_org_stats *out_stats);

/** Create a station for every township and a point for every village that lacks one. */
SB_EXTERN(int) sb_org_stations(sb_db *db, sb_org_stats *out_stations, sb_org_stats *out_points);

/** One division. */
typedef struct {
	char code[13];
	char parent[13];
	char *name;
	int level;
	int has_centre; /* lon/lat are its own */
	double lon, lat;
} sb_division;

/**
 * Look a division up. @return 0, or SB_ENOTFOUND. Free name with sb_division_clear().
 */
SB_EXTERN(int) sb_org_division(sb_division *out, sb_db *db, const char *code);
SB_EXTERN(void) sb_division_clear(sb_division *d);

/**
 * The centre of `code`: its own, else its nearest ancestor's.
 * @return 0, SB_ENOTFOUND for an unknown code or when no ancestor has a centre
 */
SB_EXTERN(int) sb_org_centre(double *out_lon, double *out_lat, sb_db *db, const char *code);

/** The ancestor of `code` at `level` (the code itself when it is at that level). */
SB_EXTERN(int) sb_org_ancestor(char out[13], sb_db *db, const char *code, int level);

/** 1 when `code` lies in (or is) `scope`, 0 when not; negative on error. */
SB_EXTERN(int) sb_org_within(sb_db *db, const char *code, const char *scope);

/**
 * The range of codes lying in (or being) `scope`, for a query on a code column:
 * `code >= lo AND code < hi`. The registry refuses a division whose code does not begin with
 * its parent's significant digits, so a scope's descendants are exactly the codes sharing its
 * prefix (2, 4, 6, 9 or 12 digits by level). A NULL or empty scope gives the range of every
 * code.
 * @param lo, hi receive NUL-terminated bounds
 * @return 0; SB_ENOTFOUND when `scope` is not a division of the registry
 */
SB_EXTERN(int) sb_org_scope_range(char lo[13], char hi[13], sb_db *db, const char *scope);

/** The flags (SB_FLAG_...) holding for `code`: its own and its ancestors'. */
SB_EXTERN(int) sb_org_flags_of(unsigned *out, sb_db *db, const char *code);

/** The level a 12-digit code's shape allows (1-5), or 0 when malformed. */
SB_EXTERN(int) sb_org_code_level(const char *code);

/** 1 when `code` has a station (township) or point (village), 0 when not; negative on error. */
SB_EXTERN(int) sb_org_has_station(sb_db *db, const char *code);

/** One row of the coverage report: a county (or a prefecture without counties). */
typedef struct {
	char code[13];
	char *name;
	char *prefecture;
	int64_t townships, stations, staffed_stations;
	int64_t villages, points, served_points;
} sb_coverage_row;

typedef struct {
	sb_coverage_row *rows;
	size_t n;
	sb_coverage_row total; /* code "" and name "total" */
} sb_coverage;

/**
 * Coverage per county under `scope` (NULL: everything): townships with a station, villages
 * with a point, stations with at least one social worker in service, points with a
 * service-post worker. Free with sb_coverage_free().
 */
SB_EXTERN(int) sb_org_coverage(sb_coverage **out, sb_db *db, const char *scope);
SB_EXTERN(void) sb_coverage_free(sb_coverage *c);

/** A township government as employer (the contract's first party, Labour Contract Law Art. 17). */
typedef struct {
	char township_code[13];
	char *name;
	char *address;   /* may be "" when none was recorded */
	char *legal_rep; /* may be "" when none was recorded */
	char uscc[19];
} sb_employer;

/**
 * The employer record of a township.
 * @param out filled in; free its strings with sb_employer_clear()
 * @return 0, SB_ENOTFOUND (no employer recorded for the township)
 */
SB_EXTERN(int) sb_org_employer(sb_employer *out, sb_db *db, const char *township_code);
/** Free the strings of an employer record (NULL is fine). */
SB_EXTERN(void) sb_employer_clear(sb_employer *e);

/**
 * Every division of `level` under `scope` (NULL: all), in code order. Free with
 * sb_division_list_free().
 */
SB_EXTERN(int) sb_org_list(sb_division **out, size_t *out_n, sb_db *db, const char *scope, int level);
SB_EXTERN(void) sb_division_list_free(sb_division *list, size_t n);

#endif
