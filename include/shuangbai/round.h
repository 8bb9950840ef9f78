/*
 * Recruitment rounds (全省统一招录, SPEC §3): a round is created from a policy file, then
 * takes, in order, its posts, applications, screening (with the opening ratio), written
 * scores, the interview shortlist, interview marks, the ranking, outcomes with backfill, and
 * gives the public notice. Each step may be rerun, with the same result, until the next one
 * has been taken; a step out of order is SB_ESTATE naming what must come first. Every input
 * file is all or nothing. Not for placement into posts or hiring: those build on a ranked
 * round in their own areas.
 */
#ifndef SHUANGBAI_ROUND_H
#define SHUANGBAI_ROUND_H

#include "common.h"
#include "db.h"

/**
 * Create round `code` from the policy file at `policy_path` (schema xsd/policy.xsd).
 * @return 0; SB_EXML or SB_EINVALID naming FILE:LINE and the element when the policy is
 *         refused; SB_EEXISTS when the code is taken.
 */
SB_EXTERN(int) sb_round_create(sb_db *db, const char *code, const char *policy_path);

/**
 * Load the round's posts from CSV `post_id,station_code,title,kind,quota,pool,education,
 * majors,max_age,hukou_scope,language`, replacing any loaded before.
 * @param out_rows posts read (may be NULL)
 */
SB_EXTERN(int) sb_round_posts(sb_db *db, const char *code, const char *path, int64_t *out_rows);

/**
 * Load applications from CSV `app_no,id_number,name,post_id,hukou_code,home_code,education,
 * major,qualification,bonus,languages,preferences`, replacing any loaded before. One
 * application per person and per app_no in a round.
 */
SB_EXTERN(int) sb_round_apply(sb_db *db, const char *code, const char *path, int64_t *out_rows,
			      sb_progress_fn progress, void *ctx);

/** A unit after screening: its quota as posted and after the opening ratio. */
typedef struct {
	char *unit;           /* the pool, or the post_id of a post without a pool */
	int64_t quota;
	int64_t open_quota;   /* 0: cancelled */
	int64_t applicants, eligible;
} sb_round_unit_info;

/** One rejected application with its reasons ("; "-separated). */
typedef struct {
	char *app_no;
	char *post_id;
	char *reason;
} sb_round_rejection;

typedef struct {
	sb_round_unit_info *units;
	size_t nunits;
	sb_round_rejection *rejections;
	size_t nrejections;
	int64_t applicants, eligible;
} sb_round_screening;

/**
 * Screen the applications (rule 1) and apply the opening ratio (rule 2).
 * @param out what was decided (may be NULL); free with sb_round_screening_free()
 */
SB_EXTERN(int) sb_round_screen(sb_round_screening **out, sb_db *db, const char *code);
/** The result of the last screening, without screening again. */
SB_EXTERN(int) sb_round_screening_get(sb_round_screening **out, sb_db *db, const char *code);
SB_EXTERN(void) sb_round_screening_free(sb_round_screening *s);

/**
 * Load written scores from CSV `app_no,subject,score` (score `absent` for a no-show) and
 * compute written, pass and written_total (rule 3), replacing any loaded before.
 * A screened-in applicant without a row for a subject is absent.
 */
SB_EXTERN(int) sb_round_written(sb_db *db, const char *code, const char *path, int64_t *out_rows,
				sb_progress_fn progress, void *ctx);

/** Draw the interview shortlist of each unit (rule 4). @param out_n shortlisted (may be NULL) */
SB_EXTERN(int) sb_round_shortlist(int64_t *out_n, sb_db *db, const char *code);

/**
 * Load interview marks from CSV `app_no,panel,examiner,mark` (mark `absent` for a no-show),
 * compute interview_raw and the panel correction (rule 5), replacing any loaded before.
 */
SB_EXTERN(int) sb_round_interview(sb_db *db, const char *code, const char *path, int64_t *out_rows,
				  sb_progress_fn progress, void *ctx);

