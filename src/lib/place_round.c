/*
 * Placement and hiring on a stored round (SPEC §4): reads the pools, their posts and the
 * proposed applicants from the round area, centres from the org area, runs the core of
 * place.c, keeps the chosen placement in place_result (this area's only table) and, for
 * `round hire`, registers passed applicants through the staff area. Not for the algorithms
 * (place.c) nor for printing (src/cli/cmd_place.c).
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "audit_internal.h"
#include "place_internal.h"
#include "round_internal.h"
#include "staff_internal.h"
#include "shuangbai/org.h"
#include "shuangbai/place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- centres, looked up once per distinct code ----------------------------------------- */

typedef struct {
	char code[13];
	double lon, lat;
} centre_ent;

typedef struct {
	centre_ent *e;
	size_t n, cap;
} centre_cache;

static int centre_cmp(const void *a, const void *b)
{
	return strcmp(((const centre_ent *)a)->code, ((const centre_ent *)b)->code);
}

/* Fill the cache with the centres of `codes` (duplicates fine); sorted for bsearch. */
static int centres_load(centre_cache *c, sb_db *db, const char **codes, size_t n)
{
	size_t i, k = 0;
	int error = 0;
	c->e = sb__calloc(n + 1, sizeof(centre_ent));
	if (!c->e)
		return SB_ENOMEM;
	for (i = 0; i < n; i++)
		snprintf(c->e[i].code, sizeof(c->e[i].code), "%s", codes[i]);
	qsort(c->e, n, sizeof(centre_ent), centre_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(c->e[k - 1].code, c->e[i].code) == 0)
			continue;
		c->e[k] = c->e[i];
		if ((error = sb_org_centre(&c->e[k].lon, &c->e[k].lat, db, c->e[k].code)) < 0)
			return error;
		k++;
	}
	c->n = k;
	return 0;
}

static const centre_ent *centre_of(const centre_cache *c, const char *code)
{
	centre_ent key;
	snprintf(key.code, sizeof(key.code), "%s", code);
	return bsearch(&key, c->e, c->n, sizeof(centre_ent), centre_cmp);
}

/* ---- one pool -------------------------------------------------------------------------- */

/* Index of strings for preference look-ups: post ids sorted with their position. */
typedef struct {
	const char *id;
	size_t idx;
} id_ent;

static int id_ent_cmp(const void *a, const void *b)
{
	return strcmp(((const id_ent *)a)->id, ((const id_ent *)b)->id);
}

/* A key string per item; items with equal keys share a class number. */
typedef struct {
	char *key;
	size_t item;
} key_ent;

static int key_ent_cmp(const void *a, const void *b)
{
	const key_ent *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->item < y->item ? -1 : x->item > y->item);
}

static int classify(size_t *out_class, size_t *out_rep, size_t *out_n, key_ent *keys, size_t n)
{
	size_t i, nc = 0;
	qsort(keys, n, sizeof(key_ent), key_ent_cmp);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(keys[i].key, keys[i - 1].key) != 0)
			out_rep[nc++] = keys[i].item;
		out_class[keys[i].item] = nc - 1;
	}
	*out_n = nc;
	return 0;
}

