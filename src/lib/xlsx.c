/*
 * The first sheet of an .xlsx workbook, read whole into memory: libzip opens the package
 * (no inflate of our own), libxml2 parses each part with network access off, entities left
 * unexpanded and any DOCTYPE refused. Cells keep the type they were stored with, so the
 * caller can refuse an ID number a spreadsheet turned into a number, and turn a date serial
 * into a date. Not for styles, formulas (their cached value is read), or other sheets.
 */
#include "config.h"
#include "common_internal.h"
#include "xlsx_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

/* Parts larger than this are refused: a roster of 100,000 rows is well below it, and it
 * bounds what a crafted archive (a zip bomb) can make us allocate. */
#define PART_MAX ((zip_uint64_t)512 << 20)
/* Columns beyond this are refused (XFD, the last column of a sheet, is 16384). */
#define COL_MAX 16384

typedef struct {
	int type;
	size_t off; /* into text */
} cell;

typedef struct {
	long rownum;
	size_t first; /* index into cells */
	int ncols;
} row;

struct sb__xlsx {
	char *name;
	sb_buf text; /* NUL-separated cell texts; offset 0 is "" */
	cell *cells;
	size_t ncells, cap_cells;
	row *rows;
	size_t nrows, cap_rows;
	int date1904;
	/* shared strings, as offsets into sst_text (apart from text, which grows while a
	 * shared string is copied into it) */
	sb_buf sst_text;
	size_t *sst;
	size_t nsst;
};

static const char *REL_NS_SUFFIX = "relationships";

/* ---- the package ------------------------------------------------------------------- */

static int read_part(char **out, size_t *out_len, zip_t *za, const char *path, const char *part, int optional)
{
	zip_stat_t st;
	zip_file_t *zf = NULL;
	char *buf = NULL, extra;
	zip_int64_t n;
	int error = 0;

	*out = NULL;
	*out_len = 0;
	zip_stat_init(&st);
	if (zip_stat(za, part, 0, &st) < 0) {
		if (optional)
			return SB_ENOTFOUND;
		return sb_error_set(SB_EINVALID, "%s: not a workbook: %s is missing", path, part);
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > PART_MAX)
		return sb_error_set(SB_EINVALID, "%s: %s: larger than %llu MB", path, part,
				    (unsigned long long)(PART_MAX >> 20));
	if (!(buf = sb__malloc((size_t)st.size + 1)))
		return SB_ENOMEM;
	if (sb__fault("io") || !(zf = zip_fopen(za, part, 0))) {
		error = sb_error_set(SB_EINVALID, "%s: %s: cannot be read: %s", path, part, zip_strerror(za));
		goto done;
	}
	n = zip_fread(zf, buf, st.size);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		error = sb_error_set(SB_EINVALID, "%s: %s: cannot be read: %s", path, part,
				     n < 0 ? zip_file_strerror(zf) : "shorter than its directory entry says");
		goto done;
	}
	/* libzip compares the CRC-32 only when a read reaches the end of the entry: without
	 * this last read a damaged part would be taken as it is. */
	if ((n = zip_fread(zf, &extra, 1)) != 0) {
		error = sb_error_set(SB_EINVALID, "%s: %s: cannot be read: %s", path, part,
				     n < 0 ? zip_file_strerror(zf) : "longer than its directory entry says");
		goto done;
	}
	buf[st.size] = '\0';
	*out = buf;
	*out_len = (size_t)st.size;
	buf = NULL;
done:
	if (zf)
		zip_fclose(zf);
	free(buf);
	return error;
}

/* Parse one part. The parser never touches the network and never expands entities
 * (XML_PARSE_NOENT is not given); a DOCTYPE has no business in a package part, so it is
 * refused before and after parsing rather than trusted to those two settings. */
