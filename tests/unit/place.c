/*
 * Unit tests of the placement core: the distance and its rounding, the tie rules, merit and
 * distance placement on hand-made pools with exact totals, and properties on generated
 * pools: merit is stable and equals applicant-proposing deferred acceptance (computed here
 * by a separate, simple implementation); the distance method places at least as many, never
 * costs more at equal count, and equals a brute-force optimum on tiny pools.
 */
#include "config.h"
#include "common_internal.h"
#include "place_internal.h"
#include "shuangbai.h"
#include "tap.h"

/* ---- hand-made pools ----------------------------------------------------------------- */

static void test_distance(void)
{
	is_int(sb_place_distance_tenths(0, 0, 0, 0), 0, "distance to itself is 0");
	/* 1 degree of the equator: 6371.0088 * pi / 180 = 111.19508 km -> 111.2 */
	is_int(sb_place_distance_tenths(0, 0, 1, 0), 1112, "one degree of longitude on the equator");
	is_int(sb_place_distance_tenths(0, 0, 0.4, 0), 445, "0.4 degree: 44.478 km -> 44.5");
	is_int(sb_place_distance_tenths(0, 0, 0.6, 0), 667, "0.6 degree: 66.717 km -> 66.7");
	is_int(sb_place_distance_tenths(1, 0, 0, 0), 1112, "symmetric");
	/* Guangzhou (113.264, 23.129) to Shenzhen (114.058, 22.543): 104.24 km */
	is_int(sb_place_distance_tenths(113.264, 23.129, 114.058, 22.543), 1042, "Guangzhou-Shenzhen: 104.24 km -> 104.2");
	is_int(sb_place_distance_tenths(0, 0, 180, 0), 200151, "half the equator: 20015.1 km");
}

static void test_rules(void)
{
	is_int(sb__place_closeness("440103001001", "440103001001"), 4, "same village");
	is_int(sb__place_closeness("440103001001", "440103001002"), 3, "same township");
	is_int(sb__place_closeness("440103001000", "440103001002"), 3, "township and its village");
	is_int(sb__place_closeness("440103001001", "440103002001"), 2, "same county");
	is_int(sb__place_closeness("440103001001", "440104001001"), 1, "same prefecture");
	is_int(sb__place_closeness("440103001001", "440203001001"), 0, "different prefectures");
	is_int(sb__place_closeness("441900003001", "441900004000"), 2,
	       "townships of a prefecture without counties share the prefecture as county");
	is_int(sb__place_closeness("440103001000", "440103001000"), 3, "two townships are never the same village");
	ok(sb__place_id_cmp("9", "10") < 0, "post ids compare as numbers");
	ok(sb__place_id_cmp("A10", "A9") < 0, "else byte by byte");
	ok(sb__place_id_cmp("007", "7") == 0, "leading zeros do not count");
}

#define P(id, code, lon, seats) { id, code, lon, 0, seats }

static void test_merit_vs_distance(void)
{
	sb__place_post posts[] = { P("1", "440103001001", 0, 1), P("2", "440103002001", 1, 1) };
	sb__place_app apps[] = {
		{ "a2", "440103003001", 0, 0, 2, NULL, 0, NULL },
		{ "a1", "440103004001", 0.4, 0, 1, NULL, 0, NULL },
	};
	sb__place_slot m[2], d[2];
	sb__place_stats st;
	int64_t total = -1;

	ok(sb__place_merit(m, posts, 2, apps, 2) == 0, "merit runs");
	is_int(m[1].post, 0, "merit: rank 1 takes the nearest post 1");
	is_int(m[1].tenths, 445, "at 44.5 km");
	is_int(m[1].reason, SB__PLACE_NEAREST, "reason nearest open");
	is_int(m[0].post, 1, "merit: rank 2 takes the post left");
	is_int(m[0].tenths, 1112, "at 111.2 km");
	is_int(m[0].reason, SB__PLACE_ONLY, "reason only open post (with a free seat)");
	ok(sb__place_distance(d, &total, &st, posts, 2, apps, 2) == 0, "distance runs");
	is_int(total, 667, "distance: total 66.7 km against merit's 155.7");
	is_int(d[0].post, 0, "rank 2 at home's post");
	is_int(d[0].reason, SB__PLACE_NEAREST, "which is their nearest");
	is_int(d[1].post, 1, "rank 1 moves to post 2");
	is_int(d[1].tenths, 667, "at 66.7 km");
	is_int(d[1].reason, SB__PLACE_TOTAL, "for a shorter total");
	is_int(st.groups, 2, "two groups");
	is_int(st.classes, 2, "two post classes");
}

