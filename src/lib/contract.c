/*
 * Labour contracts: the registry rows (contract_contract), the province-wide numbering
 * (contract_serial), the Labour Contract Law checks (Arts. 17, 19, 20), rendering the
 * contract as XML (xsd/contract.xsd) and PDF (forms/contract.xml through the pdf area),
 * signing both through the sign area, and verifying a contract document. Not for key
 * handling (pki.c), signature mechanics (sign.c) or pay scales (the pay area).
 */
#include "config.h"
#include "common_internal.h"
#include "db_internal.h"
#include "audit_internal.h"
#include "contract_internal.h"
#include "sign_internal.h"
#include "xml_internal.h"
#include "shuangbai/org.h"
#include "shuangbai/pay.h"
#include "shuangbai/pdf.h"
#include "shuangbai/staff.h"
#include "shuangbai/money.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

/* ---- the registry rows ------------------------------------------------------------ */

int sb__contract_next_number(char out[48], sb_db *db, const char *township, int year)
{
	int error = 0;
	int64_t serial = 1;
	sb__stmt *st = NULL;

	/* The counter is read and bumped inside the caller's BEGIN IMMEDIATE transaction: the
	 * write lock is held from the start, so a second process waits and then sees our value. */
	if (!sb__db_in_tx(db))
		return sb_error_set(SB_ESTATE, "contract numbers are allocated inside a transaction");
	if ((error = sb__db_prepare(db, &st, "SELECT last FROM contract_serial WHERE township_code = ?1 AND year = ?2")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, township);
	sb__stmt_bind_int64(st, 2, year);
	if ((error = sb__stmt_step(st)) < 0)
		return error;
	if (error == 1)
		serial = sb__stmt_int64(st, 0) + 1;
	sb__stmt_reset(st);
	if ((error = sb__db_prepare(db, &st, "INSERT INTO contract_serial(township_code, year, last) VALUES (?1, ?2, ?3) "
					     "ON CONFLICT(township_code, year) DO UPDATE SET last = excluded.last")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, township);
	sb__stmt_bind_int64(st, 2, year);
	sb__stmt_bind_int64(st, 3, serial);
	if ((error = sb__stmt_run(st)) < 0)
		return error;
	snprintf(out, 48, "%s-%04d-%06lld", township, year, (long long)serial);
	return 0;
}

int sb__contract_record(sb_db *db, const sb_contract_info *c)
{
	int error = 0, y, m, d;
	char number[48];
	sb__stmt *st = NULL;

	if (sb__date_parse(c->start, &y, &m, &d) < 0)
		return sb_error_set(SB_EINVALID, "contract: start '%s' is not a date", c->start);
	if ((error = sb__db_tx_begin(db)) < 0)
		return error;
	if (c->number[0])
		snprintf(number, sizeof number, "%s", c->number);
	else if ((error = sb__contract_next_number(number, db, c->township_code, y)) < 0)
		goto done;
	if ((error = sb__db_prepare(db, &st,
		"INSERT INTO contract_contract(number, worker_id, id_number, township_code, start, end, probation_end,"
		" monthly_fen, probation_fen, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, ''), NULLIF(?7, ''), ?8, ?9,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) < 0)
		goto done;
	sb__stmt_bind_text(st, 1, number);
	sb__stmt_bind_int64(st, 2, c->worker_id);
	sb__stmt_bind_text(st, 3, c->id_number);
	sb__stmt_bind_text(st, 4, c->township_code);
	sb__stmt_bind_text(st, 5, c->start);
	sb__stmt_bind_text(st, 6, c->end);
	sb__stmt_bind_text(st, 7, c->probation_end);
	sb__stmt_bind_int64(st, 8, c->monthly_fen);
	sb__stmt_bind_int64(st, 9, c->probation_fen);
	if ((error = sb__stmt_run(st)) < 0)
		goto done;
	error = sb__audit_append(db, "contract %s: worker %lld (%s), employer %s, %s to %s, probation to %s, %lld fen, probation %lld fen",
				 number, (long long)c->worker_id, c->id_number, c->township_code, c->start,
				 c->end[0] ? c->end : "open-ended", c->probation_end[0] ? c->probation_end : "none",
				 (long long)c->monthly_fen, (long long)c->probation_fen);
done:
	return sb__db_tx_end(db, error);
}

static int info_from_row(sb_contract_info *c, sb__stmt *st)
{
	memset(c, 0, sizeof *c);
	sb__copy(c->number, sizeof c->number, sb__stmt_text(st, 0));
	c->worker_id = sb__stmt_int64(st, 1);
	sb__copy(c->id_number, sizeof c->id_number, sb__stmt_text(st, 2));
	sb__copy(c->township_code, sizeof c->township_code, sb__stmt_text(st, 3));
	sb__copy(c->start, sizeof c->start, sb__stmt_text(st, 4));
	sb__copy(c->end, sizeof c->end, sb__stmt_text(st, 5));
	sb__copy(c->probation_end, sizeof c->probation_end, sb__stmt_text(st, 6));
	c->monthly_fen = sb__stmt_int64(st, 7);
	c->probation_fen = sb__stmt_int64(st, 8);
	return 0;
}

int sb__contract_in_force_each(sb_db *db, int year, int month, const char *scope,
				int (*fn)(void *ctx, const sb_contract_info *c), void *ctx)
{
	int error = 0, rc;
	char first[11], last[11], lo[13], hi[13];
	sb_contract_info c;
	sb__stmt *st = NULL;

	if (month < 1 || month > 12 || year < 1900 || year > 9999)
		return sb_error_set(SB_EINVALID, "month %04d-%02d is not a month", year, month);
	if ((error = sb_org_scope_range(lo, hi, db, scope)) < 0)
		return error;
	snprintf(first, sizeof first, "%04d-%02d-01", year, month);
	snprintf(last, sizeof last, "%04d-%02d-%02d", year, month, sb__days_in_month(year, month));
	/* In force on at least one day of the month: started by its last day and not ended
	 * before its first. The scope is a range of township codes, so that one township's
	 * question reads that township's contracts, not the province's, from the covering index
	 * contract_contract_force (migration 9), in its order. */
	if ((error = sb__db_prepare(db, &st,
		"SELECT number, worker_id, id_number, township_code, start, end, probation_end, monthly_fen, probation_fen"
		" FROM contract_contract WHERE township_code >= ?3 AND township_code < ?4"
		" AND start <= ?2 AND (end IS NULL OR end >= ?1)"
		" ORDER BY township_code, id_number, start")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, first)) < 0 || (error = sb__stmt_bind_text(st, 2, last)) < 0 ||
	    (error = sb__stmt_bind_text(st, 3, lo)) < 0 || (error = sb__stmt_bind_text(st, 4, hi)) < 0)
		return error;
	while ((rc = sb__stmt_step(st)) == 1) {
		info_from_row(&c, st);
		if ((error = fn(ctx, &c)) < 0) {
			sb__stmt_reset(st);
			return error;
		}
	}
	return rc < 0 ? rc : 0;
}

typedef struct {
	sb_contract_info *list;
	size_t n, cap;
} info_list;

static int info_add(void *ctx, const sb_contract_info *c)
{
	info_list *l = ctx;
	sb_contract_info *grown;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		if (!(grown = sb__realloc(l->list, cap * sizeof *grown)))
			return SB_ENOMEM;
		l->list = grown;
		l->cap = cap;
	}
	l->list[l->n++] = *c;
	return 0;
}

int sb_contract_in_force(sb_contract_info **out, size_t *out_n, sb_db *db, int year, int month,
			 const char *scope)
{
	info_list l = { NULL, 0, 0 };
	int error;

	*out = NULL;
	*out_n = 0;
	if ((error = sb__contract_in_force_each(db, year, month, scope, info_add, &l)) < 0) {
		free(l.list);
		return error;
	}
	*out = l.list;
	*out_n = l.n;
	return 0;
}

void sb_contract_info_free(sb_contract_info *list)
{
	free(list);
}

/* ---- the Labour Contract Law ------------------------------------------------------ */

/*
 * Art. 19: probation at most 1 month for a term of 3 months to under 1 year, 2 months for
 * 1 to under 3 years, 6 months for 3 years or more or open-ended; none under 3 months.
 * `term_months` is 0 for open-ended. Returns the longest probation allowed.
 */
int sb__contract_probation_max(int term_months)
{
	if (term_months == 0 || term_months >= 36)
		return 6;
	if (term_months >= 12)
		return 2;
	if (term_months >= 3)
		return 1;
	return 0;
}

int sb__contract_check_probation(int term_months, int probation_months)
{
	int max = sb__contract_probation_max(term_months);
	if (probation_months < 0)
		return sb_error_set(SB_EINVALID, "probation: months cannot be negative");
	if (probation_months > max) {
		if (max == 0)
			return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 19: a contract of under 3 months has no probation (%d months asked)",
					    probation_months);
		return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 19: probation of %d months is longer than the %d allowed for %s",
				    probation_months, max,
				    term_months == 0 ? "an open-ended contract" :
				    term_months >= 36 ? "a term of 3 years or more" :
				    term_months >= 12 ? "a term of 1 to under 3 years" : "a term of 3 months to under 1 year");
	}
	return 0;
}

/*
 * Art. 20: the probation wage is not below 80% of the contract wage nor below the local
 * minimum wage; the contract wage itself is not below the minimum (Minimum Wage Provisions,
 * Art. 12). minimum_fen 0 means unknown (no pay policy), when only the 80% rule applies.
 */
int sb__contract_check_pay(int64_t monthly_fen, int64_t probation_fen, int64_t minimum_fen, int probation_months)
{
	char a[32], b[32];
	if (monthly_fen <= 0)
		return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 17: the contract names no pay");
	if (minimum_fen > 0 && monthly_fen < minimum_fen)
		return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 20: contract wage %s is below the local minimum wage %s",
				    sb_money_format(a, sizeof a, monthly_fen), sb_money_format(b, sizeof b, minimum_fen));
	if (probation_months == 0)
		return 0;
	/* exact: probation / monthly >= 80 / 100, in integers */
	if ((__int128)probation_fen * 100 < (__int128)monthly_fen * 80)
		return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 20: probation wage %s is below 80%% of the contract wage %s",
				    sb_money_format(a, sizeof a, probation_fen), sb_money_format(b, sizeof b, monthly_fen));
	if (minimum_fen > 0 && probation_fen < minimum_fen)
		return sb_error_set(SB_EPOLICY, "Labour Contract Law Art. 20: probation wage %s is below the local minimum wage %s",
				    sb_money_format(a, sizeof a, probation_fen), sb_money_format(b, sizeof b, minimum_fen));
	return 0;
}

