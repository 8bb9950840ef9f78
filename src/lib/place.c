/*
 * The placement core (SPEC §4) over in-memory pools: the distance between two places, the
 * tie rules, the merit placement, and the distance placement as an exact minimum-cost flow.
 * Distances are integer tenths of a kilometre from here on; only sb_place_distance_tenths
 * touches floating point, and it is a geometric quantity, never money or a score. This file
 * reads no database: place_round.c feeds it from the round and the registry.
 */
#include "config.h"
#include "common_internal.h"
#include "place_internal.h"
#include "shuangbai/place.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Mean Earth radius (IUGG R1) in km, as SPEC §4 fixes it. */
#define EARTH_RADIUS_KM 6371.0088

int64_t sb_place_distance_tenths(double lon1, double lat1, double lon2, double lat2)
{
	const double rad = M_PI / 180.0;
	double p1 = lat1 * rad, p2 = lat2 * rad;
	double s1 = sin((lat2 - lat1) * rad / 2.0), s2 = sin((lon2 - lon1) * rad / 2.0);
	double a = s1 * s1 + cos(p1) * cos(p2) * s2 * s2, d;

	if (a > 1.0)
		a = 1.0;
	if (a < 0.0)
		a = 0.0;
	d = 2.0 * EARTH_RADIUS_KM * asin(sqrt(a));
	/* Half-up to 0.1 km, once, on the double value; equal inputs give equal tenths. */
	return (int64_t)floor(d * 10.0 + 0.5);
}

/* Digits of a 12-digit code that name its prefecture, county, township and village: a
 * code's shape fixes its ancestors (a township of a prefecture without counties has county
 * digits 00, so its "county" is the prefecture, as sb_org_ancestor has it). */
static const int prefix_digits[] = { 4, 6, 9, 12 };

static int nonzero(const char *c, int from, int to)
{
	int i;
	for (i = from; i < to; i++)
		if (c[i] != '0')
			return 1;
	return 0;
}

/* 1 province .. 5 village, from the trailing groups of zeros. */
static int code_level(const char *c)
{
	if (nonzero(c, 9, 12))
		return 5;
	if (nonzero(c, 6, 9))
		return 4;
	if (nonzero(c, 4, 6))
		return 3;
	if (nonzero(c, 2, 4))
		return 2;
	return 1;
}

/* The level of a code for closeness: 0 when it is not a 12-digit code. */
static int close_level(const char *c)
{
	return c && strlen(c) == 12 ? code_level(c) : 0;
}

/* Closeness of two codes of known levels (0: not a code). */
static int closeness_of(const char *a, int la, const char *b, int lb)
{
	int k;
	/* k = 3 village, 2 township, 1 county, 0 prefecture: both places must lie at or below
	 * the level, and agree on its digits. */
	for (k = 3; k >= 0; k--) {
		if (la < k + 2 || lb < k + 2)
			continue;
		if (memcmp(a, b, (size_t)prefix_digits[k]) == 0)
			return k + 1;
	}
	return 0;
}