/** One line of the ranking (SPEC §3 `round rank --format csv`). */
typedef struct {
	char *unit;
	int64_t rank;         /* 0: not ranked (below-pass, absent) */
	char *app_no;
	char *name;
	char *id_number;
	char *post_id;
	int64_t written, bonus, written_total; /* hundredths; bonus after the cap */
	int has_interview;    /* 0 when absent: interview_raw, interview and combined are unset */
	int64_t interview_raw, interview, combined;
	char *status;         /* proposed|reserve|tie|below-pass|absent|failed-medical|failed-inspection|withdrew */
} sb_round_row;

/**
 * Rank each unit (rules 6 and 7) and set proposed / reserve / tie.
 * @param out the ranking, units in order then rank (may be NULL); free with sb_round_rows_free()
 */
SB_EXTERN(int) sb_round_rank(sb_round_row **out, size_t *out_n, sb_db *db, const char *code);
/** The current ranking (after rank, resolve and outcomes), without changing anything. */
SB_EXTERN(int) sb_round_rows(sb_round_row **out, size_t *out_n, sb_db *db, const char *code);
SB_EXTERN(void) sb_round_rows_free(sb_round_row *rows, size_t n);

/**
 * Record the decision of an additional assessment for applicants tied across the last seat
 * (rule 7): `app_nos` are members of one such tie, best first; they take the contested seats
 * in that order ahead of the others of the tie.
 */
SB_EXTERN(int) sb_round_resolve(sb_db *db, const char *code, const char *const *app_nos, size_t n);

/**
 * Record outcomes from CSV `app_no,outcome` (passed, failed-medical, failed-inspection,
 * withdrew) and backfill freed seats from the reserve in rank order (rule 8). Outcomes
 * accumulate over files; a later row for the same applicant replaces the earlier.
 */
SB_EXTERN(int) sb_round_outcome(sb_db *db, const char *code, const char *path, int64_t *out_rows);

/**
 * Write the public notice (公示, rule 9) of the proposed applicants per unit as a PDF:
 * ID numbers masked, scores with two decimals. A name the font cannot draw is SB_EINVALID
 * naming the applicant and the character.
 */
SB_EXTERN(int) sb_round_notice(sb_db *db, const char *code, const char *pdf_path);

/** The state of a round. */
typedef struct {
	char *name;
	char reference_date[11];
	int stage;            /* 0 created .. 8 outcomes (see `round show`) */
	const char *last_step; /* "create", "posts", ..., "outcome" (static) */
	const char *next_step; /* the step that may come next, "" at the end (static) */
	int64_t posts, applicants, eligible, shortlisted, proposed, ties;
} sb_round_status;

SB_EXTERN(int) sb_round_show(sb_round_status *out, sb_db *db, const char *code);
SB_EXTERN(void) sb_round_status_clear(sb_round_status *s);

/**
 * The app_no of every applicant on the interview shortlist, in app_no order.
 * Free with sb_round_list_free().
 */
SB_EXTERN(int) sb_round_shortlisted(char ***out, size_t *out_n, sb_db *db, const char *code);
/** The app_no of every applicant found eligible in screening, in app_no order. */
SB_EXTERN(int) sb_round_eligible(char ***out, size_t *out_n, sb_db *db, const char *code);
SB_EXTERN(void) sb_round_list_free(char **list, size_t n);

/* ---- the round report (招录情况报告) ----------------------------------------------------- */

/**
 * Score histograms have SB_ROUND_REPORT_SCORE_BINS bins of SB_ROUND_REPORT_SCORE_BIN
 * hundredths (5.00 points) over 0–100: bin i holds scores s with 500 i <= s < 500 (i + 1);
 * the last bin also holds 100.00 and anything above it (a bonus can lift a combined score
 * over 100).
 */
#define SB_ROUND_REPORT_SCORE_BIN 500
#define SB_ROUND_REPORT_SCORE_BINS 20
/**
 * Distance histograms have SB_ROUND_REPORT_DISTANCE_BINS bins of `distance_bin_tenths`
 * tenths of a km, the smallest of 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 km that puts the
 * longest distance inside the bins; the last bin also holds anything farther.
 */
#define SB_ROUND_REPORT_DISTANCE_BINS 10

