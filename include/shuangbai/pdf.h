/*
 * The PDF area: a small document API over libharu with which every document of the program
 * is drawn (public notice, labour contract, payslip, round report). It embeds one subset CJK
 * TrueType font, measures text itself (UTF-8, per character), wraps paragraphs by measured
 * width with the Chinese line-breaking rules, lays out simple tables across pages, draws lines,
 * shapes and the township seal, and saves to memory (for signing) or to a file. Every string
 * is checked before anything is drawn: a character the font cannot draw is refused, never
 * dropped or replaced. It is not for the content of any document (the notice, contract and
 * payslip areas decide what to draw) nor for signing (the sign area works on the saved bytes).
 *
 * Coordinates are PDF points (1/72 inch; SB_PDF_MM converts millimetres), measured from the
 * TOP-LEFT corner of the page with y growing DOWNWARD, the way a form is read. A text line at
 * (x, y) occupies the box from y to y + line height; its baseline lies inside that box.
 * Drawing functions draw on the current page: the one last added by sb_pdf_page_add().
 *
 * The "flow" functions (sb_pdf_para, sb_pdf_table_*, sb_pdf_space, sb_pdf_need) lay out from
 * a cursor that runs down the current page between the margins and add a new page when the
 * next piece does not fit. The positioned functions (sb_pdf_text, sb_pdf_text_box, shapes,
 * sb_pdf_seal) ignore and keep the cursor.
 *
 * A document is not thread-safe; different documents may be used in different threads.
 */
#ifndef SHUANGBAI_PDF_H
#define SHUANGBAI_PDF_H

#include "common.h"

/** A4 portrait in points. */
#define SB_PDF_A4_WIDTH 595.276
#define SB_PDF_A4_HEIGHT 841.890
/** Millimetres to points. */
#define SB_PDF_MM(mm) ((mm) * 72.0 / 25.4)

/** Horizontal alignment of text in its width. */
enum { SB_PDF_LEFT = 0, SB_PDF_CENTER = 1, SB_PDF_RIGHT = 2 };

/** How a shape is painted. */
enum { SB_PDF_STROKE = 1, SB_PDF_FILL = 2, SB_PDF_FILL_STROKE = 3 };

/** A PDF document being drawn (opaque). */
typedef struct sb_pdf sb_pdf;

/** Document information, all strings UTF-8; any member may be NULL. */
typedef struct {
	const char *title;   /* /Title, e.g. "2026年双百社工招录拟聘用人员公示" */
	const char *author;  /* /Author, e.g. the issuing authority */
	const char *subject; /* /Subject */
	/* /CreationDate and /ModDate, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (UTC). NULL: today
	 * (SHUANGBAI_TODAY when set) at 00:00:00. Nothing else in the file depends on the clock,
	 * so the same drawing with the same date gives the same bytes. */
	const char *date;
} sb_pdf_info;

/**
 * Create an empty document with the embedded CJK font loaded, font size 12, leading 1.5,
 * margins 25 mm, black text and lines of 0.5 pt. Add a page before drawing.
 * @param out  the new document; free it with sb_pdf_free()
 * @param info document information, may be NULL
 * @return 0, SB_EINVALID (bad date or uncoverable info text), SB_EIO (font missing), SB_ENOMEM
 */
SB_EXTERN(int) sb_pdf_new(sb_pdf **out, const sb_pdf_info *info);

/** Free a document; NULL is fine. */
SB_EXTERN(void) sb_pdf_free(sb_pdf *doc);

/**
 * Add an A4 portrait page; it becomes the current page and the flow cursor moves to its top
 * margin. Font size, leading, colours and line width carry over.
 * @return 0 or an SB_E... code
 */
SB_EXTERN(int) sb_pdf_page_add(sb_pdf *doc);

/** Number of pages added so far. */
SB_EXTERN(int) sb_pdf_page_count(const sb_pdf *doc);

/**
 * Write "第 i 页 共 n 页" centred at y on every page (call once, after the last page).
 * @return 0 or an SB_E... code
 */
SB_EXTERN(int) sb_pdf_number_pages(sb_pdf *doc, double y, double size);

/* ---- text state ---------------------------------------------------------------------- */

/** Set the font size in points (> 0) for the text drawn next. */
SB_EXTERN(void) sb_pdf_set_size(sb_pdf *doc, double size);
/** The current font size in points. */
SB_EXTERN(double) sb_pdf_size(const sb_pdf *doc);
/** Set the line height as a multiple of the font size (default 1.5; at least 1). */
SB_EXTERN(void) sb_pdf_set_leading(sb_pdf *doc, double factor);
/** The height of one text line at the current size and leading, in points. */
SB_EXTERN(double) sb_pdf_line_height(const sb_pdf *doc);