int sb__place_closeness(const char *a, const char *b)
{
	return closeness_of(a, close_level(a), b, close_level(b));
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int sb__place_id_cmp(const char *a, const char *b)
{
	if (all_digits(a) && all_digits(b)) {
		size_t la, lb;
		while (*a == '0' && a[1])
			a++;
		while (*b == '0' && b[1])
			b++;
		la = strlen(a);
		lb = strlen(b);
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	return strcmp(a, b);
}

/* ---- shared preparation -------------------------------------------------------------- */

/* Places with equal coordinates are equally far from everything: the distance table is
 * kept per distinct coordinate pair, not per applicant and post. */
typedef struct {
	size_t *slot;   /* index+1 into the keys, 0 empty */
	size_t cap;
	double *lon, *lat;
	size_t n;
} coord_map;

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t coord_hash(double lon, double lat)
{
	uint64_t a, b;
	memcpy(&a, &lon, 8);
	memcpy(&b, &lat, 8);
	return mix64(a ^ mix64(b));
}

static int coord_map_init(coord_map *m, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->cap = 16;
	while (m->cap < 2 * max + 2)
		m->cap *= 2;
	m->slot = sb__calloc(m->cap, sizeof(size_t));
	m->lon = sb__calloc(max + 1, sizeof(double));
	m->lat = sb__calloc(max + 1, sizeof(double));
	return m->slot && m->lon && m->lat ? 0 : SB_ENOMEM;
}

static void coord_map_free(coord_map *m)
{
	free(m->slot);
	free(m->lon);
	free(m->lat);
}

static size_t coord_id(coord_map *m, double lon, double lat)
{
	size_t i = (size_t)coord_hash(lon, lat) & (m->cap - 1);
	while (m->slot[i]) {
		size_t k = m->slot[i] - 1;
		if (m->lon[k] == lon && m->lat[k] == lat)
			return k;
		i = (i + 1) & (m->cap - 1);
	}
	m->lon[m->n] = lon;
	m->lat[m->n] = lat;
	m->slot[i] = ++m->n;
	return m->n - 1;
}

typedef struct {
	size_t nposts, napps;
	size_t words;         /* 64-bit words of an open-set row */
	uint64_t *all;        /* the row of an applicant open to every post */
	size_t *home_c;       /* applicant -> home coordinate class */
	size_t *post_c;       /* post -> post coordinate class */
	size_t nhome_c, npost_c;
	int32_t *dist;        /* [home class][post class] tenths */
	size_t *order;        /* applicants in merit order */
	size_t *post_ord;     /* post -> its position in post id order */
	int *app_lv, *post_lv; /* levels of the home and post codes, for closeness */
} prep;

/* Sort keys carry what they compare, so sorting needs no file-static context. */
typedef struct {
	int64_t rank;
	const char *id;
	size_t idx;
} sort_key;

static int key_cmp(const void *x, const void *y)
{
	const sort_key *a = x, *b = y;
	int c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	c = sb__place_id_cmp(a->id, b->id);
	return c ? c : (a->idx < b->idx ? -1 : a->idx > b->idx);
}

static void prep_free(prep *p)
{
	free(p->all);
	free(p->home_c);
	free(p->post_c);
	free(p->dist);
	free(p->order);
	free(p->post_ord);
	free(p->app_lv);
	free(p->post_lv);
}

static int prep_init(prep *p, const sb__place_post *posts, size_t nposts, const sb__place_app *apps,
		     size_t napps)
{
	coord_map hm, pm;
	size_t i, j;
	sort_key *keys = NULL;
	int error = 0;

	memset(p, 0, sizeof(*p));
	memset(&hm, 0, sizeof(hm));
	memset(&pm, 0, sizeof(pm));
	p->nposts = nposts;
	p->napps = napps;
	p->words = (nposts + 63) / 64;
	if (p->words == 0)
		p->words = 1;
	p->all = sb__calloc(p->words, sizeof(uint64_t));
	p->home_c = sb__calloc(napps + 1, sizeof(size_t));
	p->post_c = sb__calloc(nposts + 1, sizeof(size_t));
	p->order = sb__calloc(napps + 1, sizeof(size_t));
	p->post_ord = sb__calloc(nposts + 1, sizeof(size_t));
	p->app_lv = sb__calloc(napps + 1, sizeof(int));
	p->post_lv = sb__calloc(nposts + 1, sizeof(int));
	if (!p->all || !p->home_c || !p->post_c || !p->order || !p->post_ord || !p->app_lv ||
	    !p->post_lv) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < napps; i++)
		p->app_lv[i] = close_level(apps[i].home);
	for (i = 0; i < nposts; i++)
		p->post_lv[i] = close_level(posts[i].code);
	for (i = 0; i < nposts; i++)
		p->all[i / 64] |= (uint64_t)1 << (i % 64);
	if ((error = coord_map_init(&hm, napps)) < 0 || (error = coord_map_init(&pm, nposts)) < 0)
		goto done;
	for (i = 0; i < napps; i++)
		p->home_c[i] = coord_id(&hm, apps[i].lon, apps[i].lat);
	for (i = 0; i < nposts; i++)
		p->post_c[i] = coord_id(&pm, posts[i].lon, posts[i].lat);
	p->nhome_c = hm.n;
	p->npost_c = pm.n;
	p->dist = sb__calloc(hm.n * pm.n + 1, sizeof(int32_t));
	if (!p->dist) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < hm.n; i++)
		for (j = 0; j < pm.n; j++)
			p->dist[i * pm.n + j] =
				(int32_t)sb_place_distance_tenths(hm.lon[i], hm.lat[i], pm.lon[j], pm.lat[j]);
	keys = sb__calloc((napps > nposts ? napps : nposts) + 1, sizeof(sort_key));
	if (!keys) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < napps; i++) {
		keys[i].rank = apps[i].rank;
		keys[i].id = apps[i].app_no;
		keys[i].idx = i;
	}
	qsort(keys, napps, sizeof(sort_key), key_cmp);
	for (i = 0; i < napps; i++)
		p->order[i] = keys[i].idx;
	for (i = 0; i < nposts; i++) {
		keys[i].rank = 0;
		keys[i].id = posts[i].id;
		keys[i].idx = i;
	}
	qsort(keys, nposts, sizeof(sort_key), key_cmp);
	for (i = 0; i < nposts; i++)
		p->post_ord[keys[i].idx] = i;
done:
	coord_map_free(&hm);
	coord_map_free(&pm);
	free(keys);
	return error;
}

static const uint64_t *open_row(const prep *p, const sb__place_app *a)
{
	return a->open ? a->open : p->all;
}

static int is_open(const uint64_t *row, size_t post)
{
	return (int)((row[post / 64] >> (post % 64)) & 1);
}

static int32_t dist_of(const prep *p, size_t app, size_t post)
{
	return p->dist[p->home_c[app] * p->npost_c + p->post_c[post]];
}

/* ---- merit ------------------------------------------------------------------------- */

