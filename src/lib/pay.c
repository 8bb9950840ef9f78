/*
 * The pay area: loading dated pay policies (xsd/pay.xsd) into the pay_ tables and back into
 * memory, each worker's level and step history (start position, qualification upgrades,
 * raises by annual assessment), declared special additional deductions and prior-year wages
 * for the 60,000 rule, and the contract terms a policy implies. Not for the calculator
 * (tax.c) nor for monthly payroll (payroll.c), which reads everything here once per run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <openssl/evp.h>

#include "audit_internal.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "db_internal.h"
#include "pay_internal.h"
#include "xml_internal.h"
#include "shuangbai/money.h"
#include "shuangbai/org.h"
#include "shuangbai/payroll.h"
#include "shuangbai/person.h"
#include "shuangbai/staff.h"

#define PAY_NS "urn:shuangbai:pay:1"

const char *const sb__pay_quals[SB__QUALS] = { "none", "assistant", "intermediate", "senior" };
static const char *const grades[SB__GRADES] = { "excellent", "competent", "basic", "incompetent" };
/* SPEC §7's raise rule, used when a policy leaves a grade out. */
static const int default_grade_steps[SB__GRADES] = { 2, 1, 0, 0 };

int sb__pay_qual_index(const char *q)
{
	int i;
	for (i = 0; i < SB__QUALS; i++)
		if (strcmp(q, sb__pay_quals[i]) == 0)
			return i;
	return -1;
}