static void keys_free(key_ent *k, size_t n)
{
	size_t i;
	if (!k)
		return;
	for (i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

typedef struct {
	sb__round_unit *unit;
	sb__round_app **apps;        /* the pool's proposed applicants, rank order */
	size_t napps;
	sb__place_post *posts;
	sb__place_app *papps;
	size_t *prefs;               /* all preference indices, papps point into it */
	uint64_t *rows;              /* open rows per applicant class */
	char **none_why;             /* per applicant class: why the first seated post is closed */
	size_t *app_class;
	size_t napp_class;
	sb__place_slot *merit, *dist;
} pool_run;

static void pool_run_free(pool_run *r)
{
	size_t i;
	free(r->apps);
	free(r->posts);
	free(r->papps);
	free(r->prefs);
	free(r->rows);
	if (r->none_why)
		for (i = 0; i < r->napp_class; i++)
			free(r->none_why[i]);
	free(r->none_why);
	free(r->app_class);
	free(r->merit);
	free(r->dist);
}

/*
 * Whether a post is open to an applicant depends only on the post's requirements (education,
 * majors, age limit, language, and the division its hukou scope names) and on the applicant's
 * age, education, major, languages and hukou. Classes of each are asked once per pair, so a
 * province-wide pool costs classes x classes questions, not applicants x posts.
 */
static int open_rows(pool_run *r, sb_db *db)
{
	sb__round_unit *u = r->unit;
	size_t np = u->nposts, na = r->napps, words = (np + 63) / 64, i, k;
	key_ent *pk = NULL, *ak = NULL;
	size_t *post_class = NULL, *post_rep = NULL, npc = 0, *app_rep = NULL;
	int error = 0;

	if (words == 0)
		words = 1;
	pk = sb__calloc(np + 1, sizeof(key_ent));
	ak = sb__calloc(na + 1, sizeof(key_ent));
	post_class = sb__calloc(np + 1, sizeof(size_t));
	post_rep = sb__calloc(np + 1, sizeof(size_t));
	app_rep = sb__calloc(na + 1, sizeof(size_t));
	r->app_class = sb__calloc(na + 1, sizeof(size_t));
	if (!pk || !ak || !post_class || !post_rep || !app_rep || !r->app_class) {
		error = SB_ENOMEM;
		goto done;
	}
	for (k = 0; k < np; k++) {
		const sb__round_post *p = &u->posts[k];
		char scope[13] = "";
		sb_buf b = SB_BUF_INIT;
		if (p->hukou_scope != SB_ROUND_HUKOU_ANY &&
		    (error = sb_org_ancestor(scope, db, p->station_code, p->hukou_scope)) < 0)
			goto done;
		sb__buf_printf(&b, "%d\x1f%d\x1f%s\x1f%d\x1f%s\x1f%s", p->education, p->max_age, p->majors,
			       p->hukou_scope, scope, p->language);
		if ((error = sb__buf_failed(&b)) < 0)
			goto done;
		pk[k].key = sb__buf_detach(&b);
		pk[k].item = k;
	}
	for (i = 0; i < na; i++) {
		const sb__round_app *a = r->apps[i];
		sb_buf b = SB_BUF_INIT;
		sb__buf_printf(&b, "%d\x1f%d\x1f%s\x1f%s\x1f%s", a->age, a->education, a->major, a->languages,
			       a->hukou_code);
		if ((error = sb__buf_failed(&b)) < 0)
			goto done;
		ak[i].key = sb__buf_detach(&b);
		ak[i].item = i;
	}
	classify(post_class, post_rep, &npc, pk, np);
	classify(r->app_class, app_rep, &r->napp_class, ak, na);
	r->rows = sb__calloc(r->napp_class * words + 1, sizeof(uint64_t));
	r->none_why = sb__calloc(r->napp_class + 1, sizeof(char *));
	if (!r->rows || !r->none_why) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < r->napp_class; i++) {
		uint64_t *row = &r->rows[i * words];
		size_t c;
		for (c = 0; c < npc; c++) {
			int open = 0;
			if ((error = sb__round_post_open_to(&open, NULL, db, &u->posts[post_rep[c]],
							    r->apps[app_rep[i]])) < 0)
				goto done;
			if (!open)
				continue;
			for (k = 0; k < np; k++)
				if (post_class[k] == c)
					row[k / 64] |= (uint64_t)1 << (k % 64);
		}
	}
	for (i = 0; i < na; i++)
		r->papps[i].open = &r->rows[r->app_class[i] * words];
	/* Why a class has no open post: the first post with seats says (SPEC: never drop
	 * anyone silently, and say why). */
	for (i = 0; i < r->napp_class; i++) {
		const uint64_t *row = &r->rows[i * words];
		int any = 0;
		for (k = 0; k < np && !any; k++)
			any = u->posts[k].open_quota > 0 && ((row[k / 64] >> (k % 64)) & 1);
		if (any)
			continue;
		for (k = 0; k < np; k++)
			if (u->posts[k].open_quota > 0) {
				int open;
				char *why = NULL;
				sb_buf b = SB_BUF_INIT;
				if ((error = sb__round_post_open_to(&open, &why, db, &u->posts[k], r->apps[app_rep[i]])) < 0)
					goto done;
				sb__buf_printf(&b, "post %s: %s", u->posts[k].post_id, why ? why : "not open");
				free(why);
				if ((error = sb__buf_failed(&b)) < 0)
					goto done;
				r->none_why[i] = sb__buf_detach(&b);
				break;
			}
	}
done:
	keys_free(pk, np);
	keys_free(ak, na);
	free(post_class);
	free(post_rep);
	free(app_rep);
	return error;
}

static int pool_prepare(pool_run *r, sb_db *db, const centre_cache *cc)
{
	sb__round_unit *u = r->unit;
	size_t i, k, nprefs = 0, at = 0;
	id_ent *ids = NULL;
	int error = 0;

	r->posts = sb__calloc(u->nposts + 1, sizeof(sb__place_post));
	r->papps = sb__calloc(r->napps + 1, sizeof(sb__place_app));
	ids = sb__calloc(u->nposts + 1, sizeof(id_ent));
	for (i = 0; i < r->napps; i++)
		nprefs += r->apps[i]->npreferences;
	r->prefs = sb__calloc(nprefs + 1, sizeof(size_t));
	r->merit = sb__calloc(r->napps + 1, sizeof(sb__place_slot));
	r->dist = sb__calloc(r->napps + 1, sizeof(sb__place_slot));
	if (!r->posts || !r->papps || !ids || !r->prefs || !r->merit || !r->dist) {
		error = SB_ENOMEM;
		goto done;
	}
	for (k = 0; k < u->nposts; k++) {
		const centre_ent *c = centre_of(cc, u->posts[k].station_code);
		r->posts[k].id = u->posts[k].post_id;
		r->posts[k].code = u->posts[k].station_code;
		r->posts[k].lon = c ? c->lon : 0;
		r->posts[k].lat = c ? c->lat : 0;
		r->posts[k].seats = u->posts[k].open_quota;
		ids[k].id = u->posts[k].post_id;
		ids[k].idx = k;
	}
	qsort(ids, u->nposts, sizeof(id_ent), id_ent_cmp);
	for (i = 0; i < r->napps; i++) {
		const sb__round_app *a = r->apps[i];
		const centre_ent *c = centre_of(cc, a->home_code);
		sb__place_app *pa = &r->papps[i];
		pa->app_no = a->app_no;
		pa->home = a->home_code;
		pa->lon = c ? c->lon : 0;
		pa->lat = c ? c->lat : 0;
		pa->rank = a->rank;
		pa->prefs = &r->prefs[at];
		pa->nprefs = a->npreferences;
		for (k = 0; k < a->npreferences; k++) {
			id_ent key, *hit;
			key.id = a->preferences[k];
			hit = bsearch(&key, ids, u->nposts, sizeof(id_ent), id_ent_cmp);
			/* A preference outside the pool keeps its number but can never be taken. */
			r->prefs[at++] = hit ? hit->idx : SIZE_MAX;
		}
	}
	error = open_rows(r, db);
done:
	free(ids);
	return error;
}

/* ---- results ----------------------------------------------------------------------------- */

static void summarise(sb_place_summary *s, const pool_run *r, const sb__place_slot *slots)
{
	size_t i;
	for (i = 0; i < r->napps; i++) {
		const sb__place_slot *x = &slots[i];
		int c;
		s->applicants++;
		if (x->post < 0)
			continue;
		s->placed++;
		s->total_tenths += x->tenths;
		if (x->tenths > s->max_tenths)
			s->max_tenths = x->tenths;
		c = sb__place_closeness(r->papps[i].home, r->posts[x->post].code);
		if (c >= 3)
			s->home_township++;
		if (c >= 2)
			s->home_county++;
	}
}

/* Mean and shares: integer division rounded half-up, once (doc/place.md). */
static void finish(sb_place_summary *s)
{
	s->mean_tenths = s->placed ? sb__div_half_up(s->total_tenths, s->placed) : 0;
	s->township_permille = s->applicants ? sb__div_half_up((__int128)s->home_township * 1000, s->applicants) : 0;
	s->county_permille = s->applicants ? sb__div_half_up((__int128)s->home_county * 1000, s->applicants) : 0;
}

static void add_summary(sb_place_summary *t, const sb_place_summary *s)
{
	t->applicants += s->applicants;
	t->placed += s->placed;
	t->total_tenths += s->total_tenths;
	if (s->max_tenths > t->max_tenths)
		t->max_tenths = s->max_tenths;
	t->home_township += s->home_township;
	t->home_county += s->home_county;
}

static char *reason_text(const sb__place_slot *x, const char *none_why)
{
	sb_buf b = SB_BUF_INIT;
	switch (x->reason) {
	case SB__PLACE_PREF:
		sb__buf_printf(&b, "preference %d", x->pref);
		break;
	case SB__PLACE_NEAREST:
		sb__buf_puts(&b, "nearest open");
		break;
	case SB__PLACE_ONLY:
		sb__buf_puts(&b, "only open post");
		break;
	case SB__PLACE_TOTAL:
		sb__buf_puts(&b, "shorter total distance");
		break;
	case SB__PLACE_NONE_OPEN:
		sb__buf_printf(&b, "unplaced: no post of the pool is open to the applicant%s%s",
			       none_why ? " (" : "", none_why ? none_why : "");
		if (none_why)
			sb__buf_putc(&b, ')');
		break;
	default:
		sb__buf_puts(&b, "unplaced: every post open to the applicant is full");
		break;
	}
	if (sb__buf_failed(&b) < 0)
		return NULL;
	return sb__buf_detach(&b);
}

void sb_place_result_free(sb_place_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].pool);
		free(r->rows[i].app_no);
		free(r->rows[i].post_id);
		free(r->rows[i].station_code);
		free(r->rows[i].reason);
	}
	for (i = 0; i < r->npools; i++)
		free(r->pools[i].pool);
	free(r->rows);
	free(r->pools);
	free(r);
}

