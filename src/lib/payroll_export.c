/*
 * What finance receives of a closed payroll month and how it checks it: the signed XML
 * (xsd/payroll.xsd: header with count and totals, one line per worker), the bank transfer
 * CSV, the payslips PDF (one page per worker, via the PDF area), and verification of an
 * export: signature, schema, each line's arithmetic, the totals, and against the registry
 * that every line is a worker with a contract in force at the pay that was run (ghosts,
 * duplicates and changed amounts are named). Not for computing pay (payroll.c).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common_internal.h"
#include "contract_internal.h"
#include "db_internal.h"
#include "pay_internal.h"
#include "xml_internal.h"
#include "payroll_internal.h"
#include "sign_internal.h"
#include "shuangbai/contract.h"
#include "shuangbai/money.h"
#include "shuangbai/org.h"
#include "shuangbai/payroll.h"
#include "shuangbai/pdf.h"
#include "shuangbai/person.h"
#include "shuangbai/sign.h"

#define PAYROLL_NS "urn:shuangbai:payroll:1"

enum { A_BASE, A_ALLOW, A_ARREARS, A_GROSS, A_PENSION, A_MEDICAL, A_UNEMP, A_HOUSING, A_SPECIAL,
       A_TAX, A_NET, A_N };
static const char *const amount_names[A_N] = { "base", "allowances", "arrears", "gross", "pension",
	"medical", "unemployment", "housing-fund", "special-deductions", "tax", "net" };

static void line_amounts(int64_t a[A_N], const sb_payroll_line *l)
{
	a[A_BASE] = l->base;
	a[A_ALLOW] = l->allowances;
	a[A_ARREARS] = l->arrears;
	a[A_GROSS] = l->gross;
	a[A_PENSION] = l->pension;
	a[A_MEDICAL] = l->medical;
	a[A_UNEMP] = l->unemployment;
	a[A_HOUSING] = l->housing_fund;
	a[A_SPECIAL] = l->special_deductions;
	a[A_TAX] = l->tax;
	a[A_NET] = l->net;
}

/* Attributes of one element, written in exclusive C14N's order (by name: none of them has
 * a namespace) and escaping, so that the rendered document is already canonical and the
 * signature is one pass over its bytes (sb__sign_xml_canonical). */
typedef struct {
	const char *name;
	char value[64];
	const char *text; /* a value longer than `value`, or NULL */
} xml_attr;

static int attr_cmp(const void *a, const void *b)
{
	return strcmp(((const xml_attr *)a)->name, ((const xml_attr *)b)->name);
}

static void attr_set(xml_attr *a, size_t *n, const char *name, const char *v)
{
	a[*n].name = name;
	a[*n].text = v;
	(*n)++;
}

static void attr_money(xml_attr *a, size_t *n, const char *name, int64_t fen)
{
	a[*n].name = name;
	a[*n].text = NULL;
	sb_money_format(a[*n].value, sizeof a[*n].value, fen);
	(*n)++;
}

static void attr_int(xml_attr *a, size_t *n, const char *name, long long v)
{
	a[*n].name = name;
	a[*n].text = NULL;
	snprintf(a[*n].value, sizeof a[*n].value, "%lld", v);
	(*n)++;
}

static void amounts_set(xml_attr *a, size_t *n, const int64_t v[A_N])
{
	int i;
	for (i = 0; i < A_N; i++)
		attr_money(a, n, amount_names[i], v[i]);
}

/* Write <name attributes...></name> canonically; SB_EINVALID for a character XML cannot hold. */
static int xml_element(sb_buf *b, const char *el, const char *ns, xml_attr *a, size_t n, int close)
{
	size_t i;
	const unsigned char *v;

	qsort(a, n, sizeof *a, attr_cmp);
	sb__buf_putc(b, '<');
	sb__buf_puts(b, el);
	if (ns) {
		sb__buf_puts(b, " xmlns=\"");
		sb__buf_puts(b, ns);
		sb__buf_putc(b, '"');
	}
	for (i = 0; i < n; i++) {
		const unsigned char *run;
		sb__buf_putc(b, ' ');
		sb__buf_puts(b, a[i].name);
		sb__buf_puts(b, "=\"");
		/* runs of characters that need no escape go in whole */
		for (run = v = (const unsigned char *)(a[i].text ? a[i].text : a[i].value);; v++) {
			const char *rep;
			if (*v >= 0x20 && *v != '&' && *v != '<' && *v != '"')
				continue;
			sb__buf_put(b, run, (size_t)(v - run));
			run = v + 1;
			if (!*v)
				break;
			switch (*v) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '"': rep = "&quot;"; break;
			case '\t': rep = "&#x9;"; break;
			case '\n': rep = "&#xA;"; break;
			case '\r': rep = "&#xD;"; break;
			default:
				return sb_error_set(SB_EINVALID, "<%s> %s: control character 0x%02X cannot be written in XML",
						    el, a[i].name, *v);
			}
			sb__buf_puts(b, rep);
		}
		sb__buf_putc(b, '"');
	}
	sb__buf_putc(b, '>');
	if (close) {
		sb__buf_puts(b, "</");
		sb__buf_puts(b, el);
		sb__buf_putc(b, '>');
	}
	return 0;
}

static void csv_field(sb_buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		sb__buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb__buf_putc(b, '"');
			sb__buf_putc(b, *s);
		}
		sb__buf_putc(b, '"');
	} else {
		sb__buf_puts(b, s);
	}
}