static int grade_index(const char *g)
{
	int i;
	for (i = 0; i < SB__GRADES; i++)
		if (strcmp(g, grades[i]) == 0)
			return i;
	return -1;
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, PAY_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;
	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

static xmlNodePtr next_el(xmlNodePtr n, const char *name)
{
	for (n = n ? n->next : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

/* An attribute copied into buf ("" when absent). */
static const char *attr(char *buf, size_t size, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	snprintf(buf, size, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

static int bad(const char *file, xmlNodePtr n, const char *what)
{
	return sb_error_set(SB_EINVALID, "%s:%ld: <%s>: %s", file, xmlGetLineNo(n),
			    (const char *)n->name, what);
}

static int attr_money(int64_t *out, const char *file, xmlNodePtr n, const char *name)
{
	char v[64];
	attr(v, sizeof v, n, name);
	if (sb_decimal_parse(out, v, 2) < 0 || *out < 0)
		return sb_error_set(SB_EINVALID, "%s:%ld: <%s> %s: '%s' is not an amount in yuan",
				    file, xmlGetLineNo(n), (const char *)n->name, name, v);
	return 0;
}

static int attr_int(int *out, const char *file, xmlNodePtr n, const char *name)
{
	char v[64];
	int64_t x;
	attr(v, sizeof v, n, name);
	if (sb_decimal_parse(&x, v, 0) < 0 || x < 0 || x > 1000000)
		return sb_error_set(SB_EINVALID, "%s:%ld: <%s> %s: '%s' is not a whole number",
				    file, xmlGetLineNo(n), (const char *)n->name, name, v);
	*out = (int)x;
	return 0;
}

static int digest_hex(char out[65], const char *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	int i;
	if (sb__fault("crypto") || !EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return sb_error_set(SB_ECRYPTO, "SHA-256 failed");
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int closed_month_from(int *out, sb_db *db, const char *month)
{
	sb__stmt *st;
	int error, rc;
	*out = 0;
	if ((error = sb__db_prepare(db, &st,
		"SELECT count(*) FROM payroll_month WHERE closed = 1 AND month >= ?1")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, month);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	*out = (int)sb__stmt_int64(st, 0);
	sb__stmt_reset(st);
	return 0;
}

static int policy_delete(sb_db *db, int64_t id)
{
	sb__stmt *st;
	int error, i;

	for (i = 0; i < 7; i++) {
		/* each literal is its own cached statement */
		switch (i) {
		case 0: error = sb__db_prepare(db, &st, "DELETE FROM pay_step WHERE policy_id = ?1"); break;
		case 1: error = sb__db_prepare(db, &st, "DELETE FROM pay_region WHERE policy_id = ?1"); break;
		case 2: error = sb__db_prepare(db, &st, "DELETE FROM pay_region_division WHERE policy_id = ?1"); break;
		case 3: error = sb__db_prepare(db, &st, "DELETE FROM pay_allowance WHERE policy_id = ?1"); break;
		case 4: error = sb__db_prepare(db, &st, "DELETE FROM pay_item WHERE policy_id = ?1"); break;
		case 5: error = sb__db_prepare(db, &st, "DELETE FROM pay_grade WHERE policy_id = ?1"); break;
		default: error = sb__db_prepare(db, &st, "DELETE FROM pay_policy WHERE id = ?1"); break;
		}
		if (error < 0)
			return error;
		sb__stmt_bind_int64(st, 1, id);
		if ((error = sb__stmt_run(st)) < 0)
			return error;
	}
	return 0;
}

/* Store the validated document; checks what the schema cannot say. */
static int policy_store(sb_pay_policy_info *info, sb_db *db, xmlDocPtr doc, const char *file,
			int64_t id)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), sc, lv, stp, rg, dv, al, it, gr;
	char a[256], b[256], c[256], d[256];
	int error = 0, have[SB__QUALS], i;
	int64_t v, prev, minimum, fl, ce, emp, emr;
	sb__stmt *st;

	for (sc = child(child(root, "scales"), "scale"); sc; sc = next_el(sc, "scale")) {
		info->scales++;
		memset(have, 0, sizeof have);
		attr(a, sizeof a, sc, "id");
		for (lv = child(sc, "level"); lv; lv = next_el(lv, "level")) {
			int q = sb__pay_qual_index(attr(b, sizeof b, lv, "qualification")), k = 0;
			info->levels++;
			have[q] = 1;
			prev = -1;
			attr(c, sizeof c, lv, "id");
			attr(d, sizeof d, lv, "name");
			for (stp = child(lv, "step"); stp; stp = next_el(stp, "step")) {
				if ((error = attr_money(&v, file, stp, "base")) < 0)
					return error;
				/* Qualification upgrades take "the lowest step not below the
				 * current pay": a scale must rise step by step. */
				if (v < prev)
					return bad(file, stp, "base is below the step before it");
				prev = v;
				k++;
				info->steps++;
				if ((error = sb__db_prepare(db, &st,
					"INSERT INTO pay_step (policy_id, scale, qualification, level_id, level_name, step, base_fen)"
					" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) < 0)
					return error;
				sb__stmt_bind_int64(st, 1, id);
				sb__stmt_bind_text(st, 2, a);
				sb__stmt_bind_text(st, 3, b);
				sb__stmt_bind_text(st, 4, c);
				sb__stmt_bind_text(st, 5, d);
				sb__stmt_bind_int64(st, 6, k);
				sb__stmt_bind_int64(st, 7, v);
				if ((error = sb__stmt_run(st)) < 0)
					return error;
			}
		}
		for (i = 0; i < SB__QUALS; i++)
			if (!have[i]) {
				snprintf(b, sizeof b, "scale '%s' has no level for qualification %s", a,
					 sb__pay_quals[i]);
				return bad(file, sc, b);
			}
	}
	for (rg = child(child(root, "regions"), "region"); rg; rg = next_el(rg, "region")) {
		info->regions++;
		if ((error = attr_money(&minimum, file, rg, "minimum-wage")) < 0)
			return error;
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO pay_region (policy_id, region, name, scale, minimum_fen) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
			return error;
		sb__stmt_bind_int64(st, 1, id);
		sb__stmt_bind_text(st, 2, attr(a, sizeof a, rg, "id"));
		sb__stmt_bind_text(st, 3, attr(b, sizeof b, rg, "name"));
		sb__stmt_bind_text(st, 4, attr(c, sizeof c, rg, "scale"));
		sb__stmt_bind_int64(st, 5, minimum);
		if ((error = sb__stmt_run(st)) < 0)
			return error;
		for (dv = child(rg, "division"); dv; dv = next_el(dv, "division")) {
			attr(b, sizeof b, dv, "code");
			if (sb_org_code_level(b) == 0 || sb_org_code_level(b) > SB_LEVEL_TOWNSHIP)
				return bad(file, dv, "code is not a province, prefecture, county or township code");
			if ((error = sb__db_prepare(db, &st,
				"INSERT INTO pay_region_division (policy_id, code, region) VALUES (?1, ?2, ?3)")) < 0)
				return error;
			sb__stmt_bind_int64(st, 1, id);
			sb__stmt_bind_text(st, 2, b);
			sb__stmt_bind_text(st, 3, a);
			if ((error = sb__stmt_run(st)) < 0)
				return error;
		}
	}
	for (al = child(child(root, "allowances"), "allowance"); al; al = next_el(al, "allowance")) {
		info->allowances++;
		if ((error = attr_money(&v, file, al, "amount")) < 0)
			return error;
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO pay_allowance (policy_id, allowance, name, flag, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
			return error;
		sb__stmt_bind_int64(st, 1, id);
		sb__stmt_bind_text(st, 2, attr(a, sizeof a, al, "id"));
		sb__stmt_bind_text(st, 3, attr(b, sizeof b, al, "name"));
		sb__stmt_bind_text(st, 4, attr(c, sizeof c, al, "flag"));
		sb__stmt_bind_int64(st, 5, v);
		if ((error = sb__stmt_run(st)) < 0)
			return error;
	}
	for (it = child(child(root, "contributions"), "item"); it; it = next_el(it, "item")) {
		info->items++;
		if ((error = attr_money(&fl, file, it, "floor")) < 0 ||
		    (error = attr_money(&ce, file, it, "ceiling")) < 0)
			return error;
		if (sb_decimal_parse(&emp, attr(a, sizeof a, it, "employee"), 2) < 0 || emp > 10000)
			return bad(file, it, "employee is not a rate in percent");
		if (sb_decimal_parse(&emr, attr(a, sizeof a, it, "employer"), 2) < 0 || emr > 10000)
			return bad(file, it, "employer is not a rate in percent");
		if (ce < fl)
			return bad(file, it, "ceiling is below floor");
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO pay_item (policy_id, item, name, employee, employer, floor_fen, ceiling_fen, rounding)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) < 0)
			return error;
		sb__stmt_bind_int64(st, 1, id);
		sb__stmt_bind_text(st, 2, attr(a, sizeof a, it, "id"));
		sb__stmt_bind_text(st, 3, attr(b, sizeof b, it, "name"));
		sb__stmt_bind_int64(st, 4, emp);
		sb__stmt_bind_int64(st, 5, emr);
		sb__stmt_bind_int64(st, 6, fl);
		sb__stmt_bind_int64(st, 7, ce);
		sb__stmt_bind_text(st, 8, attr(c, sizeof c, it, "rounding"));
		if ((error = sb__stmt_run(st)) < 0)
			return error;
	}
	for (gr = child(child(root, "raises"), "grade"); gr; gr = next_el(gr, "grade")) {
		int steps;
		if ((error = attr_int(&steps, file, gr, "steps")) < 0)
			return error;
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO pay_grade (policy_id, grade, steps) VALUES (?1, ?2, ?3)")) < 0)
			return error;
		sb__stmt_bind_int64(st, 1, id);
		sb__stmt_bind_text(st, 2, attr(a, sizeof a, gr, "id"));
		sb__stmt_bind_int64(st, 3, steps);
		if ((error = sb__stmt_run(st)) < 0)
			return error;
	}
	return 0;
}

int sb_pay_policy_load(sb_pay_policy_info *out, sb_db *db, const char *path)
{
	char *xml = NULL, digest[65], effective[16], name[512], old_digest[65] = "";
	size_t len = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, pr, tk;
	sb_pay_policy_info info;
	int error = 0, rc, closed, pct, yps, in_tx = 0, y, m;
	int64_t old_id = 0, id;
	sb__stmt *st;

	memset(&info, 0, sizeof info);
	if ((error = sb__read_file(&xml, &len, path)) < 0)
		goto done;
	if ((error = sb__xml_read(&doc, xml, len, path, "pay.xsd")) < 0)
		goto done;
	if ((error = digest_hex(digest, xml, len)) < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	attr(effective, sizeof effective, root, "effective");
	attr(name, sizeof name, root, "name");
	if (sb__month_parse(effective, &y, &m) < 0) {
		error = bad(path, root, "effective is not a month YYYY-MM");
		goto done;
	}
	snprintf(info.effective, sizeof info.effective, "%s", effective);
	pr = child(root, "probation");
	tk = child(root, "takeover");
	if ((error = attr_int(&pct, path, pr, "wage-percent")) < 0 ||
	    (error = attr_int(&yps, path, tk, "years-per-step")) < 0)
		goto done;
	/* Labour Contract Law Art. 20: probation pay at least 80% of the contract wage. */
	if (pct < 80 || pct > 100) {
		error = bad(path, pr, "wage-percent must lie between 80 and 100 (Labour Contract Law Art. 20)");
		goto done;
	}
	if (yps < 1) {
		error = bad(path, tk, "years-per-step must be at least 1");
		goto done;
	}

	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	if ((error = sb__db_prepare(db, &st, "SELECT id, digest FROM pay_policy WHERE effective = ?1")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, effective);
	if ((rc = sb__stmt_step(st)) < 0) {
		error = rc;
		goto done;
	}
	if (rc == 1) {
		old_id = sb__stmt_int64(st, 0);
		snprintf(old_digest, sizeof old_digest, "%s", sb__stmt_text(st, 1));
		sb__stmt_reset(st);
	}
	if (old_id && strcmp(old_digest, digest) == 0) {
		info.unchanged = 1;
		goto done;
	}
	if (old_id) {
		/* A closed month never changes: replacing the policy it was paid under is not
		 * allowed; a later correction is a new policy dated after the closed months. */
		if ((error = closed_month_from(&closed, db, effective)) < 0)
			goto done;
		if (closed) {
			error = sb_error_set(SB_ESTATE, "%s: a policy effective %s was already used by closed payroll months; "
					     "load a new policy dated after them instead", path, effective);
			goto done;
		}
		if ((error = policy_delete(db, old_id)) < 0)
			goto done;
		info.replaced = 1;
	}
	if ((error = sb__db_prepare(db, &st,
		"INSERT INTO pay_policy (effective, name, digest, probation_percent, years_per_step) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, effective);
	sb__stmt_bind_text(st, 2, name);
	sb__stmt_bind_text(st, 3, digest);
	sb__stmt_bind_int64(st, 4, pct);
	sb__stmt_bind_int64(st, 5, yps);
	if ((error = sb__stmt_run(st)) < 0)
		goto done;
	id = sb__db_last_rowid(db);
	if ((error = policy_store(&info, db, doc, path, id)) < 0)
		goto done;
	error = sb__audit_append(db, "pay policy %s effective %s: %s (sha256 %s)",
				 info.replaced ? "replaced" : "loaded", effective, name, digest);
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out && error == 0)
		*out = info;
	xmlFreeDoc(doc);
	free(xml);
	return error;
}

/* ---- policies in memory ------------------------------------------------------------ */

void sb__pay_policies_clear(sb__pay_policies *ps)
{
	size_t i, j;
	int q;
	if (!ps)
		return;
	for (i = 0; i < ps->n; i++) {
		sb__pay_policy *p = &ps->p[i];
		for (j = 0; j < p->nscales; j++)
			for (q = 0; q < SB__QUALS; q++)
				free(p->scales[j].base[q]);
		free(p->scales);
		free(p->regions);
		free(p->rdivs);
		free(p->allowances);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

static int rdiv_cmp(const void *a, const void *b)
{
	return strcmp(((const sb__pay_rdiv *)a)->code, ((const sb__pay_rdiv *)b)->code);
}

static int find_scale(const sb__pay_policy *p, const char *id)
{
	size_t i;
	for (i = 0; i < p->nscales; i++)
		if (strcmp(p->scales[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int find_region(const sb__pay_policy *p, const char *id)
{
	size_t i;
	for (i = 0; i < p->nregions; i++)
		if (strcmp(p->regions[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int load_one(sb__pay_policy *p, sb_db *db)
{
	sb__stmt *st;
	int error = 0, rc, q, s;
	void *grown;

	for (q = 0; q < SB__GRADES; q++)
		p->grade_steps[q] = default_grade_steps[q];
	/* steps, ordered so that each level's steps arrive 1, 2, 3... */
	if ((error = sb__db_prepare(db, &st,
		"SELECT scale, qualification, step, base_fen FROM pay_step WHERE policy_id = ?1 ORDER BY scale, qualification, step")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1) {
		const char *scale = sb__stmt_text(st, 0);
		sb__pay_scale *sc;
		if ((s = find_scale(p, scale)) < 0) {
			if (!(grown = sb__realloc(p->scales, (p->nscales + 1) * sizeof *p->scales)))
				goto oom;
			p->scales = grown;
			sc = &p->scales[p->nscales];
			memset(sc, 0, sizeof *sc);
			snprintf(sc->id, sizeof sc->id, "%s", scale);
			s = (int)p->nscales++;
		}
		sc = &p->scales[s];
		if ((q = sb__pay_qual_index(sb__stmt_text(st, 1))) < 0)
			continue;
		if (!(grown = sb__realloc(sc->base[q], (size_t)(sc->nsteps[q] + 1) * sizeof(int64_t))))
			goto oom;
		sc->base[q] = grown;
		sc->base[q][sc->nsteps[q]++] = sb__stmt_int64(st, 3);
	}
	if (rc < 0)
		return rc;
	if ((error = sb__db_prepare(db, &st,
		"SELECT region, scale, minimum_fen FROM pay_region WHERE policy_id = ?1 ORDER BY region")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1) {
		sb__pay_region *r;
		if (!(grown = sb__realloc(p->regions, (p->nregions + 1) * sizeof *p->regions)))
			goto oom;
		p->regions = grown;
		r = &p->regions[p->nregions++];
		snprintf(r->id, sizeof r->id, "%s", sb__stmt_text(st, 0));
		r->scale = find_scale(p, sb__stmt_text(st, 1));
		r->minimum = sb__stmt_int64(st, 2);
	}
	if (rc < 0)
		return rc;
	if ((error = sb__db_prepare(db, &st,
		"SELECT code, region FROM pay_region_division WHERE policy_id = ?1 ORDER BY code")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1) {
		sb__pay_rdiv *d;
		if (!(grown = sb__realloc(p->rdivs, (p->nrdivs + 1) * sizeof *p->rdivs)))
			goto oom;
		p->rdivs = grown;
		d = &p->rdivs[p->nrdivs++];
		snprintf(d->code, sizeof d->code, "%s", sb__stmt_text(st, 0));
		d->region = find_region(p, sb__stmt_text(st, 1));
	}
	if (rc < 0)
		return rc;
	if (p->nrdivs)
		qsort(p->rdivs, p->nrdivs, sizeof *p->rdivs, rdiv_cmp);
	if ((error = sb__db_prepare(db, &st,
		"SELECT flag, amount_fen FROM pay_allowance WHERE policy_id = ?1 ORDER BY allowance")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1) {
		const char *flag = sb__stmt_text(st, 0);
		sb__pay_allowance *a;
		if (!(grown = sb__realloc(p->allowances, (p->nallowances + 1) * sizeof *p->allowances)))
			goto oom;
		p->allowances = grown;
		a = &p->allowances[p->nallowances++];
		a->flag = strcmp(flag, "border") == 0 ? SB_FLAG_BORDER :
			  strcmp(flag, "pastoral") == 0 ? SB_FLAG_PASTORAL : SB_FLAG_REMOTE;
		a->amount = sb__stmt_int64(st, 1);
	}
	if (rc < 0)
		return rc;
	if ((error = sb__db_prepare(db, &st,
		"SELECT item, employee, employer, floor_fen, ceiling_fen, rounding FROM pay_item WHERE policy_id = ?1")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1) {
		static const char *const ids[SB__ITEMS] = { "pension", "medical", "unemployment", "housing_fund" };
		const char *id = sb__stmt_text(st, 0), *rnd = sb__stmt_text(st, 5);
		int k;
		for (k = 0; k < SB__ITEMS; k++)
			if (strcmp(id, ids[k]) == 0) {
				sb__pay_item *it = &p->items[k];
				it->present = 1;
				it->employee = sb__stmt_int64(st, 1);
				it->employer = sb__stmt_int64(st, 2);
				it->floor = sb__stmt_int64(st, 3);
				it->ceiling = sb__stmt_int64(st, 4);
				it->rounding = strcmp(rnd, "yuan") == 0 ? SB_PAY_ROUND_YUAN :
					       strcmp(rnd, "jiao-up") == 0 ? SB_PAY_ROUND_JIAO_UP : SB_PAY_ROUND_FEN;
			}
	}
	if (rc < 0)
		return rc;
	if ((error = sb__db_prepare(db, &st, "SELECT grade, steps FROM pay_grade WHERE policy_id = ?1")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, p->id);
	while ((rc = sb__stmt_step(st)) == 1)
		if ((q = grade_index(sb__stmt_text(st, 0))) >= 0)
			p->grade_steps[q] = (int)sb__stmt_int64(st, 1);
	return rc < 0 ? rc : 0;
oom:
	sb__stmt_reset(st);
	return SB_ENOMEM;
}

int sb__pay_policies_load(sb__pay_policies *out, sb_db *db)
{
	sb__stmt *st;
	int error = 0, rc;
	size_t cap = 0, i;
	sb__pay_policies ps = { NULL, 0 };
	void *grown;

	if ((error = sb__db_prepare(db, &st,
		"SELECT id, effective, probation_percent, years_per_step FROM pay_policy ORDER BY effective")) < 0)
		return error;
	while ((rc = sb__stmt_step(st)) == 1) {
		sb__pay_policy *p;
		if (ps.n == cap) {
			cap = cap ? cap * 2 : 4;
			if (!(grown = sb__realloc(ps.p, cap * sizeof *ps.p))) {
				sb__stmt_reset(st);
				error = SB_ENOMEM;
				goto done;
			}
			ps.p = grown;
		}
		p = &ps.p[ps.n++];
		memset(p, 0, sizeof *p);
		p->id = sb__stmt_int64(st, 0);
		snprintf(p->effective, sizeof p->effective, "%s", sb__stmt_text(st, 1));
		p->probation_percent = (int)sb__stmt_int64(st, 2);
		p->years_per_step = (int)sb__stmt_int64(st, 3);
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	for (i = 0; i < ps.n; i++)
		if ((error = load_one(&ps.p[i], db)) < 0)
			goto done;
	*out = ps;
	ps.p = NULL;
	ps.n = 0;
done:
	sb__pay_policies_clear(&ps);
	return error;
}

const sb__pay_policy *sb__pay_policy_at(const sb__pay_policies *ps, const char *month)
{
	size_t i;
	const sb__pay_policy *best = NULL;
	for (i = 0; i < ps->n; i++)
		if (strncmp(ps->p[i].effective, month, 7) <= 0)
			best = &ps->p[i];
	return best;
}

int sb__pay_place_load(sb__pay_place *out, sb_db *db, const char *township)
{
	int error, level;
	memset(out, 0, sizeof *out);
	snprintf(out->code, sizeof out->code, "%s", township);
	for (level = SB_LEVEL_PROVINCE; level <= SB_LEVEL_TOWNSHIP; level++) {
		error = sb_org_ancestor(out->anc[level - 1], db, township, level);
		if (error == SB_ENOTFOUND) {
			out->anc[level - 1][0] = '\0';
			sb_error_clear();
			continue;
		}
		if (error < 0)
			return error;
	}
	return sb_org_flags_of(&out->flags, db, township);
}

const sb__pay_region *sb__pay_region_of(const sb__pay_policy *p, const sb__pay_place *place)
{
	int level;
	/* The most specific division wins: a county listed on its own overrides its prefecture. */
	for (level = SB_LEVEL_TOWNSHIP; level >= SB_LEVEL_PROVINCE; level--) {
		sb__pay_rdiv key, *hit;
		if (!place->anc[level - 1][0])
			continue;
		memcpy(key.code, place->anc[level - 1], sizeof key.code);
		hit = p->nrdivs ? bsearch(&key, p->rdivs, p->nrdivs, sizeof key, rdiv_cmp) : NULL;
		if (hit && hit->region >= 0)
			return &p->regions[hit->region];
	}
	return NULL;
}

int64_t sb__pay_scale_base(const sb__pay_policy *p, const sb__pay_region *r, int q, int step)
{
	const sb__pay_scale *sc;
	if (!r || r->scale < 0 || q < 0 || q >= SB__QUALS)
		return -1;
	sc = &p->scales[r->scale];
	if (sc->nsteps[q] == 0)
		return -1;
	if (step < 1)
		step = 1;
	if (step > sc->nsteps[q])
		step = sc->nsteps[q];
	return sc->base[q][step - 1];
}

int64_t sb__pay_allowances(const sb__pay_policy *p, const sb__pay_place *place)
{
	size_t i;
	int64_t sum = 0;
	for (i = 0; i < p->nallowances; i++)
		if (place->flags & p->allowances[i].flag)
			sum += p->allowances[i].amount;
	return sum;
}

/* ---- positions ---------------------------------------------------------------------- */

void sb__pay_history_clear(sb__pay_history *h)
{
	if (!h)
		return;
	free(h->rows);
	h->rows = NULL;
	h->n = 0;
}

int sb__pay_history_load(sb__pay_history *out, sb_db *db, const char *id_number)
{
	sb__stmt *st;
	int error, rc;
	size_t cap = 0;
	sb__pay_history h = { NULL, 0 };
	void *grown;

	if (id_number)
		error = sb__db_prepare(db, &st,
			"SELECT id_number, effective, qualification, step FROM pay_position WHERE id_number = ?1 ORDER BY id_number, effective");
	else
		error = sb__db_prepare(db, &st,
			"SELECT id_number, effective, qualification, step FROM pay_position ORDER BY id_number, effective");
	if (error < 0)
		return error;
	if (id_number)
		sb__stmt_bind_text(st, 1, id_number);
	while ((rc = sb__stmt_step(st)) == 1) {
		sb__pay_pos *r;
		if (h.n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = sb__realloc(h.rows, cap * sizeof *h.rows))) {
				sb__stmt_reset(st);
				free(h.rows);
				return SB_ENOMEM;
			}
			h.rows = grown;
		}
		r = &h.rows[h.n++];
		sb__copy(r->id_number, sizeof r->id_number, sb__stmt_text(st, 0));
		sb__copy(r->effective, sizeof r->effective, sb__stmt_text(st, 1));
		r->q = sb__pay_qual_index(sb__stmt_text(st, 2));
		r->step = (int)sb__stmt_int64(st, 3);
	}
	if (rc < 0) {
		free(h.rows);
		return rc;
	}
	*out = h;
	return 0;
}

const sb__pay_pos *sb__pay_history_rows(const sb__pay_history *h, const char *id_number, size_t *out_n)
{
	size_t lo = 0, hi = h->n, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(h->rows[mid].id_number, id_number) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < h->n && strcmp(h->rows[i].id_number, id_number) == 0; i++)
		;
	*out_n = i - lo;
	return i > lo ? &h->rows[lo] : NULL;
}

int sb__pay_position_rows(int *out_q, int *out_step, char out_since[11], const sb__pay_pos *rows,
			  size_t n, const sb__pay_policies *ps, const sb_worker *w, const char *date)
{
	size_t i;
	const sb__pay_pos *best = NULL;
	const sb__pay_policy *p;
	int q, step = 1, years;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].effective, date) <= 0 && rows[i].q >= 0)
			best = &rows[i];
	if (best) {
		*out_q = best->q;
		*out_step = best->step;
		if (out_since)
			snprintf(out_since, 11, "%s", best->effective);
		return 0;
	}
	if ((q = sb__pay_qual_index(w->qualification)) < 0)
		return sb_error_set(SB_EINVALID, "worker %s: unknown qualification '%s'", w->id_number,
				    w->qualification);
	/* SPEC §7: a taken-over worker starts at 1 + floor(seniority / years-per-step), with
	 * seniority in completed years on the start of the first contract, which starts on the
	 * worker's start date at the station. */
	if (strcmp(w->source, "recruit") != 0 && w->service_start[0]) {
		p = sb__pay_policy_at(ps, w->start_date);
		if (!p && ps->n)
			p = &ps->p[0];
		if (!p)
			return sb_error_set(SB_ENOTFOUND, "no pay policy is loaded");
		years = sb_staff_seniority(w->service_start, w->start_date);
		step = 1 + years / p->years_per_step;
	}
	*out_q = q;
	*out_step = step; /* capped at the top where a scale is applied */
	if (out_since)
		snprintf(out_since, 11, "%s", w->start_date);
	return 0;
}

int sb__pay_position(int *out_q, int *out_step, char out_since[11], const sb__pay_history *h,
		     const sb__pay_policies *ps, const sb_worker *w, const char *date)
{
	size_t n;
	const sb__pay_pos *rows = sb__pay_history_rows(h, w->id_number, &n);
	return sb__pay_position_rows(out_q, out_step, out_since, rows, n, ps, w, date);
}

/* One worker by ID number (the active one if several), owned by the caller. */
static int worker_get(sb_worker **out, size_t *out_n, sb_db *db, const char *id_number)
{
	int error = sb_staff_workers(out, out_n, db, NULL, id_number);
	if (error < 0)
		return error;
	if (*out_n == 0)
		return sb_error_set(SB_ENOTFOUND, "%s is not a worker of the registry", id_number);
	return 0;
}

static const sb_worker *active_worker(const sb_worker *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!list[i].end_date[0])
			return &list[i];
	return &list[n - 1];
}

int sb_pay_position_on(sb_pay_position *out, sb_db *db, const char *id_number, const char *date)
{
	sb_worker *list = NULL;
	size_t n = 0;
	const sb_worker *w;
	sb__pay_policies ps = { NULL, 0 };
	sb__pay_history h = { NULL, 0 };
	sb__pay_place place;
	const sb__pay_policy *p;
	const sb__pay_region *r;
	int error = 0, y, m, d, q, step;

	memset(out, 0, sizeof *out);
	if (sb__date_parse(date, &y, &m, &d) < 0)
		return sb_error_set(SB_EINVALID, "date '%s' is not YYYY-MM-DD", date);
	if ((error = worker_get(&list, &n, db, id_number)) < 0)
		goto done;
	w = active_worker(list, n);
	if ((error = sb__pay_policies_load(&ps, db)) < 0 ||
	    (error = sb__pay_history_load(&h, db, id_number)) < 0)
		goto done;
	if (!(p = sb__pay_policy_at(&ps, date))) {
		error = sb_error_set(SB_ENOTFOUND, "no pay policy is in force on %s", date);
		goto done;
	}
	if ((error = sb__pay_place_load(&place, db, w->township_code)) < 0)
		goto done;
	if (!(r = sb__pay_region_of(p, &place))) {
		error = sb_error_set(SB_ENOTFOUND, "no region of the pay policy effective %s holds township %s",
				     p->effective, w->township_code);
		goto done;
	}
	if ((error = sb__pay_position(&q, &step, out->since, &h, &ps, w, date)) < 0)
		goto done;
	out->base_fen = sb__pay_scale_base(p, r, q, step);
	if (out->base_fen < 0) {
		error = sb_error_set(SB_ENOTFOUND, "scale %s has no level for %s", p->scales[r->scale].id,
				     sb__pay_quals[q]);
		goto done;
	}
	if (step > p->scales[r->scale].nsteps[q])
		step = p->scales[r->scale].nsteps[q];
	snprintf(out->qualification, sizeof out->qualification, "%s", sb__pay_quals[q]);
	out->step = step;
	out->minimum_fen = r->minimum;
	snprintf(out->region, sizeof out->region, "%s", r->id);
done:
	sb__pay_policies_clear(&ps);
	sb__pay_history_clear(&h);
	sb_staff_workers_free(list, n);
	return error;
}

int sb_pay_contract_terms(int64_t *out_monthly_fen, int64_t *out_minimum_fen,
			  int *out_probation_percent, sb_db *db, const char *id_number,
			  const char *date)
{
	sb_pay_position pos;
	sb__pay_policies ps = { NULL, 0 };
	const sb__pay_policy *p;
	int error;

	if ((error = sb_pay_position_on(&pos, db, id_number, date)) < 0)
		return error;
	if ((error = sb__pay_policies_load(&ps, db)) < 0)
		return error;
	p = sb__pay_policy_at(&ps, date);
	if (out_monthly_fen)
		*out_monthly_fen = pos.base_fen;
	if (out_minimum_fen)
		*out_minimum_fen = pos.minimum_fen;
	if (out_probation_percent)
		*out_probation_percent = p ? p->probation_percent : 80;
	sb__pay_policies_clear(&ps);
	return 0;
}

/* ---- CSV inputs --------------------------------------------------------------------- */

/* ---- CSV inputs --------------------------------------------------------------------- */

/* All workers, sorted by ID number, for lookups while reading a file. */
typedef struct {
	sb_worker *list;
	size_t n;
	const sb_worker **by_id;
} worker_index;

static int by_id_cmp(const void *a, const void *b)
{
	const sb_worker *x = *(const sb_worker *const *)a, *y = *(const sb_worker *const *)b;
	int c = strcmp(x->id_number, y->id_number);
	/* the active row (no end date) first among a person's rows */
	if (c == 0)
		c = (x->end_date[0] != 0) - (y->end_date[0] != 0);
	return c;
}

static int index_load(worker_index *ix, sb_db *db)
{
	size_t i;
	int error;
	memset(ix, 0, sizeof *ix);
	if ((error = sb_staff_workers(&ix->list, &ix->n, db, NULL, NULL)) < 0)
		return error;
	if (ix->n == 0)
		return 0;
	if (!(ix->by_id = sb__malloc(ix->n * sizeof *ix->by_id)))
		return SB_ENOMEM;
	for (i = 0; i < ix->n; i++)
		ix->by_id[i] = &ix->list[i];
	qsort(ix->by_id, ix->n, sizeof *ix->by_id, by_id_cmp);
	return 0;
}

static void index_clear(worker_index *ix)
{
	sb_staff_workers_free(ix->list, ix->n);
	free(ix->by_id);
	memset(ix, 0, sizeof *ix);
}

static const sb_worker *index_find(const worker_index *ix, const char *id)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->by_id[mid]->id_number, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && strcmp(ix->by_id[lo]->id_number, id) == 0 ? ix->by_id[lo] : NULL;
}

/* The ID number field: well-formed (GB 11643) and a worker of the registry. */
static int csv_worker(const sb_worker **out, sb__csv *c, int col, const worker_index *ix)
{
	const char *id = sb__csv_field(c, col);
	if (sb_person_id_check(NULL, id) < 0)
		return sb__csv_error(c, "id_number", "%s", sb_error_last());
	if (!(*out = index_find(ix, id)))
		return sb__csv_error(c, "id_number", "'%s' is not a worker of the registry", id);
	return 0;
}

/* A first-of-month date, the unit in which pay changes. */
static int first_of_month(const char *s, int *y, int *m)
{
	int d;
	return sb__date_parse(s, y, m, &d) == 0 && d == 1 ? 0 : -1;
}

static void day_before(char out[11], int y, int m, int d)
{
	int64_t days = sb__days_from_civil(y, m, d) - 1;
	sb__civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int sb_pay_evaluate(int64_t *out_rows, sb_db *db, int year, const char *path)
{
	static const sb__csv_col cols[] = { { "id_number", 1 }, { "grade", 1 } };
	int map[2], error = 0, rc, in_tx = 0;
	sb__csv *c = NULL;
	worker_index ix;
	const sb_worker *w;
	int64_t rows = 0;
	sb__stmt *st;

	memset(&ix, 0, sizeof ix);
	if (year < 1900 || year > 9999)
		return sb_error_set(SB_EUSAGE, "'%d' is not a year", year);
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 2, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	if ((error = sb__db_prepare(db, &st, "SELECT effective FROM pay_raise WHERE year = ?1")) < 0)
		goto done;
	sb__stmt_bind_int64(st, 1, year);
	if ((rc = sb__stmt_step(st)) < 0) {
		error = rc;
		goto done;
	}
	if (rc == 1) {
		error = sb_error_set(SB_ESTATE, "%s: the raises of %d were applied from %s; its grades are final",
				     path, year, sb__stmt_text(st, 0));
		sb__stmt_reset(st);
		goto done;
	}
	if ((error = index_load(&ix, db)) < 0)
		goto done;
	while ((rc = sb__csv_next(c)) == 1) {
		const char *grade = sb__csv_field(c, map[1]);
		if ((error = csv_worker(&w, c, map[0], &ix)) < 0)
			goto done;
		if (grade_index(grade) < 0) {
			error = sb__csv_error(c, "grade", "'%s' is not one of excellent, competent, basic, incompetent", grade);
			goto done;
		}
		if ((error = sb__db_prepare(db, &st,
			"INSERT OR REPLACE INTO pay_evaluation (year, id_number, grade) VALUES (?1, ?2, ?3)")) < 0)
			goto done;
		sb__stmt_bind_int64(st, 1, year);
		sb__stmt_bind_text(st, 2, w->id_number);
		sb__stmt_bind_text(st, 3, grade);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
		rows++;
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	error = sb__audit_append(db, "pay evaluate %d: %lld grades from %s (sha256 %s)", year,
				 (long long)rows, sb__csv_name(c), sb__csv_digest(c));
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_rows)
		*out_rows = error == 0 ? rows : 0;
	index_clear(&ix);
	sb__csv_free(c);
	return error;
}

/* Insert or keep a position row; *changed when the registry changed. */
static int position_put(int *changed, sb_db *db, const char *id, const char *effective, int q,
			int step, const char *reason)
{
	sb__stmt *st;
	int error, rc;

	*changed = 0;
	if ((error = sb__db_prepare(db, &st,
		"SELECT qualification, step FROM pay_position WHERE id_number = ?1 AND effective = ?2")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, id);
	sb__stmt_bind_text(st, 2, effective);
	if ((rc = sb__stmt_step(st)) < 0)
		return rc;
	if (rc == 1) {
		int same = strcmp(sb__stmt_text(st, 0), sb__pay_quals[q]) == 0 && sb__stmt_int64(st, 1) == step;
		sb__stmt_reset(st);
		if (same)
			return 0;
	}
	if ((error = sb__db_prepare(db, &st,
		"INSERT OR REPLACE INTO pay_position (id_number, effective, qualification, step, reason) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, id);
	sb__stmt_bind_text(st, 2, effective);
	sb__stmt_bind_text(st, 3, sb__pay_quals[q]);
	sb__stmt_bind_int64(st, 4, step);
	sb__stmt_bind_text(st, 5, reason);
	if ((error = sb__stmt_run(st)) < 0)
		return error;
	*changed = 1;
	return sb__audit_append(db, "pay position %s from %s: %s step %d (%s)", id, effective,
				sb__pay_quals[q], step, reason);
}

/* The policy and region that apply to worker w in the month of `date`. */
static int policy_region(const sb__pay_policy **out_p, const sb__pay_region **out_r, sb_db *db,
			 const sb__pay_policies *ps, const sb_worker *w, const char *date)
{
	sb__pay_place place;
	int error;
	if (!(*out_p = sb__pay_policy_at(ps, date)))
		return sb_error_set(SB_ENOTFOUND, "no pay policy is in force on %s", date);
	if ((error = sb__pay_place_load(&place, db, w->township_code)) < 0)
		return error;
	if (!(*out_r = sb__pay_region_of(*out_p, &place)))
		return sb_error_set(SB_ENOTFOUND, "no region of the pay policy effective %s holds township %s",
				    (*out_p)->effective, w->township_code);
	return 0;
}

int sb_pay_qualify(int64_t *out_rows, sb_db *db, const char *path)
{
	static const sb__csv_col cols[] = { { "id_number", 1 }, { "qualification", 1 }, { "effective", 1 } };
	int map[3], error = 0, rc, in_tx = 0, y, m, q, cq, cstep, step, changed;
	sb__csv *c = NULL;
	worker_index ix;
	sb__pay_policies ps = { NULL, 0 };
	sb__pay_history h = { NULL, 0 };
	const sb__pay_policy *p;
	const sb__pay_region *r;
	const sb_worker *w;
	int64_t rows = 0, cur;
	char before[11];

	memset(&ix, 0, sizeof ix);
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 3, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	if ((error = index_load(&ix, db)) < 0 || (error = sb__pay_policies_load(&ps, db)) < 0)
		goto done;
	while ((rc = sb__csv_next(c)) == 1) {
		const char *qual = sb__csv_field(c, map[1]), *eff = sb__csv_field(c, map[2]);
		if ((error = csv_worker(&w, c, map[0], &ix)) < 0)
			goto done;
		if ((q = sb__pay_qual_index(qual)) < 0) {
			error = sb__csv_error(c, "qualification", "'%s' is not one of none, assistant, intermediate, senior", qual);
			goto done;
		}
		if (first_of_month(eff, &y, &m) < 0) {
			error = sb__csv_error(c, "effective", "'%s' is not the first day of a month (YYYY-MM-01): pay changes by whole months", eff);
			goto done;
		}
		/* the history as it stands, this file's earlier rows included */
		sb__pay_history_clear(&h);
		if ((error = sb__pay_history_load(&h, db, w->id_number)) < 0)
			goto done;
		day_before(before, y, m, 1);
		if ((error = sb__pay_position(&cq, &cstep, NULL, &h, &ps, w, before)) < 0)
			goto done;
		if (cq == q) {
			error = sb__csv_error(c, "qualification", "%s already holds %s", w->id_number, qual);
			goto done;
		}
		if ((error = policy_region(&p, &r, db, &ps, w, eff)) < 0) {
			error = sb__csv_error(c, "effective", "%s", sb_error_last());
			goto done;
		}
		/* SPEC §7: the new level at the lowest step whose pay is not below the current. */
		cur = sb__pay_scale_base(p, r, cq, cstep);
		{
			const sb__pay_scale *sc = &p->scales[r->scale];
			for (step = 1; step < sc->nsteps[q] && sc->base[q][step - 1] < cur; step++)
				;
		}
		if ((error = position_put(&changed, db, w->id_number, eff, q, step, "qualify")) < 0)
			goto done;
		rows++;
	}
	if (rc < 0)
		error = rc;
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_rows)
		*out_rows = error == 0 ? rows : 0;
	sb__pay_history_clear(&h);
	sb__pay_policies_clear(&ps);
	index_clear(&ix);
	sb__csv_free(c);
	return error;
}

int sb_pay_raise(int64_t *out_raised, sb_db *db, int year, const char *effective)
{
	int error = 0, rc, in_tx = 0, y, m, q, step, k, g, changed, top;
	worker_index ix;
	sb__pay_policies ps = { NULL, 0 };
	sb__pay_history h = { NULL, 0 };
	const sb__pay_policy *p;
	const sb__pay_region *r;
	const sb_worker *w;
	int64_t raised = 0, graded = 0;
	sb__stmt *st;
	char reason[32];

	memset(&ix, 0, sizeof ix);
	if (year < 1900 || year > 9999)
		return sb_error_set(SB_EUSAGE, "'%d' is not a year", year);
	if (!effective || first_of_month(effective, &y, &m) < 0)
		return sb_error_set(SB_EUSAGE, "--effective '%s' is not the first day of a month (YYYY-MM-01)",
				    effective ? effective : "");
	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	in_tx = 1;
	if ((error = sb__db_prepare(db, &st, "SELECT effective FROM pay_raise WHERE year = ?1")) < 0)
		goto done;
	sb__stmt_bind_int64(st, 1, year);
	if ((rc = sb__stmt_step(st)) < 0) {
		error = rc;
		goto done;
	}
	if (rc == 1) {
		int same = strcmp(sb__stmt_text(st, 0), effective) == 0;
		if (!same)
			error = sb_error_set(SB_EEXISTS, "the raises of %d were already applied from %s", year,
					     sb__stmt_text(st, 0));
		sb__stmt_reset(st);
		goto done; /* applying the same raise again changes nothing */
	}
	if ((error = index_load(&ix, db)) < 0 || (error = sb__pay_policies_load(&ps, db)) < 0 ||
	    (error = sb__pay_history_load(&h, db, NULL)) < 0)
		goto done;
	if (!(p = sb__pay_policy_at(&ps, effective))) {
		error = sb_error_set(SB_ENOTFOUND, "no pay policy is in force on %s", effective);
		goto done;
	}
	snprintf(reason, sizeof reason, "raise %d", year);
	if ((error = sb__db_prepare(db, &st,
		"SELECT id_number, grade FROM pay_evaluation WHERE year = ?1 ORDER BY id_number")) < 0)
		goto done;
	sb__stmt_bind_int64(st, 1, year);
	/* read all grades first: position_put uses other statements */
	{
		char (*ids)[19] = NULL;
		int *gs = NULL;
		size_t n = 0, cap = 0, i;
		void *grown;
		while ((rc = sb__stmt_step(st)) == 1) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				if (!(grown = sb__realloc(ids, cap * sizeof *ids))) {
					sb__stmt_reset(st);
					error = SB_ENOMEM;
					break;
				}
				ids = grown;
				if (!(grown = sb__realloc(gs, cap * sizeof *gs))) {
					sb__stmt_reset(st);
					error = SB_ENOMEM;
					break;
				}
				gs = grown;
			}
			snprintf(ids[n], sizeof ids[n], "%s", sb__stmt_text(st, 0));
			gs[n++] = grade_index(sb__stmt_text(st, 1));
		}
		if (rc < 0)
			error = rc;
		for (i = 0; error == 0 && i < n; i++) {
			graded++;
			g = gs[i];
			if (g < 0 || (k = p->grade_steps[g]) == 0)
				continue;
			if (!(w = index_find(&ix, ids[i])) || w->end_date[0])
				continue; /* no longer in service: nothing to raise */
			if ((error = sb__pay_position(&q, &step, NULL, &h, &ps, w, effective)) < 0)
				break;
			if ((error = policy_region(&p, &r, db, &ps, w, effective)) < 0)
				break;
			top = p->scales[r->scale].nsteps[q];
			if (step > top)
				step = top;
			/* SPEC §7: one step for competent, two for excellent, capped at the top */
			if (step + k > top)
				k = top - step;
			if (k <= 0)
				continue;
			if ((error = position_put(&changed, db, w->id_number, effective, q, step + k, reason)) < 0)
				break;
			raised += changed;
		}
		free(ids);
		free(gs);
		if (error < 0)
			goto done;
	}
	if ((error = sb__db_prepare(db, &st,
		"INSERT INTO pay_raise (year, effective, raised) VALUES (?1, ?2, ?3)")) < 0)
		goto done;
	sb__stmt_bind_int64(st, 1, year);
	sb__stmt_bind_text(st, 2, effective);
	sb__stmt_bind_int64(st, 3, raised);
	if ((error = sb__stmt_run(st)) < 0)
		goto done;
	error = sb__audit_append(db, "pay raise %d from %s: %lld graded, %lld raised", year, effective,
				 (long long)graded, (long long)raised);
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_raised)
		*out_raised = error == 0 ? raised : 0;
	sb__pay_history_clear(&h);
	sb__pay_policies_clear(&ps);
	index_clear(&ix);
	return error;
}

typedef struct {
	char id[19], from[8], to[8];
	int64_t amount;
	long line;
	int nth;
} decl;

static int decl_cmp(const void *a, const void *b)
{
	const decl *x = a, *y = b;
	int c;
	if ((c = strcmp(x->id, y->id)) || (c = strcmp(x->from, y->from)) || (c = strcmp(x->to, y->to)))
		return c;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int sb_pay_deductions(int64_t *out_added, sb_db *db, const char *path)
{
	static const sb__csv_col cols[] = { { "id_number", 1 }, { "from", 1 }, { "to", 1 }, { "amount", 1 } };
	int map[4], error = 0, rc, in_tx = 0, y, m;
	sb__csv *c = NULL;
	worker_index ix;
	const sb_worker *w;
	decl *ds = NULL;
	size_t n = 0, cap = 0, i;
	int64_t added = 0;
	sb__stmt *st;
	void *grown;

	memset(&ix, 0, sizeof ix);
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 4, map)) < 0)
		goto done;
	if ((error = index_load(&ix, db)) < 0)
		goto done;
	while ((rc = sb__csv_next(c)) == 1) {
		const char *from = sb__csv_field(c, map[1]), *to = sb__csv_field(c, map[2]),
			   *amount = sb__csv_field(c, map[3]);
		decl *d;
		if ((error = csv_worker(&w, c, map[0], &ix)) < 0)
			goto done;
		if (sb__month_parse(from, &y, &m) < 0) {
			error = sb__csv_error(c, "from", "'%s' is not a month YYYY-MM", from);
			goto done;
		}
		if (sb__month_parse(to, &y, &m) < 0) {
			error = sb__csv_error(c, "to", "'%s' is not a month YYYY-MM", to);
			goto done;
		}
		if (strcmp(to, from) < 0) {
			error = sb__csv_error(c, "to", "%s is before from %s", to, from);
			goto done;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if (!(grown = sb__realloc(ds, cap * sizeof *ds))) {
				error = SB_ENOMEM;
				goto done;
			}
			ds = grown;
		}
		d = &ds[n];
		if (sb_money_parse(&d->amount, amount) < 0 || d->amount <= 0) {
			error = sb__csv_error(c, "amount", "'%s' is not a positive amount in yuan with at most two decimals", amount);
			goto done;
		}
		snprintf(d->id, sizeof d->id, "%s", w->id_number);
		snprintf(d->from, sizeof d->from, "%s", from);
		snprintf(d->to, sizeof d->to, "%s", to);
		d->line = sb__csv_line(c);
		n++;
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	/* Two identical rows in one file are two declarations (two children, say); the same row
	 * in a file loaded again is the same declaration: rows are keyed with their occurrence. */
	if (n)
		qsort(ds, n, sizeof *ds, decl_cmp);
	for (i = 0; i < n; i++)
		ds[i].nth = i > 0 && strcmp(ds[i].id, ds[i - 1].id) == 0 && strcmp(ds[i].from, ds[i - 1].from) == 0 &&
				    strcmp(ds[i].to, ds[i - 1].to) == 0 && ds[i].amount == ds[i - 1].amount
			    ? ds[i - 1].nth + 1 : 1;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	for (i = 0; i < n; i++) {
		if ((error = sb__db_prepare(db, &st,
			"INSERT OR IGNORE INTO pay_deduction (id_number, from_month, to_month, amount_fen, nth) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, ds[i].id);
		sb__stmt_bind_text(st, 2, ds[i].from);
		sb__stmt_bind_text(st, 3, ds[i].to);
		sb__stmt_bind_int64(st, 4, ds[i].amount);
		sb__stmt_bind_int64(st, 5, ds[i].nth);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
		added += sb__db_changes(db);
	}
	if (added)
		error = sb__audit_append(db, "pay deductions: %lld declarations from %s (sha256 %s)",
					 (long long)added, sb__csv_name(c), sb__csv_digest(c));
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_added)
		*out_added = error == 0 ? added : 0;
	free(ds);
	index_clear(&ix);
	sb__csv_free(c);
	return error;
}

int sb_pay_prior_year(int64_t *out_rows, sb_db *db, int year, const char *path)
{
	static const sb__csv_col cols[] = { { "id_number", 1 }, { "township_code", 1 }, { "months", 1 }, { "wages", 1 } };
	int map[4], error = 0, rc, in_tx = 0;
	sb__csv *c = NULL;
	int64_t rows = 0, months, wages, changed = 0;
	sb__stmt *st;
	char like[16];

	if (year < 1900 || year > 9999)
		return sb_error_set(SB_EUSAGE, "'%d' is not a year", year);
	if ((error = sb__csv_open(&c, path)) < 0 || (error = sb__csv_header(c, cols, 4, map)) < 0)
		goto done;
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	/* The registry's own payrolls cover the year from its January on: prior-year rows are
	 * for the months paid before the registry, and add to the registry's months. */
	snprintf(like, sizeof like, "%04d-01", year);
	if ((error = sb__db_prepare(db, &st, "SELECT count(*) FROM payroll_month WHERE month = ?1")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, like);
	if ((rc = sb__stmt_step(st)) < 0) {
		error = rc;
		goto done;
	}
	if (sb__stmt_int64(st, 0) > 0) {
		sb__stmt_reset(st);
		error = sb_error_set(SB_ESTATE, "%s: the registry has its own payrolls of %d from January; prior-year wages are for months before it",
				     path, year);
		goto done;
	}
	sb__stmt_reset(st);
	while ((rc = sb__csv_next(c)) == 1) {
		const char *id = sb__csv_field(c, map[0]), *town = sb__csv_field(c, map[1]),
			   *ms = sb__csv_field(c, map[2]), *wg = sb__csv_field(c, map[3]);
		if (sb_person_id_check(NULL, id) < 0) {
			error = sb__csv_error(c, "id_number", "%s", sb_error_last());
			goto done;
		}
		if (sb_org_code_level(town) != SB_LEVEL_TOWNSHIP) {
			error = sb__csv_error(c, "township_code", "'%s' is not a township code", town);
			goto done;
		}
		if (sb_decimal_parse(&months, ms, 0) < 0 || months < 0 || months > 12) {
			error = sb__csv_error(c, "months", "'%s' is not a number of months from 0 to 12", ms);
			goto done;
		}
		if (sb_money_parse(&wages, wg) < 0 || wages < 0) {
			error = sb__csv_error(c, "wages", "'%s' is not an amount in yuan with at most two decimals", wg);
			goto done;
		}
		if ((error = sb__db_prepare(db, &st,
			"INSERT INTO pay_prior (year, id_number, township_code, months, wages_fen) VALUES (?1, ?2, ?3, ?4, ?5)"
			" ON CONFLICT (year, id_number, township_code) DO UPDATE SET months = excluded.months, wages_fen = excluded.wages_fen"
			" WHERE months <> excluded.months OR wages_fen <> excluded.wages_fen")) < 0)
			goto done;
		sb__stmt_bind_int64(st, 1, year);
		sb__stmt_bind_text(st, 2, id);
		sb__stmt_bind_text(st, 3, town);
		sb__stmt_bind_int64(st, 4, months);
		sb__stmt_bind_int64(st, 5, wages);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
		changed += sb__db_changes(db);
		rows++;
	}
	if (rc < 0) {
		error = rc;
		goto done;
	}
	if (changed)
		error = sb__audit_append(db, "pay prior-year %d: %lld rows from %s (sha256 %s)", year,
					 (long long)rows, sb__csv_name(c), sb__csv_digest(c));
done:
	if (in_tx)
		error = sb__db_tx_end(db, error);
	if (out_rows)
		*out_rows = error == 0 ? rows : 0;
	sb__csv_free(c);
	return error;
}