int sb__place_merit(sb__place_slot *out, const sb__place_post *posts, size_t nposts,
		    const sb__place_app *apps, size_t napps)
{
	prep p;
	int64_t *left = NULL;
	size_t i, k;
	int error;

	if ((error = prep_init(&p, posts, nposts, apps, napps)) < 0)
		goto done;
	left = sb__calloc(nposts + 1, sizeof(int64_t));
	if (!left) {
		error = SB_ENOMEM;
		goto done;
	}
	for (k = 0; k < nposts; k++)
		left[k] = posts[k].seats > 0 ? posts[k].seats : 0;

	for (i = 0; i < napps; i++) {
		size_t a = p.order[i];
		const sb__place_app *ap = &apps[a];
		const uint64_t *row = open_row(&p, ap);
		sb__place_slot *s = &out[a];
		ptrdiff_t best = -1;
		int best_close = 0;
		size_t nfree = 0, nopen = 0;

		s->post = -1;
		s->tenths = -1;
		s->pref = 0;
		for (k = 0; k < ap->nprefs; k++) {
			size_t q = ap->prefs[k];
			if (q < nposts && is_open(row, q) && left[q] > 0) {
				best = (ptrdiff_t)q;
				s->reason = SB__PLACE_PREF;
				s->pref = (int)(k + 1);
				break;
			}
		}
		if (best < 0) {
			/* The nearest by rounded distance, then closer in the hierarchy, then the
			 * smaller post id (SPEC §4). */
			const int32_t *drow = &p.dist[p.home_c[a] * p.npost_c];
			int32_t best_d = 0;
			for (k = 0; k < nposts; k++) {
				int c;
				int32_t d;
				if (!is_open(row, k) || posts[k].seats <= 0)
					continue;
				nopen++;
				if (left[k] <= 0)
					continue;
				nfree++;
				d = drow[p.post_c[k]];
				if (best >= 0 && d > best_d)
					continue;
				if (best < 0 || d < best_d) {
					best = (ptrdiff_t)k;
					best_d = d;
					best_close = closeness_of(ap->home, p.app_lv[a], posts[k].code, p.post_lv[k]);
					continue;
				}
				c = closeness_of(ap->home, p.app_lv[a], posts[k].code, p.post_lv[k]);
				if (c > best_close || (c == best_close && p.post_ord[k] < p.post_ord[best])) {
					best = (ptrdiff_t)k;
					best_close = c;
				}
			}
			if (best < 0)
				s->reason = nopen ? SB__PLACE_FULL : SB__PLACE_NONE_OPEN;
			else
				s->reason = nfree == 1 ? SB__PLACE_ONLY : SB__PLACE_NEAREST;
		}
		if (best >= 0) {
			left[best]--;
			s->post = best;
			s->tenths = dist_of(&p, a, (size_t)best);
		}
	}
done:
	free(left);
	prep_free(&p);
	return error;
}

/* ---- distance: minimum-cost flow --------------------------------------------------- */

/*
 * Minimum-cost flow by successive shortest paths with Johnson potentials (Ahuja, Magnanti,
 * Orlin, Network Flows, §9.7; the start and the tight-arc phases are described at
 * min_cost_flow). The network is source -> applicant group (its size) -> post class (cost =
 * the rounded distance) -> sink (its seats), plus group -> sink "unplaced" arcs. Capacities
 * are integers, so the flow stays integral.
 */
typedef struct {
	size_t n;                 /* nodes */
	size_t m;                 /* residual arcs (2 per edge) */
	size_t *to;
	int64_t *cap, *cost;
	size_t *first, *adj;      /* CSR: arcs leaving node v are adj[first[v] .. first[v+1]) */
	size_t *from;             /* tail of each arc, for building the CSR */
} net;

static void net_free(net *g)
{
	free(g->to);
	free(g->cap);
	free(g->cost);
	free(g->first);
	free(g->adj);
	free(g->from);
}

static void add_edge(net *g, size_t u, size_t v, int64_t cap, int64_t cost)
{
	size_t e = g->m;
	g->from[e] = u;
	g->to[e] = v;
	g->cap[e] = cap;
	g->cost[e] = cost;
	g->from[e + 1] = v;
	g->to[e + 1] = u;
	g->cap[e + 1] = 0;
	g->cost[e + 1] = -cost;
	g->m += 2;
}

static int net_csr(net *g)
{
	size_t e, v;
	g->first = sb__calloc(g->n + 2, sizeof(size_t));
	g->adj = sb__calloc(g->m + 1, sizeof(size_t));
	if (!g->first || !g->adj)
		return SB_ENOMEM;
	for (e = 0; e < g->m; e++)
		g->first[g->from[e] + 1]++;
	for (v = 0; v < g->n; v++)
		g->first[v + 1] += g->first[v];
	for (e = 0; e < g->m; e++)
		g->adj[g->first[g->from[e]]++] = e;
	for (v = g->n; v > 0; v--)
		g->first[v] = g->first[v - 1];
	g->first[0] = 0;
	return 0;
}

typedef struct {
	int64_t key;
	size_t v;
} heap_item;

static void heap_push(heap_item *h, size_t *n, int64_t key, size_t v)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (h[up].key <= key)
			break;
		h[i] = h[up];
		i = up;
	}
	h[i].key = key;
	h[i].v = v;
}

static heap_item heap_pop(heap_item *h, size_t *n)
{
	heap_item top = h[0], last = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].key < h[c].key)
			c++;
		if (h[c].key >= last.key)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = last;
	return top;
}

