/*
 * CSV reading for every import. The file is read whole and decoded to UTF-8 once: a UTF-8
 * BOM is dropped, a GB18030 BOM or bytes that are not UTF-8 select GB18030, and bytes that
 * are neither are refused with the line they stand on. Records follow RFC 4180 (quoted
 * fields may hold commas, doubled quotes and line breaks); CRLF and LF both end a line;
 * wholly empty lines are skipped. Lines are counted physically so that a message points at
 * the line a user sees in an editor. This file knows nothing of what the columns mean.
 */
#include "config.h"
#include "common_internal.h"
#include "csv_internal.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct sb__csv {
	char *name;
	char *text; /* decoded UTF-8, NUL-terminated */
	size_t len;
	size_t pos;
	long line;        /* physical line of the next unread byte */
	long record_line; /* line where the current record started */
	const char *encoding;
	char digest[65];
	/* current record: fields point into `store` */
	char *store;
	size_t store_cap;
	size_t *offsets;
	int nfields;
	int cap_fields;
	int header_fields; /* number of header columns, 0 before the header */
	char **header_names;
};

static int valid_utf8_prefix(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			*bad = i;
			return 0;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
				*bad = i;
				return 0;
			}
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
			*bad = i;
			return 0;
		}
		i += n + 1;
	}
	return 1;
}

static long line_of(const char *s, size_t upto)
{
	long line = 1;
	size_t i;
	for (i = 0; i < upto; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

static int decode_gb18030(sb__csv *c, const char *raw, size_t len, size_t utf8_bad)
{
	iconv_t cd;
	char *in = (char *)raw, *out, *outbuf = NULL;
	size_t inleft = len, outleft, cap = len * 2 + 16;
	int error = 0;

	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return sb_error_set(SB_ERROR, "%s: GB18030 decoding is not available", c->name);
	if (!(outbuf = sb__malloc(cap + 1))) {
		error = SB_ENOMEM;
		goto done;
	}
	out = outbuf;
	outleft = cap;
	if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		if (errno == E2BIG) {
			error = sb_error_set(SB_ERROR, "%s: decoding buffer too small", c->name);
		} else {
			/* Neither encoding fits: point at whichever reading got further, since that
			 * is the encoding the file was meant to be in. */
			size_t at = (size_t)(in - raw);
			if (utf8_bad > at)
				at = utf8_bad;
			error = sb_error_set(SB_EINVALID,
					     "%s:%ld: encoding: invalid byte sequence (neither UTF-8 nor GB18030)",
					     c->name, line_of(raw, at));
		}
		goto done;
	}
	*out = '\0';
	c->text = outbuf;
	c->len = (size_t)(out - outbuf);
	outbuf = NULL;
	c->encoding = "GB18030";
done:
	free(outbuf);
	iconv_close(cd);
	return error;
}

static int csv_init(sb__csv *c, const char *raw, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t bad = 0, i;
	static const char hex[] = "0123456789abcdef";

	if (!EVP_Digest(raw, len, md, &mdlen, EVP_sha256(), NULL))
		return sb_error_set(SB_ECRYPTO, "%s: cannot hash the file", c->name);
	for (i = 0; i < 32; i++) {
		c->digest[2 * i] = hex[md[i] >> 4];
		c->digest[2 * i + 1] = hex[md[i] & 15];
	}
	c->digest[64] = '\0';

	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		raw += 3;
		len -= 3;
		if (!valid_utf8_prefix((const unsigned char *)raw, len, &bad))
			return sb_error_set(SB_EINVALID, "%s:%ld: encoding: invalid UTF-8 after a UTF-8 BOM",
					    c->name, line_of(raw, bad));
	} else if (len >= 4 && memcmp(raw, "\x84\x31\x95\x33", 4) == 0) {
		return decode_gb18030(c, raw + 4, len - 4, 0);
	} else if (!valid_utf8_prefix((const unsigned char *)raw, len, &bad)) {
		/* A file whose text so far was plainly UTF-8 (several multi-byte characters, or one
		 * and then a character cut short at the end) is a damaged UTF-8 file, not GB18030:
		 * GB18030 text almost never forms valid UTF-8 sequences by chance. */
		size_t k, multi = 0;
		int cut = 0;
		for (k = 0; k < bad; k++)
			if (((unsigned char)raw[k] & 0xC0) == 0xC0)
				multi++;
		{
			unsigned char lead = (unsigned char)raw[bad];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
			if (need && len - bad < need) {
				cut = 1;
				for (k = bad + 1; k < len; k++)
					if (((unsigned char)raw[k] & 0xC0) != 0x80)
						cut = 0;
			}
		}
		if (multi >= 8 || (cut && multi >= 1))
			return sb_error_set(SB_EINVALID, "%s:%ld: encoding: invalid UTF-8%s", c->name, line_of(raw, bad),
					    cut ? " (the last character is cut short)" : "");
		return decode_gb18030(c, raw, len, bad);
	}
	if (!(c->text = sb__strndup(raw, len)))
		return SB_ENOMEM;
	c->len = len;
	c->encoding = "UTF-8";
	return 0;
}

