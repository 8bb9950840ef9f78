/*
 * Recruitment rounds, first half of the life (SPEC §3): creating a round from its policy,
 * loading posts and applications, screening (rule 1) with the opening ratio (rule 2), the
 * order of steps, and what placement and hiring read (round_internal.h). The exam steps from
 * written scores to outcomes are in round_exam.c, the arithmetic in round_score.c, the policy
 * file in round_policy.c, the notice in round_notice.c. Not for hiring or placement.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "db_internal.h"
#include "round_internal.h"
#include "shuangbai/money.h"
#include "shuangbai/org.h"
#include "shuangbai/person.h"
#include "shuangbai/round.h"

/* ---- small shared tools ---------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

sb__round_ent *sb__round_map_get(const sb__round_map *m, const char *key)
{
	size_t i;
	if (!m->cap)
		return NULL;
	for (i = hash_str(key) & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].key, key) == 0)
			return &m->e[i];
	return NULL;
}

sb__round_ent *sb__round_map_put(sb__round_map *m, const char *key, int *out_new)
{
	size_t i;
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64, j;
		sb__round_ent *e = sb__calloc(cap, sizeof(*e));
		if (!e)
			return NULL;
		for (j = 0; j < m->cap; j++) {
			if (!m->e[j].key)
				continue;
			for (i = hash_str(m->e[j].key) & (cap - 1); e[i].key; i = (i + 1) & (cap - 1))
				;
			e[i] = m->e[j];
		}
		free(m->e);
		m->e = e;
		m->cap = cap;
	}
	for (i = hash_str(key) & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].key, key) == 0) {
			*out_new = 0;
			return &m->e[i];
		}
	if (!(m->e[i].key = sb__strdup(key)))
		return NULL;
	m->e[i].val = 0;
	m->n++;
	*out_new = 1;
	return &m->e[i];
}

void sb__round_map_free(sb__round_map *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

static const char *const step_names[] = { "create", "posts", "apply", "screen", "written",
					  "shortlist", "interview", "rank", "outcome" };

const char *sb__round_step_name(int step)
{
	return step >= 0 && step <= SB_ROUND_OUTCOME ? step_names[step] : "?";
}

int sb__round_stage(int *out_stage, sb_db *db, const char *code)
{
	sb__stmt *st;
	int error;
	if ((error = sb__db_prepare(db, &st, "SELECT stage FROM round_round WHERE code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_step(st)) < 0)
		return error;
	if (error == 0)
		return sb_error_set(SB_ENOTFOUND, "round %s: no such round (create it with `round create`)", code);
	*out_stage = (int)sb__stmt_int64(st, 0);
	sb__stmt_reset(st);
	return 0;
}

int sb__round_enter(sb__round_policy **out_policy, sb_db *db, const char *code, int step)
{
	sb__stmt *st;
	char *xml = NULL;
	int error, stage;

	if (out_policy)
		*out_policy = NULL;
	if ((error = sb__db_prepare(db, &st, "SELECT stage, policy FROM round_round WHERE code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_step(st)) < 0)
		return error;
	if (error == 0)
		return sb_error_set(SB_ENOTFOUND, "round %s: no such round (create it with `round create`)", code);
	stage = (int)sb__stmt_int64(st, 0);
	xml = sb__strdup(sb__stmt_text(st, 1));
	sb__stmt_reset(st);
	if (!xml)
		return SB_ENOMEM;
	/*
	 * The life of a round is one line: a step needs the one before it, and may be taken
	 * again (same inputs, same result) only until the next one has been taken, because
	 * what came after was computed from it. Resolving ties belongs to ranking.
	 */
	if (stage < step - 1) {
		error = sb_error_set(SB_ESTATE, "round %s: `round %s` must come first (last step taken: `round %s`)",
				     code, sb__round_step_name(stage + 1), sb__round_step_name(stage));
		goto done;
	}
	if (stage > step && step != SB_ROUND_OUTCOME) {
		error = sb_error_set(SB_ESTATE, "round %s: `round %s` has been taken; `round %s` can no longer be rerun",
				     code, sb__round_step_name(step + 1), sb__round_step_name(step));
		goto done;
	}
	if (out_policy && (error = sb__round_policy_parse(out_policy, xml, strlen(xml), code, 0)) < 0)
		goto done;
done:
	free(xml);
	return error;
}

int sb__round_tune(sb_db *db)
{
	int error;
	if ((error = sb__db_exec(db, "PRAGMA cache_size = -262144")) < 0)
		return error;
	return sb__db_exec(db, "PRAGMA mmap_size = 1073741824");
}