/* The day before the same day `months` later; a day missing in the target month (31st,
 * 29 February) is taken as the month's end, so 2026-01-31 + 1 month ends 2026-02-28. */
void sb__contract_add_months(char out[11], const char *start, int months)
{
	int y, m, d, ty, tm, td;
	int64_t days;
	sb__date_parse(start, &y, &m, &d);
	ty = y + (m - 1 + months) / 12;
	tm = (m - 1 + months) % 12 + 1;
	if (d > sb__days_in_month(ty, tm)) {
		days = sb__days_from_civil(ty, tm, sb__days_in_month(ty, tm));
	} else {
		days = sb__days_from_civil(ty, tm, d) - 1;
	}
	sb__civil_from_days(days, &ty, &tm, &td);
	snprintf(out, 11, "%04d-%02d-%02d", ty, tm, td);
}

/* ---- files of the program: the template and the schema ---------------------------- */

static int data_path(char *out, size_t size, const char *env, const char *installed, const char *src, const char *name)
{
	const char *dir = getenv(env);
	if (dir && *dir) {
		snprintf(out, size, "%s/%s", dir, name);
		return 0;
	}
	snprintf(out, size, "%s/%s", installed, name);
	if (access(out, R_OK) == 0)
		return 0;
	snprintf(out, size, "%s/%s", src, name);
	return 0;
}

typedef struct {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr valid;
} schema_ctx;

static void schema_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int schema_load(schema_ctx *out, const char *name)
{
	char path[4096];
	xmlSchemaParserCtxtPtr pc;
	memset(out, 0, sizeof *out);
	data_path(path, sizeof path, "SHUANGBAI_XSD", SB_XSDDIR, SB_SRCXSDDIR, name);
	if (!(pc = xmlSchemaNewParserCtxt(path)))
		return sb_error_set(SB_ENOMEM, "out of memory");
	xmlSchemaSetParserErrors(pc, schema_silent, schema_silent, NULL);
	out->schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!out->schema)
		return sb_error_set(SB_EIO, "%s: cannot load the schema", path);
	if (!(out->valid = xmlSchemaNewValidCtxt(out->schema))) {
		xmlSchemaFree(out->schema);
		out->schema = NULL;
		return sb_error_set(SB_ENOMEM, "out of memory");
	}
	xmlSchemaSetValidErrors(out->valid, schema_silent, schema_silent, NULL);
	return 0;
}

static void schema_free(schema_ctx *s)
{
	if (s->valid)
		xmlSchemaFreeValidCtxt(s->valid);
	if (s->schema)
		xmlSchemaFree(s->schema);
}

static int schema_check(schema_ctx *s, xmlDocPtr doc, const char *what)
{
	int rc;
	xmlResetLastError();
	rc = xmlSchemaValidateDoc(s->valid, doc);
	if (rc != 0) {
		const xmlError *e = xmlGetLastError();
		char msg[512] = "does not follow the schema";
		if (e && e->message) {
			size_t n;
			snprintf(msg, sizeof msg, "%s", e->message);
			n = strlen(msg);
			while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
				msg[--n] = '\0';
		}
		return sb_error_set(SB_EXML, "%s:%d: %s", what, e ? e->line : 0, msg);
	}
	return 0;
}

/* ---- the template -------------------------------------------------------------------- */

enum { CL_JOB_SERVICE, CL_JOB_OFFICE, CL_HOURS, CL_INSURANCE, CL_PROTECTION, CL_COUNT };
static const char *const clause_names[CL_COUNT] = { "job.content-service", "job.content-office", "working-hours",
						    "social-insurance", "labour-protection" };

typedef struct {
	char path[4096];
	xmlDocPtr doc;
	xmlNodePtr body;
	const xmlChar *clause[CL_COUNT];
	xmlChar *owned[CL_COUNT];
} form;

