/*
 * What the recruitment-round area shares between its own files (round.c, round_policy.c,
 * round_score.c) and offers to the areas that build on a round: placement (§4: units with
 * their posts and open seats, proposed applicants, whether a post is open to an applicant)
 * and hiring (proposed applicants whose outcome is `passed`). Not public: nothing here is
 * exported, and no other area reads the round_ tables in SQL.
 */
#ifndef SB_ROUND_INTERNAL_H
#define SB_ROUND_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "shuangbai/db.h"

/* Education levels in their order (SPEC §3): 0 is "no requirement" on a post. */
enum { SB_ROUND_EDU_NONE = 0, SB_ROUND_EDU_DAZHUAN = 1, SB_ROUND_EDU_BENKE = 2,
       SB_ROUND_EDU_SHUOSHI = 3, SB_ROUND_EDU_BOSHI = 4 };

/* Scope levels of a post's hukou_scope. */
enum { SB_ROUND_HUKOU_ANY = 0, SB_ROUND_HUKOU_PROVINCE = 1, SB_ROUND_HUKOU_PREFECTURE = 2,
       SB_ROUND_HUKOU_COUNTY = 3 };

/* The life of a round, in order; round_round.stage holds the last step taken. */
enum {
	SB_ROUND_CREATED = 0,
	SB_ROUND_POSTS = 1,
	SB_ROUND_APPLY = 2,
	SB_ROUND_SCREEN = 3,
	SB_ROUND_WRITTEN = 4,
	SB_ROUND_SHORTLIST = 5,
	SB_ROUND_INTERVIEW = 6,
	SB_ROUND_RANK = 7,
	SB_ROUND_OUTCOME = 8
};

/** A post of a round, as posted, with the seats left after the opening ratio (rule 2). */
typedef struct {
	char *post_id;
	char *station_code;   /* village code (service) or township code (office) */
	char *title;
	char *kind;           /* "service" | "office" */
	char *pool;           /* "" when the post is recruited on its own */
	int64_t quota;        /* seats as posted */
	int64_t open_quota;   /* seats after the opening ratio; 0: cancelled; = quota before screening */
	int education;        /* SB_ROUND_EDU_*, minimum required (0: none) */
	char *majors;         /* ';'-separated major names, "" for any */
	int max_age;          /* completed years on the reference date; 0: no limit */
	int hukou_scope;      /* SB_ROUND_HUKOU_* */
	char *language;       /* language code required, "" for none */
} sb__round_post;

/** A unit: a pool, or a post without a pool (then `unit` is its post_id). */
typedef struct {
	char *unit;
	int is_pool;
	int64_t quota;        /* sum of the posts' quotas */
	int64_t open_quota;   /* sum of the posts' open quotas; 0: cancelled */
	sb__round_post *posts; /* in post_id order */
	size_t nposts;
} sb__round_unit;

/** An applicant of a round with what placement and hiring need. */
typedef struct {
	char *app_no;
	char *id_number;
	char *name;
	char *post_id;        /* the post applied to */
	char *unit;           /* the unit of that post */
	char *hukou_code;
	char *home_code;      /* township or village code of the registry */
	int education;        /* SB_ROUND_EDU_* */
	char *major;
	char *qualification;  /* none|assistant|intermediate|senior */
	char *languages;      /* ';'-separated */
	char **preferences;   /* post ids in the applicant's order */
	size_t npreferences;
	int age;              /* completed years on the round's reference date */
	int64_t rank;         /* 0 when not ranked */
	int64_t written_total, interview, combined; /* hundredths */
	char *status;         /* proposed|reserve|tie|below-pass|absent|failed-medical|... */
	char *outcome;        /* "" | passed | failed-medical | failed-inspection | withdrew */
} sb__round_app;

/**
 * The units of round `code` with their posts (units in unit order, posts in post_id order).
 * Needs the posts loaded; open quotas are those of the last screening (= quota before it).
 * Free with sb__round_units_free().
 */
int sb__round_units(sb__round_unit **out, size_t *out_n, sb_db *db, const char *code);
void sb__round_units_free(sb__round_unit *units, size_t n);

/**
 * Applicants of round `code` with status `proposed` (ties resolved by `round resolve` are
 * proposed; an unresolved `tie` is not), in unit order then rank order (equal ranks: smaller
 * app_no first). `unit` NULL: every unit. Needs `round rank` taken (SB_ESTATE otherwise).
 * When `passed_only` is set, only those whose recorded outcome is `passed` (for hiring).
 * Free with sb__round_apps_free().
 */
int sb__round_proposed(sb__round_app **out, size_t *out_n, sb_db *db, const char *code,
		       const char *unit, int passed_only);
void sb__round_apps_free(sb__round_app *apps, size_t n);

/**
 * Whether `post` is open to `app` by the post's own requirements (SPEC §3 rule 1: age on
 * the reference date, education, major, hukou scope, language).
 * @param out_open 1 open, 0 not
 * @param out_reason when not open and not NULL: why, in English (caller frees); else NULL
 * @return 0, or a negative error (registry lookups)
 */
int sb__round_post_open_to(int *out_open, char **out_reason, sb_db *db,
			   const sb__round_post *post, const sb__round_app *app);

/** The round's code exists and its stage (SB_ROUND_*); SB_ENOTFOUND otherwise. */
int sb__round_stage(int *out_stage, sb_db *db, const char *code);

