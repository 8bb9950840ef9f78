/*
 * Generated but realistic inputs for demonstrations and benchmarks: employers with valid
 * credit codes, recruitment rounds (posts, applications, written scores, interview marks,
 * outcomes), take-over rosters, assessments and tax declarations. Everything is derived from
 * the registry's real divisions and a seed, so the same seed gives the same files. The files
 * are in the formats users bring (doc/formats); the generator never writes to the registry.
 */
#ifndef SHUANGBAI_GENERATE_H
#define SHUANGBAI_GENERATE_H

#include "common.h"
#include "db.h"

/**
 * One employer row per township under `scope`: the township government's name, an address,
 * a legal representative and a valid unified social credit code (GB 32100, registration department 1: 机构编制, type 1: 机关).
 * @return 0, or an error (SB_EIO, SB_ENOTFOUND for an unknown scope)
 */
SB_EXTERN(int) sb_generate_employers(sb_db *db, const char *scope, uint64_t seed, const char *path);

/** The shape of a generated round. */
typedef struct {
	uint64_t seed;
	int pools;               /* counties recruiting (one pool each); 0: every county */
	int seats_per_pool;      /* sum of the pool's post quotas */
	int applicants_per_seat; /* applications per seat */
	int subjects;            /* 1 or 2 written papers */
	const char *subject_ids[2];
	int subject_max;         /* maximum mark of each paper (100, 150) */
	int minority_share;      /* percent of applicants with the minority bonus (0: none) */
	int64_t minority_bonus;  /* hundredths of a point, e.g. 250 */
	const char *minority_language; /* e.g. "mn"; also required by some posts */
} sb_generate_round_opts;

/** What a generation produced. */
typedef struct {
	int64_t pools, posts, seats, applications;
} sb_generate_counts;

/**
 * Write DIR/posts.csv and DIR/applications.csv for a round over the counties under `scope`:
 * posts at township stations (office) and village points (service), applicants with valid ID
 * numbers, real birth dates and homes in real villages.
 */
SB_EXTERN(int) sb_generate_round(sb_generate_counts *out, sb_db *db, const char *scope,
				 const sb_generate_round_opts *opts, const char *dir);

/**
 * Written scores (`app_no,subject,score`) shaped like real exams, a few absent, for the given
 * applicants (those admitted to the exam) and the papers of `opts`.
 */
SB_EXTERN(int) sb_generate_written(int64_t *out_rows, const sb_generate_round_opts *opts,
				   const char *const *app_nos, size_t n, const char *path);

/**
 * Interview marks (`app_no,panel,examiner,mark`) for the given applicants: `panels` panels of
 * `examiners` examiners each, panels differing in severity, a few applicants absent.
 */
SB_EXTERN(int) sb_generate_interviews(const char *const *app_nos, size_t n, int panels, int examiners,
				      uint64_t seed, const char *path);

/** Outcomes (`app_no,outcome`): most passed, a few failed medical or inspection, or withdrew. */
SB_EXTERN(int) sb_generate_outcomes(const char *const *app_nos, size_t n, uint64_t seed, const char *path);

/**
 * A take-over roster (`id_number,name,township_code,village_code,role,service_start,
 * qualification,phone,bank_account`): `per_township` workers for each township under scope
 * that has villages, with years of service; `per_township` 0: one office worker for each
 * township and one service worker for each of its villages (every station and point staffed).
 */
SB_EXTERN(int) sb_generate_roster(int64_t *out_rows, sb_db *db, const char *scope, int per_township,
				  uint64_t seed, const char *path);

/** Annual assessment grades (`id_number,grade`) for the given people. */
SB_EXTERN(int) sb_generate_evaluations(const char *const *ids, size_t n, uint64_t seed, const char *path);

/** Special additional deductions (`id_number,from,to,amount`) over YEAR for some of the people. */
SB_EXTERN(int) sb_generate_deductions(const char *const *ids, size_t n, int year, uint64_t seed,
				      const char *path);

/** A valid resident ID number for a region (6 digits), birth date and sequence; out has 19 bytes. */
SB_EXTERN(void) sb_generate_id_number(char *out, const char *region6, int y, int m, int d, int seq);

#endif
