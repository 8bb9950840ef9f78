/*
 * The PDF area (include/shuangbai/pdf.h): documents drawn with libharu 2.3.0 and the
 * project's prepared CJK fonts (data/fonts/prepare-font.py, doc/internals/pdf.md). This file
 * owns everything that touches libharu: the font files and their character tables, the
 * small per-batch fonts written from them (font sets), UTF-8 decoding and the refusal of
 * characters that cannot be drawn, measuring, Chinese line breaking, flowed paragraphs and
 * tables, shapes, the seal, saving (with the font streams deflated here, what repeats
 * across a batch once). It is not for what any
 * document says; the notice, contract and payslip code decide that.
 *
 * libharu is used only where it is sound: it receives nothing but text this file has
 * checked (BMP characters the fonts map), and its own measuring (HPDF_Page_MeasureText,
 * which cuts UTF-8 in the middle of a character) is never used; widths come from the fonts'
 * hmtx tables, rounded exactly as libharu writes them into /W.
 */
#include "config.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <math.h>
#include <zlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common_internal.h"
#include "shuangbai/pdf.h"

#ifndef SB_FONTDIR
#define SB_FONTDIR "/usr/local/share/shuangbai/fonts"
#endif
#ifndef SB_BUILDFONTDIR
#define SB_BUILDFONTDIR SB_FONTDIR
#endif

#define MAX_FONTS 32
#define NO_FONT 0xFF
/* The font index of a document's font set (sb_pdf_fontset), after the prepared fonts. */
#define SET_FONT MAX_FONTS
#define SEAL_MAX_CHARS 40

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- the fonts' character tables (process-wide, loaded once) -------------------------- */

typedef struct {
	int nfonts;
	char *paths[MAX_FONTS];
	int ascent, descent;          /* font 00's hhea, 1/1000 em */
	uint8_t font_of[65536];       /* which font draws the character, NO_FONT: none */
	uint16_t width[65536];        /* advance in 1/1000 em, as libharu computes it */
} glyph_table;

static glyph_table *glyphs;

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Find a table of a TrueType file: 0 with its offset and length set, or -1. */
static int tt_table(size_t *out_off, size_t *out_len, const unsigned char *f, size_t len,
                    const char *tag)
{
	size_t n, i;

	if (len < 12)
		return -1;
	n = be16(f + 4);
	if (12 + 16 * n > len)
		return -1;
	for (i = 0; i < n; i++) {
		const unsigned char *e = f + 12 + 16 * i;
		size_t off = be32(e + 8), tlen = be32(e + 12);
		if (memcmp(e, tag, 4) == 0) {
			if (off > len || tlen > len - off)
				return -1;
			*out_off = off;
			*out_len = tlen;
			return 0;
		}
	}
	return -1;
}

/* Record the characters font `idx` maps (cmap format 4) with their widths. */
static int tt_load(glyph_table *t, int idx, const unsigned char *f, size_t len, const char *path)
{
	size_t head, headl, hhea, hheal, hmtx, hmtxl, cmap, cmapl, sub = 0, i;
	unsigned upem, nmetrics, nsub, segs;

	if (tt_table(&head, &headl, f, len, "head") < 0 || headl < 54 ||
	    tt_table(&hhea, &hheal, f, len, "hhea") < 0 || hheal < 36 ||
	    tt_table(&hmtx, &hmtxl, f, len, "hmtx") < 0 ||
	    tt_table(&cmap, &cmapl, f, len, "cmap") < 0 || cmapl < 4)
		goto bad;
	upem = be16(f + head + 18);
	nmetrics = be16(f + hhea + 34);
	if (upem == 0 || nmetrics == 0 || (size_t)nmetrics * 4 > hmtxl)
		goto bad;
	if (idx == 0) {
		t->ascent = (int16_t)be16(f + hhea + 4) * 1000 / (int)upem;
		t->descent = (int16_t)be16(f + hhea + 6) * 1000 / (int)upem;
	}
	nsub = be16(f + cmap + 2);
	for (i = 0; i < nsub && 4 + 8 * (i + 1) <= cmapl; i++) {
		const unsigned char *e = f + cmap + 4 + 8 * i;
		size_t off = be32(e + 4);
		if (((be16(e) == 3 && be16(e + 2) == 1) || be16(e) == 0) && off + 14 <= cmapl &&
		    be16(f + cmap + off) == 4) {
			sub = cmap + off;
			break;
		}
	}
	if (!sub)
		goto bad;
	segs = be16(f + sub + 6) / 2;
	if (sub + 16 + (size_t)segs * 8 > cmap + cmapl)
		goto bad;
	for (i = 0; i < segs; i++) {
		const unsigned char *endp = f + sub + 14, *startp = endp + 2 * segs + 2;
		const unsigned char *deltap = startp + 2 * segs, *rangep = deltap + 2 * segs;
		unsigned end = be16(endp + 2 * i), start = be16(startp + 2 * i);
		unsigned delta = be16(deltap + 2 * i), range = be16(rangep + 2 * i), c;
		for (c = start; c <= end && c != 0xFFFF; c++) {
			unsigned gid, adv;
			if (range == 0) {
				gid = (c + delta) & 0xFFFF;
			} else {
				size_t at = (size_t)(rangep + 2 * i - f) + range + 2 * (c - start);
				if (at + 2 > cmap + cmapl)
					goto bad;
				gid = be16(f + at);
				if (gid)
					gid = (gid + delta) & 0xFFFF;
			}
			if (gid == 0 || t->font_of[c] != NO_FONT)
				continue;
			adv = be16(f + hmtx + 4 * (gid < nmetrics ? gid : nmetrics - 1));
			t->font_of[c] = (uint8_t)idx;
			/* libharu: (HPDF_UINT32)advance_width * 1000 / units_per_em, truncated */
			t->width[c] = (uint16_t)(adv * 1000u / upem);
		}
	}
	return 0;
bad:
	return sb_error_set(SB_EIO, "%s: not a TrueType font the PDF area can use", path);
}

static int font_dir_has(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/shuangbai-00.ttf", dir);
	return access(path, R_OK) == 0;
}

/* Load the character tables once per process. SHUANGBAI_FONTDIR overrides where the
 * prepared fonts are; otherwise the build tree's, then the installed ones. */
static int glyphs_load(const glyph_table **out)
{
	glyph_table *t = NULL, *expected = NULL;
	const char *dir = getenv("SHUANGBAI_FONTDIR");
	unsigned char *data = NULL;
	size_t len;
	int error = 0, i;

	if ((t = __atomic_load_n(&glyphs, __ATOMIC_ACQUIRE)) != NULL) {
		*out = t;
		return 0;
	}
	if (!dir || !*dir)
		dir = font_dir_has(SB_BUILDFONTDIR) ? SB_BUILDFONTDIR : SB_FONTDIR;
	if (!font_dir_has(dir)) {
		error = sb_error_set(SB_EIO, "%s/shuangbai-00.ttf: the prepared CJK font is missing "
		                     "(built by make from data/fonts/prepare-font.py)", dir);
		goto done;
	}
	if (!(t = sb__calloc(1, sizeof(*t)))) {
		error = SB_ENOMEM;
		goto done;
	}
	memset(t->font_of, NO_FONT, sizeof(t->font_of));
	for (i = 0; i < MAX_FONTS; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/shuangbai-%02d.ttf", dir, i);
		if (i > 0 && access(path, R_OK) != 0)
			break;
		if ((error = sb__read_file((char **)&data, &len, path)) < 0)
			goto done;
		if ((error = tt_load(t, i, data, len, path)) < 0)
			goto done;
		free(data);
		data = NULL;
		if (!(t->paths[i] = sb__strdup(path))) {
			error = SB_ENOMEM;
			goto done;
		}
		t->nfonts = i + 1;
	}
	if (!__atomic_compare_exchange_n(&glyphs, &expected, t, 0, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE)) {
		/* another thread won the race: use its table */
		for (i = 0; i < t->nfonts; i++)
			free(t->paths[i]);
		free(t);
		t = expected;
	}
	*out = t;
	t = NULL;
done:
	free(data);
	if (t) {
		for (i = 0; i < t->nfonts; i++)
			free(t->paths[i]);
		free(t);
	}
	return error;
}

/* ---- UTF-8 and the refusal of what cannot be drawn ----------------------------------- */

/* Decode one character; its length, or 0 when malformed (overlong, surrogate, > U+10FFFF). */
static size_t utf8_next(uint32_t *out, const unsigned char *s)
{
	uint32_t c = s[0];
	size_t n, i;

	if (c < 0x80) {
		*out = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*out = c;
	return n;
}

typedef struct {
	uint32_t cp;
	size_t off;  /* byte offset in the string */
	size_t len;  /* bytes */
	int w;       /* advance in 1/1000 em */
	int font;    /* index, or -1 for "\n" and "\t" (not drawn) */
} uchar;

struct sb_pdf_fontset {
	uint8_t want[65536 / 8];   /* characters collected, a bit each */
	uint8_t has[65536 / 8];    /* characters the written font draws */
	uint8_t doc[65536 / 8];    /* characters of the document being collected */
	uint8_t common[65536 / 8]; /* characters every document collected so far has */
	size_t ndocs, nfolded;     /* documents begun (sb_pdf_fontset_next), folded into common */
	unsigned common_end;       /* glyphs 1 .. common_end - 1 are the common characters' */
	int state;                 /* FS_COLLECTING, FS_BUILT or FS_UNUSABLE */
	char *dir;                 /* private directory of the font file, or NULL */
	char *path;                /* the font file once built */
	unsigned char *font;       /* its bytes, which documents load from memory */
	size_t font_len;
	/* font-stream pieces deflated once for the documents of the set (see pack_stream);
	 * documents in several threads may share a built set, hence the lock */
	pthread_mutex_t lock;
	struct packed_piece *pieces;
	size_t npieces;
	unsigned char *map;        /* the CIDToGIDMap libharu writes for the set's font (set_map_take) */
	size_t map_len;
};

enum { FS_COLLECTING = 0, FS_BUILT = 1, FS_UNUSABLE = 2 };

static void pieces_free(struct packed_piece *pieces, size_t n);

static int bit_get(const uint8_t *bits, uint32_t cp) { return bits[cp >> 3] >> (cp & 7) & 1; }
static void bit_set(uint8_t *bits, uint32_t cp) { bits[cp >> 3] |= (uint8_t)(1u << (cp & 7)); }

/* Decode and check a whole string. *out (caller frees) gets its characters; those in the
 * built font set `fs` (may be NULL) are drawn with its font. */
static int decode(uchar **out, size_t *out_n, const glyph_table *t, const sb_pdf_fontset *fs,
                  const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0, cap = 0, off = 0, len;
	uchar *v = NULL, *nv;
	uint32_t cp;

	*out = NULL;
	*out_n = 0;
	while (s[off]) {
		if (!(len = utf8_next(&cp, s + off))) {
			free(v);
			return sb_error_set(SB_EINVALID, "malformed UTF-8 at byte %zu", off + 1);
		}
		if (cp != '\n' && cp != '\t') {
			const char *why = NULL;
			if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
				why = "a control character";
			else if (cp > 0xFFFF)
				why = "outside the Basic Multilingual Plane, which the PDF library cannot embed";
			else if (t->font_of[cp] == NO_FONT)
				why = "the embedded font has no glyph for it";
			if (why) {
				free(v);
				if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
					return sb_error_set(SB_EINVALID, "character U+%04X cannot be drawn: %s",
					                    (unsigned)cp, why);
				return sb_error_set(SB_EINVALID, "character U+%04X '%.*s' cannot be drawn: %s",
				                    (unsigned)cp, (int)len, (const char *)s + off, why);
			}
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = sb__realloc(v, cap * sizeof(*v)))) {
				free(v);
				return SB_ENOMEM;
			}
			v = nv;
		}
		v[n].cp = cp;
		v[n].off = off;
		v[n].len = len;
		if (cp == '\n' || cp == '\t') {
			v[n].w = 0;
			v[n].font = -1;
		} else {
			v[n].w = t->width[cp];
			v[n].font = fs && bit_get(fs->has, cp) ? SET_FONT : t->font_of[cp];
		}
		n++;
		off += len;
	}
	*out = v;
	*out_n = n;
	return 0;
}

int sb_pdf_check_text(const char *text)
{
	const glyph_table *t;
	uchar *v = NULL;
	size_t n;
	int error;

	if ((error = glyphs_load(&t)) < 0)
		return error;
	error = decode(&v, &n, t, NULL, text ? text : "");
	free(v);
	return error;
}

/* ---- font sets: one small font for a batch --------------------------------------------- */

/*
 * Why: libharu 2.3.0 copies the whole cmap, hmtx and loca of every font it embeds into each
 * document and reads the font file again for each document; with the 7,400 glyphs of font
 * 00 that is most of a contract's cost. A batch draws a few hundred distinct characters, so
 * the set writes them once into a font of their own, built from the prepared fonts' glyphs
 * byte for byte. This is exact only because those fonts have no composite glyphs (which
 * would refer to glyphs left out) and share one unitsPerEm (so advances stay the same
 * numbers); both are checked, and a set whose fonts break either is simply not used.
 */