/* A month of a province is read in index order, a page at a time: through SQLite's memory
 * map the pages come from the page cache without a read() each (a million-line month spent a
 * third of its export and verification in pread). As in round.c's bulk steps. */
static int read_mapped(sb_db *db)
{
	return sb__db_exec(db, "PRAGMA mmap_size = 4294967296");
}

void sb_payroll_export_clear(sb_payroll_export_info *e)
{
	if (!e)
		return;
	free(e->xml_path);
	free(e->bank_path);
	free(e->pdf_path);
	memset(e, 0, sizeof *e);
}

static char *path_of(const char *dir, const char *kind, const char *code, const char *month,
		     const char *ext)
{
	sb_buf b = SB_BUF_INIT;
	sb__buf_printf(&b, "%s/%s-%s-%s.%s", dir, kind, code, month, ext);
	if (sb__buf_failed(&b) < 0)
		return NULL;
	return sb__buf_detach(&b);
}

/* A hidden name beside an export file (".NAME.part" while it is written, ".NAME.kept" for the
 * earlier export's file until the new one is in place): in the same directory, so that
 * renames stay within one file system. */
static char *side_name(const char *dir, const char *final, const char *suffix)
{
	sb_buf b = SB_BUF_INIT;
	sb__buf_printf(&b, "%s/.%s.%s", dir, final + strlen(dir) + 1, suffix);
	if (sb__buf_failed(&b) < 0)
		return NULL;
	return sb__buf_detach(&b);
}

/* One page per worker: the payslip (工资条) in Chinese. */
static int payslips(const char *path, const sb_payroll *p, const char *employer)
{
	sb_pdf *doc = NULL;
	sb_pdf_info info;
	char title[256], masked[24], v[A_N][32], days[16];
	int error = 0, i;
	size_t k;
	int64_t a[A_N];
	static const double widths[2] = { 200, 200 };
	static const int align[2] = { SB_PDF_LEFT, SB_PDF_RIGHT };
	static const char *const labels[A_N] = { "基本工资", "津贴补贴", "补发（扣）工资", "应发工资",
		"养老保险（个人）", "医疗保险（个人）", "失业保险（个人）", "住房公积金（个人）",
		"专项附加扣除（申报）", "个人所得税", "实发工资" };
	sb_pdf_table t;

	snprintf(title, sizeof title, "%s %.4s年%.2s月工资条", employer, p->month, p->month + 5);
	memset(&info, 0, sizeof info);
	info.title = title;
	info.author = employer;
	info.subject = "工资条";
	memset(&t, 0, sizeof t);
	t.ncols = 2;
	t.widths = widths;
	t.align = align;
	t.x = SB_PDF_MM(35);
	if ((error = sb_pdf_new(&doc, &info)) < 0)
		goto done;
	for (k = 0; k < p->n; k++) {
		const sb_payroll_line *l = &p->lines[k];
		const char *row[2];
		if ((error = sb_pdf_page_add(doc)) < 0)
			goto done;
		sb_pdf_set_size(doc, 16);
		if ((error = sb_pdf_para(doc, title, SB_PDF_CENTER, 0)) < 0)
			goto done;
		sb_pdf_set_size(doc, 11);
		sb_pdf_space(doc, 8);
		line_amounts(a, l);
		for (i = 0; i < A_N; i++)
			sb_money_format(v[i], sizeof v[i], a[i]);
		snprintf(days, sizeof days, "%d", l->days);
		if ((error = sb_pdf_table_begin(doc, &t)) < 0)
			goto done;
		row[0] = "姓名";
		row[1] = l->name;
		if ((error = sb_pdf_table_row(doc, &t, row)) < 0)
			goto done;
		row[0] = "身份证号";
		row[1] = sb_person_id_mask(masked, l->id_number);
		if ((error = sb_pdf_table_row(doc, &t, row)) < 0)
			goto done;
		row[0] = "劳动合同编号";
		row[1] = l->contract;
		if ((error = sb_pdf_table_row(doc, &t, row)) < 0)
			goto done;
		row[0] = "计薪天数";
		row[1] = days;
		if ((error = sb_pdf_table_row(doc, &t, row)) < 0)
			goto done;
		for (i = 0; i < A_N; i++) {
			row[0] = labels[i];
			row[1] = v[i];
			if ((error = sb_pdf_table_row(doc, &t, row)) < 0)
				goto done;
		}
		sb_pdf_space(doc, 8);
		if ((error = sb_pdf_para(doc, "金额单位：元。实发工资 = 应发工资 − 个人缴纳社会保险和住房公积金 − 个人所得税。", SB_PDF_LEFT, 0)) < 0)
			goto done;
	}
	if (p->n == 0 && (error = sb_pdf_page_add(doc)) == 0)
		error = sb_pdf_para(doc, title, SB_PDF_CENTER, 0);
	if (error < 0)
		goto done;
	error = sb_pdf_save_file(doc, path);
done:
	sb_pdf_free(doc);
	return error;
}