/** The figures of one unit (or, with unit "", of the whole round). Scores in hundredths. */
typedef struct {
	char *unit;            /* the pool, or the post_id of a post without a pool; "" for the round */
	int is_pool;
	int64_t posts;         /* posts of the unit */
	int64_t quota;         /* seats as posted */
	int64_t open_quota;    /* seats after the opening ratio; 0: cancelled */
	int64_t applicants;    /* applications to the unit's posts */
	int64_t eligible;      /* passed screening (资格审查通过) */
	int64_t sat;           /* sat the written exam: present in every subject */
	int64_t passed;        /* written >= the policy's pass line */
	int64_t pass_permille; /* written pass rate: passed × 1000 / sat, half-up; -1 when nobody sat */
	int64_t written_mean;  /* mean written score of those who sat, half-up; -1 when nobody sat */
	int64_t shortlisted;   /* on the interview shortlist (0 before `round shortlist`) */
	int64_t cutoff;        /* shortlist cut-off: the lowest written_total (written + capped bonus)
				  that entered the shortlist; -1 when nobody did (always -1 for the round) */
	int64_t interviewed;   /* present at the interview (0 before `round interview`) */
	int64_t proposed;      /* status proposed (0 before `round rank`) */
	int64_t written_hist[SB_ROUND_REPORT_SCORE_BINS];  /* written (without bonus) of those who sat */
	int64_t combined_hist[SB_ROUND_REPORT_SCORE_BINS]; /* combined of those interviewed, after rank */
	int64_t placed;        /* in the stored placement, with a post (pools only) */
	int64_t unplaced;      /* in the stored placement, without a post */
	int64_t distance_bin_tenths; /* 0 when nobody is placed */
	int64_t distance_hist[SB_ROUND_REPORT_DISTANCE_BINS];
	int64_t distance_total_tenths;
	int64_t distance_mean_tenths; /* total / placed, half-up; 0 when nobody is placed */
	int64_t distance_max_tenths;
} sb_round_report_unit;

/** What `round report` shows. */
typedef struct {
	char *code;
	char *name;              /* the policy's name of the round */
	char reference_date[11];
	int stage;               /* the last step taken (see sb_round_status) */
	const char *last_step;   /* its command name (static) */
	int ranked;              /* `round rank` has been taken: combined scores exist */
	int64_t written_pass;    /* the policy's written pass line */
	int has_placement;       /* a placement is stored (`round place` has run) */
	const char *place_method; /* "merit" | "distance" | "" (static) */
	int64_t pools;           /* units that are pools */
	int64_t cancelled;       /* units cancelled by the opening ratio */
	sb_round_report_unit total; /* the round's figures; cutoff -1 */
	sb_round_report_unit *units; /* in unit order, as `round rank` lists them */
	size_t nunits;
} sb_round_report;

/**
 * Gather the report of round `code`: per unit, the applicants, screening, the written exam
 * (sat, passed, pass rate, mean), the shortlist and its cut-off, the interview, the proposed,
 * histograms of written and combined scores, and for pools the distances of the placement
 * stored by `round place`; and the same for the whole round. Reads only. Figures of steps not
 * yet taken are 0 (histograms empty).
 * @param out the report; caller frees with sb_round_report_free()
 * @return 0; SB_ENOTFOUND for an unknown round; SB_ESTATE before `round written` (the round
 *         has no scores yet); other negative SB_E... codes
 */
SB_EXTERN(int) sb_round_report_get(sb_round_report **out, sb_db *db, const char *code);
/** Free a report; NULL is fine. */
SB_EXTERN(void) sb_round_report_free(sb_round_report *r);

/**
 * Draw a report as a PDF: a title page with the round's figures and histograms, then one
 * compact block per unit (a table of figures and bar charts of written scores, combined
 * scores and placement distances), several to a page.
 * @param out_pages pages written (may be NULL)
 * @param report    from sb_round_report_get()
 * @param pdf_path  written atomically; nothing is written on error
 * @return 0; SB_EINVALID naming the unit and the character when a name cannot be drawn;
 *         SB_EIO; other negative SB_E... codes
 */
SB_EXTERN(int) sb_round_report_pdf(int *out_pages, const sb_round_report *report, const char *pdf_path);

#endif