/* libharu reads glyph ids as signed 16-bit numbers in places. */
#define SET_MAX_GLYPHS 32767
#define SET_NAME "ShuangbaiSansSet"

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}
static void buf16(sb_buf *b, unsigned v)
{
	unsigned char p[2];
	put16(p, v);
	sb__buf_put(b, p, 2);
}
static void buf32(sb_buf *b, uint32_t v)
{
	unsigned char p[4];
	put32(p, v);
	sb__buf_put(b, p, 4);
}

/* One prepared font, read for building a set. */
typedef struct {
	unsigned char *f;
	size_t len;
	size_t head, hhea, hheal, maxp, maxpl, hmtx, hmtxl, loca, local, glyf, glyfl, cmap, cmapl, sub;
	size_t os2, os2l, post, postl;
	unsigned upem, nglyphs, nmetrics, longloca;
} tt_src;

/* Parse what building a set needs; -1 when the font is not as the preparation writes it. */
static int src_parse(tt_src *s)
{
	size_t headl, i, nsub;

	if (tt_table(&s->head, &headl, s->f, s->len, "head") < 0 || headl < 54 ||
	    tt_table(&s->hhea, &s->hheal, s->f, s->len, "hhea") < 0 || s->hheal < 36 ||
	    tt_table(&s->maxp, &s->maxpl, s->f, s->len, "maxp") < 0 || s->maxpl < 32 ||
	    tt_table(&s->hmtx, &s->hmtxl, s->f, s->len, "hmtx") < 0 ||
	    tt_table(&s->loca, &s->local, s->f, s->len, "loca") < 0 ||
	    tt_table(&s->glyf, &s->glyfl, s->f, s->len, "glyf") < 0 ||
	    tt_table(&s->cmap, &s->cmapl, s->f, s->len, "cmap") < 0 || s->cmapl < 4)
		return -1;
	s->upem = be16(s->f + s->head + 18);
	s->longloca = be16(s->f + s->head + 50) != 0;
	s->nglyphs = be16(s->f + s->maxp + 4);
	s->nmetrics = be16(s->f + s->hhea + 34);
	if (s->upem == 0 || s->nmetrics == 0 || s->nmetrics > s->nglyphs ||
	    (size_t)s->nmetrics * 4 + ((size_t)s->nglyphs - s->nmetrics) * 2 > s->hmtxl ||
	    ((size_t)s->nglyphs + 1) * (s->longloca ? 4 : 2) > s->local)
		return -1;
	nsub = be16(s->f + s->cmap + 2);
	s->sub = 0;
	for (i = 0; i < nsub && 4 + 8 * (i + 1) <= s->cmapl; i++) {
		const unsigned char *e = s->f + s->cmap + 4 + 8 * i;
		size_t off = be32(e + 4);
		if (((be16(e) == 3 && be16(e + 2) == 1) || be16(e) == 0) && off + 14 <= s->cmapl &&
		    be16(s->f + s->cmap + off) == 4) {
			s->sub = s->cmap + off;
			break;
		}
	}
	if (!s->sub || s->sub + 16 + (size_t)be16(s->f + s->sub + 6) * 4 > s->cmap + s->cmapl)
		return -1;
	if (tt_table(&s->os2, &s->os2l, s->f, s->len, "OS/2") < 0 || s->os2l < 68)
		s->os2 = s->os2l = 0;
	if (tt_table(&s->post, &s->postl, s->f, s->len, "post") < 0 || s->postl < 32)
		s->post = s->postl = 0;
	return 0;
}

/* The glyph a character maps to in a source font (cmap format 4), 0 if none. */
static unsigned src_gid(const tt_src *s, unsigned c)
{
	const unsigned char *f = s->f;
	unsigned segs = be16(f + s->sub + 6) / 2, i;
	const unsigned char *endp = f + s->sub + 14, *startp = endp + 2 * segs + 2;
	const unsigned char *deltap = startp + 2 * segs, *rangep = deltap + 2 * segs;

	for (i = 0; i < segs; i++) {
		unsigned end = be16(endp + 2 * i), start = be16(startp + 2 * i), range, gid;
		size_t at;
		if (c > end)
			continue;
		if (c < start)
			return 0;
		range = be16(rangep + 2 * i);
		if (range == 0)
			return (c + be16(deltap + 2 * i)) & 0xFFFF;
		at = (size_t)(rangep + 2 * i - f) + range + 2 * (c - start);
		if (at + 2 > s->cmap + s->cmapl)
			return 0;
		gid = be16(f + at);
		return gid ? (gid + be16(deltap + 2 * i)) & 0xFFFF : 0;
	}
	return 0;
}

/* A glyph's bytes in a source font: 0, or -1 when out of range. */
static int src_glyph(const unsigned char **out, size_t *out_len, const tt_src *s, unsigned gid)
{
	size_t a, b;

	if (gid >= s->nglyphs)
		return -1;
	if (s->longloca) {
		a = be32(s->f + s->loca + 4 * (size_t)gid);
		b = be32(s->f + s->loca + 4 * (size_t)gid + 4);
	} else {
		a = 2 * (size_t)be16(s->f + s->loca + 2 * (size_t)gid);
		b = 2 * (size_t)be16(s->f + s->loca + 2 * (size_t)gid + 2);
	}
	if (a > b || b > s->glyfl)
		return -1;
	*out = s->f + s->glyf + a;
	*out_len = b - a;
	return 0;
}

static void src_metric(unsigned *adv, int *lsb, const tt_src *s, unsigned gid)
{
	const unsigned char *h = s->f + s->hmtx;
	if (gid < s->nmetrics) {
		*adv = be16(h + 4 * (size_t)gid);
		*lsb = (int16_t)be16(h + 4 * (size_t)gid + 2);
	} else {
		*adv = be16(h + 4 * ((size_t)s->nmetrics - 1));
		*lsb = (int16_t)be16(h + 4 * (size_t)s->nmetrics + 2 * ((size_t)gid - s->nmetrics));
	}
}

/* What the set's font is assembled from. */
typedef struct {
	sb_buf glyf, hmtx;
	uint32_t *loca;          /* nglyphs + 1 offsets into glyf */
	uint16_t *gid_of;        /* character -> glyph in the set's font, 0: none */
	unsigned nglyphs;
	int have_box;            /* a glyph with an outline was added: the extremes are set */
	int xmin, ymin, xmax, ymax, min_lsb, min_rsb, max_extent;
	unsigned max_adv, max_points, max_contours, max_instr;
	uint32_t first, last;    /* smallest and largest character */
} set_build;

/* Add one glyph copied from a source font; -1: a composite or malformed glyph. */
static int set_glyph(set_build *b, const tt_src *s, unsigned gid)
{
	const unsigned char *g;
	size_t len;
	unsigned adv;
	int lsb;

	if (src_glyph(&g, &len, s, gid) < 0)
		return -1;
	src_metric(&adv, &lsb, s, gid);
	if (len > 0) {
		int nc, x0, y0, x1, y1;
		unsigned points, instr;
		if (len < 12)
			return -1;
		nc = (int16_t)be16(g);
		if (nc < 0) /* composite: its parts would not be in the set */
			return -1;
		if ((size_t)10 + 2 * (size_t)nc + 2 > len)
			return -1;
		x0 = (int16_t)be16(g + 2);
		y0 = (int16_t)be16(g + 4);
		x1 = (int16_t)be16(g + 6);
		y1 = (int16_t)be16(g + 8);
		points = nc ? be16(g + 10 + 2 * ((size_t)nc - 1)) + 1u : 0;
		instr = be16(g + 10 + 2 * (size_t)nc);
		if (!b->have_box) {
			b->have_box = 1;
			b->xmin = x0;
			b->ymin = y0;
			b->xmax = x1;
			b->ymax = y1;
			b->min_lsb = lsb;
			b->min_rsb = (int)adv - lsb - (x1 - x0);
			b->max_extent = lsb + (x1 - x0);
		}
		if (x0 < b->xmin) b->xmin = x0;
		if (y0 < b->ymin) b->ymin = y0;
		if (x1 > b->xmax) b->xmax = x1;
		if (y1 > b->ymax) b->ymax = y1;
		if (lsb < b->min_lsb) b->min_lsb = lsb;
		if ((int)adv - lsb - (x1 - x0) < b->min_rsb) b->min_rsb = (int)adv - lsb - (x1 - x0);
		if (lsb + (x1 - x0) > b->max_extent) b->max_extent = lsb + (x1 - x0);
		if (points > b->max_points) b->max_points = points;
		if ((unsigned)nc > b->max_contours) b->max_contours = (unsigned)nc;
		if (instr > b->max_instr) b->max_instr = instr;
	}
	if (adv > b->max_adv)
		b->max_adv = adv;
	b->loca[b->nglyphs] = (uint32_t)b->glyf.len;
	sb__buf_put(&b->glyf, g, len);
	/* long loca needs no padding; aligned glyphs are customary */
	sb__buf_put(&b->glyf, "\0\0\0", (4 - b->glyf.len % 4) % 4);
	buf16(&b->hmtx, adv);
	buf16(&b->hmtx, (unsigned)lsb & 0xFFFF);
	b->nglyphs++;
	b->loca[b->nglyphs] = (uint32_t)b->glyf.len;
	return 0;
}

/*
 * A cmap with one format 4 subtable of few segments: libharu scans the segments one by one
 * for each of the 65,536 BMP code points when a document first uses the font, so segments
 * span gaps of unmapped characters (glyph 0 through the glyph index array), as the prepared
 * fonts' do. The widest gap that keeps the subtable under format 4's 64 KB is taken.
 * -1 when even runs of adjacent characters do not fit.
 */
static int set_cmap(sb_buf *out, const set_build *b)
{
	uint32_t gap;

	for (gap = 512;; gap /= 2) {
		uint32_t start[4096], end[4096], c, prev = 0;
		size_t nseg = 0, arr = 0, i, bytes;
		int overflow = 0;
		for (c = 0; c < 0xFFFF; c++) {
			if (!b->gid_of[c])
				continue;
			if (nseg && c - prev <= gap + 1) {
				end[nseg - 1] = c;
			} else if (nseg == 4095) {
				overflow = 1;
				break;
			} else {
				start[nseg] = end[nseg] = c;
				nseg++;
			}
			prev = c;
		}
		start[nseg] = end[nseg] = 0xFFFF;
		nseg++;
		for (i = 0; i + 1 < nseg; i++)
			arr += end[i] - start[i] + 1;
		bytes = 16 + 8 * nseg + 2 * arr;
		if (overflow || bytes > 0xFFFF) {
			if (gap == 0)
				return -1;
			continue;
		}
		{
			size_t search = 1, sel = 0, at = 0;
			while (search * 2 <= nseg) {
				search *= 2;
				sel++;
			}
			/* cmap header: version 0, one subtable, Windows Unicode BMP at offset 12 */
			buf16(out, 0);
			buf16(out, 1);
			buf16(out, 3);
			buf16(out, 1);
			buf32(out, 12);
			buf16(out, 4);
			buf16(out, (unsigned)bytes);
			buf16(out, 0);
			buf16(out, (unsigned)(2 * nseg));
			buf16(out, (unsigned)(2 * search));
			buf16(out, (unsigned)sel);
			buf16(out, (unsigned)(2 * nseg - 2 * search));
			for (i = 0; i < nseg; i++)
				buf16(out, end[i]);
			buf16(out, 0);
			for (i = 0; i < nseg; i++)
				buf16(out, start[i]);
			for (i = 0; i < nseg; i++)
				buf16(out, i + 1 == nseg ? 1 : 0);
			for (i = 0; i < nseg; i++) {
				/* idRangeOffset counts bytes from this entry to the segment's first entry */
				if (i + 1 == nseg) {
					buf16(out, 0);
				} else {
					buf16(out, (unsigned)(2 * (nseg - i) + 2 * at));
					at += end[i] - start[i] + 1;
				}
			}
			for (i = 0; i + 1 < nseg; i++)
				for (c = start[i]; c <= end[i]; c++)
					buf16(out, b->gid_of[c]);
		}
		return 0;
	}
}

/* A name table with family, style, full and PostScript names for Macintosh Roman and
 * Windows Unicode (libharu reads the PostScript name from either), plus the licence note. */