int sb__payroll_render(char **out, size_t *out_len, const sb_payroll *p, const char *scope,
		       const char *name)
{
	sb_buf x = SB_BUF_INIT;
	int64_t tot[A_N], a[A_N];
	xml_attr at[A_N + 8];
	size_t k, na;
	int i, error = 0;

	*out = NULL;
	memset(tot, 0, sizeof tot);
	for (k = 0; k < p->n; k++) {
		line_amounts(a, &p->lines[k]);
		for (i = 0; i < A_N; i++)
			tot[i] += a[i];
	}
	/* a line takes some 350 bytes (more with long names: the buffer grows then) */
	sb__buf_reserve(&x, 4096 + p->n * 400);
	sb__buf_puts(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	na = 0;
	attr_set(at, &na, "month", p->month);
	attr_set(at, &na, "scope", scope);
	if (name)
		attr_set(at, &na, "name", name);
	if ((error = xml_element(&x, "payroll", PAYROLL_NS, at, na, 0)) < 0)
		goto done;
	sb__buf_putc(&x, '\n');
	na = 0;
	attr_int(at, &na, "count", (long long)p->n);
	amounts_set(at, &na, tot);
	if ((error = xml_element(&x, "header", NULL, at, na, 1)) < 0)
		goto done;
	sb__buf_putc(&x, '\n');
	for (k = 0; k < p->n; k++) {
		const sb_payroll_line *l = &p->lines[k];
		na = 0;
		attr_set(at, &na, "id-number", l->id_number);
		attr_set(at, &na, "name", l->name ? l->name : "");
		attr_set(at, &na, "township", l->township_code);
		attr_set(at, &na, "contract", l->contract);
		attr_set(at, &na, "account", l->bank_account ? l->bank_account : "");
		attr_int(at, &na, "days", l->days);
		line_amounts(a, l);
		amounts_set(at, &na, a);
		if ((error = xml_element(&x, "line", NULL, at, na, 1)) < 0) {
			sb_error_prefix("line %zu", k + 1);
			goto done;
		}
		sb__buf_putc(&x, '\n');
	}
	sb__buf_puts(&x, "</payroll>\n");
	if ((error = sb__buf_failed(&x)) < 0)
		goto done;
	if (out_len)
		*out_len = x.len;
	*out = sb__buf_detach(&x);
done:
	sb__buf_free(&x);
	return error;
}

int sb_payroll_export(sb_payroll_export_info *out, sb_db *db, const char *month, const char *scope,
		      const sb_signer *signer, const char *dir, unsigned flags)
{
	sb_payroll *p = NULL;
	sb_payroll_export_info e;
	sb_division div;
	sb_buf bank = SB_BUF_INIT;
	char *xml = NULL, *signature = NULL, v[32];
	size_t xml_len = 0, root = 0, at = 0, k;
	sb_part parts[4];
	int64_t tot[A_N];
	int error = 0, have_div = 0, staged = 0, i;
	const char *who;
	char *stage[3] = { NULL, NULL, NULL }, *keep[3] = { NULL, NULL, NULL }, *keep_name = NULL;
	const char *final[3];

	memset(&e, 0, sizeof e);
	memset(tot, 0, sizeof tot);
	if (!scope || sb_org_code_level(scope) == 0)
		return sb_error_set(SB_EUSAGE, "--scope '%s' is not a division code", scope ? scope : "");
	who = sb_signer_township(signer);
	/* A township key signs only that township's documents, as for contracts (SPEC §6). */
	if (!who || strcmp(who, scope) != 0)
		return sb_error_set(SB_EPOLICY, "the key of '%s' cannot sign the payroll of %s",
				    who && *who ? who : "the CA", scope);
	if ((error = read_mapped(db)) < 0 || (error = sb_payroll_get(&p, db, month, scope)) < 0)
		goto done;
	if (!p->closed) {
		error = sb_error_set(SB_ESTATE, "payroll %s is not closed: close it before exporting (`payroll close %s`)",
				     p->month, p->month);
		goto done;
	}
	if (sb_org_division(&div, db, scope) == 0)
		have_div = 1;
	else
		sb_error_clear();

	if ((error = sb__payroll_render(&xml, &xml_len, p, scope, have_div ? div.name : NULL)) < 0)
		goto done;
	sb__buf_reserve(&bank, 64 + p->n * 64);
	sb__buf_puts(&bank, "account,name,net\n");
	for (k = 0; k < p->n; k++) {
		const sb_payroll_line *l = &p->lines[k];
		csv_field(&bank, l->bank_account);
		sb__buf_putc(&bank, ',');
		csv_field(&bank, l->name);
		sb__buf_printf(&bank, ",%s\n", sb_money_format(v, sizeof v, l->net));
		tot[A_NET] += l->net;
	}
	if ((error = sb__buf_failed(&bank)) < 0)
		goto done;
	if (!(e.xml_path = path_of(dir, "payroll", scope, p->month, "xml")) ||
	    !(e.bank_path = path_of(dir, "bank", scope, p->month, "csv")) ||
	    !(e.pdf_path = path_of(dir, "payslips", scope, p->month, "pdf"))) {
		error = SB_ENOMEM;
		goto done;
	}
	if (flags & SB_PAYROLL_NO_PAYSLIPS) {
		free(e.pdf_path);
		e.pdf_path = NULL;
	}
	/* An export is its files or none, and a failed export again leaves the earlier one as it
	 * was: each file is written under a staging name first, and only when all are written
	 * are they renamed over the old ones. */
	final[0] = e.xml_path;
	final[1] = e.bank_path;
	final[2] = e.pdf_path;
	for (i = 0; i < 3; i++)
		if (final[i] && !(stage[i] = side_name(dir, final[i], "part"))) {
			error = SB_ENOMEM;
			goto done;
		}
	/* the signed document is written in its pieces, not copied together first */
	if ((error = sb__sign_xml_canonical_split(&signature, &parts[2].len, &root, &at, signer, xml, xml_len)) < 0)
		goto done;
	parts[0].data = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	parts[0].len = strlen(parts[0].data);
	parts[1].data = xml + root;
	parts[1].len = at - root;
	parts[2].data = signature;
	parts[3].data = xml + at;
	parts[3].len = xml_len - at;
	staged = 1;
	if ((error = sb__write_parts(stage[0], parts, 4, 0644)) < 0 ||
	    (error = sb__write_file(stage[1], bank.ptr, bank.len, 0600)) < 0 ||
	    (stage[2] && (error = payslips(stage[2], p, have_div ? div.name : scope)) < 0))
		goto done;
	/* The earlier export's files are kept under a second name (a hard link) until all new
	 * files are in place, so that a rename failing half-way puts them back. */
	for (i = 0; i < 3; i++) {
		if (!stage[i])
			continue;
		if (!(keep_name = side_name(dir, final[i], "kept"))) {
			error = SB_ENOMEM;
			goto done;
		}
		unlink(keep_name);
		if (link(final[i], keep_name) == 0)
			keep[i] = keep_name;
		else
			free(keep_name);
		keep_name = NULL;
	}
	for (i = 0; i < 3; i++) {
		int failed;
		if (!stage[i])
			continue;
		if (sb__fault("io")) {
			failed = 1;
			errno = EIO;
		} else {
			failed = rename(stage[i], final[i]) != 0;
		}
		if (failed) {
			int j;
			error = sb_error_set(SB_EIO, "%s: cannot write: %s", final[i], strerror(errno));
			for (j = 0; j < i; j++)
				if (stage[j] && (keep[j] ? rename(keep[j], final[j]) : unlink(final[j])) == 0 && keep[j]) {
					free(keep[j]);
					keep[j] = NULL;
				}
			goto done;
		}
	}
	e.count = (int64_t)p->n;
	e.net = tot[A_NET];
	if (out) {
		*out = e;
		memset(&e, 0, sizeof e);
	}
done:
	for (i = 0; i < 3; i++) {
		if (error < 0 && staged && stage[i])
			unlink(stage[i]);
		if (keep[i])
			unlink(keep[i]);
		free(stage[i]);
		free(keep[i]);
	}
	free(keep_name);
	if (have_div)
		sb_division_clear(&div);
	sb_payroll_export_clear(&e);
	sb__buf_free(&bank);
	free(xml);
	free(signature);
	sb_payroll_free(p);
	return error;
}

/* ---- verify ------------------------------------------------------------------------- */

void sb_payroll_verified_clear(sb_payroll_verified *v)
{
	if (!v)
		return;
	free(v->signer);
	memset(v, 0, sizeof *v);
}

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, PAYROLL_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* An attribute without copying: the text of its single text child ("" when absent). */
static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
	if (!a || !a->children || !a->children->content)
		return "";
	return (const char *)a->children->content;
}