#define INF_DIST INT64_MAX

/* Whether arc e (leaving u) is tight. The source's arcs always are: the source's potential
 * is taken, per search, as high as the reduced costs of its arcs need (see min_cost_flow). */
static int tight(const net *g, const int64_t *pot, size_t s, size_t u, size_t e)
{
	return u == s || g->cost[e] + pot[u] - pot[g->to[e]] == 0;
}

/* One augmenting path along tight arcs that climb the BFS levels; returns what it sent. */
static int64_t blocking(net *g, const int64_t *pot, const size_t *level, size_t *cur, size_t s, size_t u,
			size_t t, int64_t limit)
{
	if (u == t)
		return limit;
	for (; cur[u] < g->first[u + 1]; cur[u]++) {
		size_t e = g->adj[cur[u]], w = g->to[e];
		int64_t got;
		if (g->cap[e] <= 0 || level[w] != level[u] + 1 || !tight(g, pot, s, u, e))
			continue;
		got = blocking(g, pot, level, cur, s, w, t, limit < g->cap[e] ? limit : g->cap[e]);
		if (got > 0) {
			g->cap[e] -= got;
			g->cap[e ^ 1] += got;
			return got;
		}
	}
	return 0;
}

/*
 * Successive shortest paths from source s to sink t, primal-dual style. Invariant: every
 * residual arc not touching s has a non-negative reduced cost c + pot[u] - pot[v]. Arcs back
 * into s are never useful (a path starts there) and are skipped; the source's own potential
 * is chosen per search as the largest potential among the nodes it can still feed, which
 * makes its arcs non-negative too and offsets every path by the same constant.
 *  - Start (row reduction, as in Jonker-Volgenant): a node fed by s gets -(its cheapest
 *    outgoing arc); its cheapest arcs are then tight.
 *  - First, blocking flows (Dinic) over the tight arcs send everything that costs nothing
 *    more at these prices: every group to its nearest classes while they have seats.
 *  - Then each search, a Dijkstra on reduced costs stopped when t is settled, finds a
 *    cheapest path; potentials rise by min(dist, dist[t]), which keeps the invariant and
 *    makes the path tight, and the path's bottleneck is sent.
 */
static int min_cost_flow(int64_t *pot, net *g, size_t s, size_t t, sb__place_stats *st)
{
	int64_t *dist = NULL;
	size_t *level = NULL, *queue = NULL, *cur = NULL, *via = NULL, hn, v, i;
	heap_item *heap = NULL;
	int error = 0;

	memset(pot, 0, g->n * sizeof(int64_t));
	dist = sb__calloc(g->n, sizeof(int64_t));
	via = sb__calloc(g->n, sizeof(size_t));
	level = sb__calloc(g->n, sizeof(size_t));
	queue = sb__calloc(g->n, sizeof(size_t));
	cur = sb__calloc(g->n, sizeof(size_t));
	heap = sb__calloc(g->m + g->n + 1, sizeof(heap_item));
	if (!dist || !via || !heap || !level || !queue || !cur) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = g->first[s]; i < g->first[s + 1]; i++) {
		size_t e = g->adj[i], u = g->to[e], k;
		int64_t least = INF_DIST;
		if (g->cap[e] <= 0 || u == s)
			continue;
		for (k = g->first[u]; k < g->first[u + 1]; k++) {
			size_t f = g->adj[k];
			if (g->cap[f] > 0 && g->to[f] != s && g->cost[f] < least)
				least = g->cost[f];
		}
		if (least != INF_DIST)
			pot[u] = -least;
	}
	for (;;) {
		size_t qh = 0, qt = 0;
		for (v = 0; v < g->n; v++)
			level[v] = SIZE_MAX;
		level[s] = 0;
		queue[qt++] = s;
		while (qh < qt) {
			size_t u = queue[qh++];
			for (i = g->first[u]; i < g->first[u + 1]; i++) {
				size_t e = g->adj[i], w = g->to[e];
				if (g->cap[e] > 0 && level[w] == SIZE_MAX && tight(g, pot, s, u, e)) {
					level[w] = level[u] + 1;
					queue[qt++] = w;
				}
			}
		}
		if (level[t] == SIZE_MAX)
			break;
		for (v = 0; v < g->n; v++)
			cur[v] = g->first[v];
		while (blocking(g, pot, level, cur, s, s, t, INT64_MAX) > 0)
			st->augments++;
	}
	for (;;) {
		int64_t top = INT64_MIN, push = INT64_MAX;

		for (i = g->first[s]; i < g->first[s + 1]; i++) {
			size_t e = g->adj[i];
			if (g->cap[e] > 0 && pot[g->to[e]] > top)
				top = pot[g->to[e]];
		}
		if (top == INT64_MIN)
			break;
		pot[s] = top;
		for (v = 0; v < g->n; v++)
			dist[v] = INF_DIST;
		dist[s] = 0;
		hn = 0;
		heap_push(heap, &hn, 0, s);
		st->searches++;
		while (hn) {
			heap_item it = heap_pop(heap, &hn);
			if (it.key != dist[it.v])
				continue;
			if (it.v == t)
				break;
			for (i = g->first[it.v]; i < g->first[it.v + 1]; i++) {
				size_t e = g->adj[i], w = g->to[e];
				int64_t nd;
				if (g->cap[e] <= 0 || w == s)
					continue;
				nd = it.key + g->cost[e] + pot[it.v] - pot[w];
				if (nd < dist[w]) {
					dist[w] = nd;
					via[w] = e;
					heap_push(heap, &hn, nd, w);
				}
			}
		}
		if (dist[t] == INF_DIST)
			break;
		for (v = 0; v < g->n; v++)
			pot[v] += dist[v] < dist[t] ? dist[v] : dist[t];
		for (v = t; v != s; v = g->to[via[v] ^ 1])
			if (g->cap[via[v]] < push)
				push = g->cap[via[v]];
		for (v = t; v != s; v = g->to[via[v] ^ 1]) {
			g->cap[via[v]] -= push;
			g->cap[via[v] ^ 1] += push;
		}
		st->augments++;
	}