static void set_name(sb_buf *out)
{
	static const char *const copyright = "Glyphs of Droid Sans Fallback (Apache-2.0) and "
	                                     "DejaVu Sans (Bitstream Vera licence), modified";
	const char *str[5] = { copyright, SET_NAME, "Regular", SET_NAME, SET_NAME };
	static const unsigned ids[5] = { 0, 1, 2, 4, 6 };
	size_t p, i, k, off = 0;

	buf16(out, 0);
	buf16(out, 10);
	buf16(out, 6 + 12 * 10);
	for (p = 0; p < 2; p++)
		for (i = 0; i < 5; i++) {
			size_t len = strlen(str[i]) * (p ? 2 : 1);
			buf16(out, p ? 3 : 1);
			buf16(out, p ? 1 : 0);
			buf16(out, p ? 0x409 : 0);
			buf16(out, ids[i]);
			buf16(out, (unsigned)len);
			buf16(out, (unsigned)off);
			off += len;
		}
	for (p = 0; p < 2; p++)
		for (i = 0; i < 5; i++)
			for (k = 0; str[i][k]; k++) {
				if (p)
					sb__buf_putc(out, 0);
				sb__buf_putc(out, str[i][k]);
			}
}

static uint32_t tt_checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;
	for (i = 0; i + 4 <= len; i += 4)
		sum += be32(p + i);
	if (i < len) {
		unsigned char last[4] = { 0, 0, 0, 0 };
		memcpy(last, p + i, len - i);
		sum += be32(last);
	}
	return sum;
}

/* Put the tables (sorted by tag) into one TrueType file with its directory, checksums and
 * head.checkSumAdjustment. An empty table (fpgm) points at the start of the data rather
 * than at the end of the file: libharu's memory stream will not seek to the very end. */
static int tt_assemble(sb_buf *out, const char *const *tags, sb_buf *tables, size_t n, size_t head)
{
	size_t i, search = 1, sel = 0, off = 12 + 16 * n;
	unsigned char *file;

	while (search * 2 <= n) {
		search *= 2;
		sel++;
	}
	buf32(out, 0x00010000);
	buf16(out, (unsigned)n);
	buf16(out, (unsigned)(16 * search));
	buf16(out, (unsigned)sel);
	buf16(out, (unsigned)(16 * n - 16 * search));
	for (i = 0; i < n; i++) {
		sb__buf_put(out, tags[i], 4);
		buf32(out, tt_checksum((const unsigned char *)tables[i].ptr, tables[i].len));
		buf32(out, (uint32_t)(tables[i].len ? off : 12 + 16 * n));
		buf32(out, (uint32_t)tables[i].len);
		off += (tables[i].len + 3) & ~(size_t)3;
	}
	for (i = 0; i < n; i++) {
		sb__buf_put(out, tables[i].ptr, tables[i].len);
		sb__buf_put(out, "\0\0\0", (4 - out->len % 4) % 4);
	}
	if (sb__buf_failed(out) < 0)
		return SB_ENOMEM;
	file = (unsigned char *)out->ptr;
	/* the head table's own checksum is taken with the adjustment 0, as written above */
	off = be32(file + 12 + 16 * head + 8);
	put32(file + off + 8, 0xB1B0AFBAu - tt_checksum(file, out->len));
	return 0;
}

/* Write a file of mode 0600 that nobody else can have opened (O_EXCL in our own directory). */
static int write_private(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd, error = 0;

	if (sb__fault("io") || (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		return sb_error_set(SB_EIO, "%s: cannot create: %s", path, strerror(errno ? errno : EIO));
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			error = sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(errno ? errno : EIO));
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0 && error == 0)
		error = sb_error_set(SB_EIO, "%s: write error: %s", path, strerror(errno));
	if (error < 0)
		unlink(path);
	return error;
}

int sb_pdf_fontset_new(sb_pdf_fontset **out)
{
	if (!(*out = sb__calloc(1, sizeof(**out))))
		return SB_ENOMEM;
	pthread_mutex_init(&(*out)->lock, NULL);
	return 0;
}

int sb_pdf_fontset_add(sb_pdf_fontset *fs, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
	const glyph_table *t;
	uint32_t cp;
	size_t len;
	int error;

	if (fs->state != FS_COLLECTING)
		return sb_error_set(SB_ESTATE, "pdf: font set: already built");
	if ((error = glyphs_load(&t)) < 0)
		return error;
	while (*s) {
		if (!(len = utf8_next(&cp, s))) {
			s++;
			continue;
		}
		if (cp <= 0xFFFF && t->font_of[cp] != NO_FONT) {
			bit_set(fs->want, cp);
			bit_set(fs->doc, cp);
		}
		s += len;
	}
	return 0;
}

/* Fold the characters of the document being collected into those every document has. */
static void fontset_fold(sb_pdf_fontset *fs)
{
	size_t i;

	if (fs->ndocs == fs->nfolded)
		return;
	for (i = 0; i < sizeof(fs->doc); i++)
		fs->common[i] = fs->nfolded ? fs->common[i] & fs->doc[i] : fs->doc[i];
	fs->nfolded++;
	memset(fs->doc, 0, sizeof(fs->doc));
}

int sb_pdf_fontset_next(sb_pdf_fontset *fs)
{
	if (fs->state != FS_COLLECTING)
		return sb_error_set(SB_ESTATE, "pdf: font set: already built");
	fontset_fold(fs);
	/* what was added before the first document counts for every document */
	if (fs->ndocs == 0)
		memcpy(fs->doc, fs->want, sizeof(fs->doc));
	else
		memset(fs->doc, 0, sizeof(fs->doc));
	fs->ndocs++;
	return 0;
}

const char *sb_pdf_fontset_path(const sb_pdf_fontset *fs)
{
	return fs && fs->state == FS_BUILT ? fs->path : NULL;
}

void sb_pdf_fontset_free(sb_pdf_fontset *fs)
{
	if (!fs)
		return;
	if (fs->path)
		unlink(fs->path);
	if (fs->dir)
		rmdir(fs->dir);
	free(fs->path);
	free(fs->dir);
	free(fs->font);
	pieces_free(fs->pieces, fs->npieces);
	free(fs->map);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

/* Copy a source table, or `len` zero bytes when the source has none. */
static void copy_table(sb_buf *out, const tt_src *s, const char *tag, size_t len)
{
	size_t off, tl;
	if (tt_table(&off, &tl, s->f, s->len, tag) == 0)
		sb__buf_put(out, s->f + off, tl);
	else
		while (len--)
			sb__buf_putc(out, 0);
}

int sb_pdf_fontset_build(sb_pdf_fontset *fs)
{
	static const char *const tags[13] = { "OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
	                                      "hmtx", "loca", "maxp", "name", "post", "prep" };
	enum { T_OS2, T_CMAP, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA, T_MAXP, T_NAME,
	       T_POST, T_PREP, T_COUNT };
	const glyph_table *t;
	tt_src base, srcs[MAX_FONTS];
	set_build b;
	sb_buf tables[T_COUNT], file = SB_BUF_INIT, dir = SB_BUF_INIT, path = SB_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	size_t nchars = 0, i;
	uint32_t c;
	unsigned char *p;
	int error = 0, unusable = 0, fi, pass;
	unsigned common_end = 1;

	if (fs->state != FS_COLLECTING)
		return 0;
	memset(&base, 0, sizeof(base));
	memset(srcs, 0, sizeof(srcs));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < T_COUNT; i++)
		memset(&tables[i], 0, sizeof(tables[i]));
	if ((error = glyphs_load(&t)) < 0)
		goto done;
	/* ASCII is cheap and libharu measures 'H' and 'x' for the font descriptor */
	for (c = 0x20; c < 0x7F; c++)
		if (t->font_of[c] != NO_FONT)
			bit_set(fs->want, c);
	for (c = 0; c < 0x10000; c++)
		nchars += bit_get(fs->want, c);
	if (nchars + 1 > SET_MAX_GLYPHS) {
		unusable = 1;
		goto done;
	}
	if (!(b.loca = sb__calloc(nchars + 2, sizeof(*b.loca))) ||
	    !(b.gid_of = sb__calloc(0x10000, sizeof(*b.gid_of)))) {
		error = SB_ENOMEM;
		goto done;
	}
	if ((error = sb__read_file((char **)&base.f, &base.len, t->paths[0])) < 0)
		goto done;
	if (src_parse(&base) < 0) {
		error = sb_error_set(SB_EIO, "%s: not a TrueType font the PDF area can use", t->paths[0]);
		goto done;
	}
	if (!base.os2 || !base.post || base.nglyphs == 0) {
		unusable = 1;
		goto done;
	}
	/* .notdef: font 00's, one em wide like the prepared fonts' (libharu's missing width) */
	if (set_glyph(&b, &base, 0) < 0) {
		unusable = 1;
		goto done;
	}
	/* Glyphs are numbered font by font, each font's in character order: /W and the
	 * CIDToGIDMap are indexed by character, so the order of glyphs does not show. The
	 * characters every document of the set draws (sb_pdf_fontset_next) come first: the
	 * start of each document's glyf subset is then the same bytes, deflated once
	 * (pack_stream). */
	fontset_fold(fs);
	for (pass = 0; pass < 2 && !unusable; pass++) {
		for (fi = 0; fi < t->nfonts && !unusable; fi++) {
			const tt_src *s = &base;
			int any = 0;
			for (c = 0; c < 0x10000 && !any; c++)
				any = bit_get(fs->want, c) && t->font_of[c] == fi &&
				      bit_get(fs->common, c) == (pass == 0);
			if (!any)
				continue;
			if (fi > 0) {
				if (!srcs[fi].f) {
					if ((error = sb__read_file((char **)&srcs[fi].f, &srcs[fi].len, t->paths[fi])) < 0)
						goto done;
					if (src_parse(&srcs[fi]) < 0) {
						error = sb_error_set(SB_EIO, "%s: not a TrueType font the PDF area can use",
						                     t->paths[fi]);
						goto done;
					}
				}
				s = &srcs[fi];
			}
			if (s->upem != base.upem) {
				unusable = 1;
				break;
			}
			for (c = 0; c < 0x10000; c++) {
				unsigned gid;
				if (!bit_get(fs->want, c) || t->font_of[c] != fi || bit_get(fs->common, c) != (pass == 0))
					continue;
				if (!(gid = src_gid(s, c)) || set_glyph(&b, s, gid) < 0) {
					unusable = 1;
					break;
				}
				b.gid_of[c] = (uint16_t)(b.nglyphs - 1);
				if (!b.first)
					b.first = c;
				if (c < b.first)
					b.first = c;
				if (c > b.last)
					b.last = c;
			}
		}
		if (pass == 0)
			common_end = b.nglyphs;
	}
	if (unusable)
		goto done;
	if ((error = sb__buf_failed(&b.glyf)) < 0 || (error = sb__buf_failed(&b.hmtx)) < 0)
		goto done;

	if (set_cmap(&tables[T_CMAP], &b) < 0) {
		unusable = 1;
		goto done;
	}
	sb__buf_put(&tables[T_OS2], base.f + base.os2, base.os2l);
	copy_table(&tables[T_CVT], &base, "cvt ", 2);
	copy_table(&tables[T_FPGM], &base, "fpgm", 0);
	/* prep is the last table libharu writes when it subsets the font, and it seeks to each
	 * table's start to sum it: an empty prep puts that seek at the very end of its buffer,
	 * which libharu 2.3.0's memory stream refuses (HPDF_INVALID_OBJECT, "libharu error
	 * 0x1033") whenever the subset's size is a whole number of 4 KiB chunks. A prep that
	 * pushes a byte and pops it again does nothing and keeps that seek inside the data. */
	sb__buf_put(&tables[T_PREP], "\xb0\x00\x21", 3);
	sb__buf_put(&tables[T_GLYF], b.glyf.ptr, b.glyf.len);
	sb__buf_put(&tables[T_HEAD], base.f + base.head, 54);
	sb__buf_put(&tables[T_HHEA], base.f + base.hhea, 36);
	sb__buf_put(&tables[T_HMTX], b.hmtx.ptr, b.hmtx.len);
	for (i = 0; i <= b.nglyphs; i++)
		buf32(&tables[T_LOCA], b.loca[i]);
	sb__buf_put(&tables[T_MAXP], base.f + base.maxp, 32);
	set_name(&tables[T_NAME]);
	sb__buf_put(&tables[T_POST], base.f + base.post, 32);
	for (i = 0; i < T_COUNT; i++)
		if ((error = sb__buf_failed(&tables[i])) < 0)
			goto done;

	p = (unsigned char *)tables[T_OS2].ptr;
	put16(p + 64, b.first);          /* usFirstCharIndex */
	put16(p + 66, b.last);           /* usLastCharIndex */
	p = (unsigned char *)tables[T_HEAD].ptr;
	put32(p + 8, 0);                 /* checkSumAdjustment, set over the whole file */
	put16(p + 36, (unsigned)b.xmin & 0xFFFF);
	put16(p + 38, (unsigned)b.ymin & 0xFFFF);
	put16(p + 40, (unsigned)b.xmax & 0xFFFF);
	put16(p + 42, (unsigned)b.ymax & 0xFFFF);
	put16(p + 50, 1);                /* indexToLocFormat: long offsets */
	p = (unsigned char *)tables[T_HHEA].ptr;
	put16(p + 10, b.max_adv);
	put16(p + 12, (unsigned)b.min_lsb & 0xFFFF);
	put16(p + 14, (unsigned)b.min_rsb & 0xFFFF);
	put16(p + 16, (unsigned)b.max_extent & 0xFFFF);
	put16(p + 34, b.nglyphs);        /* numberOfHMetrics: every glyph has its own */
	p = (unsigned char *)tables[T_MAXP].ptr;
	if (be32(p) != 0x00010000) {
		unusable = 1;
		goto done;
	}
	put16(p + 4, b.nglyphs);
	put16(p + 6, b.max_points);
	put16(p + 8, b.max_contours);
	put16(p + 10, 0);                /* maxCompositePoints: there are no composites */
	put16(p + 12, 0);
	if (b.max_instr > be16(p + 26))
		put16(p + 26, b.max_instr);
	put16(p + 28, 0);                /* maxComponentElements */
	put16(p + 30, 0);
	p = (unsigned char *)tables[T_POST].ptr;
	put32(p, 0x00030000);            /* version 3: no glyph names */

	if ((error = tt_assemble(&file, tags, tables, T_COUNT, T_HEAD)) < 0)
		goto done;
	sb__buf_printf(&dir, "%s/shuangbai-font-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((error = sb__buf_failed(&dir)) < 0)
		goto done;
	if (sb__fault("io") || !mkdtemp(dir.ptr)) {
		error = sb_error_set(SB_EIO, "%s: cannot create a private directory: %s", dir.ptr,
		                     strerror(errno ? errno : EIO));
		goto done;
	}
	sb__buf_printf(&path, "%s/" SET_NAME ".ttf", dir.ptr);
	if ((error = sb__buf_failed(&path)) < 0 ||
	    (error = write_private(path.ptr, file.ptr, file.len)) < 0) {
		rmdir(dir.ptr);
		goto done;
	}
	for (c = 0; c < 0x10000; c++)
		if (b.gid_of[c])
			bit_set(fs->has, c);
	fs->dir = sb__buf_detach(&dir);
	fs->path = sb__buf_detach(&path);
	fs->font_len = file.len;
	fs->font = (unsigned char *)sb__buf_detach(&file);
	fs->common_end = common_end;
	fs->state = FS_BUILT;
done:
	if (unusable && error == 0)
		fs->state = FS_UNUSABLE;
	for (i = 0; i < T_COUNT; i++)
		sb__buf_free(&tables[i]);
	sb__buf_free(&file);
	sb__buf_free(&dir);
	sb__buf_free(&path);
	sb__buf_free(&b.glyf);
	sb__buf_free(&b.hmtx);
	free(b.loca);
	free(b.gid_of);
	free(base.f);
	for (i = 0; i < MAX_FONTS; i++)
		free(srcs[i].f);
	return error;
}

/* ---- the document --------------------------------------------------------------------- */

struct sb_pdf {
	HPDF_Doc hpdf;
	const glyph_table *glyphs;
	HPDF_Font fonts[MAX_FONTS + 1]; /* loaded into this document when first drawn; the
	                                   last is the font set's */
	sb_pdf_fontset *fontset;       /* the caller's, or NULL; keeps deflated font pieces */
	HPDF_Page page;
	HPDF_Page *pages;
	size_t npages, cap;
	double size, leading;
	double top, right, bottom, left;
	double cursor;
	int fill[3], stroke[3];
	double line_width;
	/* what the current page's graphics state holds, to write each setting once */
	int page_fill[3], page_stroke[3];
	double page_line_width;
	uint8_t used[256];           /* which 256-character blocks of the BMP were drawn */
	int map_taken;               /* the set font's CIDToGIDMap is the set's (set_map_take) */
	unsigned char *saved;        /* the bytes, once saved: the document is then final */
	size_t saved_len;
	HPDF_STATUS err, detail;     /* first libharu error since the last check */
};

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	sb_pdf *doc = user;
	if (!doc->err) {
		doc->err = error_no;
		doc->detail = detail_no;
	}
}

