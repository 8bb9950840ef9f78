/*
 * Reading a recruitment round's policy file (SPEC §3): the XML is untrusted input, so it is
 * parsed without network access, without entity substitution and without any DOCTYPE, then
 * validated against xsd/policy.xsd, then checked for what a schema cannot say (weights summing
 * to 100, pass lines within range, distinct subject ids). Not for applying the policy: the
 * scoring lives in round_score.c and the steps in round.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "common_internal.h"
#include "round_internal.h"
#include "xml_internal.h"
#include "shuangbai/money.h"

#define POLICY_NS "urn:shuangbai:policy:1"

void sb__round_policy_free(sb__round_policy *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->nsubjects; i++) {
		free(p->subjects[i].id);
		free(p->subjects[i].name);
	}
	free(p->subjects);
	free(p->name);
	free(p);
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, POLICY_NS) == 0 &&
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

/* The attribute's text (caller frees with xmlFree), NULL when absent. */
static char *attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int bad(const char *name, xmlNodePtr n, const char *what, const char *fmt, const char *value)
{
	return sb_error_set(SB_EINVALID, "%s:%ld: <%s> %s: %s%s%s%s", name, n ? xmlGetLineNo(n) : 0L,
			    n ? (const char *)n->name : "policy", what, fmt, value ? " (" : "",
			    value ? value : "", value ? ")" : "");
}

/* A score attribute; `def` when absent and not required. */
static int score_attr(int64_t *out, const char *name, xmlNodePtr n, const char *a, int64_t def,
		      int required)
{
	char *v = attr(n, a);
	int error = 0;
	if (!v) {
		if (required)
			return bad(name, n, a, "is missing", NULL);
		*out = def;
		return 0;
	}
	if (sb_decimal_parse(out, v, 2) < 0)
		error = bad(name, n, a, "not a score with at most two decimals", v);
	xmlFree(v);
	return error;
}

static int int_attr(int *out, const char *name, xmlNodePtr n, const char *a, int def, int lo,
		    int hi)
{
	char *v = attr(n, a), *end = NULL;
	long x;
	int error = 0;
	if (!v) {
		*out = def;
		return 0;
	}
	x = strtol(v, &end, 10);
	if (end == v || *end || x < lo || x > hi)
		error = bad(name, n, a, "out of range", v);
	else
		*out = (int)x;
	xmlFree(v);
	return error;
}