/* ---- verification -------------------------------------------------------------------- */

/* The attributes verification reads, by position; the amounts follow in amount_names order. */
enum { F_ID, F_TOWN, F_CONTRACT, F_DAYS, F_COUNT, F_AMOUNTS, F_N = F_AMOUNTS + A_N };
static const char *const field_names[F_AMOUNTS] = { "id-number", "township", "contract", "days", "count" };

/* One line of the file as the checks need it; strings are offsets into the reader's arena. */
typedef struct {
	long line;
	size_t id, town, contract, days;
	int64_t a[A_N];
} vline;

/* Collects problems: the first is the message, the rest are counted. */
typedef struct {
	int n;
	char first[1024];
} problems;

static void problem(problems *pr, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
static void problem(problems *pr, const char *fmt, ...)
{
	va_list ap;
	if (pr->n++ == 0) {
		va_start(ap, fmt);
		vsnprintf(pr->first, sizeof pr->first, fmt, ap);
		va_end(ap);
	}
}

/* What a reading of the file (streamed or from a tree) leaves for the checks. */
typedef struct {
	const char *path;
	problems pr;
	char *month, *scope;
	long root_line;
	long header_line;   /* 0: no header */
	char *header[F_N];  /* the header's count and amounts as written */
	vline *lines;
	size_t n, cap;
	sb_buf arena;       /* every line's strings, NUL-terminated */
	int64_t tot[A_N];
} reading;

static void reading_free(reading *r)
{
	int i;
	free(r->month);
	free(r->scope);
	for (i = 0; i < F_N; i++)
		free(r->header[i]);
	free(r->lines);
	sb__buf_free(&r->arena);
	memset(r, 0, sizeof *r);
}

static size_t arena_put(reading *r, const char *s)
{
	size_t at = r->arena.len;
	sb__buf_put(&r->arena, s, strlen(s) + 1);
	return at;
}

static const char *arena_at(const reading *r, size_t at)
{
	return r->arena.ptr + at;
}

/* The document element, the header or a line, its attributes in v (missing ones ""): the
 * checks of one line's own arithmetic happen here, in document order. */
static int read_element(reading *r, int depth, const char *name, const char *const v[F_N], const char *month,
			const char *scope, long line)
{
	char got[32], want[32];
	vline *l;
	void *grown;
	int i;

	if (depth == 0 && strcmp(name, "payroll") == 0) {
		free(r->month);
		free(r->scope);
		if (!(r->month = sb__strdup(month)) || !(r->scope = sb__strdup(scope)))
			return SB_ENOMEM;
		r->root_line = line;
		return 0;
	}
	if (depth != 1)
		return 0;
	if (strcmp(name, "header") == 0) {
		r->header_line = line;
		for (i = F_COUNT; i < F_N; i++) {
			free(r->header[i]);
			if (!(r->header[i] = sb__strdup(v[i])))
				return SB_ENOMEM;
		}
		return 0;
	}
	if (strcmp(name, "line") != 0)
		return 0;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		if (!(grown = sb__realloc(r->lines, cap * sizeof *r->lines)))
			return SB_ENOMEM;
		r->lines = grown;
		r->cap = cap;
	}
	l = &r->lines[r->n++];
	l->line = line;
	for (i = 0; i < A_N; i++) {
		if (sb_money_parse(&l->a[i], v[F_AMOUNTS + i]) < 0) {
			problem(&r->pr, "%s:%ld: <line> %s: %s: '%s' is not an amount", r->path, line, v[F_ID],
				amount_names[i], v[F_AMOUNTS + i]);
			l->a[i] = 0;
		}
		r->tot[i] += l->a[i];
	}
	if (l->a[A_GROSS] != l->a[A_BASE] + l->a[A_ALLOW] + l->a[A_ARREARS])
		problem(&r->pr, "%s:%ld: <line> %s: gross %s is not base + allowances + arrears (%s)", r->path, line,
			v[F_ID], sb_money_format(got, sizeof got, l->a[A_GROSS]),
			sb_money_format(want, sizeof want, l->a[A_BASE] + l->a[A_ALLOW] + l->a[A_ARREARS]));
	if (l->a[A_NET] != l->a[A_GROSS] - l->a[A_PENSION] - l->a[A_MEDICAL] - l->a[A_UNEMP] - l->a[A_HOUSING] -
				   l->a[A_TAX])
		problem(&r->pr, "%s:%ld: <line> %s: net %s is not gross less contributions and tax (%s)", r->path,
			line, v[F_ID], sb_money_format(got, sizeof got, l->a[A_NET]),
			sb_money_format(want, sizeof want,
					l->a[A_GROSS] - l->a[A_PENSION] - l->a[A_MEDICAL] - l->a[A_UNEMP] -
						l->a[A_HOUSING] - l->a[A_TAX]));
	l->id = arena_put(r, v[F_ID]);
	l->town = arena_put(r, v[F_TOWN]);
	l->contract = arena_put(r, v[F_CONTRACT]);
	l->days = arena_put(r, v[F_DAYS]);
	return sb__buf_failed(&r->arena);
}