/* Turn a libharu error recorded by the handler into an SB_E... code with a message. */
static int hpdf_status(sb_pdf *doc, const char *what)
{
	HPDF_STATUS e = doc->err, d = doc->detail;

	if (!e)
		return 0;
	doc->err = 0;
	doc->detail = 0;
	HPDF_ResetError(doc->hpdf);
	if (e == HPDF_FAILD_TO_ALLOC_MEM)
		return sb_error_set(SB_ENOMEM, "pdf: %s: out of memory", what);
	if (e == HPDF_FILE_IO_ERROR || e == HPDF_FILE_OPEN_ERROR)
		return sb_error_set(SB_EIO, "pdf: %s: cannot read a font file (libharu error 0x%04X)",
		                    what, (unsigned)e);
	return sb_error_set(SB_ERROR, "pdf: %s: libharu error 0x%04X (detail %u)", what,
	                    (unsigned)e, (unsigned)d);
}

static int fault(const char *what)
{
	if (sb__fault("pdf"))
		return sb_error_set(SB_ERROR, "pdf: %s: simulated failure", what);
	return 0;
}

/* Is the document ready to be drawn on? */
static int drawable(sb_pdf *doc, const char *what)
{
	if (doc->saved)
		return sb_error_set(SB_ESTATE, "pdf: %s: the document was saved and is final", what);
	if (!doc->page)
		return sb_error_set(SB_ESTATE, "pdf: %s: no page yet", what);
	return fault(what);
}

static int parse_date(HPDF_Date *out, const char *s)
{
	int y, m, d, hh = 0, mi = 0, ss = 0;
	char day[11];

	if (strlen(s) != 10 && strlen(s) != 19)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (sb__date_parse(day, &y, &m, &d) < 0)
		return -1;
	if (s[10]) {
		const char *p = s + 10;
		if (p[0] != 'T' || p[3] != ':' || p[6] != ':')
			return -1;
		for (int i = 1; i < 9; i++)
			if (i != 3 && i != 6 && (p[i] < '0' || p[i] > '9'))
				return -1;
		hh = (p[1] - '0') * 10 + (p[2] - '0');
		mi = (p[4] - '0') * 10 + (p[5] - '0');
		ss = (p[7] - '0') * 10 + (p[8] - '0');
		if (hh > 23 || mi > 59 || ss > 59)
			return -1;
	}
	memset(out, 0, sizeof(*out));
	out->year = y;
	out->month = m;
	out->day = d;
	out->hour = hh;
	out->minutes = mi;
	out->seconds = ss;
	out->ind = 'Z';
	return 0;
}

int sb_pdf_new(sb_pdf **out, const sb_pdf_info *info)
{
	static const HPDF_InfoType kinds[] = { HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT };
	sb_pdf *doc = NULL;
	HPDF_Date date;
	int error = 0, y, m, d;
	size_t i;

	*out = NULL;
	if (info && info->date) {
		if (parse_date(&date, info->date) < 0)
			return sb_error_set(SB_EINVALID, "pdf: date '%s': expected YYYY-MM-DD or "
			                    "YYYY-MM-DDTHH:MM:SS", info->date);
	} else {
		sb__today(&y, &m, &d);
		memset(&date, 0, sizeof(date));
		date.year = y;
		date.month = m;
		date.day = d;
		date.ind = 'Z';
	}
	if (!(doc = sb__calloc(1, sizeof(*doc))))
		return SB_ENOMEM;
	if ((error = glyphs_load(&doc->glyphs)) < 0)
		goto done;
	if ((error = fault("new document")) < 0)
		goto done;
	if (!(doc->hpdf = HPDF_New(on_hpdf_error, doc))) {
		error = sb_error_set(SB_ENOMEM, "pdf: cannot create a document");
		goto done;
	}
	/* content streams and images deflated by libharu; font streams left plain for
	 * sb_pdf_save_mem, which deflates them with what repeats kept (pack_stream) */
	HPDF_SetCompressionMode(doc->hpdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
	HPDF_UseUTFEncodings(doc->hpdf);
	HPDF_SetCurrentEncoder(doc->hpdf, "UTF-8");
	HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(doc->hpdf, HPDF_INFO_MOD_DATE, date);
	HPDF_SetInfoAttr(doc->hpdf, HPDF_INFO_CREATOR, "shuangbai " PACKAGE_VERSION);
	for (i = 0; info && i < 3; i++) {
		const char *v = i == 0 ? info->title : i == 1 ? info->author : info->subject;
		if (!v)
			continue;
		if ((error = sb_pdf_check_text(v)) < 0) {
			sb_error_prefix("pdf: %s", i == 0 ? "title" : i == 1 ? "author" : "subject");
			goto done;
		}
		HPDF_SetInfoAttr(doc->hpdf, kinds[i], v);
	}
	if ((error = hpdf_status(doc, "new document")) < 0)
		goto done;
	doc->size = 12;
	doc->leading = 1.5;
	doc->top = doc->right = doc->bottom = doc->left = SB_PDF_MM(25);
	doc->line_width = 0.5;
	*out = doc;
	doc = NULL;
done:
	sb_pdf_free(doc);
	return error;
}

void sb_pdf_free(sb_pdf *doc)
{
	if (!doc)
		return;
	if (doc->hpdf)
		HPDF_Free(doc->hpdf);
	free(doc->pages);
	free(doc->saved);
	free(doc);
}

int sb_pdf_use_fontset(sb_pdf *doc, sb_pdf_fontset *fs)
{
	int error;

	if (doc->fonts[SET_FONT] && fs != doc->fontset)
		return sb_error_set(SB_ESTATE, "pdf: a document keeps the font set it has drawn with");
	if (fs && (error = sb_pdf_fontset_build(fs)) < 0)
		return error;
	/* characters already drawn with the set's font stay so; later ones follow the choice */
	if (!fs || fs->state == FS_BUILT)
		doc->fontset = fs;
	return 0;
}

int sb_pdf_page_add(sb_pdf *doc)
{
	HPDF_Page page;
	HPDF_Page *np;
	int error;

	if (doc->saved)
		return sb_error_set(SB_ESTATE, "pdf: add page: the document was saved and is final");
	if ((error = fault("add page")) < 0)
		return error;
	if (doc->npages == doc->cap) {
		size_t cap = doc->cap ? doc->cap * 2 : 8;
		if (!(np = sb__realloc(doc->pages, cap * sizeof(*np))))
			return SB_ENOMEM;
		doc->pages = np;
		doc->cap = cap;
	}
	page = HPDF_AddPage(doc->hpdf);
	if (page)
		HPDF_Page_SetWidth(page, (HPDF_REAL)SB_PDF_A4_WIDTH);
	if (page)
		HPDF_Page_SetHeight(page, (HPDF_REAL)SB_PDF_A4_HEIGHT);
	if ((error = hpdf_status(doc, "add page")) < 0)
		return error;
	if (!page)
		return sb_error_set(SB_ERROR, "pdf: add page: libharu failed");
	doc->pages[doc->npages++] = page;
	doc->page = page;
	doc->cursor = doc->top;
	/* a new page starts with PDF's default graphics state */
	memset(doc->page_fill, 0, sizeof(doc->page_fill));
	memset(doc->page_stroke, 0, sizeof(doc->page_stroke));
	doc->page_line_width = 1.0;
	return 0;
}

int sb_pdf_page_count(const sb_pdf *doc) { return (int)doc->npages; }

void sb_pdf_set_size(sb_pdf *doc, double size)
{
	if (size > 0)
		doc->size = size;
}
double sb_pdf_size(const sb_pdf *doc) { return doc->size; }
void sb_pdf_set_leading(sb_pdf *doc, double factor) { doc->leading = factor < 1 ? 1 : factor; }
double sb_pdf_line_height(const sb_pdf *doc) { return doc->size * doc->leading; }

void sb_pdf_set_margins(sb_pdf *doc, double top, double right, double bottom, double left)
{
	doc->top = top;
	doc->right = right;
	doc->bottom = bottom;
	doc->left = left;
}
double sb_pdf_content_width(const sb_pdf *doc) { return SB_PDF_A4_WIDTH - doc->left - doc->right; }
double sb_pdf_left(const sb_pdf *doc) { return doc->left; }
double sb_pdf_cursor(const sb_pdf *doc) { return doc->cursor; }
void sb_pdf_set_cursor(sb_pdf *doc, double y) { doc->cursor = y; }
double sb_pdf_remaining(const sb_pdf *doc) { return SB_PDF_A4_HEIGHT - doc->bottom - doc->cursor; }
void sb_pdf_space(sb_pdf *doc, double dy) { doc->cursor += dy; }

int sb_pdf_need(sb_pdf *doc, double height)
{
	if (doc->page && sb_pdf_remaining(doc) >= height)
		return 0;
	return sb_pdf_page_add(doc);
}

static int clamp255(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

void sb_pdf_set_fill(sb_pdf *doc, int r, int g, int b)
{
	doc->fill[0] = clamp255(r);
	doc->fill[1] = clamp255(g);
	doc->fill[2] = clamp255(b);
}

void sb_pdf_set_stroke(sb_pdf *doc, int r, int g, int b)
{
	doc->stroke[0] = clamp255(r);
	doc->stroke[1] = clamp255(g);
	doc->stroke[2] = clamp255(b);
}

void sb_pdf_set_line_width(sb_pdf *doc, double width)
{
	if (width >= 0)
		doc->line_width = width;
}

/* Write the colours and line width into the page where they changed. */
static void apply_state(sb_pdf *doc)
{
	if (memcmp(doc->page_fill, doc->fill, sizeof(doc->fill)) != 0) {
		HPDF_Page_SetRGBFill(doc->page, (HPDF_REAL)(doc->fill[0] / 255.0),
		                     (HPDF_REAL)(doc->fill[1] / 255.0), (HPDF_REAL)(doc->fill[2] / 255.0));
		memcpy(doc->page_fill, doc->fill, sizeof(doc->fill));
	}
	if (memcmp(doc->page_stroke, doc->stroke, sizeof(doc->stroke)) != 0) {
		HPDF_Page_SetRGBStroke(doc->page, (HPDF_REAL)(doc->stroke[0] / 255.0),
		                       (HPDF_REAL)(doc->stroke[1] / 255.0),
		                       (HPDF_REAL)(doc->stroke[2] / 255.0));
		memcpy(doc->page_stroke, doc->stroke, sizeof(doc->stroke));
	}
	if (doc->page_line_width != doc->line_width) {
		HPDF_Page_SetLineWidth(doc->page, (HPDF_REAL)doc->line_width);
		doc->page_line_width = doc->line_width;
	}
}

/* PDF's y runs up from the bottom of the page; ours runs down from the top. */
static HPDF_REAL py(double y) { return (HPDF_REAL)(SB_PDF_A4_HEIGHT - y); }

/* ---- measuring and wrapping ----------------------------------------------------------- */

static double units_pt(const sb_pdf *doc, int64_t units) { return (double)units * doc->size / 1000.0; }

int sb_pdf_text_width(double *out, const sb_pdf *doc, const char *text)
{
	uchar *v = NULL;
	size_t n, i;
	int64_t units = 0;
	int error;

	*out = 0;
	if ((error = decode(&v, &n, doc->glyphs, NULL, text)) < 0)
		return error;
	for (i = 0; i < n; i++)
		units += v[i].w;
	free(v);
	*out = units_pt(doc, units);
	return 0;
}

static int is_space(uint32_t c) { return c == ' ' || c == 0x3000 || c == 0xA0 || c == '\t'; }

/* Ideographs, kana, CJK punctuation and full-width forms: a line may break on either side. */
static int is_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) ||
	       c == 0x2014 || c == 0x2026 || c == 0x2018 || c == 0x2019 || c == 0x201C ||
	       c == 0x201D || c == 0x00B7;
}