/* ---- checking and measuring ---------------------------------------------------------- */

/**
 * Check that the font can draw every character of a UTF-8 string. Needs no document, so an
 * import can refuse a name before anything is drawn. Control characters other than "\n" and
 * "\t", malformed UTF-8, characters outside the Basic Multilingual Plane (which libharu 2.3.0
 * drops) and characters without a glyph are refused.
 * @return 0; SB_EINVALID with "character U+XXXX 'c' cannot be drawn: ..." (callers prefix
 *         the person or field with sb_error_prefix); SB_EIO if the font cannot be read
 */
SB_EXTERN(int) sb_pdf_check_text(const char *text);

/**
 * Width of a one-line UTF-8 string at the current font size, as the PDF viewer will draw it
 * (sum of the font's advance widths, in the 1/1000 em units written into the PDF).
 * "\n" and "\t" count as nothing here; use the wrapping functions for several lines.
 * @param out width in points
 * @return 0 or SB_EINVALID (a character the font cannot draw)
 */
SB_EXTERN(int) sb_pdf_text_width(double *out, const sb_pdf *doc, const char *text);

/** One line of wrapped text: bytes [start, start + len) of the string, and its width. */
typedef struct {
	size_t start;
	size_t len;   /* without the line's trailing spaces and newline */
	double width; /* points, at the size current when wrapped */
} sb_pdf_line;

/**
 * Wrap a UTF-8 string into lines no wider than `width` at the current font size. Breaks at
 * "\n"; otherwise between two CJK characters, or at spaces (a Latin word or number is kept
 * whole unless it is wider than a line). Chinese line-breaking rules (GB/T 15834 practice,
 * 禁则): no closing punctuation — ，。、；：？！）》」』】〕〉”’… and the like — at the start of
 * a line (the character before it moves down with it), and no opening bracket or quote —
 * （《「『【〔〈“‘ — at the end of a line (it moves down with the character it opens). Lines
 * never exceed `width` unless a single character is wider. An indent applies to the first
 * line of each "\n"-separated paragraph.
 * @param out       array of lines, caller frees with free(); NULL when text is ""
 * @param out_n     number of lines (0 for "")
 * @param width     available width in points (> 0)
 * @param indent    first-line indent in points (0 for none)
 * @return 0, SB_EINVALID (a character the font cannot draw), SB_ENOMEM
 */
SB_EXTERN(int) sb_pdf_wrap(sb_pdf_line **out, size_t *out_n, const sb_pdf *doc,
                           const char *text, double width, double indent);

/**
 * Height that sb_pdf_text_box() would use for this text: lines × line height.
 * @param out height in points
 * @return 0 or an SB_E... code as for sb_pdf_wrap()
 */
SB_EXTERN(int) sb_pdf_text_height(double *out, const sb_pdf *doc, const char *text, double width);

/* ---- positioned drawing (cursor unchanged) ------------------------------------------- */

/**
 * Draw one line of text with its line box's top-left corner at (x, y), in the fill colour.
 * Nothing is drawn if any character is refused.
 * @return 0 or SB_EINVALID (see sb_pdf_check_text) or another SB_E... code
 */
SB_EXTERN(int) sb_pdf_text(sb_pdf *doc, double x, double y, const char *text);

/**
 * Draw text wrapped to `width` (see sb_pdf_wrap) with its top at y, each line aligned in
 * the width. No page break: the caller has checked the height.
 * @param out_height height used in points (lines × line height); may be NULL
 * @return 0 or an SB_E... code; nothing drawn on SB_EINVALID
 */
SB_EXTERN(int) sb_pdf_text_box(double *out_height, sb_pdf *doc, double x, double y,
                               double width, const char *text, int align);

/* ---- flow layout (cursor, margins, page breaks) -------------------------------------- */

/** Set the page margins in points (top, right, bottom, left) for the flow functions. */
SB_EXTERN(void) sb_pdf_set_margins(sb_pdf *doc, double top, double right, double bottom, double left);
/** Width between the left and right margins, in points. */
SB_EXTERN(double) sb_pdf_content_width(const sb_pdf *doc);
/** The left margin, in points (where flow text starts). */
SB_EXTERN(double) sb_pdf_left(const sb_pdf *doc);
/** The flow cursor: y of the top of the next flowed piece on the current page. */
SB_EXTERN(double) sb_pdf_cursor(const sb_pdf *doc);
/** Move the flow cursor (e.g. after drawing something positioned). */
SB_EXTERN(void) sb_pdf_set_cursor(sb_pdf *doc, double y);
/** Height left between the cursor and the bottom margin, in points (may be negative). */
SB_EXTERN(double) sb_pdf_remaining(const sb_pdf *doc);