/* The streaming reader's element callback: attributes copied out NUL-terminated. A file
 * writes its attributes in the same order on every line, so the field that the attribute
 * in each position named last time is tried first. */
typedef struct {
	reading *r;
	sb_buf scratch;
	int hint[F_N];
} stream_reading;

static const char *field_name(int depth, int k)
{
	static const char *const root_names[2] = { "month", "scope" };
	return depth == 0 ? root_names[k] : k < F_AMOUNTS ? field_names[k] : amount_names[k - F_AMOUNTS];
}

static int stream_element(void *user, int depth, const char *local, const char *ns_uri, int nattr,
			  const unsigned char **attrs, long line)
{
	stream_reading *sr = user;
	size_t at[F_N], n;
	const char *v[F_N];
	int i, k, want = depth == 0 ? 2 : F_N;

	if (!ns_uri || strcmp(ns_uri, PAYROLL_NS) != 0 || depth > 1)
		return 0;
	sr->scratch.len = 0;
	for (k = 0; k < want; k++)
		at[k] = (size_t)-1;
	for (i = 0; i < nattr; i++) {
		const unsigned char **a = attrs + 5 * i;
		const char *name = (const char *)a[0];
		if (a[2]) /* a namespaced attribute: not one of ours */
			continue;
		k = depth == 1 && i < F_N ? sr->hint[i] : 0;
		if (k >= want || strcmp(name, field_name(depth, k)) != 0) {
			for (k = 0; k < want; k++)
				if (strcmp(name, field_name(depth, k)) == 0)
					break;
			if (k == want)
				continue;
			if (depth == 1 && i < F_N)
				sr->hint[i] = k;
		}
		n = (size_t)(a[4] - a[3]);
		at[k] = sr->scratch.len;
		sb__buf_put(&sr->scratch, a[3], n);
		sb__buf_putc(&sr->scratch, '\0');
	}
	if (sb__buf_failed(&sr->scratch) < 0)
		return SB_ENOMEM;
	for (k = 0; k < want; k++)
		v[k] = at[k] == (size_t)-1 ? "" : sr->scratch.ptr + at[k];
	if (depth == 0)
		return read_element(sr->r, 0, local, v, v[0], v[1], line);
	return read_element(sr->r, 1, local, v, NULL, NULL, line);
}

/* The same from a tree (the reader for a document the streaming pass did not settle). */
static int tree_elements(reading *r, xmlNodePtr root)
{
	const char *v[F_N];
	xmlNodePtr n;
	int error, k;

	if ((error = read_element(r, 0, "payroll", v, attr(root, "month"), attr(root, "scope"),
				  xmlGetLineNo(root))) < 0)
		return error;
	for (n = root->children; n; n = n->next) {
		if (!is_el(n, "header") && !is_el(n, "line"))
			continue;
		for (k = 0; k < F_N; k++)
			v[k] = attr(n, field_name(1, k));
		if ((error = read_element(r, 1, (const char *)n->name, v, NULL, NULL, xmlGetLineNo(n))) < 0)
			return error;
	}
	return 0;
}