static void form_free(form *f)
{
	int i;
	for (i = 0; i < CL_COUNT; i++)
		xmlFree(f->owned[i]);
	if (f->doc)
		xmlFreeDoc(f->doc);
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static int form_load(form *f)
{
	int error = 0, i;
	char *text = NULL;
	size_t len = 0;
	schema_ctx sc = { NULL, NULL };
	xmlNodePtr n;

	memset(f, 0, sizeof *f);
	data_path(f->path, sizeof f->path, "SHUANGBAI_FORMS", SB_FORMSDIR, SB_SRCFORMSDIR, "contract.xml");
	if ((error = sb__read_file(&text, &len, f->path)) < 0)
		goto done;
	if ((error = sb__xml_parse(&f->doc, text, len, f->path)) < 0)
		goto done;
	if ((error = schema_load(&sc, "contract-form.xsd")) < 0 || (error = schema_check(&sc, f->doc, f->path)) < 0)
		goto done;
	for (n = xmlDocGetRootElement(f->doc)->children; n; n = n->next) {
		if (is_el(n, "body"))
			f->body = n;
		if (!is_el(n, "clause"))
			continue;
		{
			xmlChar *name = xmlGetProp(n, BAD_CAST "name");
			for (i = 0; i < CL_COUNT; i++)
				if (name && xmlStrcmp(name, BAD_CAST clause_names[i]) == 0 && !f->owned[i])
					f->clause[i] = f->owned[i] = xmlNodeGetContent(n);
			xmlFree(name);
		}
	}
	for (i = 0; i < CL_COUNT; i++)
		if (!f->clause[i] || !f->clause[i][0]) {
			error = sb_error_set(SB_EINVALID, "%s: clause '%s' is missing (Labour Contract Law Art. 17)", f->path,
					     clause_names[i]);
			goto done;
		}
done:
	schema_free(&sc);
	free(text);
	if (error < 0)
		form_free(f);
	return error;
}

/* ---- one contract's values ----------------------------------------------------------- */

enum {
	V_NUMBER, V_ISSUED, V_EMP_NAME, V_EMP_ADDRESS, V_EMP_REP, V_EMP_USCC, V_W_NAME, V_W_ID, V_W_ADDRESS,
	V_START, V_END, V_TERM, V_PROB_MONTHS, V_PROB_END, V_JOB_CONTENT, V_JOB_PLACE, V_PAY, V_PAY_PROB,
	V_HOURS, V_INSURANCE, V_PROTECTION, V_COUNT
};
static const char *const value_names[V_COUNT] = {
	"number", "issued", "employer.name", "employer.address", "employer.legal_rep", "employer.uscc",
	"worker.name", "worker.id_number", "worker.address", "start", "end", "term", "probation.months",
	"probation.end", "job.content", "job.place", "pay.monthly", "pay.probation", "working-hours",
	"social-insurance", "labour-protection"
};

typedef struct {
	sb_contract_info info;
	const sb_worker *worker;
	char *worker_address;
	char *place;
	char place_code[13];
	int term_years;   /* 0 open-ended */
	int probation_months;
	int64_t minimum_fen;
	char issued[11];
	char zh[V_COUNT][64]; /* short values formatted for the form (dates in Chinese, yuan) */
} terms;

static void zh_date(char *out, size_t size, const char *iso)
{
	int y, m, d;
	if (!iso[0] || sb__date_parse(iso, &y, &m, &d) < 0)
		snprintf(out, size, "%s", iso);
	else
		snprintf(out, size, "%d年%d月%d日", y, m, d);
}

static const char *value_of(const terms *t, const sb_employer *e, const form *f, int v)
{
	switch (v) {
	case V_NUMBER: return t->info.number;
	case V_EMP_NAME: return e->name;
	case V_EMP_ADDRESS: return e->address;
	case V_EMP_REP: return e->legal_rep;
	case V_EMP_USCC: return e->uscc;
	case V_W_NAME: return t->worker->name;
	case V_W_ID: return t->worker->id_number;
	case V_W_ADDRESS: return t->worker_address;
	case V_JOB_CONTENT:
		return (const char *)f->clause[strcmp(t->worker->kind, "office") == 0 ? CL_JOB_OFFICE : CL_JOB_SERVICE];
	case V_JOB_PLACE: return t->place;
	case V_HOURS: return (const char *)f->clause[CL_HOURS];
	case V_INSURANCE: return (const char *)f->clause[CL_INSURANCE];
	case V_PROTECTION: return (const char *)f->clause[CL_PROTECTION];
	default: return t->zh[v];
	}
}

static void terms_format(terms *t)
{
	zh_date(t->zh[V_ISSUED], 64, t->issued);
	zh_date(t->zh[V_START], 64, t->info.start);
	zh_date(t->zh[V_END], 64, t->info.end);
	snprintf(t->zh[V_TERM], 64, "%d年", t->term_years);
	snprintf(t->zh[V_PROB_MONTHS], 64, "%d", t->probation_months);
	zh_date(t->zh[V_PROB_END], 64, t->info.probation_end);
	sb_money_format(t->zh[V_PAY], 64, t->info.monthly_fen);
	sb_money_format(t->zh[V_PAY_PROB], 64, t->info.probation_fen);
}

/* A registry value as the PDF shows it. The embedded fonts and libharu draw the Basic
 * Multilingual Plane only, and a few real place names carry a character beyond it (Guangdong's
 * village 輋𣒍村委会, 441424103203): such a character is written as its code point in brackets,
 * 〔U+2348D〕, exact and unambiguous, while the signed XML holds the character itself. */
static void put_drawable(sb_buf *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	while (*s) {
		if (*s >= 0xF0 && *s <= 0xF4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
			unsigned cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
				      (unsigned)(s[2] & 0x3F) << 6 | (unsigned)(s[3] & 0x3F);
			sb__buf_printf(out, "〔U+%X〕", cp);
			s += 4;
			continue;
		}
		sb__buf_putc(out, (char)*s++);
	}
}

/* Replace {name} placeholders; an unknown one is an error naming the template line. */
static int fill(sb_buf *out, const char *tmpl, const terms *t, const sb_employer *e, const form *f, long line)
{
	const char *p = tmpl, *open, *close;
	int v;
	while ((open = strchr(p, '{'))) {
		sb__buf_put(out, p, (size_t)(open - p));
		if (!(close = strchr(open, '}')))
			return sb_error_set(SB_EINVALID, "%s:%ld: unclosed placeholder", f->path, line);
		for (v = 0; v < V_COUNT; v++)
			if (strlen(value_names[v]) == (size_t)(close - open - 1) &&
			    memcmp(value_names[v], open + 1, (size_t)(close - open - 1)) == 0)
				break;
		if (v == V_COUNT)
			return sb_error_set(SB_EINVALID, "%s:%ld: unknown placeholder %.*s", f->path, line,
					    (int)(close - open + 1), open);
		put_drawable(out, value_of(t, e, f, v));
		p = close + 1;
	}
	sb__buf_puts(out, p);
	return sb__buf_failed(out);
}

/* ---- the XML document ------------------------------------------------------------------ */

static void xml_text(sb_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb__buf_puts(b, "&amp;"); break;
		case '<': sb__buf_puts(b, "&lt;"); break;
		case '>': sb__buf_puts(b, "&gt;"); break;
		case '"': sb__buf_puts(b, "&quot;"); break;
		case '\r': sb__buf_puts(b, "&#13;"); break;
		default: sb__buf_putc(b, *s);
		}
	}
}

static void xml_el(sb_buf *b, const char *indent, const char *name, const char *value)
{
	sb__buf_printf(b, "%s<%s>", indent, name);
	xml_text(b, value);
	sb__buf_printf(b, "</%s>\n", name);
}