static int read_policy(sb__round_policy *p, xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), w, n;
	char *v = NULL;
	size_t i, j, count;
	int error = 0;

	if (!is_el(root, "policy"))
		return sb_error_set(SB_EINVALID, "%s:%ld: the root element must be <policy> in %s", name,
				    root ? xmlGetLineNo(root) : 0L, POLICY_NS);
	if (!(v = attr(root, "name")) || !*v) {
		error = bad(name, root, "name", "is missing", NULL);
		goto done;
	}
	if (!(p->name = sb__strdup(v))) {
		error = SB_ENOMEM;
		goto done;
	}
	xmlFree(v);
	if (!(v = attr(root, "reference-date")) ||
	    sb__date_parse(v, &p->ref_y, &p->ref_m, &p->ref_d) < 0) {
		error = bad(name, root, "reference-date", "must be a date YYYY-MM-DD", v);
		goto done;
	}
	memcpy(p->reference_date, v, 10);
	p->reference_date[10] = '\0';
	xmlFree(v);
	v = NULL;

	if (!(w = child(root, "written"))) {
		error = bad(name, root, "written", "is missing", NULL);
		goto done;
	}
	if ((error = score_attr(&p->written_pass, name, w, "pass", 0, 1)) < 0 ||
	    (error = score_attr(&p->bonus_cap, name, w, "bonus-cap", 0, 0)) < 0)
		goto done;
	if (p->written_pass < 0) {
		error = bad(name, w, "pass", "the pass line must not be negative", NULL);
		goto done;
	}
	if (p->written_pass > 10000) {
		error = bad(name, w, "pass", "the pass line is on the written score scaled to 100; it cannot exceed 100", NULL);
		goto done;
	}
	if (p->bonus_cap < 0) {
		error = bad(name, w, "bonus-cap", "must not be negative", NULL);
		goto done;
	}
	for (count = 0, n = w->children; n; n = n->next)
		count += is_el(n, "subject");
	if (count == 0) {
		error = bad(name, w, "subject", "at least one subject is needed", NULL);
		goto done;
	}
	if (!(p->subjects = sb__calloc(count, sizeof(*p->subjects)))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (n = w->children; n; n = n->next) {
		sb__round_subject *s;
		if (!is_el(n, "subject"))
			continue;
		s = &p->subjects[p->nsubjects++];
		if (!(v = attr(n, "id")) || !*v) {
			error = bad(name, n, "id", "is missing", NULL);
			goto done;
		}
		for (j = 0; j + 1 < p->nsubjects; j++)
			if (strcmp(p->subjects[j].id, v) == 0) {
				error = bad(name, n, "id", "a subject with this id is already given", v);
				goto done;
			}
		if (!(s->id = sb__strdup(v))) {
			error = SB_ENOMEM;
			goto done;
		}
		xmlFree(v);
		v = attr(n, "name");
		if (!(s->name = sb__strdup(v ? v : ""))) {
			error = SB_ENOMEM;
			goto done;
		}
		xmlFree(v);
		v = NULL;
		if ((error = score_attr(&s->max, name, n, "max", 0, 1)) < 0)
			goto done;
		if (s->max <= 0) {
			error = bad(name, n, "max", "a subject's maximum must be positive", NULL);
			goto done;
		}
	}

	if ((n = child(root, "opening"))) {
		if ((error = int_attr(&p->opening_ratio, name, n, "ratio", 0, 1, 100)) < 0)
			goto done;
		if (p->opening_ratio == 0) {
			error = bad(name, n, "ratio", "is missing", NULL);
			goto done;
		}
		if ((v = attr(n, "below"))) {
			if (strcmp(v, "cancel") == 0)
				p->opening_cancel = 1;
			else if (strcmp(v, "reduce") != 0) {
				error = bad(name, n, "below", "must be reduce or cancel", v);
				goto done;
			}
			xmlFree(v);
			v = NULL;
		}
	}
	if (!(n = child(root, "shortlist"))) {
		error = bad(name, root, "shortlist", "is missing", NULL);
		goto done;
	}
	if ((error = int_attr(&p->shortlist_ratio, name, n, "ratio", 0, 1, 100)) < 0)
		goto done;
	if (p->shortlist_ratio == 0) {
		error = bad(name, n, "ratio", "is missing", NULL);
		goto done;
	}

	if (!(n = child(root, "interview"))) {
		error = bad(name, root, "interview", "is missing", NULL);
		goto done;
	}
	if ((error = score_attr(&p->interview_pass, name, n, "pass", 0, 1)) < 0 ||
	    (error = score_attr(&p->interview_max, name, n, "max", 10000, 0)) < 0 ||
	    (error = int_attr(&p->factor_decimals, name, n, "factor-decimals", -1, 0, 8)) < 0)
		goto done;
	if (p->interview_max <= 0) {
		error = bad(name, n, "max", "must be positive", NULL);
		goto done;
	}
	if (p->interview_pass < 0) {
		error = bad(name, n, "pass", "the pass mark must not be negative", NULL);
		goto done;
	}
	if (p->interview_pass > p->interview_max) {
		error = bad(name, n, "pass", "the pass mark exceeds the highest mark", NULL);
		goto done;
	}
	if ((v = attr(n, "aggregate"))) {
		if (strcmp(v, "trimmed") == 0)
			p->trimmed = 1;
		else if (strcmp(v, "mean") != 0) {
			error = bad(name, n, "aggregate", "must be mean or trimmed", v);
			goto done;
		}
		xmlFree(v);
		v = NULL;
	}
	if ((v = attr(n, "correction"))) {
		if (strcmp(v, "pooled") == 0)
			p->correction = SB_ROUND_CORR_POOLED;
		else if (strcmp(v, "mean-of-means") == 0)
			p->correction = SB_ROUND_CORR_MEANS;
		else if (strcmp(v, "none") != 0) {
			error = bad(name, n, "correction", "must be none, pooled or mean-of-means", v);
			goto done;
		}
		xmlFree(v);
		v = NULL;
	}

	if (!(n = child(root, "combined"))) {
		error = bad(name, root, "combined", "is missing", NULL);
		goto done;
	}
	if ((error = int_attr(&p->w_written, name, n, "written", -1, 0, 100)) < 0 ||
	    (error = int_attr(&p->w_interview, name, n, "interview", -1, 0, 100)) < 0)
		goto done;
	if (p->w_written < 0 || p->w_interview < 0 || p->w_written + p->w_interview != 100) {
		char sum[32];
		snprintf(sum, sizeof(sum), "%d + %d", p->w_written, p->w_interview);
		error = bad(name, n, "written/interview", "the weights must sum to 100", sum);
		goto done;
	}

	if ((w = child(root, "tiebreak"))) {
		for (n = w->children; n; n = n->next) {
			int key;
			if (!is_el(n, "key"))
				continue;
			v = (char *)xmlNodeGetContent(n);
			if (!v) {
				error = SB_ENOMEM;
				goto done;
			}
			if (strcmp(v, "written_total") == 0)
				key = SB_ROUND_KEY_WRITTEN_TOTAL;
			else if (strcmp(v, "interview") == 0)
				key = SB_ROUND_KEY_INTERVIEW;
			else if (strcmp(v, "written") == 0)
				key = SB_ROUND_KEY_WRITTEN;
			else if (strcmp(v, "interview_raw") == 0)
				key = SB_ROUND_KEY_INTERVIEW_RAW;
			else {
				error = bad(name, n, "key", "unknown tie-break key", v);
				goto done;
			}
			for (i = 0; i < (size_t)p->ntiebreak; i++)
				if (p->tiebreak[i] == key) {
					error = bad(name, n, "key", "given twice", v);
					goto done;
				}
			if (p->ntiebreak == 4) {
				error = bad(name, n, "key", "at most four keys", v);
				goto done;
			}
			p->tiebreak[p->ntiebreak++] = key;
			xmlFree(v);
			v = NULL;
		}
	} else {
		p->tiebreak[0] = SB_ROUND_KEY_WRITTEN_TOTAL;
		p->tiebreak[1] = SB_ROUND_KEY_INTERVIEW;
		p->ntiebreak = 2;
	}
	if ((n = child(root, "age")) &&
	    (error = int_attr(&p->max_age, name, n, "max", 0, 1, 100)) < 0)
		goto done;
done:
	if (v)
		xmlFree(v);
	return error;
}

int sb__round_policy_parse(sb__round_policy **out, const char *xml, size_t len, const char *name,
			   int check)
{
	sb__round_policy *p = NULL;
	xmlDocPtr doc = NULL;
	int error = 0;

	*out = NULL;
	if (len > (size_t)1 << 24)
		return sb_error_set(SB_EINVALID, "%s: a policy file is at most 16 MiB", name);
	/* A DOCTYPE is where entity bombs and external entities live; a policy never needs one,
	 * and the shared reader refuses it (xml.c). */
	if (!(p = sb__calloc(1, sizeof(*p))))
		return SB_ENOMEM;
	if ((error = sb__xml_read(&doc, xml, len, name, check ? "policy.xsd" : NULL)) < 0)
		goto done;
	if ((error = read_policy(p, doc, name)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	xmlFreeDoc(doc);
	sb__round_policy_free(p);
	return error;
}
