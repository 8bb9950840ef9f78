/*
 * The placement core over in-memory pools: no database, no round. place.c builds these
 * structures from the round and the registry; the unit tests and bench/place_bench.c build
 * them by hand. Not for I/O of any kind.
 */
#ifndef SB_PLACE_INTERNAL_H
#define SB_PLACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/** A post of a pool: its place (12-digit division code and centre) and free seats. */
typedef struct {
	const char *id;        /* post id; "smaller" compares numerically when both are digits */
	const char *code;      /* village (service post) or township (office post) code */
	double lon, lat;       /* the place's centre: its own or its nearest ancestor's */
	int64_t seats;         /* open seats; 0: cancelled */
} sb__place_post;

/** A proposed applicant of a pool. */
typedef struct {
	const char *app_no;
	const char *home;      /* home division code */
	double lon, lat;       /* the home's centre */
	int64_t rank;          /* merit order: smaller first; equal ranks by smaller app_no */
	const size_t *prefs;   /* indices into the posts, in the applicant's order */
	size_t nprefs;
	const uint64_t *open;  /* bit i set: post i is open to the applicant; NULL: all are */
} sb__place_app;

/** Why an applicant got what they got. */
enum {
	SB__PLACE_PREF = 1,        /* preference `pref` */
	SB__PLACE_NEAREST = 2,     /* the nearest open post (with a free seat, for merit) */
	SB__PLACE_ONLY = 3,        /* the only open post (with a free seat, for merit) */
	SB__PLACE_TOTAL = 4,       /* distance: farther than the nearest, to lower the total */
	SB__PLACE_NONE_OPEN = -1,  /* unplaced: no post of the pool is open to the applicant */
	SB__PLACE_FULL = -2        /* unplaced: every open post is full */
};

/** The outcome for one applicant. */
typedef struct {
	ptrdiff_t post;        /* index into the posts; -1 unplaced */
	int64_t tenths;        /* rounded distance; -1 unplaced */
	int reason;            /* SB__PLACE_* */
	int pref;              /* 1-based preference number for SB__PLACE_PREF */
} sb__place_slot;

/** How much closer in the hierarchy two codes are: 4 same village, 3 same township,
 *  2 same county, 1 same prefecture, 0 none (from the 12-digit code shape). */
int sb__place_closeness(const char *a, const char *b);

/** Order of two ids: numeric when both are all digits, else bytewise. */
int sb__place_id_cmp(const char *a, const char *b);

/**
 * Merit placement: applicants by (rank, app_no); each takes the first open preferred post
 * with a free seat, else the nearest open post with a free seat (rounded distance, then
 * closeness, then smaller post id). out[i] is the slot of apps[i].
 */
int sb__place_merit(sb__place_slot *out, const sb__place_post *posts, size_t nposts,
		    const sb__place_app *apps, size_t napps);

/** The size of the network the distance method solved (for tests and the bench). */
typedef struct {
	size_t groups;     /* classes of interchangeable applicants */
	size_t classes;    /* classes of interchangeable posts */
	size_t arcs;       /* group-to-class arcs */
	size_t searches;   /* shortest-path searches (Dijkstra runs) */
	size_t augments;   /* augmenting paths */
	size_t rounds;     /* re-solves after pricing found arcs that could lower the total */
} sb__place_stats;

/** How many nearest classes each group starts with (1..24; tests lower it to force pricing). */
extern size_t sb__place_start_arcs;

/**
 * Distance placement: most applicants placed, then the minimum total of rounded distances
 * (min-cost flow over groups of interchangeable applicants and posts).
 * @param out_total the minimum total (may be NULL)
 * @param out_stats the network's size (may be NULL)
 */
int sb__place_distance(sb__place_slot *out, int64_t *out_total, sb__place_stats *out_stats,
		       const sb__place_post *posts, size_t nposts, const sb__place_app *apps,
		       size_t napps);

#endif