static int parse_part(xmlDoc **out, const char *path, const char *part, const char *data, size_t len)
{
	xmlDoc *doc;


	*out = NULL;
	if (len > (size_t)INT32_MAX)
		return sb_error_set(SB_EINVALID, "%s: %s: too large", path, part);
	if (memmem(data, len, "<!DOCTYPE", 9))
		return sb_error_set(SB_EINVALID, "%s: %s: a DOCTYPE is not allowed in a workbook", path, part);
	if (sb__fault("alloc"))
		return sb_error_set(SB_ENOMEM, "out of memory");
	doc = xmlReadMemory(data, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		return sb_error_set(SB_EINVALID, "%s: %s:%d: not well-formed XML: %s", path, part, e ? e->line : 0,
				    e && e->message ? e->message : "parse error");
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return sb_error_set(SB_EINVALID, "%s: %s: a DOCTYPE is not allowed in a workbook", path, part);
	}
	*out = doc;
	return 0;
}

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	xmlNode *c;
	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_el(c, name))
			return c;
	return NULL;
}

/* An attribute by local name; with `rel`, only one in a relationships namespace (r:id). */
static const char *attr(const xmlNode *n, const char *name, int rel)
{
	const xmlAttr *a;
	for (a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (rel) {
			size_t l, sl = strlen(REL_NS_SUFFIX);
			if (!a->ns || !a->ns->href)
				continue;
			l = strlen((const char *)a->ns->href);
			if (l < sl || strcmp((const char *)a->ns->href + l - sl, REL_NS_SUFFIX) != 0)
				continue;
		} else if (a->ns) {
			continue;
		}
		if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

/* Cell text as stored, with OOXML's _xHHHH_ escapes (ECMA-376 Part 1, 22.9.2.19) decoded. */
static void decode_text(sb_buf *b, const char *s, size_t n)
{
	const char *end = s + n;
	for (; s < end; s++) {
		unsigned v = 0;
		int k;
		if (end - s >= 7 && s[0] == '_' && s[1] == 'x') {
			for (k = 0; k < 4; k++) {
				char h = s[2 + k];
				if (h >= '0' && h <= '9')
					v = v * 16 + (unsigned)(h - '0');
				else if (h >= 'A' && h <= 'F')
					v = v * 16 + (unsigned)(h - 'A' + 10);
				else if (h >= 'a' && h <= 'f')
					v = v * 16 + (unsigned)(h - 'a' + 10);
				else
					break;
			}
			if (k == 4 && s[6] == '_' && v != 0 && (v < 0xD800 || v > 0xDFFF)) {
				char u[3];
				if (v < 0x80) {
					sb__buf_putc(b, (char)v);
				} else if (v < 0x800) {
					u[0] = (char)(0xC0 | (v >> 6));
					u[1] = (char)(0x80 | (v & 0x3F));
					sb__buf_put(b, u, 2);
				} else {
					u[0] = (char)(0xE0 | (v >> 12));
					u[1] = (char)(0x80 | ((v >> 6) & 0x3F));
					u[2] = (char)(0x80 | (v & 0x3F));
					sb__buf_put(b, u, 3);
				}
				s += 6;
				continue;
			}
		}
		sb__buf_putc(b, *s);
	}
}

static void text_add_end(sb__xlsx *x)
{
	sb__buf_putc(&x->text, '\0');
}

/* ---- workbook, relationships, shared strings ------------------------------------- */

/* Resolve a relationship target against the xl/ folder the workbook lives in. */
static int resolve_target(char **out, const char *target)
{
	sb_buf b = SB_BUF_INIT;
	if (target[0] == '/')
		sb__buf_puts(&b, target + 1);
	else if (strncmp(target, "xl/", 3) == 0)
		sb__buf_puts(&b, target);
	else
		sb__buf_printf(&b, "xl/%s", target);
	if (sb__buf_failed(&b))
		return SB_ENOMEM;
	*out = sb__buf_detach(&b);
	return 0;
}

static int find_parts(char **out_sheet, char **out_sst, int *out_1904, zip_t *za, const char *path)
{
	char *data = NULL;
	size_t len;
	xmlDoc *wb = NULL, *rels = NULL;
	xmlNode *root, *sheets, *s, *r;
	const char *rid = NULL, *v;
	int error;

	*out_sheet = *out_sst = NULL;
	*out_1904 = 0;
	if ((error = read_part(&data, &len, za, path, "xl/workbook.xml", 0)) < 0 ||
	    (error = parse_part(&wb, path, "xl/workbook.xml", data, len)) < 0)
		goto done;
	free(data);
	data = NULL;
	root = xmlDocGetRootElement(wb);
	if (!root || !is_el(root, "workbook")) {
		error = sb_error_set(SB_EINVALID, "%s: xl/workbook.xml: not a workbook", path);
		goto done;
	}
	if ((s = child(root, "workbookPr")) && (v = attr(s, "date1904", 0)))
		*out_1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	sheets = child(root, "sheets");
	for (s = sheets ? sheets->children : NULL; s; s = s->next)
		if (is_el(s, "sheet")) {
			rid = attr(s, "id", 1);
			break;
		}
	if (!rid) {
		error = sb_error_set(SB_EINVALID, "%s: the workbook has no sheet", path);
		goto done;
	}
	if ((error = read_part(&data, &len, za, path, "xl/_rels/workbook.xml.rels", 0)) < 0 ||
	    (error = parse_part(&rels, path, "xl/_rels/workbook.xml.rels", data, len)) < 0)
		goto done;
	root = xmlDocGetRootElement(rels);
	for (r = root ? root->children : NULL; r; r = r->next) {
		const char *id, *type, *target;
		size_t tl;
		if (!is_el(r, "Relationship") || !(id = attr(r, "Id", 0)) || !(type = attr(r, "Type", 0)) ||
		    !(target = attr(r, "Target", 0)))
			continue;
		tl = strlen(type);
		if (strcmp(id, rid) == 0 && !*out_sheet) {
			if ((error = resolve_target(out_sheet, target)) < 0)
				goto done;
		} else if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0 && !*out_sst) {
			if ((error = resolve_target(out_sst, target)) < 0)
				goto done;
		}
	}
	if (!*out_sheet)
		error = sb_error_set(SB_EINVALID, "%s: the first sheet (%s) has no part", path, rid);
done:
	free(data);
	xmlFreeDoc(wb);
	xmlFreeDoc(rels);
	return error;
}

/* ---- the sheet --------------------------------------------------------------------- */

/* "AB12" → column 27 (0-based) and row 12; -1 when malformed. */
static int parse_ref(const char *ref, int *out_col, long *out_row)
{
	long col = 0, rown = 0;
	const char *p = ref;
	while (*p >= 'A' && *p <= 'Z') {
		col = col * 26 + (*p - 'A' + 1);
		if (col > COL_MAX)
			return -1;
		p++;
	}
	if (p == ref || *p < '1' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		rown = rown * 10 + (*p - '0');
		if (rown > 1048576)
			return -1;
		p++;
	}
	if (*p)
		return -1;
	*out_col = (int)col - 1;
	*out_row = rown;
	return 0;
}

void sb__xlsx_colname(char out[4], int col)
{
	char tmp[4];
	int n = 0, i;
	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static int add_cell(sb__xlsx *x, row *rw, int col, int type, size_t off)
{
	/* Cells are stored densely per row: fill the gap before `col` with empty cells. */
	while (rw->ncols <= col) {
		if (x->ncells == x->cap_cells) {
			size_t cap = x->cap_cells ? x->cap_cells * 2 : 1024;
			cell *p = sb__realloc(x->cells, cap * sizeof(*p));
			if (!p)
				return SB_ENOMEM;
			x->cells = p;
			x->cap_cells = cap;
		}
		x->cells[x->ncells].type = SB_XLSX_EMPTY;
		x->cells[x->ncells].off = 0;
		x->ncells++;
		rw->ncols++;
	}
	x->cells[rw->first + (size_t)col].type = type;
	x->cells[rw->first + (size_t)col].off = off;
	return 0;
}

/*
 * The sheet and the shared strings are streamed through SAX2 callbacks rather than built into
 * a tree: a 30,000-row roster's sheet is 10 MB of XML, and building its tree costs ten times
 * what reading it does. The handler keeps only the cell being read.
 */
typedef struct {
	sb__xlsx *x;
	const char *part;
	xmlParserCtxtPtr ctxt;
	int error;
	int sst;          /* parsing shared strings, not the sheet */
	int in_data;      /* inside <sheetData> */
	int in_value;     /* collecting text: <v>, or <t> of a string item */
	int in_phonetic;  /* inside <rPh>: annotation, not text */
	int in_item;      /* inside <si> or <is> */
	int seen_root, seen_data;
	sb_buf value;     /* raw text of the current value */
	/* the current row and cell */
	row rw;
	long prev_row;
	int col;
	char type[16];
	int has_v, has_is;
	char ref[16];
} sax_state;

static void sax_fail(sax_state *st, int error)
{
	if (!st->error)
		st->error = error;
	xmlStopParser(st->ctxt);
}

static const char *sax_attr(const xmlChar **attrs, int n, const char *name, char *buf, size_t size)
{
	int i;
	for (i = 0; i < n; i++) {
		const xmlChar **a = attrs + i * 5;
		if (strcmp((const char *)a[0], name) == 0 && !a[2]) {
			size_t len = (size_t)(a[4] - a[3]);
			if (len >= size)
				len = size - 1;
			memcpy(buf, a[3], len);
			buf[len] = '\0';
			return buf;
		}
	}
	return NULL;
}

static int push_sst(sax_state *st)
{
	sb__xlsx *x = st->x;
	if (x->nsst % 256 == 0) {
		size_t *p = sb__realloc(x->sst, (x->nsst + 256) * sizeof(*p));
		if (!p)
			return SB_ENOMEM;
		x->sst = p;
	}
	x->sst[x->nsst++] = x->sst_text.len;
	decode_text(&x->sst_text, st->value.ptr ? st->value.ptr : "", st->value.len);
	sb__buf_putc(&x->sst_text, '\0');
	return sb__buf_failed(&x->sst_text);
}

static int end_cell(sax_state *st)
{
	sb__xlsx *x = st->x;
	const char *t = st->type[0] ? st->type : NULL;
	const char *v = st->value.ptr ? st->value.ptr : "";
	size_t off = x->text.len;
	int type;

	if (t && strcmp(t, "inlineStr") == 0) {
		if (!st->has_is)
			return 0;
		type = SB_XLSX_TEXT;
		decode_text(&x->text, v, st->value.len);
	} else if (!st->has_v) {
		return 0; /* a formatted cell without a value */
	} else if (t && strcmp(t, "s") == 0) {
		char *end;
		unsigned long k = strtoul(v, &end, 10);
		if (!*v || *end || k >= x->nsst)
			return sb_error_set(SB_EINVALID, "%s: %s: row %ld: shared string index out of range", x->name,
					    st->part, st->rw.rownum);
		sb__buf_puts(&x->text, x->sst_text.ptr + x->sst[k]);
		type = SB_XLSX_TEXT;
	} else {
		decode_text(&x->text, v, st->value.len);
		if (!t || strcmp(t, "n") == 0)
			type = SB_XLSX_NUMBER;
		else if (strcmp(t, "str") == 0)
			type = SB_XLSX_TEXT;
		else if (strcmp(t, "b") == 0)
			type = SB_XLSX_BOOL;
		else if (strcmp(t, "e") == 0)
			type = SB_XLSX_ERROR;
		else if (strcmp(t, "d") == 0)
			type = SB_XLSX_DATE;
		else
			return sb_error_set(SB_EINVALID, "%s: %s: row %ld: unknown cell type '%s'", x->name, st->part,
					    st->rw.rownum, t);
	}
	text_add_end(x);
	if (sb__buf_failed(&x->text))
		return SB_ENOMEM;
	if (x->text.ptr[off] == '\0' && type == SB_XLSX_TEXT)
		return 0;
	return add_cell(x, &st->rw, st->col, type, off);
}

static int end_row(sax_state *st)
{
	sb__xlsx *x = st->x;
	if (st->rw.ncols == 0)
		return 0;
	if (x->nrows == x->cap_rows) {
		size_t cap = x->cap_rows ? x->cap_rows * 2 : 256;
		row *p = sb__realloc(x->rows, cap * sizeof(*p));
		if (!p)
			return SB_ENOMEM;
		x->rows = p;
		x->cap_rows = cap;
	}
	x->rows[x->nrows++] = st->rw;
	return 0;
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
		      const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
	sax_state *st = ctx;
	const char *name = (const char *)localname;
	char buf[32];
	const char *a;
	(void)prefix;
	(void)uri;
	(void)nb_ns;
	(void)ns;
	(void)nb_defaulted;

	if (st->error)
		return;
	if (!st->seen_root) {
		st->seen_root = 1;
		if (strcmp(name, st->sst ? "sst" : "worksheet") != 0) {
			sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: not a %s", st->x->name, st->part,
						  st->sst ? "shared string table" : "worksheet"));
			return;
		}
	}
	if (strcmp(name, "rPh") == 0) {
		st->in_phonetic++;
	} else if (st->sst) {
		if (strcmp(name, "si") == 0) {
			st->in_item = 1;
			st->value.len = 0;
		} else if (strcmp(name, "t") == 0 && st->in_item && !st->in_phonetic) {
			st->in_value = 1;
		}
	} else if (strcmp(name, "sheetData") == 0) {
		st->in_data = 1;
		st->seen_data = 1;
	} else if (!st->in_data) {
		return;
	} else if (strcmp(name, "row") == 0) {
		long rownum = st->prev_row + 1;
		if ((a = sax_attr(attrs, nb_attrs, "r", buf, sizeof(buf)))) {
			char *end;
			rownum = strtol(a, &end, 10);
			if (*end || rownum <= st->prev_row || rownum > 1048576) {
				sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: row number '%s' out of order", st->x->name,
							  st->part, a));
				return;
			}
		}
		st->prev_row = rownum;
		st->rw.rownum = rownum;
		st->rw.first = st->x->ncells;
		st->rw.ncols = 0;
		st->col = -1;
	} else if (strcmp(name, "c") == 0) {
		long r2;
		st->type[0] = '\0';
		st->has_v = st->has_is = 0;
		st->value.len = 0;
		sax_attr(attrs, nb_attrs, "t", st->type, sizeof(st->type));
		if ((a = sax_attr(attrs, nb_attrs, "r", st->ref, sizeof(st->ref)))) {
			if (parse_ref(a, &st->col, &r2) < 0 || r2 != st->rw.rownum) {
				sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: row %ld: bad cell reference '%s'", st->x->name,
							  st->part, st->rw.rownum, a));
				return;
			}
		} else if (++st->col >= COL_MAX) {
			sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: row %ld: too many cells", st->x->name, st->part,
						  st->rw.rownum));
			return;
		} else {
			snprintf(st->ref, sizeof(st->ref), "?");
		}
		if (st->rw.ncols > st->col)
			sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: row %ld: cell %s out of order", st->x->name,
						  st->part, st->rw.rownum, st->ref));
	} else if (strcmp(name, "v") == 0) {
		st->has_v = 1;
		st->in_value = 1;
		st->value.len = 0;
	} else if (strcmp(name, "is") == 0) {
		st->has_is = 1;
		st->in_item = 1;
		st->value.len = 0;
	} else if (strcmp(name, "t") == 0 && st->in_item && !st->in_phonetic) {
		st->in_value = 1;
	}
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	sax_state *st = ctx;
	const char *name = (const char *)localname;
	int error = 0;
	(void)prefix;
	(void)uri;

	if (st->error)
		return;
	if (strcmp(name, "rPh") == 0) {
		st->in_phonetic--;
	} else if (strcmp(name, "t") == 0 || strcmp(name, "v") == 0) {
		st->in_value = 0;
	} else if (st->sst) {
		if (strcmp(name, "si") == 0) {
			st->in_item = 0;
			error = push_sst(st);
		}
	} else if (!st->in_data) {
		return;
	} else if (strcmp(name, "is") == 0) {
		st->in_item = 0;
	} else if (strcmp(name, "c") == 0) {
		error = end_cell(st);
	} else if (strcmp(name, "row") == 0) {
		error = end_row(st);
	} else if (strcmp(name, "sheetData") == 0) {
		st->in_data = 0;
	}
	if (error < 0)
		sax_fail(st, error);
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
	sax_state *st = ctx;
	if (st->in_value && !st->error)
		sb__buf_put(&st->value, ch, (size_t)len);
}