static int contract_xml(sb_buf *b, const terms *t, const sb_employer *e, const form *f)
{
	char money[32];
	sb__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb__buf_printf(b, "<contract xmlns=\"urn:shuangbai:contract:1\" number=\"%s\" issued=\"%s\">\n", t->info.number,
		       t->issued);
	sb__buf_printf(b, "  <employer code=\"%s\">\n", e->township_code);
	xml_el(b, "    ", "name", e->name);
	xml_el(b, "    ", "address", e->address);
	xml_el(b, "    ", "legal-representative", e->legal_rep);
	xml_el(b, "    ", "uscc", e->uscc);
	sb__buf_puts(b, "  </employer>\n  <worker>\n");
	xml_el(b, "    ", "name", t->worker->name);
	xml_el(b, "    ", "id-number", t->worker->id_number);
	xml_el(b, "    ", "address", t->worker_address);
	sb__buf_puts(b, "  </worker>\n");
	if (t->term_years)
		sb__buf_printf(b, "  <term kind=\"fixed\" years=\"%d\">\n", t->term_years);
	else
		sb__buf_puts(b, "  <term kind=\"open-ended\">\n");
	xml_el(b, "    ", "start", t->info.start);
	if (t->info.end[0])
		xml_el(b, "    ", "end", t->info.end);
	sb__buf_puts(b, "  </term>\n");
	if (t->probation_months)
		sb__buf_printf(b, "  <probation months=\"%d\" end=\"%s\"/>\n", t->probation_months, t->info.probation_end);
	else
		sb__buf_puts(b, "  <probation months=\"0\"/>\n");
	sb__buf_printf(b, "  <job kind=\"%s\">\n", t->worker->kind);
	xml_el(b, "    ", "content", value_of(t, e, f, V_JOB_CONTENT));
	sb__buf_printf(b, "    <place code=\"%s\">", t->place_code);
	xml_text(b, t->place);
	sb__buf_puts(b, "</place>\n  </job>\n");
	xml_el(b, "  ", "working-hours", (const char *)f->clause[CL_HOURS]);
	sb__buf_puts(b, "  <pay>\n");
	xml_el(b, "    ", "monthly", sb_decimal_format(money, sizeof money, t->info.monthly_fen, 2));
	xml_el(b, "    ", "probation", sb_decimal_format(money, sizeof money, t->info.probation_fen, 2));
	if (t->minimum_fen > 0)
		xml_el(b, "    ", "minimum", sb_decimal_format(money, sizeof money, t->minimum_fen, 2));
	sb__buf_puts(b, "  </pay>\n");
	xml_el(b, "  ", "social-insurance", (const char *)f->clause[CL_INSURANCE]);
	xml_el(b, "  ", "labour-protection", (const char *)f->clause[CL_PROTECTION]);
	sb__buf_puts(b, "</contract>\n");
	return sb__buf_failed(b);
}

/* ---- the PDF document ------------------------------------------------------------------ */


static int condition_holds(xmlNodePtr n, const terms *t)
{
	xmlChar *c = xmlGetProp(n, BAD_CAST "if");
	int yes = 1;
	if (c) {
		if (xmlStrcmp(c, BAD_CAST "fixed") == 0)
			yes = t->term_years > 0;
		else if (xmlStrcmp(c, BAD_CAST "open-ended") == 0)
			yes = t->term_years == 0;
		else if (xmlStrcmp(c, BAD_CAST "probation") == 0)
			yes = t->probation_months > 0;
		else if (xmlStrcmp(c, BAD_CAST "no-probation") == 0)
			yes = t->probation_months == 0;
		xmlFree(c);
	}
	return yes;
}

static int node_filled(sb_buf *out, xmlNodePtr n, const terms *t, const sb_employer *e, const form *f)
{
	xmlChar *text = xmlNodeGetContent(n);
	int error;
	out->len = 0;
	if (out->ptr)
		out->ptr[0] = '\0';
	if (!text)
		return sb_error_set(SB_ENOMEM, "out of memory");
	error = fill(out, (const char *)text, t, e, f, xmlGetLineNo(n));
	xmlFree(text);
	return error;
}

/*
 * One small font for the whole batch (sb_pdf_fontset): every text any of its contracts
 * draws, with the seal's name and the page numbers, told contract by contract
 * (sb_pdf_fontset_next) so that the characters all contracts share come first in the font
 * and the part of it every PDF embeds is compressed once. Embedding it instead of the large
 * prepared fonts is most of the cost of a contract's PDF saved; a character missed is still
 * drawn, with the prepared fonts, and only costs that saving. The contract number is not
 * known yet; it is ASCII, which every set holds. The set's file goes to $TMPDIR; failing
 * to write it fails the batch like any write.
 */
static int batch_fontset(sb_pdf_fontset **out, terms *all, size_t n, const sb_employer *e, const form *f)
{
	sb_pdf_fontset *fs = NULL;
	sb_buf text = SB_BUF_INIT;
	xmlNodePtr node;
	size_t i;
	int error = 0;

	*out = NULL;
	if (n == 0)
		return 0;
	if ((error = sb_pdf_fontset_new(&fs)) < 0 || (error = sb_pdf_fontset_add(fs, e->name)) < 0 ||
	    (error = sb_pdf_fontset_add(fs, "第 页 共")) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		terms_format(&all[i]);
		if ((error = sb_pdf_fontset_next(fs)) < 0)
			goto done;
		for (node = f->body->children; node; node = node->next) {
			/* what contract_pdf leaves out of this contract, it does not draw */
			if (node->type != XML_ELEMENT_NODE || !condition_holds(node, &all[i]))
				continue;
			/* a template error is reported where the node is drawn, as before */
			if ((error = node_filled(&text, node, &all[i], e, f)) == SB_ENOMEM)
				goto done;
			if (error == 0 && (error = sb_pdf_fontset_add(fs, text.ptr)) < 0)
				goto done;
			error = 0;
		}
	}
	error = sb_pdf_fontset_build(fs);
done:
	if (error < 0)
		sb_pdf_fontset_free(fs);
	else
		*out = fs;
	sb__buf_free(&text);
	return error;
}

static int contract_pdf(unsigned char **out, size_t *out_len, const terms *t, const sb_employer *e, const form *f,
			sb_pdf_fontset *fs)
{
	int error = 0;
	sb_pdf *doc = NULL;
	sb_pdf_info info;
	sb_buf text = SB_BUF_INIT, title = SB_BUF_INIT, subject = SB_BUF_INIT;
	xmlNodePtr n, p;
	double left, width, h, top;
	int sealed = 0;

	*out = NULL;
	sb__buf_printf(&title, "劳动合同书 %s", t->info.number);
	/* The subject carries the number in ASCII: `contract verify` reads the employer from it. */
	sb__buf_printf(&subject, "contract %s employer %s", t->info.number, e->township_code);
	if ((error = sb__buf_failed(&title)) < 0 || (error = sb__buf_failed(&subject)) < 0)
		goto done;
	memset(&info, 0, sizeof info);
	info.title = title.ptr;
	info.author = e->name;
	info.subject = subject.ptr;
	info.date = t->issued;
	if ((error = sb_pdf_new(&doc, &info)) < 0 || (fs && (error = sb_pdf_use_fontset(doc, fs)) < 0) ||
	    (error = sb_pdf_page_add(doc)) < 0)
		goto done;
	left = sb_pdf_left(doc);
	width = sb_pdf_content_width(doc);
	for (n = f->body->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || !condition_holds(n, t))
			continue;
		if (is_el(n, "signatures")) {
			/* The signature block and the seal stay together on the last page. */
			double r = SB_PDF_MM(21);
			sb_pdf_set_size(doc, 12);
			if ((error = sb_pdf_need(doc, 2 * r + 40)) < 0)
				goto done;
			sb_pdf_space(doc, 20);
			top = sb_pdf_cursor(doc);
			for (p = n->children; p; p = p->next) {
				if (!is_el(p, "party"))
					continue;
				if ((error = node_filled(&text, p, t, e, f)) < 0 ||
				    (error = sb_pdf_text_box(&h, doc, left, sb_pdf_cursor(doc), width * 0.6, text.ptr, SB_PDF_LEFT)) < 0)
					goto done;
				sb_pdf_set_cursor(doc, sb_pdf_cursor(doc) + h + 6);
			}
			if ((error = sb_pdf_seal(doc, left + width * 0.78, top + r, r, e->name)) < 0)
				goto done;
			sealed = 1;
			continue;
		}
		if ((error = node_filled(&text, n, t, e, f)) < 0)
			goto done;
		if (is_el(n, "title")) {
			sb_pdf_set_size(doc, 22);
			error = sb_pdf_para(doc, text.ptr, SB_PDF_CENTER, 0);
			sb_pdf_space(doc, 8);
		} else if (is_el(n, "heading")) {
			sb_pdf_set_size(doc, 13);
			sb_pdf_space(doc, 4);
			error = sb_pdf_para(doc, text.ptr, SB_PDF_LEFT, 0);
		} else if (is_el(n, "line")) {
			sb_pdf_set_size(doc, 11);
			error = sb_pdf_para(doc, text.ptr, SB_PDF_LEFT, 0);
		} else {
			sb_pdf_set_size(doc, 11);
			error = sb_pdf_para(doc, text.ptr, SB_PDF_LEFT, 22);
		}
		if (error < 0) {
			sb_error_prefix("%s:%d", f->path, (int)xmlGetLineNo(n));
			goto done;
		}
	}
	if (!sealed) {
		/* A template without a signature block still gets the seal, on the last page. */
		double r = SB_PDF_MM(21);
		if ((error = sb_pdf_need(doc, 2 * r + 20)) < 0 ||
		    (error = sb_pdf_seal(doc, left + width * 0.78, sb_pdf_cursor(doc) + r + 10, r, e->name)) < 0)
			goto done;
	}
	if ((error = sb_pdf_number_pages(doc, SB_PDF_A4_HEIGHT - SB_PDF_MM(12), 9)) < 0)
		goto done;
	error = sb_pdf_save_mem(out, out_len, doc);