static int in_list(uint32_t c, const uint32_t *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == c)
			return 1;
	return 0;
}

/* 禁则: closing punctuation, which must not begin a line (GB/T 15834 practice). */
static int no_line_start(uint32_t c)
{
	static const uint32_t list[] = {
		'!', '%', ')', ',', '.', ':', ';', '?', ']', '}',
		0x00B7, 0x2019, 0x201D, 0x2026, 0x2030, 0x2103, 0x3001, 0x3002, 0x3003, 0x3005,
		0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0x301E,
		0x30FB, 0x30FC, 0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57, 0xFE5A,
		0xFE5C, 0xFE5E, 0xFF01, 0xFF05, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
		0xFF3D, 0xFF5D, 0xFF5E, 0xFF60, 0xFF61, 0xFF63, 0xFF64, 0xFFE0
	};
	return in_list(c, list, sizeof(list) / sizeof(list[0]));
}

/* 禁则: opening brackets and quotes, and currency signs, which must not end a line. */
static int no_line_end(uint32_t c)
{
	static const uint32_t list[] = {
		'(', '[', '{', '$', 0x00A3, 0x00A5, 0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E,
		0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0x301D, 0xFE59, 0xFE5B, 0xFE5D, 0xFF04,
		0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62, 0xFFE1, 0xFFE5
	};
	return in_list(c, list, sizeof(list) / sizeof(list[0]));
}

/* May a line break between a and b (b starting the next line)? */
static int can_break(uint32_t a, uint32_t b)
{
	if (is_space(b))
		return 0;              /* break after the spaces, which then vanish */
	if (is_space(a))
		return 1;
	if (no_line_start(b) || no_line_end(a))
		return 0;
	return is_cjk(a) || is_cjk(b); /* a Latin word or a number stays whole */
}

static int push_line(sb_pdf_line **v, size_t *n, size_t *cap, const uchar *c, size_t from,
                     size_t to, const sb_pdf *doc)
{
	sb_pdf_line *nv;
	int64_t units = 0;
	size_t i;

	while (to > from && is_space(c[to - 1].cp))
		to--;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if (!(nv = sb__realloc(*v, *cap * sizeof(*nv))))
			return SB_ENOMEM;
		*v = nv;
	}
	for (i = from; i < to; i++)
		units += c[i].w;
	(*v)[*n].start = from < to ? c[from].off : (from > 0 ? c[from - 1].off + c[from - 1].len : 0);
	(*v)[*n].len = from < to ? c[to - 1].off + c[to - 1].len - c[from].off : 0;
	(*v)[*n].width = units_pt(doc, units);
	(*n)++;
	return 0;
}

/* Wrap decoded characters; see sb_pdf_wrap. */
static int wrap_chars(sb_pdf_line **out, size_t *out_n, const sb_pdf *doc, const uchar *c,
                      size_t n, double width, double indent)
{
	sb_pdf_line *v = NULL;
	size_t nv = 0, cap = 0, i = 0;
	int error = 0;

	while (i < n) {
		size_t start = i, j = i, brk = 0;
		double limit = (width - ((i == 0 || c[i - 1].cp == '\n') ? indent : 0)) * 1000.0 / doc->size;
		int64_t w = 0;
		int soft = 0;

		while (j < n && c[j].cp != '\n') {
			if (j > start && can_break(c[j - 1].cp, c[j].cp))
				brk = j;
			if ((double)(w + c[j].w) > limit + 1e-6 && j > start && !is_space(c[j].cp)) {
				size_t at = brk > start ? brk : j;
				/* a word wider than the line is cut, but still not before a closing mark */
				if (at == j && j - 1 > start && no_line_start(c[j].cp))
					at = j - 1;
				if ((error = push_line(&v, &nv, &cap, c, start, at, doc)) < 0)
					goto done;
				j = at;
				while (j < n && is_space(c[j].cp))
					j++;
				start = j;
				brk = 0;
				w = 0;
				soft = 1;
				limit = width * 1000.0 / doc->size;
				continue;
			}
			w += c[j].w;
			j++;
		}
		if (j > start || !soft)
			if ((error = push_line(&v, &nv, &cap, c, start, j, doc)) < 0)
				goto done;
		i = j < n ? j + 1 : j;
	}
	*out = v;
	*out_n = nv;
	v = NULL;
done:
	free(v);
	return error;
}

int sb_pdf_wrap(sb_pdf_line **out, size_t *out_n, const sb_pdf *doc, const char *text,
                double width, double indent)
{
	uchar *c = NULL;
	size_t n;
	int error;

	*out = NULL;
	*out_n = 0;
	if (width <= 0)
		return sb_error_set(SB_EUSAGE, "pdf: wrap: width must be positive");
	if ((error = decode(&c, &n, doc->glyphs, doc->fontset, text)) < 0)
		return error;
	error = wrap_chars(out, out_n, doc, c, n, width, indent);
	free(c);
	return error;
}

int sb_pdf_text_height(double *out, const sb_pdf *doc, const char *text, double width)
{
	sb_pdf_line *lines = NULL;
	size_t n;
	int error;

	*out = 0;
	if ((error = sb_pdf_wrap(&lines, &n, doc, text, width, 0)) < 0)
		return error;
	free(lines);
	*out = (double)n * sb_pdf_line_height(doc);
	return 0;
}

/* ---- drawing text --------------------------------------------------------------------- */

#if HPDF_VERSION_ID == 20300
/*
 * HPDF_LoadTTFontFromFile of libharu 2.3.0, but from a memory stream. libharu reads an
 * embedded font through stdio with a seek before nearly every glyph it checks or writes,
 * and glibc turns each into an lseek and a read: some 1,000 system calls per contract, a
 * fifth of its CPU time. The set's font is small and already in memory, so each document
 * gets a copy of it as a libharu memory stream instead. This uses libharu's internal
 * (installed, exported) font-definition API and the document's tag counter, which is why
 * it is tied to this version; other versions read the set's file.
 */