static int contract_cmp(const void *a, const void *b)
{
	const sb_contract_info *x = a, *y = b;
	return strcmp(x->number, y->number);
}

static int regline_cmp(const void *a, const void *b)
{
	const sb_payroll_line *x = a, *y = b;
	int c = strcmp(x->id_number, y->id_number);
	return c ? c : strcmp(x->township_code, y->township_code);
}

/* The header's count and totals, and nobody paid twice. */
static int check_file(reading *r)
{
	char want[32];
	int64_t hdr;
	size_t *slot = NULL, k, cap = 16, at;
	int i;

	if (sb_decimal_parse(&hdr, r->header[F_COUNT] ? r->header[F_COUNT] : "", 0) < 0 || hdr != (int64_t)r->n)
		problem(&r->pr, "%s:%ld: <header> count: %s, but the file has %lld lines", r->path, r->header_line,
			r->header[F_COUNT] ? r->header[F_COUNT] : "", (long long)r->n);
	for (i = 0; i < A_N; i++) {
		const char *h = r->header[F_AMOUNTS + i] ? r->header[F_AMOUNTS + i] : "";
		if (sb_money_parse(&hdr, h) < 0 || hdr != r->tot[i])
			problem(&r->pr, "%s:%ld: <header> %s: %s, but the lines add up to %s", r->path, r->header_line,
				amount_names[i], h, sb_money_format(want, sizeof want, r->tot[i]));
	}
	/* Each ID number in a hash table (open addressing, at most half full) of the line that
	 * last had it: a second line of a person is named, in the file's order, with the one
	 * before it. */
	while (cap < 2 * r->n)
		cap *= 2;
	if (!(slot = sb__calloc(cap, sizeof *slot)))
		return SB_ENOMEM;
	for (k = 0; k < r->n; k++) {
		const char *id = arena_at(r, r->lines[k].id);
		const unsigned char *c;
		uint64_t hash = 14695981039346656037u; /* FNV-1a */
		for (c = (const unsigned char *)id; *c; c++)
			hash = (hash ^ *c) * 1099511628211u;
		for (at = (size_t)hash & (cap - 1); slot[at]; at = (at + 1) & (cap - 1))
			if (strcmp(arena_at(r, r->lines[slot[at] - 1].id), id) == 0) {
				problem(&r->pr, "%s:%ld: <line> %s: duplicate: the same person is paid on line %ld too", r->path,
					r->lines[k].line, id, r->lines[slot[at] - 1].line);
				break;
			}
		slot[at] = k + 1;
	}
	free(slot);
	return 0;
}

/* Order by employer, then person: the order of the registry's reads and of an export. */
static int town_id_cmp(const char *town_a, const char *id_a, const char *town_b, const char *id_b)
{
	int c = strcmp(town_a, town_b);
	return c ? c : strcmp(id_a, id_b);
}

/* The contract and the registry's line of one file line, by search in sorted copies. */
static void find_sorted(sb_contract_info **out_c, sb_payroll_line **out_l, sb_contract_info *cs, size_t ncs,
			sb_payroll *reg, const char *id, const char *town, const char *number)
{
	sb_contract_info ckey, *c = NULL;
	sb_payroll_line lkey;

	*out_l = NULL;
	memset(&ckey, 0, sizeof ckey);
	if (strlen(number) < sizeof ckey.number) {
		memcpy(ckey.number, number, strlen(number) + 1);
		c = ncs ? bsearch(&ckey, cs, ncs, sizeof ckey, contract_cmp) : NULL;
	}
	if (!c || strcmp(c->id_number, id) != 0 || strcmp(c->township_code, town) != 0) {
		*out_c = NULL;
		return;
	}
	*out_c = c;
	/* the contract matched: id and township are the registry's, so they fit */
	memset(&lkey, 0, sizeof lkey);
	sb__copy(lkey.id_number, sizeof lkey.id_number, id);
	sb__copy(lkey.township_code, sizeof lkey.township_code, town);
	if (reg && reg->n)
		*out_l = bsearch(&lkey, reg->lines, reg->n, sizeof lkey, regline_cmp);
}

/* What the registry says of one file line, in either way of meeting them. */
enum { HAS_CONTRACT = 1, HAS_LINE = 2, DIFFERS = 4 };

typedef struct {
	int which;      /* the first field that differs: an amount (0 .. A_N - 1), or A_N for days */
	int64_t want;   /* the registry's value of it */
} difference;

/* The registry's line `l` against file line `k` (same person and employer). */
static void compare_line(unsigned char *mark, difference *diff, const reading *r, size_t k,
			 const sb_payroll_line *l)
{
	const vline *fl = &r->lines[k];
	int64_t reg_a[A_N], d;
	int i;

	mark[k] |= HAS_LINE;
	line_amounts(reg_a, l);
	for (i = 0; i < A_N && fl->a[i] == reg_a[i]; i++)
		;
	if (i < A_N) {
		mark[k] |= DIFFERS;
		diff[k].which = i;
		diff[k].want = reg_a[i];
	} else if (sb_decimal_parse(&d, arena_at(r, fl->days), 0) < 0 || d != l->days) {
		mark[k] |= DIFFERS;
		diff[k].which = A_N;
		diff[k].want = l->days;
	}
}