static void sax_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	sax_state *st = ctx;
	(void)name;
	(void)ext;
	(void)sys;
	sax_fail(st, sb_error_set(SB_EINVALID, "%s: %s: a DOCTYPE is not allowed in a workbook", st->x->name, st->part));
}

/* Stream one part through the handler; `sst` selects shared strings, else the sheet. */
static int sax_part(sb__xlsx *x, const char *part, const char *data, size_t len, int sst)
{
	xmlSAXHandler sax;
	sax_state st;
	int error = 0;

	if (len > (size_t)INT32_MAX)
		return sb_error_set(SB_EINVALID, "%s: %s: too large", x->name, part);
	if (memmem(data, len, "<!DOCTYPE", 9))
		return sb_error_set(SB_EINVALID, "%s: %s: a DOCTYPE is not allowed in a workbook", x->name, part);
	memset(&sax, 0, sizeof(sax));
	memset(&st, 0, sizeof(st));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.cdataBlock = sax_text;
	sax.internalSubset = sax_subset;
	st.x = x;
	st.part = part;
	st.sst = sst;
	if (sb__fault("alloc") || !(st.ctxt = xmlCreatePushParserCtxt(&sax, &st, NULL, 0, part)))
		return sb_error_set(SB_ENOMEM, "out of memory");
	/* No network, no entity expansion (XML_PARSE_NOENT is not given), no DTD loading. */
	xmlCtxtUseOptions(st.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	/* In pieces: libxml2 refuses a single push of more than its lookahead limit. */
	{
		size_t off = 0, piece = 1 << 16;
		while (!st.error && st.ctxt->wellFormed && len - off > piece) {
			xmlParseChunk(st.ctxt, data + off, (int)piece, 0);
			off += piece;
		}
		if (!st.error && st.ctxt->wellFormed)
			xmlParseChunk(st.ctxt, data + off, (int)(len - off), 1);
	}
	if (st.error) {
		error = st.error;
	} else if (sb__buf_failed(&st.value)) {
		error = SB_ENOMEM;
	} else if (!st.ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(st.ctxt);
		error = sb_error_set(SB_EINVALID, "%s: %s:%d: not well-formed XML: %s", x->name, part, e ? e->line : 0,
				     e && e->message ? e->message : "parse error");
	} else if (!sst && !st.seen_data) {
		error = sb_error_set(SB_EINVALID, "%s: %s: not a worksheet", x->name, part);
	}
	xmlFreeParserCtxt(st.ctxt);
	sb__buf_free(&st.value);
	return error;
}

static int load_part(sb__xlsx *x, zip_t *za, const char *part, int sst, int optional)
{
	char *data = NULL;
	size_t len;
	int error = read_part(&data, &len, za, x->name, part, optional);
	if (error == 0)
		error = sax_part(x, part, data, len, sst);
	free(data);
	return error;
}

int sb__xlsx_open(sb__xlsx **out, const char *path)
{
	sb__xlsx *x = NULL;
	zip_t *za = NULL;
	char *sheet = NULL, *sst = NULL;
	int error = 0, zerr = 0;

	*out = NULL;
	if (!(x = sb__calloc(1, sizeof(*x))) || !(x->name = sb__strdup(path))) {
		error = SB_ENOMEM;
		goto done;
	}
	sb__buf_putc(&x->text, '\0'); /* offset 0: the empty text */
	if (sb__fault("io") || !(za = zip_open(path, ZIP_RDONLY, &zerr))) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		error = sb_error_set(zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN ? SB_EIO : SB_EINVALID,
				     "%s: cannot be read as .xlsx: %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto done;
	}
	if ((error = find_parts(&sheet, &sst, &x->date1904, za, path)) < 0)
		goto done;
	/* Shared strings: the part the workbook names, else the usual one if present. */
	error = load_part(x, za, sst ? sst : "xl/sharedStrings.xml", 1, sst ? 0 : 1);
	if (error == SB_ENOTFOUND)
		error = 0;
	if (error < 0 || (error = load_part(x, za, sheet, 0, 0)) < 0)
		goto done;
	*out = x;
	x = NULL;
done:
	if (za)
		zip_discard(za);
	free(sheet);
	free(sst);
	sb__xlsx_free(x);
	return error;
}

int sb__xlsx_parse_mem(sb__xlsx **out, const char *name, const char *sheet, size_t sheet_len, const char *sst,
		       size_t sst_len)
{
	sb__xlsx *x = NULL;
	int error = 0;

	*out = NULL;
	if (!(x = sb__calloc(1, sizeof(*x))) || !(x->name = sb__strdup(name))) {
		error = SB_ENOMEM;
		goto done;
	}
	sb__buf_putc(&x->text, '\0');
	if ((sst && (error = sax_part(x, "xl/sharedStrings.xml", sst, sst_len, 1)) < 0) ||
	    (error = sax_part(x, "xl/worksheets/sheet1.xml", sheet, sheet_len, 0)) < 0)
		goto done;
	*out = x;
	x = NULL;
done:
	sb__xlsx_free(x);
	return error;
}

void sb__xlsx_free(sb__xlsx *x)
{
	if (!x)
		return;
	free(x->name);
	sb__buf_free(&x->text);
	sb__buf_free(&x->sst_text);
	free(x->cells);
	free(x->rows);
	free(x->sst);
	free(x);
}

size_t sb__xlsx_nrows(const sb__xlsx *x)
{
	return x->nrows;
}

long sb__xlsx_rownum(const sb__xlsx *x, size_t i)
{
	return x->rows[i].rownum;
}

int sb__xlsx_ncols(const sb__xlsx *x, size_t i)
{
	return x->rows[i].ncols;
}

sb__xlsx_cell sb__xlsx_get(const sb__xlsx *x, size_t i, int col)
{
	sb__xlsx_cell out = { SB_XLSX_EMPTY, "" };
	const row *rw = &x->rows[i];
	if (col >= 0 && col < rw->ncols) {
		const cell *c = &x->cells[rw->first + (size_t)col];
		out.type = c->type;
		out.text = x->text.ptr + c->off;
	}
	return out;
}

int sb__xlsx_date1904(const sb__xlsx *x)
{
	return x->date1904;
}

int sb__xlsx_serial_date(char out[11], const char *number, int date1904)
{
	char *end;
	double v;
	int64_t n, days;
	int y, m, d;

	/* A serial is a day count, not money: a double is exact for every serial up to
	 * 9999-12-31 and its fraction (the time of day) is dropped. */
	v = strtod(number, &end);
	if (end == number || *end || !isfinite(v) || v < 0 || v >= 2958466.0)
		return -1;
	n = (int64_t)floor(v);
	if (date1904) {
		days = sb__days_from_civil(1904, 1, 1) + n;
	} else {
		/* The 1900 system counts 1900-01-01 as day 1 and, like Lotus 1-2-3 before it,
		 * believes 1900 was a leap year: day 60 is a 1900-02-29 that never was, and every
		 * later serial is one more than the true day count from 1899-12-31. */
		if (n < 1 || n == 60)
			return -1;
		days = sb__days_from_civil(1899, 12, 31) + n - (n > 60 ? 1 : 0);
	}
	sb__civil_from_days(days, &y, &m, &d);
	if (y > 9999)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}