/**
 * Make sure `height` points are left above the bottom margin; otherwise add a page (the
 * cursor moves to its top). Use it to keep a block (a signature area, a seal) on one page.
 * @return 0 or an SB_E... code
 */
SB_EXTERN(int) sb_pdf_need(sb_pdf *doc, double height);

/** Move the cursor down by dy points (no page break; the next flowed piece breaks if needed). */
SB_EXTERN(void) sb_pdf_space(sb_pdf *doc, double dy);

/**
 * Flow a paragraph between the margins at the cursor: wrapped as sb_pdf_wrap, aligned,
 * with a first-line indent (a Chinese body paragraph uses 2 × the font size), continuing on
 * new pages as needed. The cursor moves below it.
 * @return 0 or an SB_E... code; on SB_EINVALID (checked first) nothing is drawn
 */
SB_EXTERN(int) sb_pdf_para(sb_pdf *doc, const char *text, int align, double indent);

/**
 * A simple ruled table, described by the caller and drawn row by row at the cursor. Cells
 * wrap in their column; a row that does not fit on the page moves to a new page and the
 * header row is drawn again above it. All pointers are the caller's and must stay valid
 * while rows are drawn.
 */
typedef struct {
	size_t ncols;
	const double *widths;        /* ncols column widths in points */
	const char *const *header;   /* ncols header cells (drawn on a grey ground), or NULL */
	const int *align;            /* ncols SB_PDF_LEFT/CENTER/RIGHT, or NULL: all left */
	double x;                    /* left edge in points; 0: the left margin */
	double size;                 /* font size of the cells; 0: the current size */
	double padding;              /* inside each cell, points; 0: 3 pt */
} sb_pdf_table;

/**
 * Start a table at the cursor: draw its header row (if any). A new page is added first when
 * the header and one line of body do not fit.
 * @return 0 or an SB_E... code (SB_EUSAGE for a malformed description)
 */
SB_EXTERN(int) sb_pdf_table_begin(sb_pdf *doc, const sb_pdf_table *t);

/**
 * Draw one body row of t->ncols UTF-8 cells (NULL cell = empty) at the cursor; the cursor
 * moves below it.
 * @return 0; SB_EINVALID naming the character and column when a cell cannot be drawn
 *         (nothing of the row is drawn), or when a single row is taller than a page
 */
SB_EXTERN(int) sb_pdf_table_row(sb_pdf *doc, const sb_pdf_table *t, const char *const *cells);

/* ---- graphics (positioned) ----------------------------------------------------------- */

/** Colour of text and filled shapes, 0–255 per channel. */
SB_EXTERN(void) sb_pdf_set_fill(sb_pdf *doc, int r, int g, int b);
/** Colour of lines and shape outlines, 0–255 per channel. */
SB_EXTERN(void) sb_pdf_set_stroke(sb_pdf *doc, int r, int g, int b);
/** Width of lines and outlines in points. */
SB_EXTERN(void) sb_pdf_set_line_width(sb_pdf *doc, double width);

/** A straight line from (x1, y1) to (x2, y2). @return 0 or an SB_E... code */
SB_EXTERN(int) sb_pdf_line_draw(sb_pdf *doc, double x1, double y1, double x2, double y2);
/** A rectangle with its top-left corner at (x, y). @param mode SB_PDF_STROKE/FILL/FILL_STROKE */
SB_EXTERN(int) sb_pdf_rect(sb_pdf *doc, double x, double y, double w, double h, int mode);
/** A circle around (cx, cy). @param mode SB_PDF_STROKE/FILL/FILL_STROKE */
SB_EXTERN(int) sb_pdf_circle(sb_pdf *doc, double cx, double cy, double r, int mode);
/**
 * A closed polygon through n points xy[0..2n-1] = x0, y0, x1, y1, ... (n >= 3).
 * @param mode SB_PDF_STROKE/FILL/FILL_STROKE
 */
SB_EXTERN(int) sb_pdf_polygon(sb_pdf *doc, const double *xy, size_t n, int mode);