done:
	sb_pdf_free(doc);
	sb__buf_free(&text);
	sb__buf_free(&title);
	sb__buf_free(&subject);
	return error;
}

/* ---- issuing ------------------------------------------------------------------------- */

static int division_name(char **out, sb_db *db, const char *code)
{
	sb_division d;
	int error;
	*out = NULL;
	if ((error = sb_org_division(&d, db, code)) < 0)
		return error;
	*out = d.name;
	d.name = NULL;
	sb_division_clear(&d);
	return 0;
}

/*
 * Art. 17 asks for the worker's address (住址). The registry keeps no street address, so the
 * contract names the domicile the ID number's area code gives (province, prefecture, county
 * as the registry knows them); when the registry does not know it, the place of work.
 */
static int worker_address(char **out, sb_db *db, const sb_worker *w, const char *place)
{
	static const int digits[] = { 2, 4, 6 };
	sb_buf b = SB_BUF_INIT;
	char code[13];
	size_t i;
	for (i = 0; i < 3; i++) {
		char *name = NULL;
		memset(code, '0', 12);
		code[12] = '\0';
		memcpy(code, w->id_number, (size_t)digits[i]);
		if (division_name(&name, db, code) == 0) {
			sb__buf_puts(&b, name);
			free(name);
		} else {
			sb_error_clear();
		}
	}
	if (b.len == 0)
		sb__buf_puts(&b, place);
	else
		sb__buf_puts(&b, "（户籍地）");
	if (sb__buf_failed(&b) < 0)
		return SB_ENOMEM;
	*out = sb__buf_detach(&b);
	return 0;
}

static int work_place(terms *t, sb_db *db, const sb_worker *w)
{
	char *town = NULL, *village = NULL;
	sb_buf b = SB_BUF_INIT;
	int error = 0;
	if ((error = division_name(&town, db, w->township_code)) < 0)
		goto done;
	if (w->village_code[0] && strcmp(w->kind, "service") == 0) {
		if ((error = division_name(&village, db, w->village_code)) < 0)
			goto done;
		sb__buf_printf(&b, "%s%s社工点", town, village);
		snprintf(t->place_code, sizeof t->place_code, "%s", w->village_code);
	} else {
		sb__buf_printf(&b, "%s社工站", town);
		snprintf(t->place_code, sizeof t->place_code, "%s", w->township_code);
	}
	if ((error = sb__buf_failed(&b)) < 0)
		goto done;
	t->place = sb__buf_detach(&b);
done:
	sb__buf_free(&b);
	free(town);
	free(village);
	return error;
}

static int has_contract_from(char out[48], sb_db *db, int64_t worker_id, const char *start)
{
	sb__stmt *st;
	int error, r;
	if ((error = sb__db_prepare(db, &st, "SELECT number FROM contract_contract WHERE worker_id = ?1 AND (end IS NULL OR end >= ?2)")) < 0)
		return error;
	sb__stmt_bind_int64(st, 1, worker_id);
	sb__stmt_bind_text(st, 2, start);
	if ((r = sb__stmt_step(st)) == 1) {
		snprintf(out, 48, "%s", sb__stmt_text(st, 0));
		sb__stmt_reset(st);
	}
	return r;
}

/* Art. 19: "the same employer may agree a probation with the same worker only once". */
static int had_probation(sb_db *db, const char *id_number, const char *township)
{
	sb__stmt *st;
	int error, r;
	if ((error = sb__db_prepare(db, &st, "SELECT 1 FROM contract_contract WHERE id_number = ?1 AND township_code = ?2 AND probation_end IS NOT NULL")) < 0)
		return error;
	sb__stmt_bind_text(st, 1, id_number);
	sb__stmt_bind_text(st, 2, township);
	if ((r = sb__stmt_step(st)) == 1)
		sb__stmt_reset(st);
	return r;
}

static void terms_clear(terms *t)
{
	free(t->worker_address);
	free(t->place);
	t->worker_address = t->place = NULL;
}

/* Everything a contract needs, checked against the law, before anything is written. */
static int terms_make(terms *t, sb_db *db, const sb_worker *w, const sb_employer *e, const sb_contract_issue_opts *o)
{
	int error = 0, prior, percent = 80, term_months;
	int64_t monthly = 0, minimum = 0;
	char who[64];

	memset(t, 0, sizeof *t);
	t->worker = w;
	snprintf(who, sizeof who, "worker %s", w->id_number);
	t->info.worker_id = w->id;
	snprintf(t->info.id_number, sizeof t->info.id_number, "%s", w->id_number);
	snprintf(t->info.township_code, sizeof t->info.township_code, "%s", e->township_code);
	snprintf(t->info.start, sizeof t->info.start, "%s", o->start ? o->start : w->start_date);
	{
		int y, m, d;
		sb__today(&y, &m, &d);
		snprintf(t->issued, sizeof t->issued, "%04d-%02d-%02d", y, m, d);
	}
	if (!t->info.start[0])
		return sb_error_set(SB_EPOLICY, "%s: Labour Contract Law Art. 17: the contract has no start date", who);
	t->term_years = o->open_ended ? 0 : o->term_years ? o->term_years : 3;
	if (t->term_years < 0 || t->term_years > 50)
		return sb_error_set(SB_EINVALID, "term: %d years is not a term", t->term_years);
	term_months = t->term_years * 12;
	if (t->term_years)
		sb__contract_add_months(t->info.end, t->info.start, term_months);
	if ((prior = had_probation(db, w->id_number, e->township_code)) < 0)
		return prior;
	if (o->probation_months >= 0) {
		t->probation_months = o->probation_months;
		if (prior && t->probation_months > 0)
			return sb_error_set(SB_EPOLICY, "%s: Labour Contract Law Art. 19: this employer has agreed a probation with the worker before; only one is allowed",
					    who);
	} else {
		/* A recruit starts with 2 months; a taken-over worker has served already (none). */
		t->probation_months = strcmp(w->source, "recruit") == 0 && !prior ? 2 : 0;
		if (t->probation_months > sb__contract_probation_max(term_months))
			t->probation_months = sb__contract_probation_max(term_months);
	}
	if ((error = sb__contract_check_probation(term_months, t->probation_months)) < 0) {
		sb_error_prefix("%s", who);
		return error;
	}
	if (t->probation_months)
		sb__contract_add_months(t->info.probation_end, t->info.start, t->probation_months);
	/* Pay: the worker's scale step under the policy in force; --monthly-pay stands in when
	 * no policy covers the worker (the minimum wage is then unknown), and overrides the
	 * scale otherwise (still checked against the policy's minimum). */
	error = sb_pay_contract_terms(&monthly, &minimum, &percent, db, w->id_number, t->info.start);
	if (error == SB_ENOTFOUND && o->monthly_fen > 0) {
		sb_error_clear();
		error = 0;
		monthly = o->monthly_fen;
		minimum = 0;
		percent = 80;
	} else if (error == SB_ENOTFOUND) {
		sb_error_prefix("%s: no wage for the contract (load a pay policy, or give --monthly-pay)", who);
		return error;
	} else if (error < 0) {
		return error;
	} else if (o->monthly_fen > 0) {
		monthly = o->monthly_fen;
	}
	t->minimum_fen = minimum;
	t->info.monthly_fen = monthly;
	if (!t->probation_months)
		t->info.probation_fen = monthly;
	else if (o->probation_fen > 0)
		t->info.probation_fen = o->probation_fen;
	else
		t->info.probation_fen = sb__div_half_up((__int128)monthly * percent, 100);
	if ((error = sb__contract_check_pay(monthly, t->info.probation_fen, minimum, t->probation_months)) < 0) {
		sb_error_prefix("%s", who);
		return error;
	}
	/* Art. 17: the clauses that come from the registry must be there. */
	if (!w->name || !w->name[0])
		return sb_error_set(SB_EPOLICY, "%s: Labour Contract Law Art. 17: the worker has no name", who);
	if ((error = work_place(t, db, w)) < 0 || (error = worker_address(&t->worker_address, db, w, t->place)) < 0)
		return error;
	return 0;
}