/* The merge: the registry's rows arrive in (employer, person) order and meet the file's
 * lines, which are in that order, strictly (checked before), at `at`. */
typedef struct {
	const reading *r;
	unsigned char *mark;
	difference *diff;
	size_t at;
	size_t nreg;
	char last_town[13], last_id[19]; /* the previous row's key: the order is checked */
	int out_of_order;
} merging;

static int merge_key(merging *mg, const char *town, const char *id, int strict)
{
	int c = town_id_cmp(mg->last_town, mg->last_id, town, id);
	if (c > 0 || (strict && c == 0 && mg->last_town[0])) {
		mg->out_of_order = 1;
		return SB_EINVALID;
	}
	sb__copy(mg->last_town, sizeof mg->last_town, town);
	sb__copy(mg->last_id, sizeof mg->last_id, id);
	while (mg->at < mg->r->n && town_id_cmp(arena_at(mg->r, mg->r->lines[mg->at].town),
						arena_at(mg->r, mg->r->lines[mg->at].id), town, id) < 0)
		mg->at++;
	return mg->at < mg->r->n && town_id_cmp(arena_at(mg->r, mg->r->lines[mg->at].town),
						arena_at(mg->r, mg->r->lines[mg->at].id), town, id) == 0;
}

static int merge_contract(void *ctx, const sb_contract_info *c)
{
	merging *mg = ctx;
	int hit = merge_key(mg, c->township_code, c->id_number, 0);
	if (hit < 0)
		return hit;
	if (hit && strcmp(arena_at(mg->r, mg->r->lines[mg->at].contract), c->number) == 0)
		mg->mark[mg->at] |= HAS_CONTRACT;
	return 0;
}

static int merge_line(void *ctx, const sb_payroll_line *l)
{
	merging *mg = ctx;
	int hit = merge_key(mg, l->township_code, l->id_number, 1);
	if (hit < 0)
		return hit;
	mg->nreg++;
	if (hit)
		compare_line(mg->mark, mg->diff, mg->r, mg->at, l);
	return 0;
}

/* The same by search in sorted copies, for a file whose lines are not in that order. */
static int search_registry(unsigned char *mark, difference *diff, size_t *out_nreg, int *out_have_reg,
			   const reading *r, sb_db *db)
{
	sb_contract_info *cs = NULL, *c;
	sb_payroll *reg = NULL;
	sb_payroll_line *l;
	size_t ncs = 0, k;
	int error, y, m;

	sb__month_parse(r->month, &y, &m);
	if ((error = sb_contract_in_force(&cs, &ncs, db, y, m, r->scope)) < 0)
		goto done;
	error = sb_payroll_get(&reg, db, r->month, r->scope);
	if (error == SB_ENOTFOUND) {
		sb_error_clear();
		error = 0;
	} else if (error < 0) {
		goto done;
	}
	*out_have_reg = reg != NULL;
	*out_nreg = reg ? reg->n : 0;
	if (ncs)
		qsort(cs, ncs, sizeof *cs, contract_cmp);
	if (reg && reg->n)
		qsort(reg->lines, reg->n, sizeof *reg->lines, regline_cmp);
	for (k = 0; k < r->n; k++) {
		const vline *fl = &r->lines[k];
		find_sorted(&c, &l, cs, ncs, reg, arena_at(r, fl->id), arena_at(r, fl->town), arena_at(r, fl->contract));
		if (c)
			mark[k] |= HAS_CONTRACT;
		if (l)
			compare_line(mark, diff, r, k, l);
	}
done:
	sb_payroll_free(reg);
	sb_contract_info_free(cs);
	return error;
}

/*
 * Ghosts and changed amounts: every line against the contracts in force and the run. The
 * registry reads both in employer-then-person order, which is also the order of an export;
 * when the file's lines are in that order (checked), each of the two reads meets them in
 * one pass, a row at a time, with nothing of the registry kept; else the contracts and lines
 * are listed, sorted and searched. Both find the same contract and line, and the problems
 * are then named in the file's order.
 */
