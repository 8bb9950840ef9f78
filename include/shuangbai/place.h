/*
 * Placement of a recruitment round's proposed applicants into the posts of their pool
 * (SPEC §4): `merit` (rank order, preferences, then the nearest open post) and `distance`
 * (the exact minimum total of rounded home-to-post distances), the comparison of the two, and
 * hiring the passed applicants into the registry as social workers. Not for ranking or
 * screening: those belong to the round area, whose results placement reads.
 */
#ifndef SHUANGBAI_PLACE_H
#define SHUANGBAI_PLACE_H

#include "common.h"
#include "db.h"

/** The placement method. */
typedef enum {
	SB_PLACE_MERIT = 0,    /* rank order, first free preferred post, else the nearest */
	SB_PLACE_DISTANCE = 1  /* minimum total of the rounded distances */
} sb_place_method;

/** One applicant's placement (a row of `round place`). */
typedef struct {
	char *pool;
	char *app_no;
	char *post_id;           /* "" when unplaced */
	char *station_code;      /* "" when unplaced */
	int64_t distance_tenths; /* distance in tenths of a km; -1 when unplaced */
	char *reason;            /* "preference 2", "nearest open", "only open post",
				    "shorter total distance", "unplaced: ..." */
} sb_place_row;

/**
 * How good a placement is. Shares are per mille of all the applicants considered (placed or
 * not), rounded half-up once: `home_township * 1000 / applicants`.
 */
typedef struct {
	int64_t applicants;       /* proposed applicants considered */
	int64_t placed;
	int64_t total_tenths;     /* sum of the placed applicants' rounded distances */
	int64_t mean_tenths;      /* total / placed, half-up; 0 when nobody is placed */
	int64_t max_tenths;       /* 0 when nobody is placed */
	int64_t home_township;    /* placed in their home township */
	int64_t home_county;      /* placed in their home county */
	int64_t township_permille;
	int64_t county_permille;
} sb_place_summary;

/** Both methods' summaries of one pool (pool "" holds the whole round). */
typedef struct {
	char *pool;
	sb_place_summary merit;
	sb_place_summary distance;
} sb_place_pool_summary;

/** What `round place` computed. */
typedef struct {
	sb_place_method method;      /* the method whose rows these are */
	sb_place_row *rows;          /* pools in unit order, applicants in rank order */
	size_t nrows;
	sb_place_pool_summary *pools; /* one per pool, then the round's total (pool "") */
	size_t npools;
} sb_place_result;

/**
 * Place the proposed applicants of every pool of round `code` by `method`, compute the other
 * method too for the comparison, and store the chosen placement (replacing an earlier one)
 * for `sb_place_hire`. Audited; one transaction.
 * @param out    the placement (caller frees with sb_place_result_free)
 * @param db     the registry
 * @param code   the round's code
 * @param method SB_PLACE_MERIT or SB_PLACE_DISTANCE
 * @return 0; SB_ENOTFOUND for an unknown round; SB_ESTATE before `round rank`; SB_ENOTFOUND
 *         when a home or station code has no centre; other negative SB_E... codes
 */
SB_EXTERN(int) sb_place_run(sb_place_result **out, sb_db *db, const char *code, sb_place_method method);

/** Free a result of sb_place_run (NULL is fine). */
SB_EXTERN(void) sb_place_result_free(sb_place_result *r);

/**
 * The placement stored by the last `round place` of round `code`, read back without placing
 * again (e.g. for the round report). It is what `round hire` would use: if outcomes changed
 * the proposed applicants since, it may be out of date.
 * @param out        the rows, pools then app_no in byte order (caller frees with
 *                   sb_place_rows_free); NULL with *out_n 0 when the round was never placed
 * @param out_n      number of rows
 * @param out_method the method of the stored placement (may be NULL; unchanged when none)
 * @return 0 or a negative SB_E... code (SB_EDB, SB_ENOMEM)
 */
SB_EXTERN(int) sb_place_stored(sb_place_row **out, size_t *out_n, sb_place_method *out_method, sb_db *db,
			       const char *code);

/** Free rows of sb_place_stored (NULL is fine). */
SB_EXTERN(void) sb_place_rows_free(sb_place_row *rows, size_t n);

/** What hiring did. */
typedef struct {
	int64_t passed;     /* proposed applicants whose outcome is passed */
	int64_t hired;      /* new social workers */
	int64_t existing;   /* already in service (hired before): unchanged */
	int64_t unplaced;   /* in a pool but without a post in the stored placement: not hired */
} sb_place_hire_stats;

/**
 * Make every proposed applicant of round `code` whose outcome is `passed` a social worker at
 * their post (the stored placement's post in a pool, else the post applied to), source
 * `recruit`, level by qualification, from `start_date`. Hiring twice changes nothing.
 * @param out_stats what was done (may be NULL)
 * @param start_date YYYY-MM-DD
 * @return 0; SB_EUSAGE for a malformed date; SB_ESTATE when a pool has no stored placement or
 *         the placement misses an applicant proposed since; other negative SB_E... codes
 */
SB_EXTERN(int) sb_place_hire(sb_place_hire_stats *out_stats, sb_db *db, const char *code,
			     const char *start_date);

/**
 * The great-circle distance between two points (haversine, R = 6371.0088 km) in tenths of a
 * kilometre, rounded half-up: floor(10 d + 1/2) of the double-precision value d.
 * @param lon1,lat1,lon2,lat2 degrees
 */
SB_EXTERN(int64_t) sb_place_distance_tenths(double lon1, double lat1, double lon2, double lat2);

#endif