/**
 * The township's seal (公章): a red ring of radius r around (cx, cy), the employer's name set
 * clockwise along the upper arc, reading left to right, and a five-pointed star in the middle,
 * as an official seal of a people's government is laid out. Drawn over what is there. Colours
 * and line width are restored afterwards.
 * @param name employer name, UTF-8, 1–40 characters (e.g. "广州市越秀区北京街道办事处")
 * @return 0; SB_EINVALID (empty, too long, or a character the font cannot draw)
 */
SB_EXTERN(int) sb_pdf_seal(sb_pdf *doc, double cx, double cy, double r, const char *name);

/* ---- font sets: one small font for a batch of documents ------------------------------ */

/**
 * A set of characters collected before a batch of documents is drawn, written once as a
 * small TrueType font that holds exactly those characters (and the printable ASCII ones).
 * A document that uses the set embeds that small font instead of the large prepared ones,
 * which makes drawing and saving it several times cheaper; characters outside the set are
 * still drawn with the prepared fonts. Widths and glyphs are the prepared fonts' own, so a
 * document looks and breaks lines exactly the same with or without a set (opaque).
 */
typedef struct sb_pdf_fontset sb_pdf_fontset;

/**
 * Create an empty font set.
 * @param out the new set; free it with sb_pdf_fontset_free() after the documents using it
 * @return 0 or SB_ENOMEM
 */
SB_EXTERN(int) sb_pdf_fontset_new(sb_pdf_fontset **out);

/**
 * Add the characters of a UTF-8 string to the set. Characters the fonts cannot draw and
 * malformed bytes are skipped here (drawing still refuses them).
 * @return 0; SB_EIO if the prepared fonts cannot be read; SB_ESTATE once the set is built
 */
SB_EXTERN(int) sb_pdf_fontset_add(sb_pdf_fontset *fs, const char *utf8);

/**
 * Begin the characters of another document of the batch: what sb_pdf_fontset_add() is given
 * from here until the next call belongs to it (and to the set). The characters every
 * document has (those added before the first call count for all) get the first glyphs of
 * the set's font, so that the part of the embedded font all documents share is compressed
 * once per set rather than once per document. Optional: without it the set works as
 * before, only saving is slower. Telling a character as common that a document then does
 * not draw costs only that saving, for that document.
 * @return 0; SB_ESTATE once the set is built
 */
SB_EXTERN(int) sb_pdf_fontset_next(sb_pdf_fontset *fs);

/**
 * Write the set's font: a file of mode 0600 in a private directory under $TMPDIR (or /tmp),
 * removed by sb_pdf_fontset_free(). Called by sb_pdf_use_fontset() when needed; call it
 * before sharing the set between threads. A build that fails leaves the set unbuilt. If the
 * prepared fonts cannot be combined (composite glyphs, different units per em, too many
 * characters for one font), no file is written and documents simply draw without the set.
 * @return 0, SB_EIO, SB_ENOMEM
 */
SB_EXTERN(int) sb_pdf_fontset_build(sb_pdf_fontset *fs);

/**
 * The path of the set's font file once built, or NULL (not built, or the set is not usable).
 * The string belongs to the set.
 */
SB_EXTERN(const char *) sb_pdf_fontset_path(const sb_pdf_fontset *fs);

/** Free a set and remove its font file and directory; NULL is fine. Free the documents
 *  that use it first. */
SB_EXTERN(void) sb_pdf_fontset_free(sb_pdf_fontset *fs);

/**
 * Draw the characters of the set with the set's font in this document from now on (building
 * the set first if needed); other characters use the prepared fonts as before. The set is
 * the caller's and must outlive the document. NULL stops using a set.
 * @return 0, or an error of sb_pdf_fontset_build()
 */
SB_EXTERN(int) sb_pdf_use_fontset(sb_pdf *doc, sb_pdf_fontset *fs);

/* ---- output -------------------------------------------------------------------------- */

/**
 * The document as PDF bytes (compressed streams, subset fonts), e.g. to sign them.
 * Saving makes the document final: it can be saved again (same bytes) but no longer drawn
 * on (SB_ESTATE).
 * @param out     the bytes, caller frees with free()
 * @param out_len their length
 * @return 0, SB_ESTATE (no page yet), SB_ENOMEM, SB_ERROR (libharu failed; message says why)
 */
SB_EXTERN(int) sb_pdf_save_mem(unsigned char **out, size_t *out_len, sb_pdf *doc);

/**
 * Save the document to a file atomically (temporary file and rename; mode 0644).
 * @return 0, SB_EIO, or an error of sb_pdf_save_mem()
 */
SB_EXTERN(int) sb_pdf_save_file(sb_pdf *doc, const char *path);

#endif