static int check_registry(reading *r, sb_db *db)
{
	char got[32], want[32];
	unsigned char *mark = NULL;
	difference *diff = NULL;
	merging mg;
	size_t k, nreg = 0;
	int error = 0, y, m, merge = 1, have_reg = 1;

	sb__month_parse(r->month, &y, &m);
	if ((error = read_mapped(db)) < 0)
		return error;
	if (r->n && (!(mark = sb__calloc(r->n, 1)) || !(diff = sb__malloc(r->n * sizeof *diff)))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (k = 1; merge && k < r->n; k++)
		merge = town_id_cmp(arena_at(r, r->lines[k - 1].town), arena_at(r, r->lines[k - 1].id),
				    arena_at(r, r->lines[k].town), arena_at(r, r->lines[k].id)) < 0;
	if (merge) {
		memset(&mg, 0, sizeof mg);
		mg.r = r;
		mg.mark = mark;
		mg.diff = diff;
		error = sb__contract_in_force_each(db, y, m, r->scope, merge_contract, &mg);
		if (error == 0) {
			mg.at = 0;
			mg.last_town[0] = mg.last_id[0] = '\0';
			error = sb__payroll_each(NULL, db, r->month, r->scope, merge_line, &mg);
			if (error == SB_ENOTFOUND) {
				sb_error_clear();
				error = 0;
				have_reg = 0;
			}
		}
		nreg = mg.nreg;
		if (error < 0 && mg.out_of_order) {
			/* not the order asked for: decide by search instead */
			sb_error_clear();
			error = 0;
			merge = 0;
			if (r->n)
				memset(mark, 0, r->n);
			have_reg = 1;
		} else if (error < 0) {
			goto done;
		}
	}
	if (!merge && (error = search_registry(mark, diff, &nreg, &have_reg, r, db)) < 0)
		goto done;
	for (k = 0; k < r->n; k++) {
		const vline *fl = &r->lines[k];
		const char *id = arena_at(r, fl->id);
		if (!(mark[k] & HAS_CONTRACT))
			problem(&r->pr, "%s:%ld: <line> %s: ghost worker: no signed contract %s of this person with %s is in force in %s",
				r->path, fl->line, id, arena_at(r, fl->contract), arena_at(r, fl->town), r->month);
		else if (!(mark[k] & HAS_LINE))
			problem(&r->pr, "%s:%ld: <line> %s: the registry's payroll of %s has no line for this person",
				r->path, fl->line, id, r->month);
		else if ((mark[k] & DIFFERS) && diff[k].which < A_N)
			problem(&r->pr, "%s:%ld: <line> %s: wrong amount: %s %s, the registry's payroll says %s",
				r->path, fl->line, id, amount_names[diff[k].which],
				sb_money_format(got, sizeof got, fl->a[diff[k].which]),
				sb_money_format(want, sizeof want, diff[k].want));
		else if (mark[k] & DIFFERS)
			problem(&r->pr, "%s:%ld: <line> %s: wrong amount: days %s, the registry's payroll says %lld",
				r->path, fl->line, id, arena_at(r, fl->days), (long long)diff[k].want);
	}
	if (r->pr.n == 0 && have_reg && nreg != r->n)
		problem(&r->pr, "%s: the registry's payroll of %s under %s has %zu lines, the file %zu", r->path,
			r->month, r->scope, nreg, r->n);
done:
	free(mark);
	free(diff);
	return error;
}

/*
 * One streaming pass settles a good export (sign_stream.c: signature, schema and the lines in
 * bounded memory, no tree). A file it does not settle — bad, or signed in another shape — is
 * read again the way every XML is read, and that reading decides and names what is wrong:
 * the signature first (a changed document is named as such before any other complaint), then
 * the schema, then the arithmetic.
 */
int sb_payroll_verify(sb_payroll_verified *out, const char *path, const char *ca_path,
		      const char *crl_path, sb_db *db)
{
	char *xml = NULL, *signer = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int error = 0, settled = 0;
	reading r;
	stream_reading sr;
	sb_payroll_verified v;

	memset(&r, 0, sizeof r);
	memset(&sr, 0, sizeof sr);
	memset(&v, 0, sizeof v);
	r.path = path;
	sr.r = &r;
	if ((error = sb__read_file(&xml, &len, path)) < 0)
		goto done;
	if ((error = sb__sign_verify_stream(&signer, &settled, xml, len, "payroll.xsd", ca_path, crl_path,
					    stream_element, &sr)) < 0) {
		sb_error_prefix("%s: signature", path);
		goto done;
	}
	if (!settled) {
		reading_free(&r);
		r.path = path;
		if ((error = sb__xml_read(&doc, xml, len, path, NULL)) < 0)
			goto done;
		if ((error = sb__sign_verify_doc(&signer, doc, ca_path, crl_path)) < 0) {
			sb_error_prefix("%s: signature", path);
			goto done;
		}
		if ((error = sb__xml_validate(doc, path, "payroll.xsd")) < 0)
			goto done;
		root = xmlDocGetRootElement(doc);
		if ((error = tree_elements(&r, root)) < 0)
			goto done;
	}
	if (!r.month || !r.scope) { /* the schema requires both: a reader out of step */
		error = sb_error_set(SB_EXML, "%s: no <payroll> element", path);
		goto done;
	}
	sb__copy(v.month, sizeof v.month, r.month);
	sb__copy(v.scope, sizeof v.scope, r.scope);
	if (!signer || strcmp(signer, r.scope) != 0) {
		error = sb_error_set(SB_EPOLICY, "%s:%ld: <payroll> scope: signed by '%s', not by the employer %s",
				     path, r.root_line, signer ? signer : "", r.scope);
		goto done;
	}
	if ((error = check_file(&r)) < 0)
		goto done;
	if (db && r.pr.n == 0 && (error = check_registry(&r, db)) < 0)
		goto done;
	if (r.pr.n) {
		if (r.pr.n > 1)
			error = sb_error_set(SB_EINVALID, "%s (and %d more problem%s)", r.pr.first, r.pr.n - 1,
					     r.pr.n == 2 ? "" : "s");
		else
			error = sb_error_set(SB_EINVALID, "%s", r.pr.first);
		goto done;
	}
	v.signer = signer;
	signer = NULL;
	v.count = (int64_t)r.n;
	v.net = r.tot[A_NET];
	if (out) {
		*out = v;
		memset(&v, 0, sizeof v);
	}
done:
	sb_payroll_verified_clear(&v);
	reading_free(&r);
	sb__buf_free(&sr.scratch);
	xmlFreeDoc(doc);
	free(signer);
	free(xml);
	return error;
}