static int store_row(sb_db *db, const char *code, const sb_place_row *row, sb_place_method method)
{
	sb__stmt *st;
	int error;
	if ((error = sb__db_prepare(db, &st,
				    "INSERT INTO place_result(round_code, pool, app_no, method, post_id, "
				    "station_code, distance_tenths, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, code);
	sb__stmt_bind_text(st, 2, row->pool);
	sb__stmt_bind_text(st, 3, row->app_no);
	sb__stmt_bind_text(st, 4, method == SB_PLACE_DISTANCE ? "distance" : "merit");
	if (row->post_id[0]) {
		sb__stmt_bind_text(st, 5, row->post_id);
		sb__stmt_bind_text(st, 6, row->station_code);
		sb__stmt_bind_int64(st, 7, row->distance_tenths);
	} else {
		sb__stmt_bind_null(st, 5);
		sb__stmt_bind_null(st, 6);
		sb__stmt_bind_null(st, 7);
	}
	sb__stmt_bind_text(st, 8, row->reason);
	return sb__stmt_run(st);
}

int sb_place_run(sb_place_result **out, sb_db *db, const char *code, sb_place_method method)
{
	sb__round_unit *units = NULL;
	sb__round_app *apps = NULL;
	size_t nunits = 0, napps = 0, u, i, npools = 0, nrows = 0;
	sb_place_result *res = NULL;
	centre_cache cc = { NULL, 0, 0 };
	const char **codes = NULL;
	pool_run r;
	int error = 0, stage, tx = 0;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	if (method != SB_PLACE_MERIT && method != SB_PLACE_DISTANCE)
		return sb_error_set(SB_EUSAGE, "placement method must be merit or distance");
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_RANK)
		return sb_error_set(SB_ESTATE, "round %s: placement needs `round rank` first", code);
	if ((error = sb__round_units(&units, &nunits, db, code)) < 0 ||
	    (error = sb__round_proposed(&apps, &napps, db, code, NULL, 0)) < 0)
		goto done;

	/* Every code placement measures from, looked up once. */
	for (u = 0, i = 0; u < nunits; u++)
		if (units[u].is_pool)
			i += units[u].nposts;
	if (!(codes = sb__calloc(napps + i + 1, sizeof(char *)))) {
		error = SB_ENOMEM;
		goto done;
	}
	i = 0;
	for (u = 0; u < nunits; u++) {
		size_t k;
		if (!units[u].is_pool)
			continue;
		npools++;
		for (k = 0; k < units[u].nposts; k++)
			codes[i++] = units[u].posts[k].station_code;
	}
	for (u = 0; u < napps; u++) {
		size_t k;
		for (k = 0; k < nunits; k++)
			if (units[k].is_pool && strcmp(units[k].unit, apps[u].unit) == 0)
				break;
		if (k < nunits) {
			codes[i++] = apps[u].home_code;
			nrows++;
		}
	}
	if ((error = centres_load(&cc, db, codes, i)) < 0)
		goto done;

	res = sb__calloc(1, sizeof(*res));
	if (!res || !(res->rows = sb__calloc(nrows + 1, sizeof(sb_place_row))) ||
	    !(res->pools = sb__calloc(npools + 1, sizeof(sb_place_pool_summary)))) {
		error = SB_ENOMEM;
		goto done;
	}
	res->method = method;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	tx = 1;
	{
		sb__stmt *st;
		if ((error = sb__db_prepare(db, &st, "DELETE FROM place_result WHERE round_code = ?1")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, code);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
	}
	for (u = 0; u < nunits; u++) {
		sb_place_pool_summary *ps;
		const sb__place_slot *use;
		if (!units[u].is_pool)
			continue;
		memset(&r, 0, sizeof(r));
		r.unit = &units[u];
		r.apps = sb__calloc(napps + 1, sizeof(sb__round_app *));
		if (!r.apps) {
			error = SB_ENOMEM;
			goto done;
		}
		for (i = 0; i < napps; i++)
			if (strcmp(apps[i].unit, units[u].unit) == 0)
				r.apps[r.napps++] = &apps[i];
		if ((error = pool_prepare(&r, db, &cc)) < 0 ||
		    (error = sb__place_merit(r.merit, r.posts, units[u].nposts, r.papps, r.napps)) < 0 ||
		    (error = sb__place_distance(r.dist, NULL, NULL, r.posts, units[u].nposts, r.papps, r.napps)) < 0)
			goto done;
		ps = &res->pools[res->npools++];
		if (!(ps->pool = sb__strdup(units[u].unit))) {
			error = SB_ENOMEM;
			goto done;
		}
		summarise(&ps->merit, &r, r.merit);
		summarise(&ps->distance, &r, r.dist);
		add_summary(&res->pools[npools].merit, &ps->merit);
		add_summary(&res->pools[npools].distance, &ps->distance);
		finish(&ps->merit);
		finish(&ps->distance);
		use = method == SB_PLACE_DISTANCE ? r.dist : r.merit;
		for (i = 0; i < r.napps; i++) {
			sb_place_row *row = &res->rows[res->nrows];
			const sb__place_slot *x = &use[i];
			char dummy[1] = "";
			row->pool = sb__strdup(units[u].unit);
			row->app_no = sb__strdup(r.apps[i]->app_no);
			row->post_id = sb__strdup(x->post >= 0 ? r.posts[x->post].id : dummy);
			row->station_code = sb__strdup(x->post >= 0 ? r.posts[x->post].code : dummy);
			row->distance_tenths = x->tenths;
			row->reason = reason_text(x, r.none_why[r.app_class[i]]);
			res->nrows++;
			if (!row->pool || !row->app_no || !row->post_id || !row->station_code || !row->reason) {
				error = SB_ENOMEM;
				goto done;
			}
			if ((error = store_row(db, code, row, method)) < 0)
				goto done;
		}
		pool_run_free(&r);
		memset(&r, 0, sizeof(r));
	}
	if (!(res->pools[npools].pool = sb__strdup(""))) {
		error = SB_ENOMEM;
		goto done;
	}
	finish(&res->pools[npools].merit);
	finish(&res->pools[npools].distance);
	res->npools = npools + 1;
	error = sb__audit_append(db, "place round %s: method %s, %lld of %lld applicants placed in %zu pools",
				 code, method == SB_PLACE_DISTANCE ? "distance" : "merit",
				 (long long)(method == SB_PLACE_DISTANCE ? res->pools[npools].distance.placed
									 : res->pools[npools].merit.placed),
				 (long long)res->pools[npools].merit.applicants, npools);
done:
	if (tx)
		error = sb__db_tx_end(db, error);
	pool_run_free(&r);
	free(codes);
	free(cc.e);
	sb__round_units_free(units, nunits);
	sb__round_apps_free(apps, napps);
	if (error < 0)
		sb_place_result_free(res);
	else
		*out = res;
	return error;
}

/* ---- hiring ----------------------------------------------------------------------------- */

int sb_place_hire(sb_place_hire_stats *out_stats, sb_db *db, const char *code, const char *start_date)
{
	sb__round_unit *units = NULL;
	sb__round_app *apps = NULL;
	size_t nunits = 0, napps = 0, i, u, k;
	sb_place_hire_stats st;
	int error = 0, y, m, d, tx = 0;

	memset(&st, 0, sizeof(st));
	if (!start_date || sb__date_parse(start_date, &y, &m, &d) < 0)
		return sb_error_set(SB_EUSAGE, "--start: '%s' is not a date YYYY-MM-DD", start_date ? start_date : "");
	if ((error = sb__round_units(&units, &nunits, db, code)) < 0 ||
	    (error = sb__round_proposed(&apps, &napps, db, code, NULL, 1)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	tx = 1;
	for (i = 0; i < napps; i++) {
		const sb__round_app *a = &apps[i];
		const sb__round_unit *unit = NULL;
		const sb__round_post *post = NULL;
		char post_id_buf[128] = "", township[13] = "";
		const char *post_id = a->post_id;
		sb__staff_new w;
		int existed = 0;

		st.passed++;
		for (u = 0; u < nunits && !unit; u++)
			if (strcmp(units[u].unit, a->unit) == 0)
				unit = &units[u];
		if (!unit) {
			error = sb_error_set(SB_ENOTFOUND, "round %s: application %s: unit %s not found", code,
					     a->app_no, a->unit);
			goto done;
		}
		if (unit->is_pool) {
			sb__stmt *s;
			int r;
			if ((error = sb__db_prepare(db, &s, "SELECT post_id FROM place_result "
							    "WHERE round_code = ?1 AND app_no = ?2")) < 0)
				goto done;
			sb__stmt_bind_text(s, 1, code);
			sb__stmt_bind_text(s, 2, a->app_no);
			if ((r = sb__stmt_step(s)) < 0) {
				error = r;
				goto done;
			}
			if (r == 0) {
				error = sb_error_set(SB_ESTATE,
						     "round %s: application %s of pool %s has no placement: "
						     "run `round place %s` (again)", code, a->app_no, unit->unit, code);
				goto done;
			}
			snprintf(post_id_buf, sizeof(post_id_buf), "%s", sb__stmt_text(s, 0));
			sb__stmt_reset(s);
			if (!post_id_buf[0]) {
				st.unplaced++;
				continue;
			}
			post_id = post_id_buf;
		}
		for (k = 0; k < unit->nposts && !post; k++)
			if (strcmp(unit->posts[k].post_id, post_id) == 0)
				post = &unit->posts[k];
		if (!post) {
			error = sb_error_set(SB_ESTATE, "round %s: application %s: post %s is not in unit %s",
					     code, a->app_no, post_id, unit->unit);
			goto done;
		}
		/* A service post sits at a village point; its worker belongs to the village's
		 * township station. */
		if (strcmp(post->kind, "service") == 0) {
			if ((error = sb_org_ancestor(township, db, post->station_code, SB_LEVEL_TOWNSHIP)) < 0)
				goto done;
		} else {
			snprintf(township, sizeof(township), "%s", post->station_code);
		}
		memset(&w, 0, sizeof(w));
		w.id_number = a->id_number;
		w.name = a->name;
		w.township_code = township;
		w.village_code = strcmp(post->kind, "service") == 0 ? post->station_code : NULL;
		w.kind = post->kind;
		w.source = "recruit";
		w.qualification = a->qualification;
		w.start_date = start_date;
		w.round_code = code;
		w.app_no = a->app_no;
		w.post_id = post->post_id;
		if ((error = sb__staff_add(db, &w, NULL, &existed)) < 0)
			goto done;
		if (existed)
			st.existing++;
		else
			st.hired++;
	}
done:
	if (tx)
		error = sb__db_tx_end(db, error);
	sb__round_units_free(units, nunits);
	sb__round_apps_free(apps, napps);
	if (out_stats && error == 0)
		*out_stats = st;
	return error;
}

/* ---- the stored placement, read back (for the round report) ------------------------------ */

int sb_place_stored(sb_place_row **out, size_t *out_n, sb_place_method *out_method, sb_db *db, const char *code)
{
	sb_place_row *rows = NULL, *grown;
	size_t n = 0, cap = 0;
	sb_place_method method = SB_PLACE_MERIT;
	sb__stmt *st;
	int error = 0, r;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__db_prepare(db, &st,
				    "SELECT pool, app_no, method, post_id, station_code, distance_tenths, reason "
				    "FROM place_result WHERE round_code = ?1 ORDER BY pool, app_no")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) > 0) {
		sb_place_row *row;
		int placed = !sb__stmt_isnull(st, 3);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = sb__realloc(rows, cap * sizeof(*rows)))) {
				r = SB_ENOMEM;
				break;
			}
			rows = grown;
		}
		row = &rows[n++];
		memset(row, 0, sizeof(*row));
		row->pool = sb__strdup(sb__stmt_text(st, 0));
		row->app_no = sb__strdup(sb__stmt_text(st, 1));
		method = strcmp(sb__stmt_text(st, 2), "distance") == 0 ? SB_PLACE_DISTANCE : SB_PLACE_MERIT;
		row->post_id = sb__strdup(placed ? sb__stmt_text(st, 3) : "");
		row->station_code = sb__strdup(placed ? sb__stmt_text(st, 4) : "");
		row->distance_tenths = placed ? sb__stmt_int64(st, 5) : -1;
		row->reason = sb__strdup(sb__stmt_text(st, 6));
		if (!row->pool || !row->app_no || !row->post_id || !row->station_code || !row->reason) {
			r = SB_ENOMEM;
			break;
		}
	}
	if (r < 0) {
		sb__stmt_reset(st);
		sb_place_rows_free(rows, n);
		return r;
	}
	*out = rows;
	*out_n = n;
	if (out_method)
		*out_method = method;
	return 0;
}

void sb_place_rows_free(sb_place_row *rows, size_t n)
{
	size_t i;
	if (!rows)
		return;
	for (i = 0; i < n; i++) {
		free(rows[i].pool);
		free(rows[i].app_no);
		free(rows[i].post_id);
		free(rows[i].station_code);
		free(rows[i].reason);
	}
	free(rows);
}