static const char *load_font_mem(HPDF_Doc pdf, const unsigned char *data, size_t len)
{
	HPDF_Stream stream = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)len);
	HPDF_FontDef def;
	int i;

	if (!stream)
		goto fail;
	if (HPDF_Stream_Write(stream, data, (HPDF_UINT)len) != HPDF_OK) {
		HPDF_Stream_Free(stream);
		goto fail;
	}
	/* the definition owns the stream from here, also when loading fails */
	if (!(def = HPDF_TTFontDef_Load(pdf->mmgr, stream, HPDF_TRUE)))
		goto fail;
	if (HPDF_Doc_FindFontDef(pdf, def->base_font) || HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		goto fail;
	}
	/* the subset prefix, HPDFAA, HPDFAB, ... as libharu counts it */
	if (pdf->ttfont_tag[0] == 0) {
		memcpy(pdf->ttfont_tag, "HPDFAA", 6);
	} else {
		for (i = 5; i >= 0; i--) {
			pdf->ttfont_tag[i] += 1;
			if (pdf->ttfont_tag[i] > 'Z')
				pdf->ttfont_tag[i] = 'A';
			else
				break;
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
	return def->base_font;
fail:
	HPDF_CheckError(&pdf->error);
	return NULL;
}
#endif

/* What a document's CIDToGIDMap stream holds once the set keeps the map: odd-sized, so
 * never a map (two bytes per CID). */
#define SET_MAP_MARK "shuangbai set map\n"

#if HPDF_VERSION_ID == 20300

/*
 * libharu writes for each font a CIDToGIDMap over the whole BMP (128 KB), the same in every
 * document that uses the set's font, and copies it through its byte-at-a-time streams
 * three more times while saving: more CPU than drawing the page. The set keeps the first
 * document's map; each document's stream (checked equal to it) is cut to a marker, which
 * finish_bytes replaces with the set's map, deflated once (pack_stream). Anything
 * unexpected leaves the stream as libharu wrote it. Uses libharu's installed font and
 * memory-stream internals, hence the version test.
 */
static void set_map_take(sb_pdf *doc, HPDF_Font font)
{
	sb_pdf_fontset *fs = doc->fontset;
	HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Stream st;
	HPDF_UINT i, n, len;
	const HPDF_BYTE *chunk;
	unsigned char *copy = NULL;
	size_t total = 0, size;
	int same = 1;

	if (!fs || !fa || !fa->map_stream || !(st = fa->map_stream->stream) || st->type != HPDF_STREAM_MEMORY ||
	    (size = st->size) == 0 || size % 2)
		return;
	n = HPDF_MemStream_GetBufCount(st);
	pthread_mutex_lock(&fs->lock);
	if (!fs->map)
		same = (copy = malloc(size)) != NULL;
	else
		same = fs->map_len == size;
	for (i = 0; i < n && same; i++) {
		if (!(chunk = HPDF_MemStream_GetBufPtr(st, i, &len)) || len > size - total) {
			same = 0;
			break;
		}
		if (copy)
			memcpy(copy + total, chunk, len);
		else if (memcmp(fs->map + total, chunk, len) != 0)
			same = 0;
		total += len;
	}
	if (same && total == size && copy) {
		fs->map = copy;
		fs->map_len = size;
		copy = NULL;
	}
	pthread_mutex_unlock(&fs->lock);
	free(copy);
	if (!same || total != size)
		return;
	HPDF_MemStream_FreeData(st);
	if (HPDF_Stream_Write(st, (const HPDF_BYTE *)SET_MAP_MARK, sizeof SET_MAP_MARK - 1) == HPDF_OK)
		doc->map_taken = 1;
}
#endif

/* The libharu font of font index i in this document, loaded on first use. */
static int doc_font(HPDF_Font *out, sb_pdf *doc, int i)
{
	const char *name, *path = i == SET_FONT ? doc->fontset->path : doc->glyphs->paths[i];
	int error;

	if (doc->fonts[i]) {
		*out = doc->fonts[i];
		return 0;
	}
#if HPDF_VERSION_ID == 20300
	if (i == SET_FONT)
		name = load_font_mem(doc->hpdf, doc->fontset->font, doc->fontset->font_len);
	else
#endif
		name = HPDF_LoadTTFontFromFile(doc->hpdf, path, HPDF_TRUE);
	if (name)
		doc->fonts[i] = HPDF_GetFont(doc->hpdf, name, "UTF-8");
#if HPDF_VERSION_ID == 20300
	if (i == SET_FONT && doc->fonts[i])
		set_map_take(doc, doc->fonts[i]);
#endif
	if ((error = hpdf_status(doc, "load font")) < 0)
		return error;
	if (!doc->fonts[i])
		return sb_error_set(SB_EIO, "pdf: %s: libharu cannot load the font", path);
	*out = doc->fonts[i];
	return 0;
}

/* Show characters [from, to) at the current text position, one run per font. The caller
 * has opened a text object and placed it. */
static int show_chars(sb_pdf *doc, const char *text, const uchar *c, size_t from, size_t to)
{
	char buf[1024];
	size_t i = from;
	int error;

	while (i < to) {
		size_t j = i, len = 0;
		HPDF_Font font;
		if (c[i].font < 0) {
			i++;
			continue;
		}
		while (j < to && c[j].font == c[i].font && len + c[j].len < sizeof(buf)) {
			doc->used[c[j].cp >> 8] = 1;
			memcpy(buf + len, text + c[j].off, c[j].len);
			len += c[j].len;
			j++;
		}
		buf[len] = '\0';
		if ((error = doc_font(&font, doc, c[i].font)) < 0)
			return error;
		HPDF_Page_SetFontAndSize(doc->page, font, (HPDF_REAL)doc->size);
		HPDF_Page_ShowText(doc->page, buf);
		while (j < to && c[j].font < 0)
			j++;
		i = j;
	}
	return hpdf_status(doc, "draw text");
}

/* Baseline of a line whose box starts at y: the font's ascent-to-descent band centred in
 * the line height. */
static double baseline(const sb_pdf *doc, double y)
{
	double asc = doc->glyphs->ascent * doc->size / 1000.0;
	double desc = -doc->glyphs->descent * doc->size / 1000.0;
	return y + (sb_pdf_line_height(doc) - asc - desc) / 2 + asc;
}

static int draw_line_at(sb_pdf *doc, const char *text, const uchar *c, size_t from, size_t to,
                        double x, double y)
{
	int error;

	apply_state(doc);
	HPDF_Page_BeginText(doc->page);
	HPDF_Page_MoveTextPos(doc->page, (HPDF_REAL)x, py(baseline(doc, y)));
	error = show_chars(doc, text, c, from, to);
	HPDF_Page_EndText(doc->page);
	if (error == 0)
		error = hpdf_status(doc, "draw text");
	return error;
}

int sb_pdf_text(sb_pdf *doc, double x, double y, const char *text)
{
	uchar *c = NULL;
	size_t n;
	int error;

	if ((error = decode(&c, &n, doc->glyphs, doc->fontset, text)) < 0)
		return error;
	if ((error = drawable(doc, "text")) < 0)
		goto done;
	error = draw_line_at(doc, text, c, 0, n, x, y);
done:
	free(c);
	return error;
}

/* Index range of the characters of a wrapped line. */
static void line_chars(size_t *from, size_t *to, const uchar *c, size_t n, const sb_pdf_line *l)
{
	size_t i = 0;
	while (i < n && c[i].off < l->start)
		i++;
	*from = i;
	while (i < n && c[i].off < l->start + l->len)
		i++;
	*to = i;
}

static double align_x(double x, double width, double line_width, int align)
{
	if (align == SB_PDF_RIGHT)
		return x + width - line_width;
	if (align == SB_PDF_CENTER)
		return x + (width - line_width) / 2;
	return x;
}

int sb_pdf_text_box(double *out_height, sb_pdf *doc, double x, double y, double width,
                    const char *text, int align)
{
	uchar *c = NULL;
	sb_pdf_line *lines = NULL;
	size_t n, nl, i, from, to;
	int error;

	if (out_height)
		*out_height = 0;
	if (width <= 0)
		return sb_error_set(SB_EUSAGE, "pdf: text box: width must be positive");
	if ((error = decode(&c, &n, doc->glyphs, doc->fontset, text)) < 0)
		return error;
	if ((error = drawable(doc, "text box")) < 0)
		goto done;
	if ((error = wrap_chars(&lines, &nl, doc, c, n, width, 0)) < 0)
		goto done;
	for (i = 0; i < nl; i++) {
		line_chars(&from, &to, c, n, &lines[i]);
		if ((error = draw_line_at(doc, text, c, from, to,
		                          align_x(x, width, lines[i].width, align),
		                          y + (double)i * sb_pdf_line_height(doc))) < 0)
			goto done;
	}
	if (out_height)
		*out_height = (double)nl * sb_pdf_line_height(doc);
done:
	free(lines);
	free(c);
	return error;
}

int sb_pdf_para(sb_pdf *doc, const char *text, int align, double indent)
{
	uchar *c = NULL;
	sb_pdf_line *lines = NULL;
	size_t n, nl, i, from, to;
	double width = sb_pdf_content_width(doc), lh = sb_pdf_line_height(doc);
	int error;

	if ((error = decode(&c, &n, doc->glyphs, doc->fontset, text)) < 0)
		return error;
	if (!doc->page && (error = sb_pdf_page_add(doc)) < 0)
		goto done;
	if ((error = drawable(doc, "paragraph")) < 0)
		goto done;
	if ((error = wrap_chars(&lines, &nl, doc, c, n, width, indent)) < 0)
		goto done;
	for (i = 0; i < nl; i++) {
		double x = doc->left;
		if ((error = sb_pdf_need(doc, lh)) < 0)
			goto done;
		line_chars(&from, &to, c, n, &lines[i]);
		/* the indent belongs to the first line of each "\n"-separated paragraph */
		if (from == 0 || c[from - 1].cp == '\n')
			x += indent;
		if ((error = draw_line_at(doc, text, c, from, to,
		                          align_x(x, width - (x - doc->left), lines[i].width, align),
		                          doc->cursor)) < 0)
			goto done;
		doc->cursor += lh;
	}
done:
	free(lines);
	free(c);
	return error;
}

/* ---- graphics ------------------------------------------------------------------------- */

static void paint(sb_pdf *doc, int mode)
{
	if (mode == SB_PDF_FILL)
		HPDF_Page_Fill(doc->page);
	else if (mode == SB_PDF_FILL_STROKE)
		HPDF_Page_FillStroke(doc->page);
	else
		HPDF_Page_Stroke(doc->page);
}

int sb_pdf_line_draw(sb_pdf *doc, double x1, double y1, double x2, double y2)
{
	int error;

	if ((error = drawable(doc, "line")) < 0)
		return error;
	apply_state(doc);
	HPDF_Page_MoveTo(doc->page, (HPDF_REAL)x1, py(y1));
	HPDF_Page_LineTo(doc->page, (HPDF_REAL)x2, py(y2));
	HPDF_Page_Stroke(doc->page);
	return hpdf_status(doc, "line");
}

int sb_pdf_rect(sb_pdf *doc, double x, double y, double w, double h, int mode)
{
	int error;

	if ((error = drawable(doc, "rectangle")) < 0)
		return error;
	apply_state(doc);
	HPDF_Page_Rectangle(doc->page, (HPDF_REAL)x, py(y + h), (HPDF_REAL)w, (HPDF_REAL)h);
	paint(doc, mode);
	return hpdf_status(doc, "rectangle");
}

int sb_pdf_circle(sb_pdf *doc, double cx, double cy, double r, int mode)
{
	int error;

	if ((error = drawable(doc, "circle")) < 0)
		return error;
	apply_state(doc);
	HPDF_Page_Circle(doc->page, (HPDF_REAL)cx, py(cy), (HPDF_REAL)r);
	paint(doc, mode);
	return hpdf_status(doc, "circle");
}

int sb_pdf_polygon(sb_pdf *doc, const double *xy, size_t n, int mode)
{
	size_t i;
	int error;

	if (n < 3)
		return sb_error_set(SB_EUSAGE, "pdf: polygon: at least 3 points");
	if ((error = drawable(doc, "polygon")) < 0)
		return error;
	apply_state(doc);
	HPDF_Page_MoveTo(doc->page, (HPDF_REAL)xy[0], py(xy[1]));
	for (i = 1; i < n; i++)
		HPDF_Page_LineTo(doc->page, (HPDF_REAL)xy[2 * i], py(xy[2 * i + 1]));
	HPDF_Page_ClosePath(doc->page);
	paint(doc, mode);
	return hpdf_status(doc, "polygon");
}

/* ---- tables --------------------------------------------------------------------------- */

static int table_check(const sb_pdf_table *t)
{
	size_t i;

	if (!t || t->ncols == 0 || !t->widths)
		return sb_error_set(SB_EUSAGE, "pdf: table: no columns");
	for (i = 0; i < t->ncols; i++)
		if (!(t->widths[i] > 0))
			return sb_error_set(SB_EUSAGE, "pdf: table: column %zu has no width", i + 1);
	return 0;
}

static double table_pad(const sb_pdf_table *t) { return t->padding > 0 ? t->padding : 3; }
static double table_x(const sb_pdf *doc, const sb_pdf_table *t) { return t->x > 0 ? t->x : doc->left; }

/* Height of a row at the current size (the caller has set the table's size). */
static int row_height(double *out, const sb_pdf *doc, const sb_pdf_table *t,
                      const char *const *cells)
{
	double pad = table_pad(t), h = sb_pdf_line_height(doc), ch;
	size_t i;
	int error;

	for (i = 0; i < t->ncols; i++) {
		if ((error = sb_pdf_text_height(&ch, doc, cells[i] ? cells[i] : "",
		                                t->widths[i] - 2 * pad)) < 0) {
			sb_error_prefix("column %zu", i + 1);
			return error;
		}
		if (ch > h)
			h = ch;
	}
	*out = h + 2 * pad;
	return 0;
}

static int draw_row(sb_pdf *doc, const sb_pdf_table *t, const char *const *cells, double h,
                    int header)
{
	double x = table_x(doc, t), y = doc->cursor, pad = table_pad(t);
	int saved[3], error = 0;
	size_t i;

	memcpy(saved, doc->fill, sizeof(saved));
	for (i = 0; i < t->ncols; i++) {
		if (header) {
			sb_pdf_set_fill(doc, 230, 230, 230);
			if ((error = sb_pdf_rect(doc, x, y, t->widths[i], h, SB_PDF_FILL_STROKE)) < 0)
				goto done;
			memcpy(doc->fill, saved, sizeof(saved));
		} else if ((error = sb_pdf_rect(doc, x, y, t->widths[i], h, SB_PDF_STROKE)) < 0) {
			goto done;
		}
		if (cells[i] && *cells[i] &&
		    (error = sb_pdf_text_box(NULL, doc, x + pad, y + pad, t->widths[i] - 2 * pad, cells[i],
		                             header ? SB_PDF_CENTER : t->align ? t->align[i] : SB_PDF_LEFT)) < 0)
			goto done;
		x += t->widths[i];
	}
	doc->cursor += h;
done:
	memcpy(doc->fill, saved, sizeof(saved));
	return error;
}

int sb_pdf_table_begin(sb_pdf *doc, const sb_pdf_table *t)
{
	double size = doc->size, hh = 0;
	int error;

	if ((error = table_check(t)) < 0)
		return error;
	if (t->size > 0)
		doc->size = t->size;
	if (t->header && (error = row_height(&hh, doc, t, t->header)) < 0)
		goto done;
	if ((error = sb_pdf_need(doc, hh + sb_pdf_line_height(doc) + 2 * table_pad(t))) < 0)
		goto done;
	if (t->header)
		error = draw_row(doc, t, t->header, hh, 1);
done:
	doc->size = size;
	return error;
}

int sb_pdf_table_row(sb_pdf *doc, const sb_pdf_table *t, const char *const *cells)
{
	double size = doc->size, h, hh = 0;
	int error;

	if ((error = table_check(t)) < 0)
		return error;
	if (t->size > 0)
		doc->size = t->size;
	if ((error = row_height(&h, doc, t, cells)) < 0)
		goto done;
	if (t->header && (error = row_height(&hh, doc, t, t->header)) < 0)
		goto done;
	if (!doc->page || sb_pdf_remaining(doc) < h) {
		if (h + hh > SB_PDF_A4_HEIGHT - doc->top - doc->bottom) {
			error = sb_error_set(SB_EINVALID, "pdf: table row taller than a page");
			goto done;
		}
		if ((error = sb_pdf_page_add(doc)) < 0)
			goto done;
		if (t->header && (error = draw_row(doc, t, t->header, hh, 1)) < 0)
			goto done;
	}
	error = draw_row(doc, t, cells, h, 0);
done:
	doc->size = size;
	return error;
}

/* ---- page numbers and the seal -------------------------------------------------------- */

int sb_pdf_number_pages(sb_pdf *doc, double y, double size)
{
	HPDF_Page current = doc->page;
	double saved = doc->size, w;
	char text[64];
	size_t i;
	int error = 0;

	if (size > 0)
		doc->size = size;
	for (i = 0; i < doc->npages; i++) {
		snprintf(text, sizeof(text), "第 %zu 页 共 %zu 页", i + 1, doc->npages);
		doc->page = doc->pages[i];
		/* the graphics state of an earlier page is unknown here: write it again */
		memset(doc->page_fill, 0xFF, sizeof(doc->page_fill));
		memset(doc->page_stroke, 0xFF, sizeof(doc->page_stroke));
		doc->page_line_width = -1;
		if ((error = sb_pdf_text_width(&w, doc, text)) < 0 ||
		    (error = sb_pdf_text(doc, (SB_PDF_A4_WIDTH - w) / 2, y, text)) < 0)
			break;
	}
	doc->page = current;
	memset(doc->page_fill, 0xFF, sizeof(doc->page_fill));
	memset(doc->page_stroke, 0xFF, sizeof(doc->page_stroke));
	doc->page_line_width = -1;
	doc->size = saved;
	return error;
}

int sb_pdf_seal(sb_pdf *doc, double cx, double cy, double r, const char *name)
{
	/* A people's government's seal (国务院 国发〔1999〕25号): round, red, the star in the
	 * centre, the name along the upper arc from left to right. */
	static const int red[3] = { 215, 0, 15 };
	const double max_sweep = 240.0 * M_PI / 180.0;
	int fill[3], stroke[3], error;
	double lw = doc->line_width, size = doc->size, s, rt = 0, step = 0, sweep, ring;
	double star[20];
	uchar *c = NULL;
	size_t n, i, k, count = 0;

	if ((error = decode(&c, &n, doc->glyphs, doc->fontset, name ? name : "")) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (!is_space(c[i].cp) && c[i].font >= 0)
			count++;
	if (count == 0 || count > SEAL_MAX_CHARS) {
		free(c);
		return sb_error_set(SB_EINVALID, "seal: the name must have 1 to %d characters",
		                    SEAL_MAX_CHARS);
	}
	if (!(r > 0)) {
		free(c);
		return sb_error_set(SB_EUSAGE, "seal: radius must be positive");
	}
	if ((error = drawable(doc, "seal")) < 0) {
		free(c);
		return error;
	}
	memcpy(fill, doc->fill, sizeof(fill));
	memcpy(stroke, doc->stroke, sizeof(stroke));
	sb_pdf_set_fill(doc, red[0], red[1], red[2]);
	sb_pdf_set_stroke(doc, red[0], red[1], red[2]);

	ring = r * 0.05;
	doc->line_width = ring;
	if ((error = sb_pdf_circle(doc, cx, cy, r - ring / 2, SB_PDF_STROKE)) < 0)
		goto done;

	for (k = 0; k < 10; k++) {
		double a = M_PI / 2 + (double)k * M_PI / 5, rr = (k % 2) ? r * 0.30 * 0.382 : r * 0.30;
		star[2 * k] = cx + rr * cos(a);
		star[2 * k + 1] = cy - rr * sin(a);
	}
	if ((error = sb_pdf_polygon(doc, star, 10, SB_PDF_FILL)) < 0)
		goto done;

	/* Characters as large as the band allows, shrunk until the name fits 240 degrees,
	 * spread up to 1.5 character widths apart as seal engravers do for short names. */
	s = r * 0.27;
	for (k = 0; k < 8; k++) {
		rt = r - ring - r * 0.05 - s * 0.5;
		step = s * 1.05 / rt;
		if (count == 1 || step * (double)(count - 1) <= max_sweep)
			break;
		s *= max_sweep / (step * (double)(count - 1));
	}
	if (count > 1) {
		double spread = max_sweep / (double)(count - 1);
		if (spread > s * 1.5 / rt)
			spread = s * 1.5 / rt;
		if (spread > step)
			step = spread;
	}
	sweep = step * (double)(count - 1);
	doc->size = s;
	apply_state(doc);
	HPDF_Page_BeginText(doc->page);
	for (i = 0, k = 0; i < n; i++) {
		double theta, phi, w, ox, oy, cs, sn;
		HPDF_Font font;
		char one[8];
		if (is_space(c[i].cp) || c[i].font < 0)
			continue;
		theta = M_PI / 2 + sweep / 2 - (double)k * step;
		phi = theta - M_PI / 2;
		cs = cos(phi);
		sn = sin(phi);
		w = c[i].w * s / 1000.0;
		/* glyph origin: the character's centre (half its advance, 0.38 em above the
		 * baseline for an ideograph) placed on the arc, rotated to face outwards */
		ox = cx + rt * cos(theta) - (cs * w / 2 - sn * s * 0.38);
		oy = (SB_PDF_A4_HEIGHT - cy) + rt * sin(theta) - (sn * w / 2 + cs * s * 0.38);
		if ((error = doc_font(&font, doc, c[i].font)) < 0)
			break;
		doc->used[c[i].cp >> 8] = 1;
		memcpy(one, name + c[i].off, c[i].len);
		one[c[i].len] = '\0';
		HPDF_Page_SetFontAndSize(doc->page, font, (HPDF_REAL)s);
		HPDF_Page_SetTextMatrix(doc->page, (HPDF_REAL)cs, (HPDF_REAL)sn, (HPDF_REAL)-sn,
		                        (HPDF_REAL)cs, (HPDF_REAL)ox, (HPDF_REAL)oy);
		HPDF_Page_ShowText(doc->page, one);
		k++;
	}
	HPDF_Page_EndText(doc->page);
	if (error == 0)
		error = hpdf_status(doc, "seal");
done:
	memcpy(doc->fill, fill, sizeof(fill));
	memcpy(doc->stroke, stroke, sizeof(stroke));
	doc->line_width = lw;
	doc->size = size;
	free(c);
	return error;
}

/* ---- deflating the font streams ------------------------------------------------------- */

/*
 * libharu deflates, in every document, each font's CIDToGIDMap (128 KB over the whole BMP)
 * and its embedded font file, at zlib's default level: half the CPU time of a contract.
 * For one font both are the same in every document but for the glyph outlines drawn (glyf,
 * loca) and the few bytes that sum them (head, the table directory). So documents leave
 * font streams plain (no HPDF_COMP_METADATA) and sb_pdf_save_mem deflates them: a stream is
 * cut into pieces, the map whole and a font file by tables; a piece that repeats is
 * deflated once per font set and kept, the others each time. The stream written is a zlib
 * header, the pieces as raw deflate each ending with a sync flush (byte-aligned, not
 * final), an empty final block and the Adler-32 of the whole: one valid zlib stream.
 */
struct packed_piece {
	unsigned char *plain, *packed;
	size_t plain_len, packed_len;
	uLong adler;
};

/* At most this many pieces kept per set: a contract batch keeps 2 for the set's font and
 * a few more for each prepared font a rare character brings in. */
#define PIECES_MAX 48

static void pieces_free(struct packed_piece *pieces, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(pieces[i].plain);
		free(pieces[i].packed);
	}
	free(pieces);
}

/* Raw deflate of p[0..n) ending with a sync flush, in *out (caller frees). */
static int deflate_piece(unsigned char **out, size_t *out_len, const unsigned char *p, size_t n)
{
	z_stream z;
	unsigned char *buf = NULL;
	size_t cap;
	int error = 0;

	*out = NULL;
	*out_len = 0;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return sb_error_set(SB_ENOMEM, "pdf: save: zlib: out of memory");
	/* the bound of a whole stream, plus room for the sync flush's empty stored block */
	cap = deflateBound(&z, (uLong)n) + 16;
	if (!(buf = sb__malloc(cap))) {
		error = SB_ENOMEM;
		goto done;
	}
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in != 0 || z.avail_out == 0) {
		error = sb_error_set(SB_ERROR, "pdf: save: zlib failed");
		goto done;
	}
	*out = buf;
	*out_len = cap - z.avail_out;
	buf = NULL;
done:
	deflateEnd(&z);
	free(buf);
	return error;
}