/* Art. 17 (1): the employer's name, address and legal representative. */
static int employer_check(const sb_employer *e)
{
	if (!e->name[0])
		return sb_error_set(SB_EPOLICY, "employer %s: Labour Contract Law Art. 17: the employer has no name", e->township_code);
	if (!e->address[0])
		return sb_error_set(SB_EPOLICY, "employer %s: Labour Contract Law Art. 17: the employer has no address", e->township_code);
	if (!e->legal_rep[0])
		return sb_error_set(SB_EPOLICY, "employer %s: Labour Contract Law Art. 17: the employer has no legal representative",
				    e->township_code);
	if (!e->uscc[0])
		return sb_error_set(SB_EPOLICY, "employer %s: Labour Contract Law Art. 17: the employer has no unified social credit code",
				    e->township_code);
	return 0;
}

typedef struct {
	char *tmp;
	char *final;
} pending_file;

static int write_plain(const char *path, const void *data, size_t len)
{
	int fd;
	const char *p = data;
	if (sb__fault("io") || (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
		return sb_error_set(SB_EIO, "%s: cannot create: %s", path, strerror(errno ? errno : EIO));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			unlink(path);
			return sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(e));
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0) {
		unlink(path);
		return sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(errno));
	}
	return 0;
}

static int pending_add(pending_file **list, size_t *n, size_t *cap, const char *dir, const char *number,
		       const char *ext, const void *data, size_t len)
{
	sb_buf tmp = SB_BUF_INIT, fin = SB_BUF_INIT;
	int error;
	if (*n == *cap) {
		pending_file *grown;
		*cap = *cap ? *cap * 2 : 64;
		if (!(grown = sb__realloc(*list, *cap * sizeof **list)))
			return SB_ENOMEM;
		*list = grown;
	}
	sb__buf_printf(&fin, "%s/%s.%s", dir, number, ext);
	sb__buf_printf(&tmp, "%s/.%s.%s.tmp", dir, number, ext);
	if ((error = sb__buf_failed(&fin)) < 0 || (error = sb__buf_failed(&tmp)) < 0) {
		sb__buf_free(&fin);
		sb__buf_free(&tmp);
		return error;
	}
	if (access(fin.ptr, F_OK) == 0) {
		error = sb_error_set(SB_EEXISTS, "%s exists already", fin.ptr);
		sb__buf_free(&fin);
		sb__buf_free(&tmp);
		return error;
	}
	unlink(tmp.ptr); /* a leftover of an interrupted run */
	if ((error = write_plain(tmp.ptr, data, len)) < 0) {
		sb__buf_free(&fin);
		sb__buf_free(&tmp);
		return error;
	}
	(*list)[*n].tmp = sb__buf_detach(&tmp);
	(*list)[*n].final = sb__buf_detach(&fin);
	(*n)++;
	return 0;
}

static void pending_drop(pending_file *list, size_t n, int remove)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (remove)
			unlink(list[i].tmp);
		free(list[i].tmp);
		free(list[i].final);
	}
	free(list);
}