done:
	free(dist);
	free(via);
	free(level);
	free(queue);
	free(cur);
	free(heap);
	return error;
}

/* Rows of equal content are one group: an open hash table over row contents. */
typedef struct {
	size_t *slot;      /* index+1 into the classes, 0 empty */
	size_t cap;
} row_map;

static uint64_t row_hash(const uint64_t *row, size_t words, size_t extra)
{
	uint64_t h = mix64(extra + 0x9e3779b97f4a7c15ULL);
	size_t i;
	for (i = 0; i < words; i++)
		h = mix64(h ^ row[i]) + i;
	return h;
}

/* Arcs a group starts with: its nearest open classes. More join only when the prices say
 * they could lower the total (below). */
#define START_ARCS 24
size_t sb__place_start_arcs = START_ARCS;
/* Up to this many open arcs, the whole network is solved at once. */
#define FULL_ARCS ((size_t)1 << 20)

typedef struct {
	size_t g, q;
} pair;

static int pair_cmp(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	if (a->g != b->g)
		return a->g < b->g ? -1 : 1;
	return a->q < b->q ? -1 : a->q > b->q;
}

static int grow_pairs(pair **v, size_t *cap, size_t need)
{
	pair *n;
	if (need <= *cap)
		return 0;
	while (*cap < need)
		*cap = *cap ? 2 * *cap : 256;
	if (!(n = sb__realloc(*v, *cap * sizeof(pair))))
		return SB_ENOMEM;
	*v = n;
	return 0;
}

/*
 * Exact minimum-cost flow over a sparse subset of the group-to-class arcs (column
 * generation): solve with each group's nearest open classes, then price every arc left out
 * with the final potentials; an arc of negative reduced cost could lower the total, so it
 * joins and the network is solved again. When none is left, the potentials prove the flow
 * optimal for the full network (every residual arc has a non-negative reduced cost). A
 * dummy arc group -> sink of cost M per applicant stands for "unplaced": with M above any
 * augmenting path's length, the most applicants are placed first, and the network always
 * carries every applicant, so the optimality test needs nothing else.
 */