static void test_unplaced(void)
{
	uint64_t none = 0, only2 = 2;
	sb__place_post posts[] = { P("1", "440103001001", 0, 1), P("2", "440103002001", 1, 1),
				   P("3", "440103002002", 1, 0) };
	sb__place_app apps[] = {
		{ "n1", "440103003001", 0, 0, 1, NULL, 0, &none },
		{ "n2", "440103003001", 0, 0, 2, NULL, 0, &only2 },
		{ "n3", "440103003001", 0, 0, 3, NULL, 0, &only2 },
		{ "n4", "440103003001", 0, 0, 4, NULL, 0, NULL },
	};
	sb__place_slot m[4], d[4];
	int64_t total;

	ok(sb__place_merit(m, posts, 3, apps, 4) == 0, "merit runs");
	is_int(m[0].post, -1, "no post open: unplaced");
	is_int(m[0].reason, SB__PLACE_NONE_OPEN, "reason: none open");
	is_int(m[1].post, 1, "n2 takes post 2, the only one open to them");
	is_int(m[1].reason, SB__PLACE_ONLY, "reason only open post");
	is_int(m[2].post, -1, "n3: their only open post is full");
	is_int(m[2].reason, SB__PLACE_FULL, "reason: full");
	is_int(m[2].tenths, -1, "no distance");
	is_int(m[3].post, 0, "n4 takes post 1");
	ok(sb__place_distance(d, &total, NULL, posts, 3, apps, 4) == 0, "distance runs");
	is_int(d[0].reason, SB__PLACE_NONE_OPEN, "distance: none open");
	is_int(d[2].reason, SB__PLACE_FULL, "distance: full");
	is_int(total, 1112, "distance total: n2 at 111.2, n4 at home");
}

static void test_preferences(void)
{
	size_t p1[] = { 1 }, p2[] = { 1, 2, 0 }, p3[] = { 7, 1 };
	uint64_t no3 = 3;
	sb__place_post posts[] = { P("1", "440103001001", 0, 1), P("2", "440103002001", 1, 1),
				   P("3", "440103002002", 1, 1) };
	sb__place_app apps[] = {
		{ "r1", "440103001001", 0, 0, 1, p1, 1, NULL },
		{ "r2", "440103001001", 0, 0, 2, p2, 3, &no3 },
		{ "r3", "440103001001", 0, 0, 3, p3, 2, NULL },
	};
	sb__place_slot m[3];

	ok(sb__place_merit(m, posts, 3, apps, 3) == 0, "merit runs");
	is_int(m[0].post, 1, "r1 gets preference 1 although post 1 is nearer");
	is_int(m[0].reason, SB__PLACE_PREF, "reason preference");
	is_int(m[0].pref, 1, "number 1");
	is_int(m[1].post, 0, "r2: 2 is full, 3 not open, so preference 3");
	is_int(m[1].pref, 3, "number 3");
	is_int(m[2].post, 2, "r3: unknown and full preferences, then the nearest left");
	is_int(m[2].reason, SB__PLACE_ONLY, "which is the only free one");
}

static void test_ties(void)
{
	sb__place_post posts[] = { P("10", "440103009001", 0, 1), P("9", "440103008001", 0, 1),
				   P("11", "440103001002", 0, 1), P("12", "440103001000", 0, 1) };
	sb__place_app apps[] = {
		{ "t1", "440103001002", 0, 0, 1, NULL, 0, NULL },
		{ "t2", "440103001003", 0, 0, 1, NULL, 0, NULL },
		{ "t10", "440103001003", 0, 0, 1, NULL, 0, NULL },
		{ "t3", "440103005003", 0, 0, 2, NULL, 0, NULL },
	};
	sb__place_slot m[4], d[4];

	ok(sb__place_merit(m, posts, 4, apps, 4) == 0, "merit runs");
	is_int(m[0].post, 2, "equal distance: same village wins");
	is_int(m[2].post, 3, "equal ranks: t10 before t2 (bytewise): the same township's office post");
	is_int(m[1].post, 1, "t2: equal distance and closeness, the smaller post id 9 before 10");
	is_int(m[3].post, 0, "last the post left");
	ok(sb__place_distance(d, NULL, NULL, posts, 4, apps, 4) == 0, "distance runs");
	is_int(d[0].post, 2, "distance: within equal distance, the same village too");
	is_int(d[2].post, 3, "and the same township");
}

/* ---- generated pools ----------------------------------------------------------------- */

static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define MAXP 7
#define MAXA 12

typedef struct {
	sb__place_post posts[MAXP];
	sb__place_app apps[MAXA];
	char pid[MAXP][8], pcode[MAXP][13], ano[MAXA][8], home[MAXA][13];
	size_t prefs[MAXA][MAXP];
	uint64_t open[MAXA];
	size_t np, na;
} pool;

