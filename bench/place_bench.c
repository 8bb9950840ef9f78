/*
 * The placement benchmark's driver (bench/place runs it): builds pools from the real
 * Guangdong divisions with generated applicants, runs merit and distance placement through
 * the library's placement core, and prints one line per pool and method. For pools small
 * enough, it also writes the cost matrix expanded to seats (applicants x seats, tenths of a
 * km) for scipy.optimize.linear_sum_assignment to solve beside it. Not a test: the unit
 * tests prove correctness; this measures.
 *
 * usage: place_bench DIVISIONS.csv OUTDIR [MAX_SCIPY_SEATS]
 */
#include "config.h"
#include "common_internal.h"
#include "place_internal.h"
#include "shuangbai/place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	char code[13], parent[13];
	int level;
	int has;
	double lon, lat;
} div_t_;

static div_t_ *divs;
static size_t ndivs;

static int div_cmp(const void *a, const void *b)
{
	return strcmp(((const div_t_ *)a)->code, ((const div_t_ *)b)->code);
}

static div_t_ *find(const char *code)
{
	div_t_ key;
	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, divs, ndivs, sizeof(div_t_), div_cmp);
}

static void centre(const char *code, double *lon, double *lat)
{
	div_t_ *d = find(code);
	while (d && !d->has)
		d = d->parent[0] ? find(d->parent) : NULL;
	*lon = d ? d->lon : 0;
	*lat = d ? d->lat : 0;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0;
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *field[6] = { 0 }, *p = line;
		int k = 0;
		div_t_ *d;
		line[strcspn(line, "\r\n")] = 0;
		field[k++] = p;
		while (*p && k < 6)
			if (*p++ == ',') {
				p[-1] = 0;
				field[k++] = p;
			}
		if (k < 4)
			continue;
		if (ndivs == cap) {
			cap = cap ? 2 * cap : 1024;
			divs = realloc(divs, cap * sizeof(div_t_));
		}
		d = &divs[ndivs++];
		memset(d, 0, sizeof(*d));
		snprintf(d->code, sizeof(d->code), "%s", field[0]);
		snprintf(d->parent, sizeof(d->parent), "%s", field[3]);
		d->level = strcmp(field[2], "village") == 0 ? 5 : strcmp(field[2], "township") == 0 ? 4 :
			   strcmp(field[2], "county") == 0 ? 3 : strcmp(field[2], "prefecture") == 0 ? 2 : 1;
		if (k >= 6 && field[4][0] && field[5][0]) {
			d->has = 1;
			d->lon = strtod(field[4], NULL);
			d->lat = strtod(field[5], NULL);
		}
	}
	fclose(f);
	qsort(divs, ndivs, sizeof(div_t_), div_cmp);
	return 0;
}

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static uint64_t rnd64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A synthetic point for a village: its centre moved by up to +-0.15 degree, fixed per code
 * (the shipped data has centres for counties only). */