int sb__round_set_stage(sb_db *db, const char *code, int step)
{
	sb__stmt *st;
	int error;
	if ((error = sb__db_prepare(db, &st, "UPDATE round_round SET stage = ?2 WHERE code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_int64(st, 2, step)) < 0)
		return error;
	return sb__stmt_run(st);
}

/* ---- create ----------------------------------------------------------------------------- */

static int check_code(const char *code)
{
	const char *p;
	if (!code || !*code || strlen(code) > 64)
		return sb_error_set(SB_EUSAGE, "round code must be 1 to 64 characters");
	for (p = code; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return sb_error_set(SB_EUSAGE, "round code '%s': use letters, digits, '-', '_' and '.'", code);
	return 0;
}

SB_EXTERN(int) sb_round_create(sb_db *db, const char *code, const char *policy_path)
{
	sb__round_policy *p = NULL;
	sb__csv *c = NULL;
	sb__stmt *st;
	char *xml = NULL;
	size_t len = 0;
	int error = 0, stage;

	if ((error = check_code(code)) < 0)
		return error;
	if ((error = sb__read_file(&xml, &len, policy_path)) < 0)
		goto done;
	if ((error = sb__round_policy_parse(&p, xml, len, policy_path, 1)) < 0)
		goto done;
	/* the file's digest, through the CSV reader's hashing of raw bytes */
	if ((error = sb__csv_open_mem(&c, policy_path, xml, len)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	if (sb__round_stage(&stage, db, code) == 0) {
		error = sb_error_set(SB_EEXISTS, "round %s: already exists", code);
	} else {
		sb_error_clear();
		if ((error = sb__db_prepare(db, &st,
					    "INSERT INTO round_round(code, name, policy, policy_sha256, stage) "
					    "VALUES (?1, ?2, ?3, ?4, 0)")) >= 0 &&
		    (error = sb__stmt_bind_text(st, 1, code)) >= 0 &&
		    (error = sb__stmt_bind_text(st, 2, p->name)) >= 0 &&
		    (error = sb__stmt_bind_text(st, 3, xml)) >= 0 &&
		    (error = sb__stmt_bind_text(st, 4, sb__csv_digest(c))) >= 0 &&
		    (error = sb__stmt_run(st)) >= 0)
			error = sb__audit_append(db, "round %s: created from %s (sha256 %s): %s", code,
						 policy_path, sb__csv_digest(c), p->name);
	}
	error = sb__db_tx_end(db, error);
done:
	sb__csv_free(c);
	sb__round_policy_free(p);
	free(xml);
	return error;
}

/* ---- posts ------------------------------------------------------------------------------ */

static int hukou_scope(const char *s)
{
	if (strcmp(s, "any") == 0 || !*s)
		return SB_ROUND_HUKOU_ANY;
	if (strcmp(s, "province") == 0)
		return SB_ROUND_HUKOU_PROVINCE;
	if (strcmp(s, "prefecture") == 0)
		return SB_ROUND_HUKOU_PREFECTURE;
	if (strcmp(s, "county") == 0)
		return SB_ROUND_HUKOU_COUNTY;
	return -1;
}

static const char *const scope_names[] = { "any", "province", "prefecture", "county" };

/* A non-negative whole number without sign or spaces; -1 when not. */
static int64_t whole(const char *s)
{
	int64_t v = 0;
	if (!*s || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Split a ';'-list into trimmed items; validation of each is the caller's. */
static int split_list(char ***out, size_t *out_n, const char *s)
{
	char **items = NULL;
	size_t n = 0, cap = 0;
	const char *p = s, *e;
	*out = NULL;
	*out_n = 0;
	while (*p) {
		const char *a, *b;
		char **grown;
		e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		for (a = p; a < e && *a == ' '; a++)
			;
		for (b = e; b > a && b[-1] == ' '; b--)
			;
		if (b > a) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				if (!(grown = sb__realloc(items, cap * sizeof(*items))))
					goto nomem;
				items = grown;
			}
			if (!(items[n] = sb__strndup(a, (size_t)(b - a))))
				goto nomem;
			n++;
		}
		p = *e ? e + 1 : e;
	}
	*out = items;
	*out_n = n;
	return 0;
nomem:
	while (n > 0)
		free(items[--n]);
	free(items);
	return SB_ENOMEM;
}

static void free_list(char **items, size_t n)
{
	while (n > 0)
		free(items[--n]);
	free(items);
}

static int in_list(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list;
	if (!len)
		return 0;
	while (*p) {
		const char *e = strchr(p, ';'), *a = p, *b;
		if (!e)
			e = p + strlen(p);
		while (a < e && *a == ' ')
			a++;
		b = e;
		while (b > a && b[-1] == ' ')
			b--;
		if ((size_t)(b - a) == len && memcmp(a, item, len) == 0)
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/* The level of a registry division, 0 when unknown; cached in `m` (val: level + 1). */
static int division_level(int *out, sb__round_map *m, sb_db *db, const char *code)
{
	sb__round_ent *e = sb__round_map_get(m, code);
	sb_division d;
	int error, isnew;
	if (e) {
		*out = (int)e->val;
		return 0;
	}
	memset(&d, 0, sizeof(d));
	error = sb_org_division(&d, db, code);
	if (error < 0 && error != SB_ENOTFOUND)
		return error;
	*out = error == 0 ? d.level : 0;
	sb_division_clear(&d);
	sb_error_clear();
	if (!(e = sb__round_map_put(m, code, &isnew)))
		return SB_ENOMEM;
	e->val = *out;
	return 0;
}

SB_EXTERN(int) sb_round_posts(sb_db *db, const char *code, const char *path, int64_t *out_rows)
{
	static const sb__csv_col cols[] = {
		{ "post_id", 1 }, { "station_code", 1 }, { "title", 1 }, { "kind", 1 }, { "quota", 1 },
		{ "pool", 1 }, { "education", 1 }, { "majors", 1 }, { "max_age", 1 },
		{ "hukou_scope", 1 }, { "language", 1 },
	};
	enum { C_ID, C_STATION, C_TITLE, C_KIND, C_QUOTA, C_POOL, C_EDU, C_MAJORS, C_AGE, C_HUKOU, C_LANG };
	int map[11];
	sb__round_map seen = { 0 }, levels = { 0 };
	sb__csv *c = NULL;
	sb__stmt *st;
	int64_t rows = 0;
	int error = 0, r;

	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 11, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	if ((error = sb__round_enter(NULL, db, code, SB_ROUND_POSTS)) < 0)
		goto tx;
	if ((error = sb__db_prepare(db, &st, "DELETE FROM round_post WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_run(st)) < 0)
		goto tx;
	while ((r = sb__csv_next(c)) > 0) {
		const char *id = sb__csv_field(c, map[C_ID]), *station = sb__csv_field(c, map[C_STATION]);
		const char *kind = sb__csv_field(c, map[C_KIND]), *edu = sb__csv_field(c, map[C_EDU]);
		const char *age = sb__csv_field(c, map[C_AGE]), *scope = sb__csv_field(c, map[C_HUKOU]);
		int64_t quota = whole(sb__csv_field(c, map[C_QUOTA])), max_age = 0;
		int level, want, edu_level = 0, isnew;
		sb__round_ent *e;

		rows++;
		if (!*id || strlen(id) > 64 || strchr(id, ';')) {
			error = sb__csv_error(c, "post_id", "must be 1 to 64 characters without ';'");
			goto tx;
		}
		if (!(e = sb__round_map_put(&seen, id, &isnew))) {
			error = SB_ENOMEM;
			goto tx;
		}
		if (!isnew) {
			error = sb__csv_error(c, "post_id", "'%s' is already on line %lld", id, (long long)e->val);
			goto tx;
		}
		e->val = sb__csv_line(c);
		if (strcmp(kind, "service") != 0 && strcmp(kind, "office") != 0) {
			error = sb__csv_error(c, "kind", "'%s': must be service or office", kind);
			goto tx;
		}
		if ((error = division_level(&level, &levels, db, station)) < 0)
			goto tx;
		/* 服务性岗位 sit at a village point, 事务性岗位 at the township station (SPEC §3). */
		want = strcmp(kind, "service") == 0 ? SB_LEVEL_VILLAGE : SB_LEVEL_TOWNSHIP;
		if (level == 0) {
			error = sb__csv_error(c, "station_code", "'%s': no such division in the registry", station);
			goto tx;
		}
		if (level != want) {
			error = sb__csv_error(c, "station_code", "'%s' is a level-%d division; a %s post needs a %s code",
					      station, level, kind, want == SB_LEVEL_VILLAGE ? "village" : "township");
			goto tx;
		}
		if (!*sb__csv_field(c, map[C_TITLE])) {
			error = sb__csv_error(c, "title", "is empty");
			goto tx;
		}
		if (quota <= 0 || quota > 100000) {
			error = sb__csv_error(c, "quota", "'%s': must be a whole number of seats, at least 1",
					      sb__csv_field(c, map[C_QUOTA]));
			goto tx;
		}
		if (*edu && (edu_level = sb__round_education(edu)) < 0) {
			error = sb__csv_error(c, "education", "'%s': must be empty or one of 大专, 本科, 硕士, 博士", edu);
			goto tx;
		}
		if (*age && ((max_age = whole(age)) <= 0 || max_age > 100)) {
			error = sb__csv_error(c, "max_age", "'%s': must be empty or a whole number of years", age);
			goto tx;
		}
		if (hukou_scope(scope) < 0) {
			error = sb__csv_error(c, "hukou_scope", "'%s': must be any, province, prefecture or county", scope);
			goto tx;
		}
		if ((error = sb__db_prepare(db, &st,
					    "INSERT INTO round_post(round_code, post_id, station_code, title, kind, quota, "
					    "open_quota, pool, education, majors, max_age, hukou_scope, language) "
					    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")) < 0 ||
		    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_text(st, 2, id)) < 0 ||
		    (error = sb__stmt_bind_text(st, 3, station)) < 0 ||
		    (error = sb__stmt_bind_text(st, 4, sb__csv_field(c, map[C_TITLE]))) < 0 ||
		    (error = sb__stmt_bind_text(st, 5, kind)) < 0 || (error = sb__stmt_bind_int64(st, 6, quota)) < 0 ||
		    (error = sb__stmt_bind_text(st, 7, sb__csv_field(c, map[C_POOL]))) < 0 ||
		    (error = sb__stmt_bind_int64(st, 8, edu_level)) < 0 ||
		    (error = sb__stmt_bind_text(st, 9, sb__csv_field(c, map[C_MAJORS]))) < 0 ||
		    (error = sb__stmt_bind_int64(st, 10, max_age)) < 0 ||
		    (error = sb__stmt_bind_int64(st, 11, hukou_scope(scope))) < 0 ||
		    (error = sb__stmt_bind_text(st, 12, sb__csv_field(c, map[C_LANG]))) < 0 ||
		    (error = sb__stmt_run(st)) < 0)
			goto tx;
	}
	if (r < 0) {
		error = r;
		goto tx;
	}
	if (rows == 0) {
		error = sb_error_set(SB_EINVALID, "%s:1: post_id: the file has no posts", sb__csv_name(c));
		goto tx;
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_POSTS)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld posts loaded from %s (sha256 %s)", code, (long long)rows,
				 path, sb__csv_digest(c));
tx:
	error = sb__db_tx_end(db, error);
done:
	if (out_rows)
		*out_rows = error < 0 ? 0 : rows;
	sb__round_map_free(&seen);
	sb__round_map_free(&levels);
	sb__csv_free(c);
	return error;
}

/* ---- posts and units in memory ----------------------------------------------------------- */

static void post_clear(sb__round_post *p)
{
	free(p->post_id);
	free(p->station_code);
	free(p->title);
	free(p->kind);
	free(p->pool);
	free(p->majors);
	free(p->language);
}

void sb__round_units_free(sb__round_unit *units, size_t n)
{
	size_t i, j;
	if (!units)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < units[i].nposts; j++)
			post_clear(&units[i].posts[j]);
		free(units[i].posts);
		free(units[i].unit);
	}
	free(units);
}

static const char *unit_of(const sb__round_post *p)
{
	return *p->pool ? p->pool : p->post_id;
}

static int post_sort(const void *a, const void *b)
{
	const sb__round_post *x = a, *y = b;
	int c = sb__round_post_cmp(unit_of(x), unit_of(y));
	return c ? c : sb__round_post_cmp(x->post_id, y->post_id);
}

/* All posts of the round sorted by unit then post id; the policy's age limit folded in. */
static int load_posts(sb__round_post **out, size_t *out_n, sb_db *db, const char *code, int policy_age)
{
	sb__round_post *posts = NULL, *grown;
	size_t n = 0, cap = 0;
	sb__stmt *st;
	int error, r;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__db_prepare(db, &st,
				    "SELECT post_id, station_code, title, kind, pool, quota, open_quota, education, "
				    "majors, max_age, hukou_scope, language FROM round_post WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		return error;
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_post *p;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = sb__realloc(posts, cap * sizeof(*posts)))) {
				r = SB_ENOMEM;
				break;
			}
			posts = grown;
		}
		p = &posts[n++];
		memset(p, 0, sizeof(*p));
		p->post_id = sb__strdup(sb__stmt_text(st, 0));
		p->station_code = sb__strdup(sb__stmt_text(st, 1));
		p->title = sb__strdup(sb__stmt_text(st, 2));
		p->kind = sb__strdup(sb__stmt_text(st, 3));
		p->pool = sb__strdup(sb__stmt_text(st, 4));
		p->quota = sb__stmt_int64(st, 5);
		p->open_quota = sb__stmt_int64(st, 6);
		p->education = (int)sb__stmt_int64(st, 7);
		p->majors = sb__strdup(sb__stmt_text(st, 8));
		p->max_age = (int)sb__stmt_int64(st, 9);
		p->hukou_scope = (int)sb__stmt_int64(st, 10);
		p->language = sb__strdup(sb__stmt_text(st, 11));
		if (policy_age > 0 && (p->max_age == 0 || policy_age < p->max_age))
			p->max_age = policy_age;
		if (!p->post_id || !p->station_code || !p->title || !p->kind || !p->pool || !p->majors ||
		    !p->language) {
			r = SB_ENOMEM;
			break;
		}
	}
	if (r < 0) {
		sb__stmt_reset(st);
		while (n > 0)
			post_clear(&posts[--n]);
		free(posts);
		return r;
	}
	if (n)
		qsort(posts, n, sizeof(*posts), post_sort);
	*out = posts;
	*out_n = n;
	return 0;
}

static int find_post(const sb__round_post *posts, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(posts[mid].post_id, id);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int post_id_sort(const void *a, const void *b)
{
	return strcmp(((const sb__round_post *)a)->post_id, ((const sb__round_post *)b)->post_id);
}

/* Group posts (sorted by unit) into units; takes ownership of `posts`' contents. */
static int group_units(sb__round_unit **out, size_t *out_n, sb__round_post *posts, size_t n)
{
	sb__round_unit *units = NULL;
	size_t nu = 0, i, j;
	*out = NULL;
	*out_n = 0;
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(unit_of(&posts[i]), unit_of(&posts[i - 1])) != 0)
			nu++;
	if (nu && !(units = sb__calloc(nu, sizeof(*units))))
		return SB_ENOMEM;
	for (i = 0, j = 0; i < n; j++) {
		size_t k = i;
		while (k < n && strcmp(unit_of(&posts[k]), unit_of(&posts[i])) == 0)
			k++;
		units[j].is_pool = *posts[i].pool != '\0';
		units[j].unit = sb__strdup(unit_of(&posts[i]));
		units[j].posts = sb__calloc(k - i, sizeof(*units[j].posts));
		if (!units[j].unit || !units[j].posts) {
			/* The units hold shallow copies of `posts`, which the caller clears: free
			 * only the units' own parts here (else a double free). */
			for (k = 0; k <= j; k++) {
				free(units[k].unit);
				free(units[k].posts);
			}
			free(units);
			return SB_ENOMEM;
		}
		memcpy(units[j].posts, &posts[i], (k - i) * sizeof(*posts));
		units[j].nposts = k - i;
		for (; i < k; i++) {
			units[j].quota += posts[i].quota;
			units[j].open_quota += posts[i].open_quota;
		}
	}
	*out = units;
	*out_n = nu;
	return 0;
}

int sb__round_units(sb__round_unit **out, size_t *out_n, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	sb__round_post *posts = NULL;
	size_t n = 0, i;
	int error, stage;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_POSTS)
		return sb_error_set(SB_ESTATE, "round %s: `round posts` must come first", code);
	if ((error = sb__round_enter(&pol, db, code, stage)) < 0)
		return error;
	if ((error = load_posts(&posts, &n, db, code, pol->max_age)) < 0)
		goto done;
	if ((error = group_units(out, out_n, posts, n)) < 0) {
		for (i = 0; i < n; i++)
			post_clear(&posts[i]);
	}
done:
	free(posts);
	sb__round_policy_free(pol);
	return error;
}

/* ---- applications ------------------------------------------------------------------------- */

static const char *const qualifications[] = { "none", "assistant", "intermediate", "senior" };

static int is_qualification(const char *s)
{
	size_t i;
	for (i = 0; i < 4; i++)
		if (strcmp(s, qualifications[i]) == 0)
			return 1;
	return 0;
}

SB_EXTERN(int) sb_round_apply(sb_db *db, const char *code, const char *path, int64_t *out_rows,
			      sb_progress_fn progress, void *ctx)
{
	static const sb__csv_col cols[] = {
		{ "app_no", 1 }, { "id_number", 1 }, { "name", 1 }, { "post_id", 1 }, { "hukou_code", 1 },
		{ "home_code", 1 }, { "education", 1 }, { "major", 1 }, { "qualification", 1 },
		{ "bonus", 1 }, { "languages", 1 }, { "preferences", 1 },
	};
	enum { C_APP, C_ID, C_NAME, C_POST, C_HUKOU, C_HOME, C_EDU, C_MAJOR, C_QUAL, C_BONUS, C_LANG, C_PREF };
	int map[12];
	sb__round_map apps = { 0 }, people = { 0 }, levels = { 0 };
	sb__round_policy *pol = NULL;
	sb__round_post *posts = NULL;
	size_t nposts = 0, i;
	sb__csv *c = NULL;
	sb__stmt *st, *ins;
	int64_t rows = 0;
	int error = 0, r;

	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 12, map)) < 0 ||
	    (error = sb__round_tune(db)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_APPLY)) < 0)
		goto tx;
	if ((error = load_posts(&posts, &nposts, db, code, 0)) < 0)
		goto tx;
	qsort(posts, nposts, sizeof(*posts), post_id_sort);
	if ((error = sb__db_prepare(db, &st, "DELETE FROM round_app WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_run(st)) < 0)
		goto tx;
	/* prepared once: a million rows must not look the statement up a million times */
	if ((error = sb__db_prepare(db, &ins,
				    "INSERT INTO round_app(round_code, app_no, id_number, name, post_id, hukou_code, "
				    "home_code, education, major, qualification, bonus, languages, preferences) "
				    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")) < 0)
		goto tx;
	while ((r = sb__csv_next(c)) > 0) {
		const char *app = sb__csv_field(c, map[C_APP]), *id = sb__csv_field(c, map[C_ID]);
		const char *name = sb__csv_field(c, map[C_NAME]), *post = sb__csv_field(c, map[C_POST]);
		const char *edu = sb__csv_field(c, map[C_EDU]), *qual = sb__csv_field(c, map[C_QUAL]);
		const char *bonus_s = sb__csv_field(c, map[C_BONUS]), *pref = sb__csv_field(c, map[C_PREF]);
		const char *codes[2] = { sb__csv_field(c, map[C_HUKOU]), sb__csv_field(c, map[C_HOME]) };
		static const char *const code_fields[2] = { "hukou_code", "home_code" };
		sb__round_ent *e;
		char **prefs = NULL;
		size_t nprefs = 0, k;
		int64_t bonus = 0;
		int pi, isnew, level, edu_level;

		rows++;
		if (progress && (rows & 0x3fff) == 0)
			progress((uint64_t)sb__csv_offset(c), (uint64_t)sb__csv_size(c), "applications", ctx);
		if (!*app || strlen(app) > 64) {
			error = sb__csv_error(c, "app_no", "must be 1 to 64 characters");
			goto tx;
		}
		if (!(e = sb__round_map_put(&apps, app, &isnew))) {
			error = SB_ENOMEM;
			goto tx;
		}
		if (!isnew) {
			error = sb__csv_error(c, "app_no", "'%s' is already on line %lld", app, (long long)e->val);
			goto tx;
		}
		e->val = sb__csv_line(c);
		if (sb_person_id_check(NULL, id) < 0) {
			error = sb__csv_error(c, "id_number", "'%s': %s", id, sb_error_last());
			goto tx;
		}
		/* One application per person in a round, as in the civil-service exams (一人一岗). */
		if (!(e = sb__round_map_put(&people, id, &isnew))) {
			error = SB_ENOMEM;
			goto tx;
		}
		if (!isnew) {
			error = sb__csv_error(c, "id_number", "'%s' has already applied on line %lld (one application per person)",
					      id, (long long)e->val);
			goto tx;
		}
		e->val = sb__csv_line(c);
		if (!*name || strlen(name) > 200) {
			error = sb__csv_error(c, "name", "is empty");
			goto tx;
		}
		if ((pi = find_post(posts, nposts, post)) < 0) {
			error = sb__csv_error(c, "post_id", "'%s': no such post in round %s", post, code);
			goto tx;
		}
		for (k = 0; k < 2; k++) {
			if ((error = division_level(&level, &levels, db, codes[k])) < 0)
				goto tx;
			if (level == 0) {
				error = sb__csv_error(c, code_fields[k], "'%s': no such division in the registry", codes[k]);
				goto tx;
			}
			if (level < SB_LEVEL_TOWNSHIP) {
				error = sb__csv_error(c, code_fields[k], "'%s' is a level-%d division; a township or village code is needed",
						      codes[k], level);
				goto tx;
			}
		}
		if ((edu_level = sb__round_education(edu)) < 0) {
			error = sb__csv_error(c, "education", "'%s': must be one of 大专, 本科, 硕士, 博士", edu);
			goto tx;
		}
		if (!is_qualification(qual)) {
			error = sb__csv_error(c, "qualification", "'%s': must be none, assistant, intermediate or senior", qual);
			goto tx;
		}
		if (*bonus_s && (sb_decimal_parse(&bonus, bonus_s, 2) < 0 || bonus < 0 || bonus > 10000)) {
			error = sb__csv_error(c, "bonus", "'%s': must be a score from 0 with at most two decimals", bonus_s);
			goto tx;
		}
		if ((error = split_list(&prefs, &nprefs, pref)) < 0)
			goto tx;
		for (k = 0; k < nprefs; k++) {
			int q = find_post(posts, nposts, prefs[k]);
			size_t m;
			if (q < 0)
				error = sb__csv_error(c, "preferences", "'%s': no such post in round %s", prefs[k], code);
			else if (strcmp(unit_of(&posts[q]), unit_of(&posts[pi])) != 0)
				error = sb__csv_error(c, "preferences", "'%s' is not in the unit '%s' of post %s", prefs[k],
						      unit_of(&posts[pi]), post);
			for (m = 0; !error && m < k; m++)
				if (strcmp(prefs[m], prefs[k]) == 0)
					error = sb__csv_error(c, "preferences", "'%s' is listed twice", prefs[k]);
			if (error)
				break;
		}
		free_list(prefs, nprefs);
		if (error < 0)
			goto tx;
		st = ins;
		if ((error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_text(st, 2, app)) < 0 ||
		    (error = sb__stmt_bind_text(st, 3, id)) < 0 || (error = sb__stmt_bind_text(st, 4, name)) < 0 ||
		    (error = sb__stmt_bind_text(st, 5, post)) < 0 || (error = sb__stmt_bind_text(st, 6, codes[0])) < 0 ||
		    (error = sb__stmt_bind_text(st, 7, codes[1])) < 0 ||
		    (error = sb__stmt_bind_int64(st, 8, edu_level)) < 0 ||
		    (error = sb__stmt_bind_text(st, 9, sb__csv_field(c, map[C_MAJOR]))) < 0 ||
		    (error = sb__stmt_bind_text(st, 10, qual)) < 0 || (error = sb__stmt_bind_int64(st, 11, bonus)) < 0 ||
		    (error = sb__stmt_bind_text(st, 12, sb__csv_field(c, map[C_LANG]))) < 0 ||
		    (error = sb__stmt_bind_text(st, 13, pref)) < 0 || (error = sb__stmt_run(st)) < 0)
			goto tx;
	}
	if (r < 0) {
		error = r;
		goto tx;
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_APPLY)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: %lld applications loaded from %s (sha256 %s)", code,
				 (long long)rows, path, sb__csv_digest(c));
tx:
	error = sb__db_tx_end(db, error);
done:
	if (out_rows)
		*out_rows = error < 0 ? 0 : rows;
	for (i = 0; i < nposts; i++)
		post_clear(&posts[i]);
	free(posts);
	sb__round_policy_free(pol);
	sb__round_map_free(&apps);
	sb__round_map_free(&people);
	sb__round_map_free(&levels);
	sb__csv_free(c);
	return error;
}

/* ---- screening ---------------------------------------------------------------------------- */

/* Ancestors already looked up: "level:code" -> index into `codes`. */
typedef struct {
	sb__round_map map;
	char (*codes)[13];
	size_t n, cap;
} anc_cache;

static void anc_cache_free(anc_cache *c)
{
	sb__round_map_free(&c->map);
	free(c->codes);
}

/* The ancestor of `code` at `level` (sb_org_ancestor), through the cache when there is one. */
static int ancestor(char out[13], anc_cache *cache, sb_db *db, const char *code, int level)
{
	char key[64];
	sb__round_ent *e;
	int error, isnew;

	snprintf(key, sizeof(key), "%d:%s", level, code);
	if (cache && (e = sb__round_map_get(&cache->map, key))) {
		memcpy(out, cache->codes[e->val], 13);
		return 0;
	}
	if ((error = sb_org_ancestor(out, db, code, level)) < 0)
		return error;
	if (!cache)
		return 0;
	if (cache->n == cache->cap) {
		size_t cap = cache->cap ? cache->cap * 2 : 256;
		char (*g)[13] = sb__realloc(cache->codes, cap * sizeof(*g));
		if (!g)
			return SB_ENOMEM;
		cache->codes = g;
		cache->cap = cap;
	}
	if (!(e = sb__round_map_put(&cache->map, key, &isnew)))
		return SB_ENOMEM;
	memcpy(cache->codes[cache->n], out, 13);
	e->val = (int64_t)cache->n++;
	return 0;
}

/*
 * Rule 1 for one post and one applicant: append each failing requirement to `why`.
 * `cache` (may be NULL) keeps the registry's ancestors between calls.
 */
static int check_post(int *out_open, sb_buf *why, anc_cache *cache, sb_db *db,
		      const sb__round_post *post, int age, int education, const char *major,
		      const char *languages, const char *hukou_code)
{
	int open = 1, error;
	if (post->max_age > 0 && age > post->max_age) {
		open = 0;
		if (why)
			sb__buf_printf(why, "%sage %d above %d", why->len ? "; " : "", age, post->max_age);
	}
	if (education < post->education) {
		open = 0;
		if (why)
			sb__buf_printf(why, "%seducation %s below %s", why->len ? "; " : "",
				       sb__round_education_name(education), sb__round_education_name(post->education));
	}
	if (*post->majors && !in_list(post->majors, major)) {
		open = 0;
		if (why)
			sb__buf_printf(why, "%smajor '%s' not among %s", why->len ? "; " : "", major, post->majors);
	}
	if (post->hukou_scope != SB_ROUND_HUKOU_ANY) {
		char a[13], b[13];
		if ((error = ancestor(a, cache, db, post->station_code, post->hukou_scope)) < 0 ||
		    (error = ancestor(b, cache, db, hukou_code, post->hukou_scope)) < 0)
			return error;
		if (strcmp(a, b) != 0) {
			open = 0;
			if (why)
				sb__buf_printf(why, "%shukou %s outside the %s %s", why->len ? "; " : "", hukou_code,
					       scope_names[post->hukou_scope], a);
		}
	}
	if (*post->language && !in_list(languages, post->language)) {
		open = 0;
		if (why)
			sb__buf_printf(why, "%slanguage %s not held", why->len ? "; " : "", post->language);
	}
	*out_open = open;
	return why ? sb__buf_failed(why) : 0;
}

int sb__round_post_open_to(int *out_open, char **out_reason, sb_db *db, const sb__round_post *post,
			   const sb__round_app *app)
{
	sb_buf why = SB_BUF_INIT;
	int error;
	if (out_reason)
		*out_reason = NULL;
	if ((error = check_post(out_open, out_reason ? &why : NULL, NULL, db, post, app->age, app->education,
				app->major, app->languages, app->hukou_code)) < 0)
		goto done;
	if (out_reason && !*out_open)
		*out_reason = sb__buf_detach(&why);
done:
	sb__buf_free(&why);
	return error;
}

/* Age in completed years on the policy's reference date, from the ID number's birth date. */
static int age_of(const char *id, const sb__round_policy *pol)
{
	int y = 0, m = 0, d = 0, i;
	for (i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	return sb__age_on(y, m, d, pol->ref_y, pol->ref_m, pol->ref_d);
}

/* Rule 2: take `cut` seats off a pool, one at a time from the post with most seats left. */
static void cut_seats(sb__round_unit *u, int64_t cut)
{
	while (cut-- > 0) {
		size_t i, best = u->nposts;
		for (i = 0; i < u->nposts; i++) {
			sb__round_post *p = &u->posts[i];
			if (p->open_quota <= 0)
				continue;
			if (best == u->nposts || p->open_quota > u->posts[best].open_quota ||
			    (p->open_quota == u->posts[best].open_quota &&
			     sb__round_post_cmp(p->post_id, u->posts[best].post_id) > 0))
				best = i;
		}
		if (best == u->nposts)
			break;
		u->posts[best].open_quota--;
		u->open_quota--;
	}
}

void sb_round_screening_free(sb_round_screening *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->nunits; i++)
		free(s->units[i].unit);
	for (i = 0; i < s->nrejections; i++) {
		free(s->rejections[i].app_no);
		free(s->rejections[i].post_id);
		free(s->rejections[i].reason);
	}
	free(s->units);
	free(s->rejections);
	free(s);
}

SB_EXTERN(int) sb_round_screen(sb_round_screening **out, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	sb__round_unit *units = NULL;
	size_t nunits = 0, u, j;
	sb__round_map postix = { 0 };
	anc_cache cache = { { 0 }, NULL, 0, 0 };
	int64_t *eligible = NULL, total = 0, ok_total = 0;
	sb_buf why = SB_BUF_INIT;
	sb__stmt *st, *up;
	typedef struct {
		int64_t id;
		char *reason; /* NULL: eligible */
	} decision;
	decision *dec = NULL;
	size_t ndec = 0, capdec = 0;
	int error = 0, r;

	if (out)
		*out = NULL;
	if ((error = sb__round_tune(db)) < 0 || (error = sb__db_tx_begin(db)) < 0)
		return error;
	if ((error = sb__round_enter(&pol, db, code, SB_ROUND_SCREEN)) < 0)
		goto tx;
	/* screening starts from the posted quotas every time, so a rerun gives the same result */
	if ((error = sb__db_prepare(db, &st, "UPDATE round_post SET open_quota = quota WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_run(st)) < 0)
		goto tx;
	if ((error = sb__round_units(&units, &nunits, db, code)) < 0)
		goto tx;
	if (!(eligible = sb__calloc(nunits ? nunits : 1, sizeof(*eligible)))) {
		error = SB_ENOMEM;
		goto tx;
	}
	for (u = 0; u < nunits; u++)
		for (j = 0; j < units[u].nposts; j++) {
			int isnew;
			sb__round_ent *e = sb__round_map_put(&postix, units[u].posts[j].post_id, &isnew);
			if (!e) {
				error = SB_ENOMEM;
				goto tx;
			}
			e->val = (int64_t)((u << 20) | j);
		}
	if ((error = sb__db_prepare(db, &st,
				    "SELECT id, id_number, post_id, hukou_code, education, major, languages "
				    "FROM round_app WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto tx;
	/* decide every application first, then write: no cursor stays open on the table */
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_ent *e = sb__round_map_get(&postix, sb__stmt_text(st, 2));
		const sb__round_post *post;
		int open;
		if (!e) {
			r = sb_error_set(SB_EDB, "round %s: application for a post that is gone", code);
			break;
		}
		u = (size_t)(e->val >> 20);
		post = &units[u].posts[e->val & 0xfffff];
		why.len = 0;
		if (why.ptr)
			why.ptr[0] = '\0';
		if ((r = check_post(&open, &why, &cache, db, post, age_of(sb__stmt_text(st, 1), pol),
				    (int)sb__stmt_int64(st, 4), sb__stmt_text(st, 5), sb__stmt_text(st, 6),
				    sb__stmt_text(st, 3))) < 0)
			break;
		if (ndec == capdec) {
			decision *g;
			capdec = capdec ? capdec * 2 : 1024;
			if (!(g = sb__realloc(dec, capdec * sizeof(*g)))) {
				r = SB_ENOMEM;
				break;
			}
			dec = g;
		}
		dec[ndec].id = sb__stmt_int64(st, 0);
		dec[ndec].reason = NULL;
		if (!open && !(dec[ndec].reason = sb__strdup(why.ptr ? why.ptr : ""))) {
			r = SB_ENOMEM;
			break;
		}
		ndec++;
		total++;
		if (open) {
			eligible[u]++;
			ok_total++;
		}
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto tx;
	}
	if ((error = sb__db_prepare(db, &up, "UPDATE round_app SET eligible = ?2, reason = ?3 WHERE id = ?1")) < 0)
		goto tx;
	for (j = 0; j < ndec; j++)
		if ((error = sb__stmt_bind_int64(up, 1, dec[j].id)) < 0 ||
		    (error = sb__stmt_bind_int64(up, 2, dec[j].reason == NULL)) < 0 ||
		    (error = sb__stmt_bind_text(up, 3, dec[j].reason)) < 0 || (error = sb__stmt_run(up)) < 0)
			goto tx;
	/* Rule 2: 开考比例. Below ratio × quota, floor(eligible / ratio) seats stay open. */
	for (u = 0; u < nunits && pol->opening_ratio > 0; u++) {
		sb__round_unit *un = &units[u];
		int64_t keep;
		if (eligible[u] >= (int64_t)pol->opening_ratio * un->quota)
			continue;
		keep = pol->opening_cancel ? 0 : eligible[u] / pol->opening_ratio;
		cut_seats(un, un->open_quota - keep);
		for (j = 0; j < un->nposts; j++)
			if ((error = sb__db_prepare(db, &up,
						    "UPDATE round_post SET open_quota = ?3 WHERE round_code = ?1 AND post_id = ?2")) < 0 ||
			    (error = sb__stmt_bind_text(up, 1, code)) < 0 ||
			    (error = sb__stmt_bind_text(up, 2, un->posts[j].post_id)) < 0 ||
			    (error = sb__stmt_bind_int64(up, 3, un->posts[j].open_quota)) < 0 ||
			    (error = sb__stmt_run(up)) < 0)
				goto tx;
	}
	if ((error = sb__round_set_stage(db, code, SB_ROUND_SCREEN)) < 0)
		goto tx;
	error = sb__audit_append(db, "round %s: screened %lld applications, %lld eligible", code,
				 (long long)total, (long long)ok_total);
	/* The result is read before the commit: a failure reading it must undo the screening. */
	if (error >= 0 && out)
		error = sb_round_screening_get(out, db, code);
tx:
	error = sb__db_tx_end(db, error);
	if (error < 0 && out && *out) {
		sb_round_screening_free(*out);
		*out = NULL;
	}
	sb__buf_free(&why);
	for (j = 0; j < ndec; j++)
		free(dec[j].reason);
	free(dec);
	free(eligible);
	sb__round_units_free(units, nunits);
	anc_cache_free(&cache);
	sb__round_map_free(&postix);
	sb__round_policy_free(pol);
	return error;
}

SB_EXTERN(int) sb_round_screening_get(sb_round_screening **out, sb_db *db, const char *code)
{
	sb_round_screening *s = NULL;
	sb__round_unit *units = NULL;
	size_t nunits = 0, u, j, cap = 0;
	sb__round_map postix = { 0 };
	sb__stmt *st;
	int error = 0, r, stage;

	*out = NULL;
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_SCREEN)
		return sb_error_set(SB_ESTATE, "round %s: `round screen` must come first", code);
	if ((error = sb__round_units(&units, &nunits, db, code)) < 0)
		goto done;
	if (!(s = sb__calloc(1, sizeof(*s))) ||
	    (nunits && !(s->units = sb__calloc(nunits, sizeof(*s->units))))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (u = 0; u < nunits; u++) {
		s->units[u].quota = units[u].quota;
		s->units[u].open_quota = units[u].open_quota;
		if (!(s->units[u].unit = sb__strdup(units[u].unit))) {
			error = SB_ENOMEM;
			goto done;
		}
		s->nunits++;
		for (j = 0; j < units[u].nposts; j++) {
			int isnew;
			sb__round_ent *e = sb__round_map_put(&postix, units[u].posts[j].post_id, &isnew);
			if (!e) {
				error = SB_ENOMEM;
				goto done;
			}
			e->val = (int64_t)u;
		}
	}
	if ((error = sb__db_prepare(db, &st,
				    "SELECT app_no, post_id, eligible, reason FROM round_app WHERE round_code = ?1 "
				    "ORDER BY id")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto done;
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_ent *e = sb__round_map_get(&postix, sb__stmt_text(st, 1));
		int ok = (int)sb__stmt_int64(st, 2);
		s->applicants++;
		if (e)
			s->units[e->val].applicants++;
		if (ok) {
			s->eligible++;
			if (e)
				s->units[e->val].eligible++;
			continue;
		}
		if (s->nrejections == cap) {
			sb_round_rejection *g;
			cap = cap ? cap * 2 : 64;
			if (!(g = sb__realloc(s->rejections, cap * sizeof(*g)))) {
				r = SB_ENOMEM;
				break;
			}
			s->rejections = g;
		}
		s->rejections[s->nrejections].app_no = sb__strdup(sb__stmt_text(st, 0));
		s->rejections[s->nrejections].post_id = sb__strdup(sb__stmt_text(st, 1));
		s->rejections[s->nrejections].reason = sb__strdup(sb__stmt_text(st, 3));
		if (!s->rejections[s->nrejections].app_no || !s->rejections[s->nrejections].post_id ||
		    !s->rejections[s->nrejections].reason) {
			s->nrejections++;
			r = SB_ENOMEM;
			break;
		}
		s->nrejections++;
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto done;
	}
	*out = s;
	s = NULL;
done:
	sb_round_screening_free(s);
	sb__round_units_free(units, nunits);
	sb__round_map_free(&postix);
	return error;
}

/* ---- what placement and hiring read -------------------------------------------------------- */

static void app_clear(sb__round_app *a)
{
	free(a->app_no);
	free(a->id_number);
	free(a->name);
	free(a->post_id);
	free(a->unit);
	free(a->hukou_code);
	free(a->home_code);
	free(a->major);
	free(a->qualification);
	free(a->languages);
	free_list(a->preferences, a->npreferences);
	free(a->status);
	free(a->outcome);
}

void sb__round_apps_free(sb__round_app *apps, size_t n)
{
	size_t i;
	if (!apps)
		return;
	for (i = 0; i < n; i++)
		app_clear(&apps[i]);
	free(apps);
}

static int app_sort(const void *a, const void *b)
{
	const sb__round_app *x = a, *y = b;
	int c = sb__round_post_cmp(x->unit, y->unit);
	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->app_no, y->app_no);
}

int sb__round_proposed(sb__round_app **out, size_t *out_n, sb_db *db, const char *code,
		       const char *unit, int passed_only)
{
	sb__round_policy *pol = NULL;
	sb__round_post *posts = NULL;
	sb__round_app *apps = NULL, *grown;
	size_t nposts = 0, n = 0, cap = 0, i;
	sb__stmt *st;
	int error, r, stage;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_RANK)
		return sb_error_set(SB_ESTATE, "round %s: `round rank` must come first", code);
	if ((error = sb__round_enter(&pol, db, code, stage)) < 0)
		return error;
	if ((error = load_posts(&posts, &nposts, db, code, 0)) < 0)
		goto done;
	qsort(posts, nposts, sizeof(*posts), post_id_sort);
	if ((error = sb__db_prepare(db, &st,
				    "SELECT app_no, id_number, name, post_id, hukou_code, home_code, education, major, "
				    "qualification, languages, preferences, rank, written_total, interview, combined, "
				    "status, outcome FROM round_app WHERE round_code = ?1 AND status = 'proposed' "
				    "AND (?2 = 0 OR outcome = 'passed')")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_bind_int64(st, 2, passed_only)) < 0)
		goto done;
	while ((r = sb__stmt_step(st)) > 0) {
		sb__round_app *a;
		int pi = find_post(posts, nposts, sb__stmt_text(st, 3));
		if (pi < 0 || (unit && strcmp(unit_of(&posts[pi]), unit) != 0))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if (!(grown = sb__realloc(apps, cap * sizeof(*apps)))) {
				r = SB_ENOMEM;
				break;
			}
			apps = grown;
		}
		a = &apps[n++];
		memset(a, 0, sizeof(*a));
		a->app_no = sb__strdup(sb__stmt_text(st, 0));
		a->id_number = sb__strdup(sb__stmt_text(st, 1));
		a->name = sb__strdup(sb__stmt_text(st, 2));
		a->post_id = sb__strdup(sb__stmt_text(st, 3));
		a->unit = sb__strdup(unit_of(&posts[pi]));
		a->hukou_code = sb__strdup(sb__stmt_text(st, 4));
		a->home_code = sb__strdup(sb__stmt_text(st, 5));
		a->education = (int)sb__stmt_int64(st, 6);
		a->major = sb__strdup(sb__stmt_text(st, 7));
		a->qualification = sb__strdup(sb__stmt_text(st, 8));
		a->languages = sb__strdup(sb__stmt_text(st, 9));
		a->rank = sb__stmt_int64(st, 11);
		a->written_total = sb__stmt_int64(st, 12);
		a->interview = sb__stmt_int64(st, 13);
		a->combined = sb__stmt_int64(st, 14);
		a->status = sb__strdup(sb__stmt_text(st, 15));
		a->outcome = sb__strdup(sb__stmt_text(st, 16));
		if (a->id_number)
			a->age = age_of(a->id_number, pol);
		if (!a->app_no || !a->id_number || !a->name || !a->post_id || !a->unit || !a->hukou_code ||
		    !a->home_code || !a->major || !a->qualification || !a->languages || !a->status || !a->outcome ||
		    split_list(&a->preferences, &a->npreferences, sb__stmt_text(st, 10)) < 0) {
			r = SB_ENOMEM;
			break;
		}
	}
	if (r < 0) {
		sb__stmt_reset(st);
		error = r;
		goto done;
	}
	if (n)
		qsort(apps, n, sizeof(*apps), app_sort);
	*out = apps;
	*out_n = n;
	apps = NULL;
done:
	sb__round_apps_free(apps, n);
	for (i = 0; i < nposts; i++)
		post_clear(&posts[i]);
	free(posts);
	sb__round_policy_free(pol);
	return error;
}

/* ---- status -------------------------------------------------------------------------------- */

SB_EXTERN(void) sb_round_status_clear(sb_round_status *s)
{
	if (s) {
		free(s->name);
		s->name = NULL;
	}
}

SB_EXTERN(int) sb_round_show(sb_round_status *out, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	sb__stmt *st;
	int error, stage;

	memset(out, 0, sizeof(*out));
	if ((error = sb__round_stage(&stage, db, code)) < 0 ||
	    (error = sb__round_enter(&pol, db, code, stage)) < 0)
		return error;
	if (!(out->name = sb__strdup(pol->name))) {
		error = SB_ENOMEM;
		goto done;
	}
	memcpy(out->reference_date, pol->reference_date, 11);
	out->stage = stage;
	out->last_step = sb__round_step_name(stage);
	out->next_step = stage < SB_ROUND_OUTCOME ? sb__round_step_name(stage + 1) : "";
	if ((error = sb__db_prepare(db, &st, "SELECT count(*) FROM round_post WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_step(st)) < 0)
		goto done;
	out->posts = sb__stmt_int64(st, 0);
	sb__stmt_reset(st);
	if ((error = sb__db_prepare(db, &st,
				    "SELECT count(*), coalesce(sum(eligible = 1), 0), coalesce(sum(shortlisted), 0), "
				    "coalesce(sum(status = 'proposed'), 0), coalesce(sum(status = 'tie'), 0) "
				    "FROM round_app WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0 || (error = sb__stmt_step(st)) < 0)
		goto done;
	out->applicants = sb__stmt_int64(st, 0);
	out->eligible = sb__stmt_int64(st, 1);
	out->shortlisted = sb__stmt_int64(st, 2);
	out->proposed = sb__stmt_int64(st, 3);
	out->ties = sb__stmt_int64(st, 4);
	sb__stmt_reset(st);
	error = 0;
done:
	if (error < 0)
		sb_round_status_clear(out);
	sb__round_policy_free(pol);
	return error;
}