static int solve_priced(net *g, size_t **out_arc_cls, size_t **out_arc_edge, size_t **out_first, size_t **out_n,
			size_t *out_narcs, int32_t *grp_min, sb__place_stats *st, const prep *p, const size_t *grp_rep,
			const size_t *grp_size, size_t ngroups, const size_t *cls_rep, const int64_t *cls_seats,
			size_t ncls, const uint64_t *cols, size_t gwords)
{
	pair *pairs = NULL;
	size_t npairs = 0, cap = 0, j, k, i, *mark = NULL, *first = NULL, *cnt = NULL, *acls = NULL, *aedge = NULL;
	int64_t *pot = NULL, maxd = 0, big;
	int32_t best_d[START_ARCS];
	size_t best_q[START_ARCS], lim = sb__place_start_arcs;
	int error = 0;

	if (lim < 1 || lim > START_ARCS)
		lim = START_ARCS;

	mark = sb__calloc(ncls + 1, sizeof(size_t));
	if (!mark)
		return SB_ENOMEM;
	/* A network small enough is solved whole at once: pricing pays off only when the full
	 * one would be large (village-level coordinates across a province). */
	if (lim == START_ARCS) {
		size_t nopen = 0;
		for (j = 0; j < ngroups; j++)
			for (k = 0; k < ncls; k++)
				nopen += (cols[cls_rep[k] * gwords + j / 64] >> (j % 64)) & 1;
		if (nopen <= FULL_ARCS)
			lim = SIZE_MAX;
	}
	for (j = 0; j < ngroups; j++) {
		size_t nb = 0;
		grp_min[j] = INT32_MAX;
		for (k = 0; k < ncls; k++) {
			int32_t d;
			if (!((cols[cls_rep[k] * gwords + j / 64] >> (j % 64)) & 1))
				continue;
			d = dist_of(p, grp_rep[j], cls_rep[k]);
			if (d < grp_min[j])
				grp_min[j] = d;
			if (d > maxd)
				maxd = d;
			if (lim == SIZE_MAX) {
				if ((error = grow_pairs(&pairs, &cap, npairs + 1)) < 0)
					goto done;
				pairs[npairs].g = j;
				pairs[npairs++].q = k;
				continue;
			}
			if (nb == lim && d >= best_d[nb - 1])
				continue;
			if (nb < lim)
				nb++;
			for (i = nb - 1; i > 0 && best_d[i - 1] > d; i--) {
				best_d[i] = best_d[i - 1];
				best_q[i] = best_q[i - 1];
			}
			best_d[i] = d;
			best_q[i] = k;
		}
		if ((error = grow_pairs(&pairs, &cap, npairs + nb)) < 0)
			goto done;
		for (i = 0; i < nb; i++) {
			pairs[npairs].g = j;
			pairs[npairs++].q = best_q[i];
		}
	}
	big = (maxd + 1) * (int64_t)(ngroups + ncls + 2);

	for (;;) {
		size_t added = 0, m;
		if (npairs)
			qsort(pairs, npairs, sizeof(pair), pair_cmp);
		net_free(g);
		memset(g, 0, sizeof(*g));
		free(pot);
		free(first);
		free(cnt);
		free(acls);
		free(aedge);
		g->n = ngroups + ncls + 2;
		m = 2 * (2 * ngroups + ncls + npairs) + 2;
		g->to = sb__calloc(m, sizeof(size_t));
		g->from = sb__calloc(m, sizeof(size_t));
		g->cap = sb__calloc(m, sizeof(int64_t));
		g->cost = sb__calloc(m, sizeof(int64_t));
		pot = sb__calloc(g->n, sizeof(int64_t));
		first = sb__calloc(ngroups + 1, sizeof(size_t));
		cnt = sb__calloc(ngroups + 1, sizeof(size_t));
		acls = sb__calloc(npairs + 1, sizeof(size_t));
		aedge = sb__calloc(npairs + 1, sizeof(size_t));
		if (!g->to || !g->from || !g->cap || !g->cost || !pot || !first || !cnt || !acls || !aedge) {
			error = SB_ENOMEM;
			goto done;
		}
		/* 0 source, 1..G groups, G+1..G+Q classes, G+Q+1 sink */
		for (j = 0; j < ngroups; j++)
			add_edge(g, 0, 1 + j, (int64_t)grp_size[j], 0);
		for (k = 0; k < ncls; k++)
			add_edge(g, 1 + ngroups + k, 1 + ngroups + ncls, cls_seats[k], 0);
		for (i = 0; i < npairs; i++) {
			size_t gj = pairs[i].g, q = pairs[i].q;
			if (cnt[gj] == 0)
				first[gj] = i;
			cnt[gj]++;
			acls[i] = q;
			aedge[i] = g->m;
			add_edge(g, 1 + gj, 1 + ngroups + q, (int64_t)grp_size[gj], dist_of(p, grp_rep[gj], cls_rep[q]));
		}
		for (j = 0; j < ngroups; j++)
			add_edge(g, 1 + j, 1 + ngroups + ncls, (int64_t)grp_size[j], big);
		if ((error = net_csr(g)) < 0 || (error = min_cost_flow(pot, g, 0, 1 + ngroups + ncls, st)) < 0)
			goto done;
		/* Pricing: every open arc left out, by its reduced cost. */
		for (j = 0; j < ngroups; j++) {
			for (i = 0; i < cnt[j]; i++)
				mark[acls[first[j] + i]] = j + 1;
			for (k = 0; k < ncls; k++) {
				int64_t rc;
				if (mark[k] == j + 1 || !((cols[cls_rep[k] * gwords + j / 64] >> (j % 64)) & 1))
					continue;
				rc = dist_of(p, grp_rep[j], cls_rep[k]) + pot[1 + j] - pot[1 + ngroups + k];
				if (rc < 0) {
					if ((error = grow_pairs(&pairs, &cap, npairs + added + 1)) < 0)
						goto done;
					pairs[npairs + added].g = j;
					pairs[npairs + added].q = k;
					added++;
				}
			}
		}
		if (!added)
			break;
		npairs += added;
		st->rounds++;
	}
	*out_arc_cls = acls;
	*out_arc_edge = aedge;
	*out_first = first;
	*out_n = cnt;
	*out_narcs = npairs;
	acls = aedge = first = cnt = NULL;
done:
	free(pairs);
	free(mark);
	free(pot);
	free(first);
	free(cnt);
	free(acls);
	free(aedge);
	return error;
}