static void jitter(const char *code, double *lon, double *lat)
{
	uint64_t h = 1469598103934665603ULL;
	const char *c;
	for (c = code; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	*lon += ((double)(h % 30001) / 30000.0 - 0.5) * 0.3;
	*lat += ((double)((h >> 20) % 30001) / 30000.0 - 0.5) * 0.3;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
	char name[64];
	sb__place_post *posts;
	sb__place_app *apps;
	size_t np, na;
	char **ids;
} pool_t;

static void run(pool_t *pl, const char *outdir, size_t max_scipy)
{
	sb__place_slot *m = calloc(pl->na + 1, sizeof(*m)), *d = calloc(pl->na + 1, sizeof(*d));
	sb__place_stats st;
	int64_t mt = 0, dt = 0, seats = 0;
	size_t i, mp = 0, dp = 0;
	double t0, t1, t2, best_m = 0, best_d = 0;
	int r;

	for (i = 0; i < pl->np; i++)
		seats += pl->posts[i].seats;
	/* Best of five runs each: the machine is shared, the minimum is the least disturbed. */
	for (r = 0; r < 5; r++) {
		double a = now(), b, c;
		if (sb__place_merit(m, pl->posts, pl->np, pl->apps, pl->na) < 0)
			exit(1);
		b = now();
		if (sb__place_distance(d, &dt, &st, pl->posts, pl->np, pl->apps, pl->na) < 0)
			exit(1);
		c = now();
		if (r == 0 || b - a < best_m)
			best_m = b - a;
		if (r == 0 || c - b < best_d)
			best_d = c - b;
	}
	t0 = 0;
	t1 = best_m;
	t2 = best_m + best_d;
	for (i = 0; i < pl->na; i++) {
		if (m[i].post >= 0) {
			mp++;
			mt += m[i].tenths;
		}
		if (d[i].post >= 0)
			dp++;
	}
	printf("%s apps=%zu posts=%zu seats=%lld merit_placed=%zu merit_total=%lld merit_s=%.4f "
	       "distance_placed=%zu distance_total=%lld distance_s=%.4f groups=%zu classes=%zu arcs=%zu "
	       "searches=%zu augments=%zu rounds=%zu\n",
	       pl->name, pl->na, pl->np, (long long)seats, mp, (long long)mt, t1 - t0, dp, (long long)dt, t2 - t1,
	       st.groups, st.classes, st.arcs, st.searches, st.augments, st.rounds);
	if ((size_t)seats <= max_scipy && pl->na <= max_scipy) {
		char path[1024];
		FILE *f;
		size_t k;
		int64_t s;
		snprintf(path, sizeof(path), "%s/%s.costs", outdir, pl->name);
		f = fopen(path, "w");
		if (!f)
			exit(1);
		/* rows: applicants; columns: seats; a post not open costs "x". */
		fprintf(f, "%zu %lld\n", pl->na, (long long)seats);
		for (i = 0; i < pl->na; i++) {
			for (k = 0; k < pl->np; k++)
				for (s = 0; s < pl->posts[k].seats; s++)
					fprintf(f, "%lld ", (long long)sb_place_distance_tenths(pl->apps[i].lon, pl->apps[i].lat,
												 pl->posts[k].lon, pl->posts[k].lat));
			fputc('\n', f);
		}
		fclose(f);
	}
	free(m);
	free(d);
}

static void pool_free(pool_t *pl)
{
	size_t i;
	for (i = 0; i < pl->np; i++)
		free((char *)pl->posts[i].code);
	for (i = 0; i < pl->na; i++)
		free((char *)pl->apps[i].home);
	for (i = 0; i < pl->na + pl->np; i++)
		free(pl->ids[i]);
	free(pl->ids);
	free(pl->posts);
	free(pl->apps);
}

/* Pool of a county: a service post (one seat) at every village point of the county;
 * as many applicants from random villages of its prefecture. */
static void county_pool(pool_t *pl, const char *county, int jit)
{
	size_t i, nv = 0, npv = 0, *vill = malloc(ndivs * sizeof(size_t)), *pref = malloc(ndivs * sizeof(size_t));
	memset(pl, 0, sizeof(*pl));
	snprintf(pl->name, sizeof(pl->name), "county-%s%s", county, jit ? "-jitter" : "");
	for (i = 0; i < ndivs; i++) {
		if (divs[i].level != 5)
			continue;
		if (strncmp(divs[i].code, county, 6) == 0)
			vill[nv++] = i;
		if (strncmp(divs[i].code, county, 4) == 0)
			pref[npv++] = i;
	}
	pl->np = nv;
	pl->na = nv;
	pl->posts = calloc(nv + 1, sizeof(sb__place_post));
	pl->apps = calloc(nv + 1, sizeof(sb__place_app));
	pl->ids = calloc(2 * nv + 1, sizeof(char *));
	for (i = 0; i < nv; i++) {
		div_t_ *v = &divs[vill[i]];
		char buf[32];
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		pl->ids[i] = strdup(buf);
		pl->posts[i].id = pl->ids[i];
		pl->posts[i].code = strdup(v->code);
		centre(v->code, &pl->posts[i].lon, &pl->posts[i].lat);
		if (jit)
			jitter(v->code, &pl->posts[i].lon, &pl->posts[i].lat);
		pl->posts[i].seats = 1;
	}
	for (i = 0; i < nv; i++) {
		div_t_ *v = &divs[pref[rnd64() % npv]];
		char buf[32];
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		pl->ids[nv + i] = strdup(buf);
		pl->apps[i].app_no = pl->ids[nv + i];
		pl->apps[i].home = strdup(v->code);
		centre(v->code, &pl->apps[i].lon, &pl->apps[i].lat);
		if (jit)
			jitter(v->code, &pl->apps[i].lon, &pl->apps[i].lat);
		pl->apps[i].rank = (int64_t)(i + 1);
	}
	free(vill);
	free(pref);
}

/* The province-wide pool: an office post at every township station with as many seats as
 * the township has villages (26,842 in all), and as many applicants from random villages. */
static void province_pool(pool_t *pl)
{
	size_t i, nt = 0, nv = 0, *vill = malloc(ndivs * sizeof(size_t));
	memset(pl, 0, sizeof(*pl));
	snprintf(pl->name, sizeof(pl->name), "province-44");
	for (i = 0; i < ndivs; i++) {
		if (divs[i].level == 4)
			nt++;
		if (divs[i].level == 5)
			vill[nv++] = i;
	}
	pl->posts = calloc(nt + 1, sizeof(sb__place_post));
	pl->apps = calloc(nv + 1, sizeof(sb__place_app));
	pl->ids = calloc(nt + nv + 1, sizeof(char *));
	for (i = 0; i < ndivs; i++) {
		sb__place_post *p;
		char buf[32];
		if (divs[i].level != 4)
			continue;
		p = &pl->posts[pl->np];
		snprintf(buf, sizeof(buf), "%zu", pl->np + 1);
		pl->ids[pl->np] = strdup(buf);
		p->id = pl->ids[pl->np];
		p->code = strdup(divs[i].code);
		centre(divs[i].code, &p->lon, &p->lat);
		pl->np++;
	}
	for (i = 0; i < nv; i++) {
		/* seats: the villages of each township */
		size_t lo = 0, hi = pl->np;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(pl->posts[mid].code, divs[vill[i]].parent) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < pl->np && strcmp(pl->posts[lo].code, divs[vill[i]].parent) == 0)
			pl->posts[lo].seats++;
	}
	for (i = 0; i < nv; i++) {
		div_t_ *v = &divs[vill[rnd64() % nv]];
		char buf[32];
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		pl->ids[pl->np + i] = strdup(buf);
		pl->apps[i].app_no = pl->ids[pl->np + i];
		pl->apps[i].home = strdup(v->code);
		centre(v->code, &pl->apps[i].lon, &pl->apps[i].lat);
		pl->apps[i].rank = (int64_t)(i + 1);
	}
	pl->na = nv;
	free(vill);
}

int main(int argc, char **argv)
{
	static const char *counties[] = { "440308", "441203", "441284", "440281", "441423", "445103", "441481", "441900" };
	size_t max_scipy = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 3000, i;
	pool_t pl;
	int jit;

	if (argc < 3 || load(argv[1]) < 0) {
		fprintf(stderr, "usage: place_bench DIVISIONS.csv OUTDIR [MAX_SCIPY_SEATS]\n");
		return 2;
	}
	for (jit = 0; jit <= 1; jit++)
		for (i = 0; i < sizeof(counties) / sizeof(counties[0]); i++) {
			county_pool(&pl, counties[i], jit);
			if (pl.np)
				run(&pl, argv[2], max_scipy);
			pool_free(&pl);
		}
	province_pool(&pl);
	run(&pl, argv[2], max_scipy);
	pool_free(&pl);
	free(divs);
	return 0;
}