/* Append the deflated piece p[0..n) to out and fold it into *adler; a piece that may
 * repeat (`keep`) is looked up in, or added to, the set's kept pieces. */
static int pack_piece(sb_buf *out, uLong *adler, sb_pdf_fontset *fs, const unsigned char *p, size_t n, int keep)
{
	struct packed_piece *pc, *np;
	unsigned char *packed = NULL;
	size_t i, packed_len;
	uLong a;
	int error;

	if (n == 0)
		return 0;
	keep = keep && fs;
	if (keep) {
		pthread_mutex_lock(&fs->lock);
		for (i = 0; i < fs->npieces; i++) {
			pc = &fs->pieces[i];
			if (pc->plain_len == n && memcmp(pc->plain, p, n) == 0) {
				sb__buf_put(out, pc->packed, pc->packed_len);
				*adler = adler32_combine(*adler, pc->adler, (z_off_t)n);
				pthread_mutex_unlock(&fs->lock);
				return 0;
			}
		}
		pthread_mutex_unlock(&fs->lock);
	}
	if ((error = deflate_piece(&packed, &packed_len, p, n)) < 0)
		return error;
	a = adler32(adler32(0, NULL, 0), p, (uInt)n);
	sb__buf_put(out, packed, packed_len);
	*adler = adler32_combine(*adler, a, (z_off_t)n);
	if (keep)
		pthread_mutex_lock(&fs->lock);
	/* another thread may have kept the same piece meanwhile: a duplicate is harmless */
	if (keep && fs->npieces < PIECES_MAX) {
		/* not kept when memory is short: only the saving is lost */
		if ((np = realloc(fs->pieces, (fs->npieces + 1) * sizeof(*np))) != NULL) {
			fs->pieces = np;
			pc = &np[fs->npieces];
			if ((pc->plain = malloc(n)) != NULL) {
				memcpy(pc->plain, p, n);
				pc->plain_len = n;
				pc->packed = packed;
				pc->packed_len = packed_len;
				pc->adler = a;
				fs->npieces++;
				packed = NULL;
			}
		}
	}
	if (keep)
		pthread_mutex_unlock(&fs->lock);
	free(packed);
	return 0;
}

/* Tables of an embedded font that change with the glyphs a document draws. */
static int table_varies(const unsigned char *tag)
{
	return memcmp(tag, "glyf", 4) == 0 || memcmp(tag, "loca", 4) == 0 || memcmp(tag, "head", 4) == 0;
}

/* Start a new piece at `off` unless the last one has the same `keep`. */
static int cut_at(size_t *cut, int *keep, size_t *n, size_t off, int k)
{
	if (keep[*n - 1] == k)
		return 0;
	if (*n + 1 >= 32)
		return -1;
	cut[*n] = off;
	keep[*n] = k;
	(*n)++;
	return 0;
}

/*
 * Cut a TrueType font file into runs of tables that vary per document and runs that
 * repeat; `glyf_common` bytes at the start of glyf repeat too (the set's common glyphs).
 * Piece i is [cut[i], cut[i + 1]), keep[i] says whether it repeats; returns the number of
 * pieces, 0 when the file is not laid out as libharu writes it (tables in offset order).
 */
static size_t font_cuts(size_t cut[32], int keep[32], const unsigned char *f, size_t len, size_t glyf_common)
{
	size_t ntables, i, n = 1, off, tlen, prev = 0;
	const unsigned char *e;

	if (len < 12 || (ntables = be16(f + 4)) == 0 || 12 + 16 * ntables > len)
		return 0;
	cut[0] = 0;
	keep[0] = 0; /* the table directory */
	for (i = 0; i < ntables; i++) {
		e = f + 12 + 16 * i;
		off = be32(e + 8);
		tlen = be32(e + 12);
		if (off < prev || off < 12 + 16 * ntables || off > len || tlen > len - off)
			return 0;
		prev = off;
		if (memcmp(e, "glyf", 4) == 0 && glyf_common > 0 && glyf_common < tlen) {
			if (cut_at(cut, keep, &n, off, 1) < 0 || cut_at(cut, keep, &n, off + glyf_common, 0) < 0)
				return 0;
		} else if (cut_at(cut, keep, &n, off, !table_varies(e)) < 0) {
			return 0;
		}
	}
	cut[n] = len;
	return n;
}

/*
 * How many bytes at the start of a font file's glyf table are the set's common glyphs:
 * when the file is a subset of the set's font (the same cmap), the offset of glyph
 * common_end in its loca. 0 otherwise.
 */