static void gen(pool *g, size_t maxp, size_t maxa)
{
	size_t i, k;
	memset(g, 0, sizeof(*g));
	g->np = 1 + rnd((unsigned)maxp);
	g->na = 1 + rnd((unsigned)maxa);
	for (i = 0; i < g->np; i++) {
		snprintf(g->pid[i], sizeof(g->pid[i]), "%u", 1 + rnd(30));
		snprintf(g->pcode[i], sizeof(g->pcode[i]), "4401%02u%03u%03u", 1 + rnd(2), 1 + rnd(2), rnd(3));
		g->posts[i].id = g->pid[i];
		g->posts[i].code = g->pcode[i];
		g->posts[i].lon = 113.0 + 0.1 * rnd(4);
		g->posts[i].lat = 23.0 + 0.1 * rnd(3);
		g->posts[i].seats = rnd(3);
	}
	for (i = 0; i < g->na; i++) {
		size_t n = rnd((unsigned)g->np + 1);
		snprintf(g->ano[i], sizeof(g->ano[i]), "%u", (unsigned)i + 1);
		snprintf(g->home[i], sizeof(g->home[i]), "4401%02u%03u%03u", 1 + rnd(2), 1 + rnd(2), rnd(3));
		g->apps[i].app_no = g->ano[i];
		g->apps[i].home = g->home[i];
		g->apps[i].lon = 113.0 + 0.1 * rnd(4);
		g->apps[i].lat = 23.0 + 0.1 * rnd(3);
		g->apps[i].rank = 1 + rnd(6);
		for (k = 0; k < n; k++)
			g->prefs[i][k] = rnd((unsigned)g->np);
		g->apps[i].prefs = g->prefs[i];
		g->apps[i].nprefs = n;
		g->open[i] = rnd(4) ? (rng >> 20) & (((uint64_t)1 << g->np) - 1) : ~(uint64_t)0;
		g->apps[i].open = rnd(5) ? &g->open[i] : NULL;
	}
}

static int is_open_t(const pool *g, size_t a, size_t q)
{
	return (!g->apps[a].open || ((*g->apps[a].open >> q) & 1)) && g->posts[q].seats > 0;
}

/* a before b in merit order */
static int before(const pool *g, size_t a, size_t b)
{
	if (g->apps[a].rank != g->apps[b].rank)
		return g->apps[a].rank < g->apps[b].rank;
	return sb__place_id_cmp(g->apps[a].app_no, g->apps[b].app_no) < 0;
}

/* Applicant a's full order of the posts open to them: preferences, then by (distance,
 * closeness, id). Returns the length. */
static size_t ranking(const pool *g, size_t a, size_t *out)
{
	size_t n = 0, k, x, y;
	int seen[MAXP] = { 0 };
	for (k = 0; k < g->apps[a].nprefs; k++) {
		size_t q = g->apps[a].prefs[k];
		if (is_open_t(g, a, q) && !seen[q]) {
			seen[q] = 1;
			out[n++] = q;
		}
	}
	{
		size_t start = n;
		for (k = 0; k < g->np; k++)
			if (is_open_t(g, a, k) && !seen[k])
				out[n++] = k;
		for (x = start + 1; x < n; x++)
			for (y = x; y > start; y--) {
				size_t p = out[y - 1], q = out[y];
				int64_t dp = sb_place_distance_tenths(g->apps[a].lon, g->apps[a].lat, g->posts[p].lon, g->posts[p].lat);
				int64_t dq = sb_place_distance_tenths(g->apps[a].lon, g->apps[a].lat, g->posts[q].lon, g->posts[q].lat);
				int cp = sb__place_closeness(g->apps[a].home, g->posts[p].code);
				int cq = sb__place_closeness(g->apps[a].home, g->posts[q].code);
				int c = sb__place_id_cmp(g->posts[p].id, g->posts[q].id);
				int swap = dq < dp || (dq == dp && (cq > cp || (cq == cp && (c > 0 || (c == 0 && q < p)))));
				if (!swap)
					break;
				out[y - 1] = q;
				out[y] = p;
			}
	}
	return n;
}

/* Applicant-proposing deferred acceptance, posts ranking applicants by merit. */
static void deferred_acceptance(const pool *g, ptrdiff_t *match)
{
	size_t rk[MAXA][MAXP], len[MAXA], next[MAXA] = { 0 }, a;
	int changed = 1;
	for (a = 0; a < g->na; a++) {
		len[a] = ranking(g, a, rk[a]);
		match[a] = -1;
	}
	while (changed) {
		changed = 0;
		for (a = 0; a < g->na; a++) {
			size_t q, b, held = 0;
			ptrdiff_t worst = -1;
			if (match[a] >= 0 || next[a] >= len[a])
				continue;
			q = rk[a][next[a]++];
			changed = 1;
			for (b = 0; b < g->na; b++)
				if (match[b] == (ptrdiff_t)q) {
					held++;
					if (worst < 0 || before(g, (size_t)worst, b))
						worst = (ptrdiff_t)b;
				}
			if ((int64_t)held < g->posts[q].seats)
				match[a] = (ptrdiff_t)q;
			else if (before(g, a, (size_t)worst)) {
				match[worst] = -1;
				match[a] = (ptrdiff_t)q;
			}
		}
	}
}