/* ---- inside the round area ----------------------------------------------------------- */

/* Panel correction methods (rule 5). */
enum { SB_ROUND_CORR_NONE = 0, SB_ROUND_CORR_POOLED = 1, SB_ROUND_CORR_MEANS = 2 };
/* Tie-break keys (rule 7). */
enum { SB_ROUND_KEY_WRITTEN_TOTAL = 1, SB_ROUND_KEY_INTERVIEW = 2, SB_ROUND_KEY_WRITTEN = 3,
       SB_ROUND_KEY_INTERVIEW_RAW = 4 };

typedef struct {
	char *id;
	char *name;
	int64_t max;          /* hundredths */
} sb__round_subject;

/** A parsed policy: every number that differs between real rounds (SPEC §3). */
typedef struct {
	char *name;
	char reference_date[11];
	int ref_y, ref_m, ref_d;
	int max_age;              /* <age max>: 0 none */
	int64_t written_pass;     /* hundredths */
	int64_t bonus_cap;        /* hundredths */
	sb__round_subject *subjects;
	size_t nsubjects;
	int opening_ratio;        /* 0: no opening ratio */
	int opening_cancel;       /* below="cancel": the whole unit is cancelled */
	int shortlist_ratio;
	int trimmed;              /* aggregate="trimmed" */
	int64_t interview_pass;   /* hundredths */
	int64_t interview_max;    /* hundredths, default 100.00 */
	int correction;           /* SB_ROUND_CORR_* */
	int factor_decimals;      /* -1: exact factor */
	int w_written, w_interview; /* whole percent */
	int tiebreak[4];
	int ntiebreak;
} sb__round_policy;

/**
 * Parse a policy. With `validate`, the text is checked as an untrusted file: no DOCTYPE, no
 * network, validated against xsd/policy.xsd, then the semantic rules (weights sum to 100 ...);
 * errors are SB_EXML or SB_EINVALID naming `name`, the line and the element. Without it
 * (a policy stored by `round create`), only the values are read.
 */
int sb__round_policy_parse(sb__round_policy **out, const char *xml, size_t len, const char *name,
			   int validate);
void sb__round_policy_free(sb__round_policy *p);

/* Exact scoring (round_score.c): every score is int64 hundredths. */

/** Rule 3: round2(Σ scores × 100 / Σ maxima), scores and maxima in hundredths. */
int64_t sb__round_written(const int64_t *scores, const int64_t *maxima, size_t n);
/**
 * Rule 5: round2 of the mean of the marks, or with `trimmed` and five or more marks, of the
 * mean after dropping one highest and one lowest. n > 0.
 */
int64_t sb__round_interview_raw(const int64_t *marks, size_t n, int trimmed);
/** Rule 6: round2(written_total × w_written% + interview × w_interview%). */
int64_t sb__round_combined(int64_t written_total, int64_t interview, int w_written, int w_interview);

/** One present interviewee for the panel correction. */
typedef struct {
	size_t panel;      /* index of the panel, 0..npanels-1 */
	int64_t raw;       /* interview_raw, hundredths */
	int64_t out;       /* interview after correction, hundredths */
} sb__round_iv;

/**
 * Rule 5's panel correction over every present interviewee of the round: sets `out` of each.
 * M and m are exact rationals; with `factor_decimals` >= 0 the factor M/m is rounded half-up
 * to that many decimals first. One panel, or SB_ROUND_CORR_NONE: out = raw.
 * @return 0, or SB_EINVALID when the exact values would not fit 128 bits
 */
int sb__round_correct(sb__round_iv *iv, size_t n, size_t npanels, int method, int factor_decimals);

/** Compare two post ids: numerically when both are all digits, else bytewise. */
int sb__round_post_cmp(const char *a, const char *b);
/** Education name (大专 本科 硕士 博士) to SB_ROUND_EDU_*, or -1. */
int sb__round_education(const char *name);
const char *sb__round_education_name(int level);

/* Shared by the round's files. */

/** A string-keyed hash map (keys copied), for the imports' duplicate and lookup checks. */
typedef struct {
	char *key;
	int64_t val;
} sb__round_ent;
typedef struct {
	sb__round_ent *e;
	size_t cap, n;
} sb__round_map;
/** The entry of `key`, NULL when absent. */
sb__round_ent *sb__round_map_get(const sb__round_map *m, const char *key);
/** Insert `key` (val 0) or find it; *out_new says which. NULL on allocation failure. */
sb__round_ent *sb__round_map_put(sb__round_map *m, const char *key, int *out_new);
void sb__round_map_free(sb__round_map *m);

/**
 * Open round `code` for `step` (SB_ROUND_*): it exists, the step before has been taken and
 * the one after has not. `out_policy` (may be NULL) gets the stored policy.
 */
int sb__round_enter(sb__round_policy **out_policy, sb_db *db, const char *code, int step);
/**
 * Give this connection a page cache and memory map large enough for a province's round:
 * the steps read and rewrite every application, and the default 2 MB cache would make each
 * row a read system call.
 */
int sb__round_tune(sb_db *db);
/** Record `step` as the last taken. */
int sb__round_set_stage(sb_db *db, const char *code, int step);
/** The command name of a step ("posts", "rank" ...). */
const char *sb__round_step_name(int step);

#endif