static size_t set_glyf_common(const sb_pdf_fontset *fs, const unsigned char *f, size_t len)
{
	size_t co, cl, so, sl, ho, hl, lo, ll, at;

	if (!fs || fs->state != FS_BUILT || fs->common_end < 2 ||
	    tt_table(&co, &cl, f, len, "cmap") < 0 || tt_table(&so, &sl, fs->font, fs->font_len, "cmap") < 0 ||
	    cl != sl || memcmp(f + co, fs->font + so, cl) != 0 ||
	    tt_table(&ho, &hl, f, len, "head") < 0 || hl < 54 || tt_table(&lo, &ll, f, len, "loca") < 0)
		return 0;
	if (be16(f + ho + 50) == 1) {
		at = 4 * (size_t)fs->common_end;
		return at + 4 <= ll ? be32(f + lo + at) : 0;
	}
	at = 2 * (size_t)fs->common_end;
	return at + 2 <= ll ? 2 * (size_t)be16(f + lo + at) : 0;
}

/* The zlib stream of a font stream: a font file (`font`) cut by tables, anything else
 * (the CIDToGIDMap) as one piece kept. */
static int pack_stream(sb_buf *out, sb_pdf_fontset *fs, const unsigned char *p, size_t n, int font)
{
	size_t cut[32], i, pieces = 0;
	int keep[32], error = 0;
	uLong adler = adler32(0, NULL, 0);
	unsigned char tail[6] = { 0x03, 0x00 }; /* an empty final block of fixed codes */

	sb__buf_put(out, "\x78\x9c", 2);
	if (font)
		pieces = font_cuts(cut, keep, p, n, set_glyf_common(fs, p, n));
	if (pieces == 0) {
		cut[0] = 0;
		cut[1] = n;
		keep[0] = !font;
		pieces = 1;
	}
	for (i = 0; i < pieces && error == 0; i++)
		error = pack_piece(out, &adler, fs, p + cut[i], cut[i + 1] - cut[i], keep[i]);
	put32(tail + 2, (uint32_t)adler);
	sb__buf_put(out, tail, sizeof tail);
	return error < 0 ? error : sb__buf_failed(out);
}

/* ---- saving --------------------------------------------------------------------------- */

/* The ToUnicode CMap the document needs: identity (CID = Unicode, as libharu's UTF-8 mode
 * numbers characters) over the blocks drawn, as bfranges, which may not cross a block. */
static void tounicode_cmap(sb_buf *b, const sb_pdf *doc)
{
	size_t blocks = 0, done = 0, i;

	for (i = 0; i < 256; i++)
		blocks += doc->used[i];
	sb__buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
	             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	             "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
	             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (i = 0; i < 256; i++) {
		if (!doc->used[i])
			continue;
		if (done % 100 == 0) /* at most 100 entries per section */
			sb__buf_printf(b, "%zu beginbfrange\n", blocks - done < 100 ? blocks - done : 100);
		sb__buf_printf(b, "<%02zX00> <%02zXFF> <%02zX00>\n", i, i, i);
		if (++done % 100 == 0 || done == blocks)
			sb__buf_puts(b, "endbfrange\n");
	}
	sb__buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* Mark in kind[] the objects a key refers to ("/Key N 0 R"). */
static int mark_refs(unsigned char *kind, size_t nobj, const char *p, size_t end, const char *key, unsigned char k)
{
	size_t kl = strlen(key), n;
	const char *q;
	char *e;

	for (q = p; (q = memmem(q, (size_t)(p + end - q), key, kl)) != NULL; q += kl) {
		n = strtoul(q + kl, &e, 10);
		if (n == 0 || n >= nobj)
			return -1;
		kind[n] = k;
	}
	return 0;
}

enum { OBJ_COPY = 0, OBJ_TOUNICODE, OBJ_MAP, OBJ_FONTFILE };

/*
 * A plain font stream object of libharu, "N 0 obj\n<<\n/Length M 0 R\n...>>\nstream\r\n"
 * data "\nendstream...": where its dictionary's keys and its data lie, and M. 0 when it
 * is not that (already filtered, or laid out otherwise): it is then copied as it is.
 */
static int plain_stream(size_t *out_keys, size_t *out_keys_end, size_t *out_data, size_t *out_len,
                        size_t *out_lenobj, const char *p, size_t from, size_t stop, const size_t *off,
                        size_t nobj)
{
	const char *o = p + from, *d, *s, *l;
	size_t m, len;
	char *e;

	if (!(d = memmem(o, stop - from, "<<\n", 3)) || !(s = memmem(d, (size_t)(p + stop - d), ">>\nstream\r\n", 11)))
		return 0;
	if (memmem(d, (size_t)(s - d), "/Filter", 7) || !(l = memmem(d, (size_t)(s - d), "/Length ", 8)))
		return 0;
	m = strtoul(l + 8, &e, 10);
	if (strncmp(e, " 0 R", 4) != 0 || m == 0 || m >= nobj || off[m] <= from)
		return 0;
	/* the length object: "M 0 obj\n123\nendobj" */
	if (!(l = memmem(p + off[m], 24, " 0 obj\n", 7)))
		return 0;
	len = strtoul(l + 7, &e, 10);
	if (*e != '\n' || (size_t)(s + 11 - p) + len + 10 > stop || memcmp(s + 11 + len, "\nendstream", 10) != 0)
		return 0;
	*out_keys = (size_t)(d + 3 - p);
	*out_keys_end = (size_t)(s - p);
	*out_data = (size_t)(s + 11 - p);
	*out_len = len;
	*out_lenobj = m;
	return 1;
}

/*
 * Finish libharu's bytes. libharu 2.3.0 writes as ToUnicode the encoding CMap of its UTF-8
 * mode (begincidrange), which is not a ToUnicode CMap: poppler warns and other readers may
 * not map text back to Unicode (copy, search, accessibility); each ToUnicode stream is
 * rewritten with a correct one. The font streams libharu left plain (CIDToGIDMap,
 * FontFile2) are deflated (pack_stream), their length objects updated. The
 * cross-reference table is renumbered. libharu's output is plain: a classic xref table,
 * objects in order, font dictionaries uncompressed.
 */
static int finish_bytes(sb_buf *out, const unsigned char *pdf, size_t len, sb_pdf *doc)
{
	const char *p = (const char *)pdf, *sx, *q;
	size_t xref, newxref, nobj = 0, i, *off = NULL, *newoff = NULL, *newlen = NULL;
	size_t keys, keys_end, data, dlen, lenobj;
	unsigned char *kind = NULL;
	sb_buf cmap = SB_BUF_INIT;
	char *end;
	int error = 0;

	if (len < 64 || !(sx = memmem(p + len - 64, 64, "startxref", 9)))
		goto bad;
	xref = strtoul(sx + 9, &end, 10);
	if (xref >= len || memcmp(p + xref, "xref\n0 ", 7) != 0)
		goto bad;
	nobj = strtoul(p + xref + 7, &end, 10);
	if (*end != '\n' || nobj < 2 || (size_t)(end + 1 - p) + nobj * 20 > len)
		goto bad;
	q = end + 1;
	if (!(off = sb__calloc(nobj, sizeof(*off))) || !(newoff = sb__calloc(nobj, sizeof(*newoff))) ||
	    !(newlen = sb__calloc(nobj, sizeof(*newlen))) || !(kind = sb__calloc(nobj, 1))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 1; i < nobj; i++) {
		off[i] = strtoul(q + 20 * i, &end, 10);
		if (end != q + 20 * i + 10 || off[i] >= xref || (i > 1 && off[i] <= off[i - 1]))
			goto bad;
	}
	if (mark_refs(kind, nobj, p, xref, "/ToUnicode ", OBJ_TOUNICODE) < 0 ||
	    mark_refs(kind, nobj, p, xref, "/CIDToGIDMap ", OBJ_MAP) < 0 ||
	    mark_refs(kind, nobj, p, xref, "/FontFile2 ", OBJ_FONTFILE) < 0)
		goto bad;
	tounicode_cmap(&cmap, doc);
	if ((error = sb__buf_failed(&cmap)) < 0)
		goto done;
	sb__buf_put(out, p, off[1]);
	for (i = 1; i < nobj; i++) {
		size_t stop = i + 1 < nobj ? off[i + 1] : xref, at;
		newoff[i] = out->len;
		if (kind[i] == OBJ_TOUNICODE) {
			sb__buf_printf(out, "%zu 0 obj\n<<\n/Length %zu\n>>\nstream\n", i, cmap.len);
			sb__buf_put(out, cmap.ptr, cmap.len);
			sb__buf_puts(out, "endstream\nendobj\n");
		} else if (kind[i] >= OBJ_MAP &&
		           plain_stream(&keys, &keys_end, &data, &dlen, &lenobj, p, off[i], stop, off, nobj)) {
			sb__buf_put(out, p + off[i], keys - off[i]);
			sb__buf_put(out, p + keys, keys_end - keys);
			sb__buf_puts(out, "/Filter [ /FlateDecode ]\n>>\nstream\r\n");
			at = out->len;
			if (doc->map_taken && kind[i] == OBJ_MAP && dlen == sizeof SET_MAP_MARK - 1 &&
			    memcmp(pdf + data, SET_MAP_MARK, dlen) == 0)
				error = pack_stream(out, doc->fontset, doc->fontset->map, doc->fontset->map_len, 0);
			else
				error = pack_stream(out, doc->fontset, pdf + data, dlen, kind[i] == OBJ_FONTFILE);
			if (error < 0)
				goto done;
			newlen[lenobj] = out->len - at;
			sb__buf_put(out, p + data + dlen, stop - (data + dlen));
		} else if (newlen[i]) {
			sb__buf_printf(out, "%zu 0 obj\n%zu\nendobj\n", i, newlen[i]);
		} else {
			/* a map cut to the marker must be put back, or the page loses its glyphs */
			if (kind[i] == OBJ_MAP && doc->map_taken &&
			    memmem(p + off[i], stop - off[i], SET_MAP_MARK, sizeof SET_MAP_MARK - 1))
				goto bad;
			sb__buf_put(out, p + off[i], stop - off[i]);
		}
	}
	newxref = out->len;
	q = strchr(p + xref + 5, '\n') + 1;
	sb__buf_put(out, p + xref, (size_t)(q - (p + xref)));
	for (i = 0; i < nobj; i++) {
		sb__buf_printf(out, "%010zu", i ? newoff[i] : (size_t)0);
		sb__buf_put(out, q + 20 * i + 10, 10);
	}
	sx = q + 20 * nobj;
	if (sx > p + len || !(q = memmem(sx, (size_t)(p + len - sx), "startxref", 9)))
		goto bad;
	sb__buf_put(out, sx, (size_t)(q - sx));
	sb__buf_printf(out, "startxref\n%zu\n%%%%EOF\n", newxref);
	error = sb__buf_failed(out);
	goto done;
bad:
	error = sb_error_set(SB_ERROR, "pdf: save: unexpected libharu output");
done:
	sb__buf_free(&cmap);
	free(off);
	free(newoff);
	free(newlen);
	free(kind);
	return error;
}

int sb_pdf_save_mem(unsigned char **out, size_t *out_len, sb_pdf *doc)
{
	unsigned char *buf = NULL;
	HPDF_UINT32 size, got, total = 0;
	int error = 0;

	*out = NULL;
	*out_len = 0;
	if (!doc->npages)
		return sb_error_set(SB_ESTATE, "pdf: save: the document has no page");
	if (!doc->saved) {
		/* libharu writes the font subsets as it saves; saving twice is not safe, so the
		 * bytes are kept and the document is final from here on */
		if ((error = fault("save")) < 0)
			return error;
		HPDF_SaveToStream(doc->hpdf);
		if ((error = hpdf_status(doc, "save")) < 0)
			return error;
		size = HPDF_GetStreamSize(doc->hpdf);
		if (!(buf = sb__malloc(size ? size : 1)))
			return SB_ENOMEM;
		HPDF_ResetStream(doc->hpdf);
		while (total < size) {
			got = size - total;
			if (HPDF_ReadFromStream(doc->hpdf, buf + total, &got) != HPDF_OK && got == 0)
				break;
			total += got;
		}
		doc->err = 0;
		HPDF_ResetError(doc->hpdf);
		if (total != size) {
			free(buf);
			return sb_error_set(SB_ERROR, "pdf: save: libharu returned %u of %u bytes",
			                    (unsigned)total, (unsigned)size);
		}
		{
			sb_buf fixed = SB_BUF_INIT;
			error = finish_bytes(&fixed, buf, size, doc);
			free(buf);
			if (error < 0) {
				sb__buf_free(&fixed);
				return error;
			}
			doc->saved_len = fixed.len;
			doc->saved = (unsigned char *)sb__buf_detach(&fixed);
		}
	}
	if (!(buf = sb__malloc(doc->saved_len)))
		return SB_ENOMEM;
	memcpy(buf, doc->saved, doc->saved_len);
	*out = buf;
	*out_len = doc->saved_len;
	return 0;
}

int sb_pdf_save_file(sb_pdf *doc, const char *path)
{
	unsigned char *bytes = NULL;
	size_t len;
	int error;

	if ((error = sb_pdf_save_mem(&bytes, &len, doc)) < 0)
		return error;
	error = sb__write_file(path, bytes, len, 0644);
	free(bytes);
	return error;
}