static void best_assign(const pool *g, size_t a, int64_t *left, int placed, int64_t cost,
			int *best_placed, int64_t *best_cost)
{
	size_t q;
	if (a == g->na) {
		if (placed > *best_placed || (placed == *best_placed && cost < *best_cost)) {
			*best_placed = placed;
			*best_cost = cost;
		}
		return;
	}
	best_assign(g, a + 1, left, placed, cost, best_placed, best_cost);
	for (q = 0; q < g->np; q++) {
		if (!is_open_t(g, a, q) || left[q] <= 0)
			continue;
		left[q]--;
		best_assign(g, a + 1, left, placed + 1,
			    cost + sb_place_distance_tenths(g->apps[a].lon, g->apps[a].lat, g->posts[q].lon, g->posts[q].lat),
			    best_placed, best_cost);
		left[q]++;
	}
}

static void test_generated(void)
{
	int t, stable = 1, da = 1, valid = 1, notworse = 1, brute = 1, morecount = 1;
	size_t rounds = 0;
	for (t = 0; t < 600; t++) {
		sb__place_stats st;
		pool g;
		sb__place_slot m[MAXA], d[MAXA];
		ptrdiff_t match[MAXA];
		int64_t used[MAXP] = { 0 }, mt = 0, dt = 0, dtotal = -1;
		int mp = 0, dp = 0;
		size_t a, b, k;

		gen(&g, t < 300 ? 4 : MAXP, t < 300 ? 6 : MAXA);
		/* Every other pool starts each group with its single nearest post class, so the
		 * pricing rounds (arcs joining later) are exercised too. */
		sb__place_start_arcs = t % 2 ? 1 : 24;
		if (sb__place_merit(m, g.posts, g.np, g.apps, g.na) < 0 ||
		    sb__place_distance(d, &dtotal, &st, g.posts, g.np, g.apps, g.na) < 0) {
			ok(0, "pool %d runs", t);
			return;
		}
		rounds += st.rounds;
		deferred_acceptance(&g, match);
		for (a = 0; a < g.na; a++) {
			size_t rk[MAXP], n = ranking(&g, a, rk);
			if (match[a] != m[a].post)
				da = 0;
			if (m[a].post >= 0) {
				mp++;
				mt += m[a].tenths;
			}
			/* Stability: every post a likes better than theirs is full of better-ranked. */
			for (k = 0; k < n && (ptrdiff_t)rk[k] != m[a].post; k++) {
				size_t q = rk[k];
				int64_t held = 0;
				for (b = 0; b < g.na; b++)
					if (m[b].post == (ptrdiff_t)q) {
						held++;
						if (!before(&g, b, a))
							stable = 0;
					}
				if (held < g.posts[q].seats)
					stable = 0;
			}
			if (d[a].post >= 0) {
				size_t q = (size_t)d[a].post;
				dp++;
				dt += d[a].tenths;
				used[q]++;
				if (!is_open_t(&g, a, q) || d[a].tenths != sb_place_distance_tenths(g.apps[a].lon, g.apps[a].lat, g.posts[q].lon, g.posts[q].lat))
					valid = 0;
			}
		}
		for (k = 0; k < g.np; k++)
			if (used[k] > g.posts[k].seats)
				valid = 0;
		if (dt != dtotal)
			valid = 0;
		if (dp < mp)
			morecount = 0;
		if (dp == mp && dt > mt)
			notworse = 0;
		if (g.na <= 8) {
			int64_t left[MAXP], bc = INT64_MAX;
			int bp = -1;
			for (k = 0; k < g.np; k++)
				left[k] = g.posts[k].seats;
			best_assign(&g, 0, left, 0, 0, &bp, &bc);
			if (bp != dp || (bp > 0 && bc != dt))
				brute = 0;
		}
	}
	sb__place_start_arcs = 24;
	ok(rounds > 50, "pricing added arcs and solved again on many pools (%zu rounds)", rounds);
	ok(stable, "merit is stable on 600 generated pools");
	ok(da, "merit equals applicant-proposing deferred acceptance");
	ok(valid, "distance placements respect seats, openness and distances");
	ok(morecount, "distance places at least as many as merit");
	ok(notworse, "distance total <= merit total when both place as many");
	ok(brute, "distance equals the brute-force optimum on the tiny pools");
}

int main(void)
{
	test_distance();
	test_rules();
	test_merit_vs_distance();
	test_unplaced();
	test_preferences();
	test_ties();
	test_generated();
	return tap_done();
}