static int sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	static const char hexd[] = "0123456789abcdef";
	int i;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return sb__crypto_error("sha256");
	for (i = 0; i < 32; i++) {
		out[2 * i] = hexd[md[i] >> 4];
		out[2 * i + 1] = hexd[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/*
 * Finish what an interrupted issue left in DIR (called holding the write lock, so no other
 * process is between writing its temporary files and committing). A hidden
 * `.<number>.<ext>.tmp` whose row is committed with that document's SHA-256 is the contract
 * of a run killed between its commit and its renames: it takes its name. Any other is the
 * leftover of a run that never committed (its number is free again): it is removed.
 */
static int pending_recover(sb_db *db, const char *dir)
{
	DIR *d;
	struct dirent *e;
	int error = 0;

	if (!(d = opendir(dir)))
		return sb_error_set(SB_EIO, "%s: cannot read: %s", dir, strerror(errno));
	while (error == 0 && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		const char *ext;
		char number[48], sum[65], want[65];
		sb_buf tmp = SB_BUF_INIT, fin = SB_BUF_INIT;
		char *data = NULL;
		size_t dlen = 0;
		sb__stmt *st;
		int r;

		if (e->d_name[0] != '.' || len < 10 || strcmp(e->d_name + len - 4, ".tmp") != 0 ||
		    (strncmp(e->d_name + len - 8, ".xml", 4) != 0 && strncmp(e->d_name + len - 8, ".pdf", 4) != 0) ||
		    len - 9 >= sizeof number)
			continue;
		ext = strncmp(e->d_name + len - 8, ".xml", 4) == 0 ? "xml" : "pdf";
		memcpy(number, e->d_name + 1, len - 9);
		number[len - 9] = '\0';
		sb__buf_printf(&tmp, "%s/%s", dir, e->d_name);
		sb__buf_printf(&fin, "%s/%s.%s", dir, number, ext);
		want[0] = '\0';
		if ((error = sb__buf_failed(&tmp)) < 0 || (error = sb__buf_failed(&fin)) < 0 ||
		    (error = sb__db_prepare(db, &st, "SELECT xml_sha256, pdf_sha256 FROM contract_contract WHERE number = ?1")) < 0)
			goto next;
		sb__stmt_bind_text(st, 1, number);
		if ((r = sb__stmt_step(st)) < 0) {
			error = r;
			goto next;
		}
		if (r == 1) {
			snprintf(want, sizeof want, "%s", sb__stmt_text(st, ext[0] == 'x' ? 0 : 1));
			sb__stmt_reset(st);
		}
		if (want[0] && access(fin.ptr, F_OK) != 0) {
			/* Possibly the only copy of a recorded contract: never removed on a read error. */
			if ((error = sb__read_file(&data, &dlen, tmp.ptr)) < 0) {
				if (access(tmp.ptr, F_OK) != 0) /* renamed meanwhile by its own issue */
					error = 0;
				goto next;
			}
			if ((error = sha256_hex(sum, data, dlen)) < 0)
				goto next;
			if (strcmp(sum, want) == 0) {
				if (rename(tmp.ptr, fin.ptr) < 0 && errno != ENOENT)
					error = sb_error_set(SB_EIO, "%s: cannot rename to %s: %s", tmp.ptr, fin.ptr, strerror(errno));
				goto next;
			}
		}
		if (unlink(tmp.ptr) < 0 && errno != ENOENT)
			error = sb_error_set(SB_EIO, "%s: cannot remove: %s", tmp.ptr, strerror(errno));
	next:
		free(data);
		sb__buf_free(&tmp);
		sb__buf_free(&fin);
	}
	closedir(d);
	return error;
}

int sb_contract_issue(size_t *out_count, sb_db *db, const sb_signer *signer, const sb_contract_issue_opts *o)
{
	int error = 0, r, in_tx = 0, y, m, d;
	sb_employer emp;
	sb_worker *workers = NULL;
	size_t nworkers = 0, i, ntodo = 0, count = 0, npending = 0, cappending = 0;
	size_t *todo = NULL;
	terms *all = NULL;
	form f;
	schema_ctx sc = { NULL, NULL };
	pending_file *pending = NULL;
	sb_buf xml = SB_BUF_INIT;
	char *signed_xml = NULL;
	size_t signed_len = 0, pdf_len = 0, spdf_len = 0;
	unsigned char *pdf = NULL, *spdf = NULL;
	xmlDocPtr check = NULL;
	char existing[48], xsum[65], psum[65];
	int dirfd = -1;
	sb__stmt *st;
	sb_pdf_fontset *fontset = NULL;

	memset(&emp, 0, sizeof emp);
	memset(&f, 0, sizeof f);
	if (out_count)
		*out_count = 0;
	if (!o->township || !o->out_dir)
		return sb_error_set(SB_EUSAGE, "contract issue needs a township and an output directory");
	/* A township's key signs only that township's contracts. */
	if (strcmp(sb_signer_township(signer), o->township) != 0)
		return sb_error_set(SB_EPOLICY, "the key of %s%s cannot sign contracts of township %s (the employer)",
				    sb_signer_township(signer)[0] ? "township " : "", sb_signer_township(signer)[0] ? sb_signer_township(signer) : "the CA",
				    o->township);
	if ((error = sb_signer_check(signer, o->ca_path, o->crl_path)) < 0)
		return error;
	if (o->start && sb__date_parse(o->start, &y, &m, &d) < 0)
		return sb_error_set(SB_EINVALID, "start: '%s' is not a date YYYY-MM-DD", o->start);
	if ((dirfd = open(o->out_dir, O_RDONLY | O_DIRECTORY)) < 0)
		return sb_error_set(SB_EIO, "%s: not a directory: %s", o->out_dir, strerror(errno));
	if ((error = sb_org_employer(&emp, db, o->township)) < 0 || (error = employer_check(&emp)) < 0)
		goto done;
	if ((error = form_load(&f)) < 0 || (error = schema_load(&sc, "contract.xsd")) < 0)
		goto done;

	/* Everything from here runs in the write transaction, so a second process issuing at
	 * the same time waits and then sees our contracts and serials. */
	if ((error = sb__db_tx_begin(db)) < 0)
		goto done;
	in_tx = 1;
	if ((error = pending_recover(db, o->out_dir)) < 0)
		goto done;
	if ((error = sb_staff_workers(&workers, &nworkers, db, o->township, o->id_number)) < 0)
		goto done;
	if (o->id_number) {
		int here = 0;
		for (i = 0; i < nworkers; i++)
			if (!workers[i].end_date[0] && strcmp(workers[i].township_code, o->township) == 0)
				here = 1;
		if (!here) {
			sb_worker *elsewhere = NULL;
			size_t ne = 0;
			int found = 0;
			if ((error = sb_staff_workers(&elsewhere, &ne, db, NULL, o->id_number)) < 0)
				goto done;
			for (i = 0; i < ne; i++)
				if (!elsewhere[i].end_date[0]) {
					error = sb_error_set(SB_EPOLICY, "worker %s is employed by township %s; the key of township %s signs only its own contracts",
							     o->id_number, elsewhere[i].township_code, o->township);
					found = 1;
					break;
				}
			sb_staff_workers_free(elsewhere, ne);
			if (!found)
				error = sb_error_set(SB_ENOTFOUND, "worker %s: not in service at township %s", o->id_number, o->township);
			goto done;
		}
	}
	if (!(todo = sb__calloc(nworkers ? nworkers : 1, sizeof *todo)) || !(all = sb__calloc(nworkers ? nworkers : 1, sizeof *all))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < nworkers; i++) {
		const sb_worker *w = &workers[i];
		if (w->end_date[0] || strcmp(w->township_code, o->township) != 0)
			continue;
		if ((r = has_contract_from(existing, db, w->id, o->start ? o->start : w->start_date)) < 0) {
			error = r;
			goto done;
		}
		if (r == 1) {
			if (o->id_number) {
				error = sb_error_set(SB_EEXISTS, "worker %s has contract %s already", w->id_number, existing);
				goto done;
			}
			continue;
		}
		if ((error = terms_make(&all[ntodo], db, w, &emp, o)) < 0) {
			terms_clear(&all[ntodo]);
			goto done;
		}
		todo[ntodo++] = i;
	}
	/* Every contract passed the checks: number, render, sign, write under temporary names. */
	if ((error = batch_fontset(&fontset, all, ntodo, &emp, &f)) < 0)
		goto done;
	for (i = 0; i < ntodo; i++) {
		terms *t = &all[i];
		sb__today(&y, &m, &d);
		if ((error = sb__contract_next_number(t->info.number, db, o->township, y)) < 0)
			goto done;
		terms_format(t);
		xml.len = 0;
		if ((error = contract_xml(&xml, t, &emp, &f)) < 0)
			goto done;
		if ((error = sb__xml_parse(&check, xml.ptr, xml.len, t->info.number)) < 0 ||
		    (error = schema_check(&sc, check, t->info.number)) < 0)
			goto done;
		xmlFreeDoc(check);
		check = NULL;
		if ((error = sb_sign_xml(&signed_xml, &signed_len, signer, xml.ptr, xml.len)) < 0 ||
		    (error = contract_pdf(&pdf, &pdf_len, t, &emp, &f, fontset)) < 0 ||
		    (error = sb_sign_pdf(&spdf, &spdf_len, signer, pdf, pdf_len)) < 0)
			goto done;
		if ((error = pending_add(&pending, &npending, &cappending, o->out_dir, t->info.number, "xml", signed_xml, signed_len)) < 0 ||
		    (error = pending_add(&pending, &npending, &cappending, o->out_dir, t->info.number, "pdf", spdf, spdf_len)) < 0)
			goto done;
		if ((error = sb__contract_record(db, &t->info)) < 0 || (error = sha256_hex(xsum, signed_xml, signed_len)) < 0 ||
		    (error = sha256_hex(psum, spdf, spdf_len)) < 0)
			goto done;
		if ((error = sb__db_prepare(db, &st, "UPDATE contract_contract SET xml_sha256 = ?2, pdf_sha256 = ?3 WHERE number = ?1")) < 0)
			goto done;
		sb__stmt_bind_text(st, 1, t->info.number);
		sb__stmt_bind_text(st, 2, xsum);
		sb__stmt_bind_text(st, 3, psum);
		if ((error = sb__stmt_run(st)) < 0)
			goto done;
		free(signed_xml);
		free(pdf);
		free(spdf);
		signed_xml = NULL;
		pdf = spdf = NULL;
		count++;
		if (o->progress)
			o->progress(count, ntodo, "contracts", o->ctx);
	}
	/* Files first reach the disk (one syncfs for the batch), then the rows commit, then the
	 * files take their names: a crash leaves either nothing or rows whose files are the
	 * hidden .tmp ones, never a named file without its row; the next issue into the
	 * directory completes or removes them (pending_recover). */
	if (npending && syncfs(dirfd) < 0) {
		error = sb_error_set(SB_EIO, "%s: cannot sync: %s", o->out_dir, strerror(errno));
		goto done;
	}
	in_tx = 0;
	if ((error = sb__db_tx_end(db, 0)) < 0)
		goto done;
	/* ENOENT with the name in place: another issue's recovery renamed it meanwhile. */
	for (i = 0; i < npending; i++)
		if (rename(pending[i].tmp, pending[i].final) < 0 && !(errno == ENOENT && access(pending[i].final, F_OK) == 0)) {
			error = sb_error_set(SB_EIO, "%s: cannot rename to %s after the contracts were recorded: %s",
					     pending[i].tmp, pending[i].final, strerror(errno));
			pending_drop(pending, npending, 0);
			pending = NULL;
			npending = 0;
			goto done;
		}
	fsync(dirfd);
	if (out_count)
		*out_count = count;
done:
	if (in_tx)
		error = sb__db_tx_end(db, error < 0 ? error : SB_EINVALID);
	if (pending)
		pending_drop(pending, npending, error < 0);
	if (check)
		xmlFreeDoc(check);
	for (i = 0; all && i < ntodo; i++)
		terms_clear(&all[i]);
	free(all);
	free(todo);
	free(signed_xml);
	free(pdf);
	free(spdf);
	sb_pdf_fontset_free(fontset);
	sb__buf_free(&xml);
	sb_staff_workers_free(workers, nworkers);
	schema_free(&sc);
	form_free(&f);
	sb_employer_clear(&emp);
	if (dirfd >= 0)
		close(dirfd);
	return error;
}

/* ---- verifying ------------------------------------------------------------------------ */

void sb_contract_verified_clear(sb_contract_verified *v)
{
	if (!v)
		return;
	free(v->worker_name);
	free(v->employer_name);
	v->worker_name = v->employer_name = NULL;
}

static xmlNodePtr child_el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;
	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

static char *child_text(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = child_el(parent, name);
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	char *s = sb__strdup(t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

/* The contract in `doc`, whose signature has been checked: valid against contract.xsd, and
 * its number, employer and worker. */
static int verify_xml_contract(sb_contract_verified *v, const char *path, xmlDocPtr doc)
{
	int error = 0;
	xmlNodePtr root, emp;
	xmlChar *number = NULL, *code = NULL;
	schema_ctx sc = { NULL, NULL };

	if ((error = schema_load(&sc, "contract.xsd")) < 0 || (error = schema_check(&sc, doc, path)) < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	emp = child_el(root, "employer");
	number = xmlGetProp(root, BAD_CAST "number");
	code = emp ? xmlGetProp(emp, BAD_CAST "code") : NULL;
	if (!number || !code) {
		error = sb_error_set(SB_EXML, "%s: no contract number or employer code", path);
		goto done;
	}
	snprintf(v->number, sizeof v->number, "%s", (const char *)number);
	snprintf(v->township, sizeof v->township, "%s", (const char *)code);
	v->employer_name = child_text(emp, "name");
	v->worker_name = child_text(child_el(root, "worker"), "name");
	if (!v->employer_name || !v->worker_name)
		error = SB_ENOMEM;
done:
	xmlFree(number);
	xmlFree(code);
	schema_free(&sc);
	return error;
}

/* Decode a PDF string value at p (literal "(...)" or hex "<...>", UTF-16BE with a BOM or
 * bytes) into ASCII; anything else becomes '?'. */
static void pdf_string(char *out, size_t size, const unsigned char *p, const unsigned char *end)
{
	size_t n = 0;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r'))
		p++;
	if (p < end && *p == '(') {
		for (p++; p < end && *p != ')' && n + 1 < size; p++)
			out[n++] = *p == '\\' && p + 1 < end ? (char)*++p : (char)*p;
	} else if (p < end && *p == '<') {
		unsigned char bytes[256];
		size_t nb = 0, i, step = 1, from = 0;
		for (p++; p + 1 < end && *p != '>' && nb < sizeof bytes; p += 2) {
			int hi = p[0] <= '9' ? p[0] - '0' : (p[0] | 32) - 'a' + 10;
			int lo = p[1] <= '9' ? p[1] - '0' : (p[1] | 32) - 'a' + 10;
			bytes[nb++] = (unsigned char)(hi << 4 | lo);
		}
		if (nb >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) {
			step = 2;
			from = 2;
		}
		for (i = from; i + step - 1 < nb && n + 1 < size; i += step) {
			unsigned c = step == 2 ? (unsigned)bytes[i] << 8 | bytes[i + 1] : bytes[i];
			out[n++] = c < 128 ? (char)c : '?';
		}
	}
	out[n] = '\0';
}

/* The PDF's /Subject "contract <number> employer <code>", written once by contract_pdf;
 * the whole file is under the signature, so it is the signer's statement. */
static int verify_pdf_contract(sb_contract_verified *v, const char *path, const unsigned char *data, size_t len)
{
	const unsigned char *p = data, *end = data + len;
	char text[160], number[48] = "", code[13] = "";
	int found = 0;
	while ((p = memmem(p, (size_t)(end - p), "/Subject", 8))) {
		p += 8;
		pdf_string(text, sizeof text, p, end);
		if (strncmp(text, "contract ", 9) != 0)
			continue;
		if (found++)
			return sb_error_set(SB_EPOLICY, "%s: more than one contract subject", path);
		{
			const char *sp = strchr(text + 9, ' ');
			if (!sp || strncmp(sp, " employer ", 10) != 0 || strlen(sp + 10) != 12 || (size_t)(sp - text - 9) >= sizeof number)
				return sb_error_set(SB_EPOLICY, "%s: malformed contract subject", path);
			memcpy(number, text + 9, (size_t)(sp - text - 9));
			number[sp - text - 9] = '\0';
			memcpy(code, sp + 10, 13);
		}
	}
	if (!found)
		return sb_error_set(SB_EPOLICY, "%s: not a contract (no contract number in the document information)", path);
	snprintf(v->number, sizeof v->number, "%s", number);
	snprintf(v->township, sizeof v->township, "%s", code);
	return 0;
}

int sb_contract_verify(sb_contract_verified *out, const char *path, const char *ca_path, const char *crl_path)
{
	int error = 0;
	char *data = NULL, *signer = NULL;
	size_t len = 0;
	sb_contract_verified v;
	xmlDocPtr doc = NULL;

	memset(&v, 0, sizeof v);
	if (out)
		memset(out, 0, sizeof *out);
	if ((error = sb__read_file(&data, &len, path)) < 0)
		return error;
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0) {
		if ((error = sb_sign_verify_pdf(&signer, (const unsigned char *)data, len, ca_path, crl_path)) < 0 ||
		    (error = verify_pdf_contract(&v, path, (const unsigned char *)data, len)) < 0)
			goto done;
	} else {
		/* Read once, as untrusted input named by its path (messages say FILE:LINE:), then
		 * the signature and the schema on the same tree. */
		if ((error = sb__xml_read(&doc, data, len, path, NULL)) < 0 ||
		    (error = sb__sign_verify_doc(&signer, doc, ca_path, crl_path)) < 0 ||
		    (error = verify_xml_contract(&v, path, doc)) < 0)
			goto done;
	}
	/* The signer must be the employer, and the number the employer's. */
	if (strcmp(signer, v.township) != 0) {
		error = sb_error_set(SB_EPOLICY, "%s: signed by township %s, but the employer is township %s", path, signer, v.township);
		goto done;
	}
	if (strncmp(v.number, v.township, 12) != 0 || v.number[12] != '-') {
		error = sb_error_set(SB_EPOLICY, "%s: contract number %s is not one of township %s", path, v.number, v.township);
		goto done;
	}
	if (out) {
		*out = v;
		memset(&v, 0, sizeof v);
	}
done:
	if (error < 0 && path && !strstr(sb_error_last(), path))
		sb_error_prefix("%s", path);
	sb_contract_verified_clear(&v);
	xmlFreeDoc(doc);
	free(signer);
	free(data);
	return error;
}