int sb__place_distance(sb__place_slot *out, int64_t *out_total, sb__place_stats *out_stats,
		       const sb__place_post *posts, size_t nposts, const sb__place_app *apps,
		       size_t napps)
{
	prep p;
	net g;
	row_map gm = { NULL, 0 }, qm = { NULL, 0 };
	sb__place_stats st;
	size_t *app_group = NULL, *grp_rep = NULL, *grp_size = NULL, ngroups = 0;
	size_t *post_class = NULL, *cls_rep = NULL, ncls = 0, gwords, i, j, k;
	uint64_t *cols = NULL;
	int64_t *cls_seats = NULL, total = 0, *left = NULL;
	size_t *grp_first_arc = NULL, *grp_narcs = NULL, *arc_cls = NULL, *arc_edge = NULL, narcs = 0;
	size_t *grp_next = NULL, *cls_apps = NULL, *cls_napps = NULL, *cls_first = NULL;
	size_t *cls_posts = NULL, *cls_pfirst = NULL, *cls_fill = NULL;
	int32_t *grp_min = NULL;
	size_t *grp_nopen = NULL;
	int error;

	memset(&g, 0, sizeof(g));
	memset(&st, 0, sizeof(st));
	if ((error = prep_init(&p, posts, nposts, apps, napps)) < 0)
		goto done;

	/* Applicants with the same home coordinates and the same open posts are interchangeable:
	 * every post costs them the same. Groups are formed in merit order, so a group's members
	 * are listed best first. */
	app_group = sb__calloc(napps + 1, sizeof(size_t));
	grp_rep = sb__calloc(napps + 1, sizeof(size_t));
	grp_size = sb__calloc(napps + 1, sizeof(size_t));
	gm.cap = 16;
	while (gm.cap < 2 * napps + 2)
		gm.cap *= 2;
	gm.slot = sb__calloc(gm.cap, sizeof(size_t));
	if (!app_group || !grp_rep || !grp_size || !gm.slot) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < napps; i++) {
		size_t a = p.order[i], h;
		const uint64_t *row = open_row(&p, &apps[a]);
		h = (size_t)row_hash(row, p.words, p.home_c[a]) & (gm.cap - 1);
		while (gm.slot[h]) {
			size_t c = gm.slot[h] - 1, r = grp_rep[c];
			if (p.home_c[r] == p.home_c[a] &&
			    memcmp(open_row(&p, &apps[r]), row, p.words * sizeof(uint64_t)) == 0)
				break;
			h = (h + 1) & (gm.cap - 1);
		}
		if (!gm.slot[h]) {
			grp_rep[ngroups] = a;
			gm.slot[h] = ++ngroups;
		}
		app_group[a] = gm.slot[h] - 1;
		grp_size[app_group[a]]++;
	}

	/* Posts at the same coordinates open to the same groups are interchangeable too: a
	 * post's column is the set of groups it is open to. */
	gwords = (ngroups + 63) / 64 + 1;
	cols = sb__calloc(nposts * gwords + 1, sizeof(uint64_t));
	post_class = sb__calloc(nposts + 1, sizeof(size_t));
	cls_rep = sb__calloc(nposts + 1, sizeof(size_t));
	cls_seats = sb__calloc(nposts + 1, sizeof(int64_t));
	qm.cap = 16;
	while (qm.cap < 2 * nposts + 2)
		qm.cap *= 2;
	qm.slot = sb__calloc(qm.cap, sizeof(size_t));
	if (!cols || !post_class || !cls_rep || !cls_seats || !qm.slot) {
		error = SB_ENOMEM;
		goto done;
	}
	for (j = 0; j < ngroups; j++) {
		const uint64_t *row = open_row(&p, &apps[grp_rep[j]]);
		for (k = 0; k < nposts; k++)
			if (is_open(row, k))
				cols[k * gwords + j / 64] |= (uint64_t)1 << (j % 64);
	}
	for (k = 0; k < nposts; k++) {
		const uint64_t *col = &cols[k * gwords];
		size_t h;
		if (posts[k].seats <= 0) {
			post_class[k] = SIZE_MAX;
			continue;
		}
		h = (size_t)row_hash(col, gwords, p.post_c[k]) & (qm.cap - 1);
		while (qm.slot[h]) {
			size_t c = qm.slot[h] - 1, r = cls_rep[c];
			if (p.post_c[r] == p.post_c[k] &&
			    memcmp(&cols[r * gwords], col, gwords * sizeof(uint64_t)) == 0)
				break;
			h = (h + 1) & (qm.cap - 1);
		}
		if (!qm.slot[h]) {
			cls_rep[ncls] = k;
			qm.slot[h] = ++ncls;
		}
		post_class[k] = qm.slot[h] - 1;
		cls_seats[post_class[k]] += posts[k].seats;
	}

	grp_min = sb__calloc(ngroups + 1, sizeof(int32_t));
	grp_nopen = sb__calloc(ngroups + 1, sizeof(size_t));
	if (!grp_min || !grp_nopen) {
		error = SB_ENOMEM;
		goto done;
	}
	for (k = 0; k < nposts; k++)
		if (post_class[k] != SIZE_MAX)
			for (j = 0; j < ngroups; j++)
				if ((cols[k * gwords + j / 64] >> (j % 64)) & 1)
					grp_nopen[j]++;
	if ((error = solve_priced(&g, &arc_cls, &arc_edge, &grp_first_arc, &grp_narcs, &narcs, grp_min, &st,
				  &p, grp_rep, grp_size, ngroups, cls_rep, cls_seats, ncls, cols, gwords)) < 0)
		goto done;
	st.groups = ngroups;
	st.classes = ncls;
	st.arcs = narcs;

	/* Back to applicants. A group's members, best first, take its arcs nearest first; within
	 * a class (equal distance for all), each takes the free post closest in the hierarchy,
	 * then the smaller post id, which changes no distance. */
	cls_napps = sb__calloc(ncls + 1, sizeof(size_t));
	cls_first = sb__calloc(ncls + 2, sizeof(size_t));
	cls_apps = sb__calloc(napps + 1, sizeof(size_t));
	grp_next = sb__calloc(ngroups + 1, sizeof(size_t));
	cls_pfirst = sb__calloc(ncls + 2, sizeof(size_t));
	cls_posts = sb__calloc(nposts + 1, sizeof(size_t));
	cls_fill = sb__calloc(ncls + 1, sizeof(size_t));
	left = sb__calloc(nposts + 1, sizeof(int64_t));
	if (!cls_napps || !cls_first || !cls_apps || !grp_next || !cls_pfirst || !cls_posts ||
	    !cls_fill || !left) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < narcs; i++)
		cls_napps[arc_cls[i]] += (size_t)g.cap[arc_edge[i] ^ 1];
	for (k = 0; k < ncls; k++)
		cls_first[k + 1] = cls_first[k] + cls_napps[k];
	for (i = 0; i < napps; i++) {
		out[i].post = -1;
		out[i].tenths = -1;
		out[i].pref = 0;
		out[i].reason = grp_nopen[app_group[i]] ? SB__PLACE_FULL : SB__PLACE_NONE_OPEN;
	}
	/* Arcs of a group by distance, then class number: a stable insertion per group. */
	for (j = 0; j < ngroups; j++) {
		size_t *a = &arc_cls[grp_first_arc[j]], *e = &arc_edge[grp_first_arc[j]], n = grp_narcs[j], x, y;
		for (x = 1; x < n; x++) {
			size_t ca = a[x], ce = e[x];
			int64_t cc = g.cost[ce];
			for (y = x; y > 0 && g.cost[e[y - 1]] > cc; y--) {
				a[y] = a[y - 1];
				e[y] = e[y - 1];
			}
			a[y] = ca;
			e[y] = ce;
		}
	}
	for (i = 0; i < napps; i++) {
		size_t a = p.order[i], j2 = app_group[a];
		while (grp_next[j2] < grp_narcs[j2]) {
			size_t arc = grp_first_arc[j2] + grp_next[j2];
			if (g.cap[arc_edge[arc] ^ 1] > 0) {
				size_t c = arc_cls[arc];
				g.cap[arc_edge[arc] ^ 1]--;
				cls_apps[cls_first[c] + cls_fill[c]++] = a;
				break;
			}
			grp_next[j2]++;
		}
	}
	for (k = 0; k < nposts; k++)
		if (post_class[k] != SIZE_MAX)
			cls_pfirst[post_class[k] + 1]++;
	for (k = 0; k < ncls; k++)
		cls_pfirst[k + 1] += cls_pfirst[k];
	memset(cls_fill, 0, (ncls + 1) * sizeof(size_t));
	for (k = 0; k < nposts; k++)
		if (post_class[k] != SIZE_MAX)
			cls_posts[cls_pfirst[post_class[k]] + cls_fill[post_class[k]]++] = k;
	for (k = 0; k < nposts; k++)
		left[k] = posts[k].seats > 0 ? posts[k].seats : 0;
	for (k = 0; k < ncls; k++) {
		for (i = cls_first[k]; i < cls_first[k + 1]; i++) {
			size_t a = cls_apps[i], x;
			ptrdiff_t best = -1;
			int best_close = -1;
			for (x = cls_pfirst[k]; x < cls_pfirst[k + 1]; x++) {
				size_t q = cls_posts[x];
				int c;
				if (left[q] <= 0)
					continue;
				c = closeness_of(apps[a].home, p.app_lv[a], posts[q].code, p.post_lv[q]);
				if (c > best_close || (c == best_close && p.post_ord[q] < p.post_ord[best])) {
					best = (ptrdiff_t)q;
					best_close = c;
				}
			}
			/* The class has a seat for every applicant the flow sent to it. */
			if (best < 0) {
				error = sb_error_set(SB_ERROR, "placement: flow exceeds a class's seats");
				goto done;
			}
			left[best]--;
			out[a].post = best;
			out[a].tenths = dist_of(&p, a, (size_t)best);
			total += out[a].tenths;
			if (grp_nopen[app_group[a]] == 1)
				out[a].reason = SB__PLACE_ONLY;
			else if (out[a].tenths == grp_min[app_group[a]])
				out[a].reason = SB__PLACE_NEAREST;
			else
				out[a].reason = SB__PLACE_TOTAL;
		}
	}
	if (out_total)
		*out_total = total;
	if (out_stats)
		*out_stats = st;
done:
	prep_free(&p);
	net_free(&g);
	free(gm.slot);
	free(qm.slot);
	free(app_group);
	free(grp_rep);
	free(grp_size);
	free(cols);
	free(post_class);
	free(cls_rep);
	free(cls_seats);
	free(grp_first_arc);
	free(grp_narcs);
	free(grp_min);
	free(grp_nopen);
	free(arc_cls);
	free(arc_edge);
	free(cls_napps);
	free(cls_first);
	free(cls_apps);
	free(grp_next);
	free(cls_pfirst);
	free(cls_posts);
	free(cls_fill);
	free(left);
	return error;
}