static int csv_new(sb__csv **out, const char *name, const char *raw, size_t len)
{
	sb__csv *c;
	int error;

	*out = NULL;
	if (!(c = sb__calloc(1, sizeof(*c))))
		return SB_ENOMEM;
	c->line = 1;
	if (!(c->name = sb__strdup(name))) {
		free(c);
		return SB_ENOMEM;
	}
	if ((error = csv_init(c, raw, len)) < 0) {
		sb__csv_free(c);
		return error;
	}
	if (memchr(c->text, '\0', c->len)) {
		error = sb_error_set(SB_EINVALID, "%s:%ld: encoding: NUL byte in a text file", c->name,
				     line_of(c->text, (size_t)((char *)memchr(c->text, '\0', c->len) - c->text)));
		sb__csv_free(c);
		return error;
	}
	*out = c;
	return 0;
}

int sb__csv_open(sb__csv **out, const char *path)
{
	char *raw = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	if ((error = sb__read_file(&raw, &len, path)) < 0)
		return error;
	error = csv_new(out, path, raw, len);
	free(raw);
	return error;
}

int sb__csv_open_mem(sb__csv **out, const char *name, const char *data, size_t len)
{
	return csv_new(out, name, data, len);
}

void sb__csv_free(sb__csv *c)
{
	int i;
	if (!c)
		return;
	if (c->header_names) {
		for (i = 0; i < c->header_fields; i++)
			free(c->header_names[i]);
		free(c->header_names);
	}
	free(c->name);
	free(c->text);
	free(c->store);
	free(c->offsets);
	free(c);
}

static int store_byte(sb__csv *c, size_t *used, char ch)
{
	if (*used + 1 >= c->store_cap) {
		size_t cap = c->store_cap ? c->store_cap * 2 : 256;
		char *p;
		if (*used + 1 >= SB_CSV_MAX_RECORD)
			return sb_error_set(SB_EINVALID, "%s:%ld: record: longer than %u bytes", c->name,
					    c->record_line, SB_CSV_MAX_RECORD);
		if (!(p = sb__realloc(c->store, cap)))
			return SB_ENOMEM;
		c->store = p;
		c->store_cap = cap;
	}
	c->store[(*used)++] = ch;
	return 0;
}

static int start_field(sb__csv *c, size_t used)
{
	if (c->nfields == c->cap_fields) {
		int cap = c->cap_fields ? c->cap_fields * 2 : 16;
		size_t *p;
		if (cap > 4096)
			return sb_error_set(SB_EINVALID, "%s:%ld: record: more than 4096 fields", c->name,
					    c->record_line);
		if (!(p = sb__realloc(c->offsets, (size_t)cap * sizeof(*p))))
			return SB_ENOMEM;
		c->offsets = p;
		c->cap_fields = cap;
	}
	c->offsets[c->nfields++] = used;
	return 0;
}

