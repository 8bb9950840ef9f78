/*
 * The social workers of the stations: who works where, in which post kind, from which
 * source (recruited, or taken over from relief casework, disability work or elsewhere),
 * at which qualification level, and since when (seniority, 工龄). Taking over existing
 * staff from a township roster (CSV or .xlsx) lives here. Not for pay: steps and scales
 * belong to the pay area, contracts to the contract area.
 */
#ifndef SHUANGBAI_STAFF_H
#define SHUANGBAI_STAFF_H

#include "common.h"
#include "db.h"

/** One social worker of the registry (a row of the staff list). */
typedef struct {
	int64_t id;                 /* staff_worker.id */
	char id_number[19];
	char *name;                 /* from the person registry */
	char township_code[13];     /* the station */
	char village_code[13];      /* the point, "" for an office post */
	char kind[8];               /* "service" | "office" */
	char source[12];            /* "recruit" | "relief" | "disability" | "other" */
	char qualification[14];     /* "none" | "assistant" | "intermediate" | "senior" */
	char start_date[11];        /* YYYY-MM-DD: start at the station */
	char service_start[11];     /* YYYY-MM-DD: seniority (工龄) counts from here; "" for recruits */
	char end_date[11];          /* "" while in service */
	char *bank_account;         /* may be "" */
} sb_worker;

/**
 * The workers under `scope`, or the one with `id_number`, ordered by station, then ID number.
 * @param out       the list (caller frees with sb_staff_workers_free); NULL when empty
 * @param out_n     its length
 * @param scope     a division code: workers whose station lies in it (NULL: all)
 * @param id_number only this person's worker rows (NULL: all)
 * @return 0, or a negative SB_E... code
 */
SB_EXTERN(int) sb_staff_workers(sb_worker **out, size_t *out_n, sb_db *db, const char *scope,
				const char *id_number);

/** Free a list from sb_staff_workers (NULL is fine). */
SB_EXTERN(void) sb_staff_workers_free(sb_worker *list, size_t n);

/** What a take-over import did, or would do. */
typedef struct {
	int64_t rows;      /* data rows read */
	int64_t added;     /* new workers */
	int64_t existing;  /* persons already in service: not duplicated */
	int64_t rejected;  /* rows written to the rejects file (--skip-invalid) */
} sb_staff_stats;

/**
 * How sb_staff_import reports a row whose person is already in the registry: `added` 0 when
 * they are a worker in service already (nothing changed), 1 when the person was known (an
 * applicant, a former worker) and has now become a worker; `differs` lists the roster's
 * fields that differ from the registry, ", "-separated ("" when none).
 */
typedef void (*sb_staff_match_fn)(const char *file, long line, const char *id_number, int added,
				  const char *differs, void *ctx);

/** Options of a take-over import. */
typedef struct {
	const char *source;       /* "relief" | "disability" | "other" (required) */
	const char *start_date;   /* start at the station, YYYY-MM-DD (NULL: today) */
	int skip_invalid;         /* import the valid rows, reject the others */
	const char *rejects_path; /* with skip_invalid: CSV of the rejected rows plus `reason` */
	sb_staff_match_fn on_match; /* a row matching a person already in the registry (may be NULL) */
	sb_progress_fn progress;  /* may be NULL */
	void *ctx;                /* for on_match and progress */
} sb_staff_import_opts;

/**
 * Take over existing staff from a roster: CSV (UTF-8 or GB18030) or .xlsx (first sheet)
 * with `id_number,name,township_code,village_code,role,service_start,qualification,phone,
 * bank_account`. Every row is validated; a bad row is SB_EINVALID "FILE:ROW: FIELD: what"
 * and nothing is written, unless `skip_invalid`, when the valid rows are imported and the
 * rejected ones written to `rejects_path`. A person already in service is not duplicated:
 * `on_match` gets the row and the fields that differ ("" when none).
 * @param out_stats what was done (may be NULL)
 * @return 0, or a negative SB_E... code
 */
SB_EXTERN(int) sb_staff_import(sb_staff_stats *out_stats, sb_db *db, const char *path,
			       const sb_staff_import_opts *opts);

/**
 * Seniority (工龄) in completed years from `service_start` to `date` (both YYYY-MM-DD):
 * an anniversary on `date` counts. 0 when either is empty or date is earlier.
 */
SB_EXTERN(int) sb_staff_seniority(const char *service_start, const char *date);

/** Today as the registry counts it (SHUANGBAI_TODAY when set), YYYY-MM-DD. */
SB_EXTERN(void) sb_staff_today(char out[11]);

#endif