/* Parse one record into store/offsets. Returns 1, 0 at the end, or an error. */
static int parse_record(sb__csv *c)
{
	size_t used = 0;
	int error;
	const char *t = c->text;

	/* Skip wholly empty lines (a trailing newline, blank separators). */
	for (;;) {
		if (c->pos >= c->len)
			return 0;
		if (t[c->pos] == '\n') {
			c->pos++;
			c->line++;
		} else if (t[c->pos] == '\r' && c->pos + 1 < c->len && t[c->pos + 1] == '\n') {
			c->pos += 2;
			c->line++;
		} else {
			break;
		}
	}
	c->record_line = c->line;
	c->nfields = 0;
	if ((error = start_field(c, 0)) < 0)
		return error;
	for (;;) {
		char ch;
		if (c->pos >= c->len)
			break;
		ch = t[c->pos];
		if (ch == '"' && used == c->offsets[c->nfields - 1]) {
			/* quoted field */
			c->pos++;
			for (;;) {
				if (c->pos >= c->len)
					return sb_error_set(SB_EINVALID, "%s:%ld: record: quoted field not closed",
							    c->name, c->record_line);
				ch = t[c->pos++];
				if (ch == '"') {
					if (c->pos < c->len && t[c->pos] == '"') {
						c->pos++;
						if ((error = store_byte(c, &used, '"')) < 0)
							return error;
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->line++;
				if (ch == '\r' && c->pos < c->len && t[c->pos] == '\n')
					continue; /* CRLF inside a field is kept as LF */
				if ((error = store_byte(c, &used, ch)) < 0)
					return error;
			}
			if (c->pos < c->len && t[c->pos] != ',' && t[c->pos] != '\n' &&
			    !(t[c->pos] == '\r' && c->pos + 1 < c->len && t[c->pos + 1] == '\n') &&
			    !(t[c->pos] == '\r' && c->pos + 1 == c->len))
				return sb_error_set(SB_EINVALID,
						    "%s:%ld: record: text after a closing quote in field %d",
						    c->name, c->record_line, c->nfields);
			continue;
		}
		if (ch == ',') {
			c->pos++;
			if ((error = store_byte(c, &used, '\0')) < 0 || (error = start_field(c, used)) < 0)
				return error;
			continue;
		}
		if (ch == '\n') {
			c->pos++;
			c->line++;
			break;
		}
		if (ch == '\r' && (c->pos + 1 == c->len || t[c->pos + 1] == '\n')) {
			c->pos += (c->pos + 1 == c->len) ? 1 : 2;
			c->line++;
			break;
		}
		if (ch == '"')
			return sb_error_set(SB_EINVALID, "%s:%ld: record: stray quote inside field %d",
					    c->name, c->record_line, c->nfields);
		c->pos++;
		if ((error = store_byte(c, &used, ch)) < 0)
			return error;
	}
	if ((error = store_byte(c, &used, '\0')) < 0)
		return error;
	return 1;
}

int sb__csv_header(sb__csv *c, const sb__csv_col *cols, int n, int *map)
{
	int i, j, r;

	r = parse_record(c);
	if (r < 0)
		return r;
	if (r == 0)
		return sb_error_set(SB_EINVALID, "%s:1: header: the file is empty", c->name);
	if (c->record_line != 1)
		return sb_error_set(SB_EINVALID, "%s:1: header: the first line is empty", c->name);
	for (i = 0; i < n; i++)
		map[i] = -1;
	if (!(c->header_names = sb__calloc((size_t)c->nfields, sizeof(char *))))
		return SB_ENOMEM;
	c->header_fields = c->nfields;
	for (j = 0; j < c->nfields; j++) {
		const char *name = c->store + c->offsets[j];
		int found = 0;
		if (!(c->header_names[j] = sb__strdup(name)))
			return SB_ENOMEM;
		for (i = 0; i < n; i++) {
			if (strcmp(cols[i].name, name) == 0) {
				if (map[i] >= 0)
					return sb_error_set(SB_EINVALID, "%s:1: %s: column appears twice",
							    c->name, name);
				map[i] = j;
				found = 1;
				break;
			}
		}
		if (!found)
			return sb_error_set(SB_EINVALID, "%s:1: %s: unknown column", c->name,
					    name[0] ? name : "(empty)");
	}
	for (i = 0; i < n; i++)
		if (map[i] < 0 && cols[i].required)
			return sb_error_set(SB_EINVALID, "%s:1: %s: required column missing", c->name,
					    cols[i].name);
	return 0;
}

int sb__csv_next(sb__csv *c)
{
	int r = parse_record(c);
	if (r <= 0)
		return r;
	if (c->header_fields && c->nfields != c->header_fields)
		return sb_error_set(SB_EINVALID, "%s:%ld: record: %d field%s, the header has %d", c->name,
				    c->record_line, c->nfields, c->nfields == 1 ? "" : "s",
				    c->header_fields);
	return 1;
}

const char *sb__csv_field(const sb__csv *c, int index)
{
	if (index < 0 || index >= c->nfields)
		return "";
	return c->store + c->offsets[index];
}

int sb__csv_nfields(const sb__csv *c)
{
	return c->nfields;
}

long sb__csv_line(const sb__csv *c)
{
	return c->record_line;
}

const char *sb__csv_name(const sb__csv *c)
{
	return c->name;
}

const char *sb__csv_digest(const sb__csv *c)
{
	return c->digest;
}

size_t sb__csv_offset(const sb__csv *c)
{
	return c->pos;
}

size_t sb__csv_size(const sb__csv *c)
{
	return c->len;
}

const char *sb__csv_encoding(const sb__csv *c)
{
	return c->encoding;
}

int sb__csv_error(const sb__csv *c, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sb_error_set(SB_EINVALID, "%s:%ld: %s: %s", c->name, c->record_line, field, msg);
}
