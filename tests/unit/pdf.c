/*
 * Unit tests of the PDF area: refusal of characters the fonts cannot draw, measuring against
 * libharu, Chinese line breaking at exact positions, tables across pages, the seal, saving,
 * libharu failures, the font streams deflated on saving, and the peers' view of the result
 * (pdftotext, pdffonts, pdfinfo, and pdftoppm for the ink test: every GB 2312 hanzi drawn in
 * a grid must leave ink in its cell).
 * It is not for the documents built on the area (notice, contract, payslip have their own).
 * Sample documents are left in tests/tmp/unit-pdf/ for a human to look at.
 */
#include "config.h"

#include <hpdf.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "common_internal.h"
#include "shuangbai.h"
#include "tap.h"

static const char *dir;

/* DIR/NAME; the last four results stay valid, so one command can name several files. */
static const char *tmp(const char *name)
{
	static char bufs[4][1024];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static const char *tool(const char *var)
{
	const char *p = getenv(var);
	return p && *p ? p : NULL;
}

/* Run a shell command and return its standard output (caller frees), NULL on failure. */
static char *run(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0, cap = 0, n;
	char buf[4096];

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = realloc(out, cap);
		}
		memcpy(out + len, buf, n);
		len += n;
	}
	if (pclose(f) != 0) {
		free(out);
		return NULL;
	}
	if (!out)
		out = calloc(1, 1);
	else
		out[len] = '\0';
	return out;
}

static sb_pdf *new_doc(void)
{
	sb_pdf_info info = { "测试文档", "双百", NULL, "2026-11-29T08:30:00" };
	sb_pdf *doc = NULL;
	if (sb_pdf_new(&doc, &info) < 0 || sb_pdf_page_add(doc) < 0) {
		printf("Bail out! %s\n", sb_error_last());
		exit(1);
	}
	return doc;
}

static void test_check(void)
{
	is_int(sb_pdf_check_text("张三 ABC-123，（甲方）《合同》“引号”…·é ǚ ①"), 0, "Chinese, Latin, pinyin and punctuation accepted");
	is_int(sb_pdf_check_text("𠀀"), SB_EINVALID, "U+20000 refused");
	has_msg("character U+20000 '𠀀' cannot be drawn", "message names U+20000 and the character");
	has_msg("Basic Multilingual Plane", "message says why");
	is_int(sb_pdf_check_text("김"), SB_EINVALID, "Hangul (not in the fonts) refused");
	has_msg("character U+AE40 '김' cannot be drawn: the embedded font has no glyph", "message names U+AE40");
	is_int(sb_pdf_check_text("王\x07"), SB_EINVALID, "control character refused");
	has_msg("U+0007", "message names U+0007");
	is_int(sb_pdf_check_text("王\xE4\xB8"), SB_EINVALID, "cut UTF-8 refused");
	has_msg("malformed UTF-8 at byte 4", "message names the byte");
	is_int(sb_pdf_check_text("\xC0\xAF"), SB_EINVALID, "overlong UTF-8 refused");
	is_int(sb_pdf_check_text("\xED\xA0\x80"), SB_EINVALID, "surrogate refused");
	is_int(sb_pdf_check_text("喆堃玥䶮龘"), 0, "rare name characters (GBK, Extension A) accepted");
}

static void test_measure(void)
{
	static const char *samples[] = { "A", "Hello, World!", "0123456789", "ID 44010319900101123X",
		                         "{[()]} ~@#$%^&*_+=|\\/<>?'\"`", "abcdefghijklmnopqrstuvwxyz" };
	char font[1024];
	sb_pdf *doc = new_doc();
	HPDF_Doc h = HPDF_New(NULL, NULL);
	HPDF_Page page;
	HPDF_Font f;
	const char *name;
	double w;
	size_t i;

	snprintf(font, sizeof(font), "%s/shuangbai-00.ttf",
	         getenv("SHUANGBAI_FONTDIR") ? getenv("SHUANGBAI_FONTDIR") : SB_BUILDFONTDIR);
	HPDF_UseUTFEncodings(h);
	HPDF_SetCurrentEncoder(h, "UTF-8");
	name = HPDF_LoadTTFontFromFile(h, font, HPDF_TRUE);
	ok(name != NULL, "libharu loads %s", font);
	f = HPDF_GetFont(h, name, "UTF-8");
	page = HPDF_AddPage(h);
	HPDF_Page_SetFontAndSize(page, f, 10);
	sb_pdf_set_size(doc, 10);
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		double theirs = HPDF_Page_TextWidth(page, samples[i]);
		is_int(sb_pdf_text_width(&w, doc, samples[i]), 0, samples[i]);
		ok(fabs(w - theirs) < 1e-3, "width of '%s' matches libharu (%.4f vs %.4f)", samples[i], w, theirs);
	}
	HPDF_Free(h);
	is_int(sb_pdf_text_width(&w, doc, "中华人民共和国"), 0, "CJK width");
	ok(fabs(w - 70.0) < 1e-9, "7 ideographs at 10 pt are 70 pt (got %.4f)", w);
	is_int(sb_pdf_text_width(&w, doc, "名𠀀"), SB_EINVALID, "measuring refuses too");
	sb_pdf_free(doc);
}

/* Wrap and compare the lines, joined by "|". */
static void wraps(sb_pdf *doc, const char *text, double width, double indent, const char *want,
                  const char *name)
{
	sb_pdf_line *lines = NULL;
	size_t n, i;
	sb_buf b = SB_BUF_INIT;
	int error = sb_pdf_wrap(&lines, &n, doc, text, width, indent);

	for (i = 0; error == 0 && i < n; i++) {
		if (i)
			sb__buf_putc(&b, '|');
		sb__buf_put(&b, text + lines[i].start, lines[i].len);
		if (lines[i].width > width + 1e-9)
			sb__buf_puts(&b, "<too wide>");
	}
	sb__buf_putc(&b, '\0');
	is_str(error == 0 ? b.ptr : sb_error_last(), want, name);
	sb__buf_free(&b);
	free(lines);
}

static void test_wrap(void)
{
	sb_pdf *doc = new_doc();
	double w;

	sb_pdf_set_size(doc, 10); /* an ideograph is 10 pt wide */
	wraps(doc, "一二三四五六七八九十", 50, 0, "一二三四五|六七八九十", "ideographs break anywhere");
	wraps(doc, "一二三四五，六七", 50, 0, "一二三四|五，六七", "no comma at a line start: 五 moves down");
	wraps(doc, "一二三四五。", 50, 0, "一二三四|五。", "no full stop at a line start");
	wraps(doc, "一二三四五）六", 50, 0, "一二三四|五）六", "no closing bracket at a line start");
	wraps(doc, "一二三四五》》六", 60, 0, "一二三四|五》》六", "two closing marks stay with the character");
	wraps(doc, "一二三四（五）六", 50, 0, "一二三四|（五）六", "no opening bracket at a line end");
	wraps(doc, "一二三《四五》六", 40, 0, "一二三|《四五》|六", "no opening title mark at a line end");
	wraps(doc, "一二三四“五”", 50, 0, "一二三四|“五”", "no opening quote at a line end");
	wraps(doc, "甲乙丙丁12345", 60, 0, "甲乙丙丁|12345", "a number stays whole");
	wraps(doc, "一二\n三四", 100, 0, "一二|三四", "newline breaks");
	wraps(doc, "一二\n\n三", 100, 0, "一二||三", "empty line kept");
	wraps(doc, "一二三四五六", 50, 20, "一二三|四五六", "first-line indent");
	wraps(doc, "", 50, 0, "", "empty text has no lines");
	sb_pdf_text_width(&w, doc, "hello world");
	wraps(doc, "hello world foo", w + 0.5, 0, "hello world|foo", "Latin breaks at spaces");
	wraps(doc, "中𠀀", 50, 0, "character U+20000 '𠀀' cannot be drawn: outside the Basic "
	      "Multilingual Plane, which the PDF library cannot embed", "wrap refuses");
	sb_pdf_free(doc);
}

static void test_long_word(void)
{
	sb_pdf *doc = new_doc();
	sb_pdf_line *lines = NULL;
	size_t n = 0, i;
	int fine = 1;

	sb_pdf_set_size(doc, 10);
	is_int(sb_pdf_wrap(&lines, &n, doc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 50, 0), 0, "long word wraps");
	ok(n > 1, "a word wider than the line is cut (%zu lines)", n);
	for (i = 0; i < n; i++)
		fine &= lines[i].width <= 50 && lines[i].len > 0;
	ok(fine, "every cut piece fits");
	free(lines);
	sb_pdf_free(doc);
}

/* The tail of a notice and a contract page with the seal, to be looked at. */
static void sample_documents(void)
{
	static const double widths[] = { 40, 90, 60, 130, 50, 50, 50 };
	static const int align[] = { SB_PDF_CENTER, SB_PDF_LEFT, SB_PDF_CENTER, SB_PDF_CENTER,
		                     SB_PDF_RIGHT, SB_PDF_RIGHT, SB_PDF_RIGHT };
	static const char *header[] = { "序号", "岗位", "姓名", "身份证号", "笔试", "面试", "总成绩" };
	sb_pdf_table t = { 7, widths, header, align, 0, 10, 0 };
	sb_pdf *doc = new_doc();
	char serial[16], written[16];
	const char *row[7];
	unsigned char *bytes = NULL;
	size_t len;
	char *text, cmd[2048];
	int i, error = 0;

	sb_pdf_set_size(doc, 18);
	sb_pdf_para(doc, "2026年广东省“双百工程”社会工作者招录拟聘用人员公示", SB_PDF_CENTER, 0);
	sb_pdf_set_size(doc, 11);
	sb_pdf_space(doc, 6);
	sb_pdf_para(doc, "根据《广东省“双百工程”社会工作者招录公告》，经笔试、面试、体检和考察，现将拟聘用人员名单予以公示（公示期为5个工作日），如有异议，请于公示期内向招录工作领导小组办公室反映。", SB_PDF_LEFT, 22);
	sb_pdf_space(doc, 6);
	error |= sb_pdf_table_begin(doc, &t);
	for (i = 1; i <= 60; i++) {
		snprintf(serial, sizeof(serial), "%d", i);
		snprintf(written, sizeof(written), "%d.%02d", 60 + i % 30, i % 100);
		row[0] = serial;
		row[1] = i % 7 == 0 ? "越秀区北京街道社会工作服务站（综合岗）" : "荔湾区沙面街道社工站";
		row[2] = i % 5 == 0 ? "欧阳丽娜" : i % 11 == 0 ? "阿依古丽·买买提" : "张喆";
		row[3] = "440103********123X";
		row[4] = written;
		row[5] = "86.60";
		row[6] = "79.48";
		error |= sb_pdf_table_row(doc, &t, row);
	}
	is_int(error, 0, "notice sample drawn");
	ok(sb_pdf_page_count(doc) >= 2, "60 rows run over %d pages", sb_pdf_page_count(doc));
	is_int(sb_pdf_number_pages(doc, SB_PDF_A4_HEIGHT - 36, 9), 0, "pages numbered");
	is_int(sb_pdf_save_file(doc, tmp("notice.pdf")), 0, "notice saved");
	sb_pdf_save_mem(&bytes, &len, doc);
	ok(len < 150 * 1024, "notice of 60 rows is %zu bytes", len);
	free(bytes);
	sb_pdf_free(doc);
	if (tool("PDFTOTEXT")) {
		snprintf(cmd, sizeof(cmd), "'%s' -f 2 -l 2 '%s' - 2>/dev/null", tool("PDFTOTEXT"), tmp("notice.pdf"));
		text = run(cmd);
		ok(text && strstr(text, "身份证号") && strstr(text, "总成绩"), "header repeated on page 2");
		ok(text && (strstr(text, "第 2 页") || strstr(text, "第2页共")), "page number on page 2");
		free(text);
	}

	doc = new_doc();
	sb_pdf_set_size(doc, 20);
	sb_pdf_para(doc, "劳动合同书", SB_PDF_CENTER, 0);
	sb_pdf_set_size(doc, 12);
	sb_pdf_space(doc, 10);
	sb_pdf_para(doc, "甲方（用人单位）：广州市越秀区北京街道办事处\n乙方（劳动者）：欧阳丽娜\n身份证号：440103199001011234", SB_PDF_LEFT, 0);
	sb_pdf_space(doc, 8);
	sb_pdf_para(doc, "第一条 本合同为固定期限劳动合同，期限自2026年12月1日起至2029年11月30日止，其中试用期自2026年12月1日起至2027年1月31日止。乙方在试用期内的工资为每月人民币3,520.00元，不低于本合同约定工资的百分之八十，也不低于当地最低工资标准。", SB_PDF_LEFT, 24);
	sb_pdf_para(doc, "第二条 乙方同意根据甲方工作需要，在社会工作服务站（点）从事社会工作服务，工作地点为广州市越秀区北京街道。", SB_PDF_LEFT, 24);
	sb_pdf_space(doc, 30);
	sb_pdf_need(doc, 160);
	{
		double y = sb_pdf_cursor(doc);
		sb_pdf_text(doc, 80, y, "甲方（盖章）：");
		sb_pdf_text(doc, 340, y, "乙方（签字）：");
		sb_pdf_text(doc, 80, y + 90, "2026年11月29日");
		is_int(sb_pdf_seal(doc, 160, y + 40, 60, "广州市越秀区北京街道办事处"), 0, "seal drawn");
		is_int(sb_pdf_seal(doc, 420, y + 40, 45, "沙面街道"), 0, "short seal drawn");
	}
	is_int(sb_pdf_save_file(doc, tmp("contract.pdf")), 0, "contract sample saved");
	sb_pdf_save_mem(&bytes, &len, doc);
	ok(len < 150 * 1024, "contract page is %zu bytes", len);
	free(bytes);
	sb_pdf_free(doc);
}

/* Every cross-reference entry points at its object (the ToUnicode rewrite moved them). */
static void check_xref(const unsigned char *pdf, size_t len, const char *name)
{
	const char *p = (const char *)pdf, *x;
	size_t sx, n, i, bad = 0;
	char want[32], *end;

	x = memmem(p + len - 40, 40, "startxref", 9);
	sx = x ? strtoul(x + 9, NULL, 10) : len;
	if (sx >= len || memcmp(p + sx, "xref\n0 ", 7) != 0) {
		ok(0, "%s: xref found", name);
		return;
	}
	n = strtoul(p + sx + 7, &end, 10);
	for (i = 1; i < n; i++) {
		size_t off = strtoul(end + 1 + 20 * i, NULL, 10);
		int wl = snprintf(want, sizeof(want), "%zu 0 obj", i);
		bad += off >= len || memcmp(p + off, want, (size_t)wl) != 0;
	}
	ok(n > 5 && bad == 0, "%s: %zu xref entries, %zu wrong", name, n, bad);
}

static void test_peers(void)
{
	sb_pdf *doc = new_doc();
	char cmd[2048], *out;
	const char *text = "乙方：欧阳丽娜 身份证号 440103199001011234 工资 3,520.00 元 喆";

	sb_pdf_text(doc, 72, 72, text);
	sb_pdf_text(doc, 72, 100, "䶮");
	is_int(sb_pdf_save_file(doc, tmp("peers.pdf")), 0, "saved");
	{
		unsigned char *bytes = NULL;
		size_t len = 0;
		sb_pdf_save_mem(&bytes, &len, doc);
		check_xref(bytes, len, "two fonts");
		free(bytes);
	}
	sb_pdf_free(doc);
	if (tool("PDFTOTEXT")) {
		snprintf(cmd, sizeof(cmd), "'%s' '%s' - 2>&1", tool("PDFTOTEXT"), tmp("peers.pdf"));
		out = run(cmd);
		ok(out && strstr(out, text), "pdftotext returns the text drawn");
		ok(out && strstr(out, "䶮"), "pdftotext returns an Extension A character");
		ok(out && !strstr(out, "Warning") && !strstr(out, "Error"), "poppler has no complaint (ToUnicode rewritten)");
		free(out);
	} else {
		ok(1, "# SKIP pdftotext missing");
		ok(1, "# SKIP pdftotext missing");
	}
	if (tool("PDFFONTS")) {
		char *line, *save = NULL;
		int fonts = 0, good = 0;
		snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>/dev/null", tool("PDFFONTS"), tmp("peers.pdf"));
		out = run(cmd);
		for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
			if (!strstr(line, "CID TrueType"))
				continue;
			fonts++;
			/* name type encoding emb sub uni: "Identity-H       yes yes yes" */
			good += strstr(line, "+ShuangbaiSans") && strstr(line, "Identity-H       yes yes yes");
		}
		ok(fonts >= 2 && good == fonts, "pdffonts: %d fonts, %d embedded and subset", fonts, good);
		free(out);
	} else {
		ok(1, "# SKIP pdffonts missing");
	}
	if (tool("PDFINFO")) {
		snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>/dev/null", tool("PDFINFO"), tmp("peers.pdf"));
		out = run(cmd);
		ok(out && strstr(out, "测试文档"), "pdfinfo shows the Chinese title");
		ok(out && strstr(out, "2026") && strstr(out, "08:30:00"), "creation date from the parameter");
		free(out);
	}
}

/* GB 2312 rows 16-87 are the 6,763 hanzi (row 55 has 89). */
static size_t gb2312_hanzi(char *out, size_t cap)
{
	iconv_t cd = iconv_open("UTF-8", "GB2312");
	size_t len = 0, count = 0;
	int row, col;

	for (row = 16; row <= 87; row++) {
		for (col = 1; col <= 94; col++) {
			char in[2] = { (char)(0xA0 + row), (char)(0xA0 + col) }, *ip = in, *op = out + len;
			size_t il = 2, ol = cap - len - 1;
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
				iconv(cd, NULL, NULL, NULL, NULL);
				continue;
			}
			len = (size_t)(op - out);
			count++;
		}
	}
	out[len] = '\0';
	iconv_close(cd);
	return count;
}

#define INK_COLS 40
#define INK_ROWS 56
#define INK_CELL 13.0
#define INK_X0 30.0
#define INK_Y0 40.0
#define INK_DPI 100

/* Read a binary PGM (P5) as written by pdftoppm -gray. */
static unsigned char *read_pgm(const char *path, int *w, int *h)
{
	FILE *f = fopen(path, "rb");
	unsigned char *px = NULL;
	int maxval, c;

	if (!f)
		return NULL;
	if (fscanf(f, "P5 %d %d %d", w, h, &maxval) != 3 || maxval != 255) {
		fclose(f);
		return NULL;
	}
	c = fgetc(f); /* the one whitespace after the header */
	(void)c;
	px = malloc((size_t)*w * (size_t)*h);
	if (px && fread(px, 1, (size_t)*w * (size_t)*h, f) != (size_t)*w * (size_t)*h) {
		free(px);
		px = NULL;
	}
	fclose(f);
	return px;
}

static void test_ink(void)
{
	static char text[6763 * 3 + 1];
	size_t count = gb2312_hanzi(text, sizeof(text)), i, per_page = INK_COLS * INK_ROWS;
	size_t blank = 0, checked = 0, pages;
	sb_pdf *doc = NULL;
	char cmd[2048], first_blank[64] = "";
	int error = 0;
	const char *p = text;

	is_int(count, 6763, "iconv gives the 6,763 GB 2312 hanzi");
	if (!tool("PDFTOPPM")) {
		ok(1, "# SKIP pdftoppm missing");
		return;
	}
	doc = new_doc();
	sb_pdf_set_size(doc, 10);
	sb_pdf_set_leading(doc, 1.0);
	for (i = 0; i < count; i++) {
		char one[4];
		size_t cell = i % per_page;
		if (i > 0 && cell == 0)
			error |= sb_pdf_page_add(doc);
		memcpy(one, p, 3);
		one[3] = '\0';
		p += 3;
		error |= sb_pdf_text(doc, INK_X0 + (double)(cell % INK_COLS) * INK_CELL + 1.5,
		                     INK_Y0 + (double)(cell / INK_COLS) * INK_CELL + 1.5, one);
	}
	is_int(error, 0, "all 6,763 drawn");
	pages = (size_t)sb_pdf_page_count(doc);
	is_int(sb_pdf_save_file(doc, tmp("gb2312.pdf")), 0, "grid saved");
	sb_pdf_free(doc);
	snprintf(cmd, sizeof(cmd), "'%s' -gray -r %d '%s' '%s' 2>/dev/null", tool("PDFTOPPM"), INK_DPI,
	         tmp("gb2312.pdf"), tmp("grid"));
	is_int(system(cmd), 0, "pdftoppm rasterises the grid");
	for (size_t pg = 0; pg < pages; pg++) {
		char name[64];
		int w = 0, h = 0;
		unsigned char *px;
		snprintf(name, sizeof(name), "grid-%zu.pgm", pg + 1);
		if (!(px = read_pgm(tmp(name), &w, &h))) {
			/* pdftoppm pads the page number to the width of the page count */
			snprintf(name, sizeof(name), "grid-%02zu.pgm", pg + 1);
			px = read_pgm(tmp(name), &w, &h);
		}
		if (!px) {
			ok(0, "read %s", name);
			return;
		}
		for (size_t cell = 0; cell < per_page && pg * per_page + cell < count; cell++) {
			double k = INK_DPI / 72.0;
			int x0 = (int)ceil((INK_X0 + (double)(cell % INK_COLS) * INK_CELL) * k) + 1;
			int y0 = (int)ceil((INK_Y0 + (double)(cell / INK_COLS) * INK_CELL) * k) + 1;
			int x1 = (int)floor((INK_X0 + (double)(cell % INK_COLS + 1) * INK_CELL) * k) - 1;
			int y1 = (int)floor((INK_Y0 + (double)(cell / INK_COLS + 1) * INK_CELL) * k) - 1;
			int ink = 0;
			for (int y = y0; y < y1 && y < h; y++)
				for (int x = x0; x < x1 && x < w; x++)
					ink += px[(size_t)y * (size_t)w + (size_t)x] < 128;
			checked++;
			if (ink < 4) {
				size_t idx = pg * per_page + cell;
				if (!blank)
					snprintf(first_blank, sizeof(first_blank), "%.3s (cell %zu)", text + 3 * idx, idx);
				blank++;
			}
		}
		free(px);
	}
	is_int(checked, 6763, "every cell checked");
	if (!tap_ok(blank == 0, __FILE__, __LINE__, "ink in every one of the 6,763 cells"))
		printf("#   %zu blank, first %s\n", blank, first_blank);
}

/* The ink checker itself must see a blank cell: a grid with one space. */
static void test_ink_checker(void)
{
	sb_pdf *doc;
	char cmd[2048], name[64];
	int w = 0, h = 0, ink[2] = { 0, 0 };
	unsigned char *px;

	if (!tool("PDFTOPPM"))
		return;
	doc = new_doc();
	sb_pdf_set_size(doc, 10);
	sb_pdf_text(doc, 100, 100, "永");
	sb_pdf_text(doc, 120, 100, "　");
	sb_pdf_save_file(doc, tmp("checker.pdf"));
	sb_pdf_free(doc);
	snprintf(cmd, sizeof(cmd), "'%s' -gray -r %d '%s' '%s' 2>/dev/null", tool("PDFTOPPM"), INK_DPI,
	         tmp("checker.pdf"), tmp("checker"));
	if (system(cmd) != 0)
		return;
	snprintf(name, sizeof(name), "checker-1.pgm");
	if (!(px = read_pgm(tmp(name), &w, &h))) {
		ok(0, "read %s", name);
		return;
	}
	for (int c = 0; c < 2; c++)
		for (int y = 139; y < 156; y++)
			for (int x = (100 + 20 * c) * 100 / 72; x < (113 + 20 * c) * 100 / 72; x++)
				ink[c] += px[y * w + x] < 128;
	ok(ink[0] >= 4 && ink[1] == 0, "checker sees ink for 永 (%d) and none for a space (%d)", ink[0], ink[1]);
	free(px);
}

static void test_tables(void)
{
	static const double widths[] = { 100, 100 };
	static const char *header[] = { "姓名", "备注" };
	sb_pdf_table t = { 2, widths, header, NULL, 0, 0, 0 };
	sb_pdf_table bad = { 0, NULL, NULL, NULL, 0, 0, 0 };
	const char *row[2] = { "张三", "한국" };
	static char tall[40000];
	sb_pdf *doc = new_doc();
	double y;
	size_t i;

	is_int(sb_pdf_table_begin(doc, &bad), SB_EUSAGE, "table without columns refused");
	is_int(sb_pdf_table_begin(doc, &t), 0, "table begun");
	y = sb_pdf_cursor(doc);
	is_int(sb_pdf_table_row(doc, &t, row), SB_EINVALID, "row with Hangul refused");
	has_msg("column 2: character U+D55C '한'", "message names the column and character");
	ok(sb_pdf_cursor(doc) == y, "nothing drawn for the refused row");
	for (i = 0; i + 3 < sizeof(tall); i += 3)
		memcpy(tall + i, "长", 3);
	row[1] = tall;
	is_int(sb_pdf_table_row(doc, &t, row), SB_EINVALID, "row taller than a page refused");
	has_msg("taller than a page", "message says so");
	sb_pdf_free(doc);
}

static void test_seal_and_state(void)
{
	sb_pdf *doc = NULL;
	sb_pdf_info info = { NULL, NULL, NULL, "2026-02-30" };
	unsigned char *a = NULL, *b = NULL;
	size_t la, lb;
	static char long_name[200];

	is_int(sb_pdf_new(&doc, &info), SB_EINVALID, "impossible date refused");
	has_msg("2026-02-30", "message names the date");
	ok(doc == NULL, "no document on failure");
	info.date = "2026-11-29";
	is_int(sb_pdf_new(&doc, &info), 0, "document");
	is_int(sb_pdf_text(doc, 10, 10, "无页"), SB_ESTATE, "drawing before a page refused");
	is_int(sb_pdf_save_mem(&a, &la, doc), SB_ESTATE, "saving without a page refused");
	sb_pdf_page_add(doc);
	is_int(sb_pdf_seal(doc, 100, 100, 50, ""), SB_EINVALID, "empty seal name refused");
	for (size_t i = 0; i < 41; i++)
		memcpy(long_name + 3 * i, "街", 3);
	is_int(sb_pdf_seal(doc, 100, 100, 50, long_name), SB_EINVALID, "41-character seal name refused");
	is_int(sb_pdf_seal(doc, 100, 100, 50, "𠀀街道办事处"), SB_EINVALID, "seal name with U+20000 refused");
	has_msg("U+20000", "seal message names the character");
	is_int(sb_pdf_seal(doc, 300, 300, 50, "沙面街道办事处"), 0, "seal");
	is_int(sb_pdf_save_mem(&a, &la, doc), 0, "saved");
	is_int(sb_pdf_save_mem(&b, &lb, doc), 0, "saved again");
	ok(la == lb && memcmp(a, b, la) == 0, "same bytes twice");
	is_int(sb_pdf_text(doc, 10, 10, "晚"), SB_ESTATE, "drawing after saving refused");
	free(a);
	free(b);
	sb_pdf_free(doc);

	/* the same drawing with the same date gives the same bytes */
	for (int k = 0; k < 2; k++) {
		doc = NULL;
		sb_pdf_new(&doc, &info);
		sb_pdf_page_add(doc);
		sb_pdf_para(doc, "同样的内容，同样的日期。", SB_PDF_LEFT, 24);
		sb_pdf_save_mem(k ? &b : &a, k ? &lb : &la, doc);
		sb_pdf_free(doc);
	}
	ok(a && b && la == lb && memcmp(a, b, la) == 0, "output is reproducible");
	free(a);
	free(b);
}

/* Fail the Nth libharu call in turn: each failure is an error with a message, never a crash
 * or leak (the sanitizer build checks the leaks). */
static void test_faults(void)
{
	int n, failures = 0, finished = 0, bad = 0;

	for (n = 1; n < 200 && !finished; n++) {
		char spec[32];
		sb_pdf *doc = NULL;
		unsigned char *bytes = NULL;
		size_t len;
		int error;
		snprintf(spec, sizeof(spec), "pdf:%d", n);
		setenv("SHUANGBAI_FAULT", spec, 1);
		sb__fault_reset();
		if ((error = sb_pdf_new(&doc, NULL)) == 0 && (error = sb_pdf_page_add(doc)) == 0 &&
		    (error = sb_pdf_para(doc, "故障注入测试（第一段）。", SB_PDF_LEFT, 0)) == 0 &&
		    (error = sb_pdf_seal(doc, 200, 200, 40, "测试街道")) == 0 &&
		    (error = sb_pdf_save_mem(&bytes, &len, doc)) == 0)
			finished = 1;
		else if (error != SB_ERROR || !strstr(sb_error_last(), "simulated failure"))
			bad++;
		else
			failures++;
		free(bytes);
		sb_pdf_free(doc);
	}
	unsetenv("SHUANGBAI_FAULT");
	sb__fault_reset();
	ok(finished && failures > 5 && bad == 0, "%d simulated libharu failures reported, then success", failures);
}

/* ---- font sets ------------------------------------------------------------------------ */

static const char *set_text[] = {
	"劳动合同书",
	"甲方：广州市荔湾区沙面街道办事处。乙方依照《中华人民共和国劳动合同法》订立本合同，"
	"月工资 3,520.00 元（试用期 2,816.00 元），自2026年12月1日起。",
	"乙方：欧阳丽娜 身份证号 440103199001011234",
};

/* Draw the same document with or without a font set; a character outside the set ("喆",
 * "䶮") must still be drawn, with the prepared fonts. */
static int set_doc(const char *path, sb_pdf_fontset *fs)
{
	sb_pdf *doc = new_doc();
	size_t i;
	int error = 0;

	if (fs && (error = sb_pdf_use_fontset(doc, fs)) < 0)
		goto done;
	sb_pdf_set_size(doc, 22);
	if ((error = sb_pdf_para(doc, set_text[0], SB_PDF_CENTER, 0)) < 0)
		goto done;
	sb_pdf_set_size(doc, 11);
	for (i = 1; i < 3; i++)
		if ((error = sb_pdf_para(doc, set_text[i], SB_PDF_LEFT, 22)) < 0)
			goto done;
	if ((error = sb_pdf_para(doc, "乙方签名：欧阳喆 䶮", SB_PDF_LEFT, 0)) < 0 ||
	    (error = sb_pdf_seal(doc, 400, 500, 60, "广州市荔湾区沙面街道办事处")) < 0 ||
	    (error = sb_pdf_number_pages(doc, 800, 9)) < 0)
		goto done;
	error = sb_pdf_save_file(doc, path);
done:
	sb_pdf_free(doc);
	return error;
}

static int count_entries(const char *path)
{
	char cmd[1200], *out;
	int n = -1;
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", path);
	if ((out = run(cmd)) != NULL)
		n = (int)strtol(out, NULL, 10);
	free(out);
	return n;
}

static void test_fontset(void)
{
	sb_pdf_fontset *fs = NULL;
	char cmd[4096], *a, *b, setdir[1024];
	const char *path;
	struct stat st;
	size_t i;

	setenv("TMPDIR", tmp("sets"), 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s'", tmp("sets"), tmp("sets"));
	ok(system(cmd) == 0, "font set: a TMPDIR of its own");
	is_int(sb_pdf_fontset_new(&fs), 0, "font set: new");
	for (i = 0; i < 3; i++)
		sb_pdf_fontset_add(fs, set_text[i]);
	is_int(sb_pdf_fontset_add(fs, "第页共 𠀀 \x01 \xff 广州市荔湾区沙面街道办事处签名"), 0,
	       "font set: characters the fonts cannot draw are skipped");
	ok(sb_pdf_fontset_path(fs) == NULL, "font set: no file before it is built");
	is_int(sb_pdf_fontset_build(fs), 0, "font set: built");
	path = sb_pdf_fontset_path(fs);
	ok(path && strstr(path, tmp("sets/shuangbai-font-")) == path, "font set: the file is under $TMPDIR: %s",
	   path ? path : "(none)");
	ok(path && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "font set: mode 0600");
	is_int(sb_pdf_fontset_add(fs, "晚"), SB_ESTATE, "font set: no characters after the build");
	is_int(set_doc(tmp("set-without.pdf"), NULL), 0, "font set: document drawn without the set");
	is_int(set_doc(tmp("set-with.pdf"), fs), 0, "font set: the same document drawn with it");
	if (tool("PDFTOTEXT")) {
		snprintf(cmd, sizeof(cmd), "'%s' '%s' - 2>&1", tool("PDFTOTEXT"), tmp("set-without.pdf"));
		a = run(cmd);
		snprintf(cmd, sizeof(cmd), "'%s' '%s' - 2>&1", tool("PDFTOTEXT"), tmp("set-with.pdf"));
		b = run(cmd);
		ok(a && b && strcmp(a, b) == 0 && strstr(b, "欧阳喆 䶮") && strstr(b, "3,520.00"),
		   "font set: pdftotext gives the same text, the characters outside the set included");
		free(a);
		free(b);
	} else {
		ok(1, "# SKIP pdftotext missing");
	}
	if (tool("PDFFONTS")) {
		snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>/dev/null", tool("PDFFONTS"), tmp("set-with.pdf"));
		a = run(cmd);
		ok(a && strstr(a, "+ShuangbaiSansSet ") && strstr(a, "+ShuangbaiSans06 ") && !strstr(a, "+ShuangbaiSans00 "),
		   "pdffonts: the set's font, and font 06 for 喆 and 䶮 (not in the set); no font 00");
		b = a;
		{
			int fonts = 0, good = 0;
			char *line, *save = NULL;
			for (line = a ? strtok_r(a, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
				if (strstr(line, "CID TrueType")) {
					fonts++;
					good += strstr(line, "Identity-H       yes yes yes") != NULL;
				}
			ok(fonts >= 2 && good == fonts, "pdffonts: %d fonts, %d embedded and subset", fonts, good);
		}
		free(b);
	} else {
		ok(1, "# SKIP pdffonts missing");
		ok(1, "# SKIP pdffonts missing");
	}
	if (tool("PDFTOPPM")) {
		/* same outlines at the same places: the same pixels */
		snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' -r 100 -gray set-without.pdf set-without && "
		         "'%s' -r 100 -gray set-with.pdf set-with && cmp -s set-without-1.pgm set-with-1.pgm",
		         dir, tool("PDFTOPPM"), tool("PDFTOPPM"));
		ok(system(cmd) == 0, "font set: the page looks the same (pdftoppm, identical pixels)");
	} else {
		ok(1, "# SKIP pdftoppm missing");
	}
	/* fontTools reads the file (checksums, directory, every table) and finds font 00's
	 * advances and outlines in it */
	if (path && system("/usr/bin/python3 -c 'import fontTools' 2>/dev/null") == 0) {
		const char *font00 = getenv("SHUANGBAI_FONTDIR") ? getenv("SHUANGBAI_FONTDIR") : SB_BUILDFONTDIR;
		snprintf(cmd, sizeof(cmd),
		         "/usr/bin/python3 - '%s' '%s/shuangbai-00.ttf' 2>&1 <<'PY'\n"
		         "import sys\n"
		         "from fontTools.ttLib import TTFont\n"
		         "s = TTFont(sys.argv[1], checkChecksums=2); f = TTFont(sys.argv[2])\n"
		         "s['glyf']; s['head']; s['maxp']; s['OS/2']; s['post']; s['name']\n"
		         "sc, fc = s.getBestCmap(), f.getBestCmap()\n"
		         "assert s['head'].unitsPerEm == f['head'].unitsPerEm\n"
		         "for ch in '劳欧阳3,A街': \n"
		         "  a, b = sc[ord(ch)], fc[ord(ch)]\n"
		         "  assert s['hmtx'][a] == f['hmtx'][b], ch\n"
		         "  assert s['glyf'][a].coordinates == f['glyf'][b].coordinates, ch\n"
		         "assert ord('喆') not in sc and ord('䶮') not in sc\n"
		         "assert s['name'].getDebugName(6) == 'ShuangbaiSansSet'\n"
		         "# libharu writes prep last; empty, it seeks to the end of its buffer (0x1033)\n"
		         "assert s.reader.tables['prep'].length > 0, 'empty prep'\n"
		         "assert f.reader.tables['prep'].length > 0, 'empty prep in font 00'\n"
		         "print('glyphs', len(s.getGlyphOrder()), 'chars', len(sc))\n"
		         "PY", path, font00);
		a = run(cmd);
		ok(a && strncmp(a, "glyphs ", 7) == 0, "fontTools opens the set's font, same advances and outlines: %s",
		   a ? a : "(failed)");
		free(a);
	} else {
		ok(1, "# SKIP python3-fonttools missing");
	}
	snprintf(setdir, sizeof(setdir), "%s", path ? path : "");
	if (strrchr(setdir, '/'))
		*strrchr(setdir, '/') = '\0';
	sb_pdf_fontset_free(fs);
	ok(setdir[0] && stat(setdir, &st) < 0, "font set: free removes its directory");
	sb_pdf_fontset_free(NULL);

	/* an unbuilt set builds when a document first uses it; a set built from nothing holds ASCII */
	fs = NULL;
	sb_pdf_fontset_new(&fs);
	{
		sb_pdf *doc = new_doc();
		is_int(sb_pdf_use_fontset(doc, fs), 0, "font set: built on first use");
		is_int(sb_pdf_text(doc, 72, 72, "ASCII only, 汉字 fall back"), 0, "font set: drawn");
		is_int(sb_pdf_use_fontset(doc, NULL), SB_ESTATE, "font set: a document keeps the set it drew with");
		sb_pdf_free(doc);
	}
	ok(sb_pdf_fontset_path(fs) != NULL, "font set: the file exists");
	sb_pdf_fontset_free(fs);
	is_int(count_entries(tmp("sets")), 0, "font set: nothing left in TMPDIR");

	/* Failing file operations and allocations while building: an error, nothing left over. */
	{
		static const char *const kinds[2] = { "io", "alloc" };
		int k;
		for (k = 0; k < 2; k++) {
			int n, failures = 0, finished = 0, bad = 0;
			for (n = 1; n < 200 && !finished; n++) {
				char spec[32];
				int error;
				fs = NULL;
				snprintf(spec, sizeof(spec), "%s:%d", kinds[k], n);
				setenv("SHUANGBAI_FAULT", spec, 1);
				sb__fault_reset();
				if ((error = sb_pdf_fontset_new(&fs)) == 0 &&
				    (error = sb_pdf_fontset_add(fs, set_text[1])) == 0 &&
				    (error = sb_pdf_fontset_build(fs)) == 0)
					finished = sb_pdf_fontset_path(fs) != NULL;
				else if (error != (k ? SB_ENOMEM : SB_EIO) || sb_pdf_fontset_path(fs) != NULL)
					bad++;
				else
					failures++;
				unsetenv("SHUANGBAI_FAULT");
				sb__fault_reset();
				sb_pdf_fontset_free(fs);
				if (count_entries(tmp("sets")) != 0)
					bad++;
			}
			ok(finished && failures >= 2 && bad == 0, "font set: %d simulated %s failures reported "
			   "cleanly, then success", failures, kinds[k]);
		}
	}
	unsetenv("TMPDIR");
}

/*
 * The stream of the object a key refers to ("/FontFile2 N 0 R") in a saved PDF: its raw
 * bytes and, inflated with zlib (which checks the Adler-32), its content. 0 on success.
 */
static int ref_stream(unsigned char **out_raw, size_t *out_raw_len, unsigned char **out_plain, size_t *out_plain_len,
                      const char *pdf, size_t len, const char *key)
{
	const char *k = memmem(pdf, len, key, strlen(key)), *o, *d, *s, *l;
	char head[32];
	unsigned long num, lnum, n;
	z_stream z;
	unsigned char *plain = NULL;
	size_t cap = 1 << 20;
	int rc;

	*out_raw = *out_plain = NULL;
	if (!k)
		return -1;
	num = strtoul(k + strlen(key), NULL, 10);
	snprintf(head, sizeof(head), "\n%lu 0 obj\n", num);
	if (!(o = memmem(pdf, len, head, strlen(head))) || !(s = memmem(o, (size_t)(pdf + len - o), ">>\nstream\r\n", 11)) ||
	    !(d = memmem(o, (size_t)(s - o), "/Filter [ /FlateDecode ]", 24)) ||
	    !(l = memmem(o, (size_t)(s - o), "/Length ", 8)))
		return -1;
	lnum = strtoul(l + 8, NULL, 10);
	snprintf(head, sizeof(head), "\n%lu 0 obj\n", lnum);
	if (!(l = memmem(pdf, len, head, strlen(head))))
		return -1;
	n = strtoul(l + strlen(head), NULL, 10);
	s += 11;
	if ((size_t)(s - pdf) + n > len || memcmp(s + n, "\nendstream", 10) != 0)
		return -1;
	memset(&z, 0, sizeof(z));
	if (!(plain = malloc(cap)) || inflateInit(&z) != Z_OK) {
		free(plain);
		return -1;
	}
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)n;
	z.next_out = plain;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	*out_plain_len = cap - z.avail_out;
	inflateEnd(&z);
	/* the whole stream, and nothing after its end */
	if (rc != Z_STREAM_END || z.avail_in != 0) {
		free(plain);
		return -1;
	}
	if (!(*out_raw = malloc(n))) {
		free(plain);
		return -1;
	}
	memcpy(*out_raw, s, n);
	*out_raw_len = n;
	*out_plain = plain;
	return 0;
}

/* Draw a short document with the set and two other names, saved to memory. */
static int names_doc(unsigned char **out, size_t *out_len, sb_pdf_fontset *fs, const char *name)
{
	sb_pdf *doc = new_doc();
	int error;

	if ((error = sb_pdf_use_fontset(doc, fs)) == 0 &&
	    (error = sb_pdf_para(doc, set_text[1], SB_PDF_LEFT, 22)) == 0 &&
	    (error = sb_pdf_para(doc, name, SB_PDF_LEFT, 0)) == 0)
		error = sb_pdf_save_mem(out, out_len, doc);
	sb_pdf_free(doc);
	return error;
}

/*
 * Font streams: libharu leaves them plain and saving deflates them, the set's pieces once
 * per set. Each must inflate (Adler-32 checked) to what the dictionary says; two documents
 * of one set share the deflated map byte for byte; the font file, deflated in pieces, is no
 * larger than one deflate of it would be, give or take; the characters every document has
 * get the set's first glyphs.
 */
static void test_packed_streams(void)
{
	sb_pdf_fontset *fs = NULL;
	unsigned char *pdf[2] = { NULL, NULL }, *raw[2][2], *plain[2][2];
	size_t len[2] = { 0, 0 }, rawl[2][2], plainl[2][2], bound;
	const char *names[2] = { "乙方：陈志国", "乙方：李晓明" };
	unsigned char *one = NULL;
	uLongf onel;
	char cmd[2048], *out;
	int d, k, good = 1;

	setenv("TMPDIR", tmp("sets"), 1);
	is_int(sb_pdf_fontset_new(&fs), 0, "packed: a set");
	sb_pdf_fontset_add(fs, set_text[1]);
	for (d = 0; d < 2; d++) {
		sb_pdf_fontset_next(fs);
		sb_pdf_fontset_add(fs, set_text[1]);
		sb_pdf_fontset_add(fs, names[d]);
	}
	is_int(sb_pdf_fontset_build(fs), 0, "packed: the set is built");
	is_int(sb_pdf_fontset_next(fs), SB_ESTATE, "packed: no next document once built");
	memset(raw, 0, sizeof(raw));
	memset(plain, 0, sizeof(plain));
	for (d = 0; d < 2; d++) {
		ok(names_doc(&pdf[d], &len[d], fs, names[d]) == 0, "packed: document %d saved", d + 1);
		for (k = 0; k < 2 && pdf[d]; k++)
			if (ref_stream(&raw[d][k], &rawl[d][k], &plain[d][k], &plainl[d][k], (const char *)pdf[d], len[d],
			               k ? "/FontFile2 " : "/CIDToGIDMap ") < 0)
				good = 0;
	}
	ok(good, "packed: the map and the font file of both documents are FlateDecode and inflate whole");
	if (good) {
		is_int((long)plainl[0][0], 131070, "packed: the map covers the BMP (2 bytes a CID)");
		ok(rawl[0][0] == rawl[1][0] && memcmp(raw[0][0], raw[1][0], rawl[0][0]) == 0,
		   "packed: both documents carry the same deflated map (%zu bytes)", rawl[0][0]);
		ok(plainl[0][0] == plainl[1][0] && memcmp(plain[0][0], plain[1][0], plainl[0][0]) == 0,
		   "packed: the same map inflated");
		{
			char want[32];
			snprintf(want, sizeof(want), "/Length1 %zu\n", plainl[0][1]);
			ok(memmem(pdf[0], len[0], want, strlen(want)) != NULL, "packed: the font file inflates to /Length1 (%zu)",
			   plainl[0][1]);
		}
		ok(plainl[0][1] != plainl[1][1] || memcmp(plain[0][1], plain[1][1], plainl[0][1]) != 0,
		   "packed: the two font subsets differ (other names)");
		bound = compressBound(plainl[0][1]);
		one = malloc(bound);
		onel = bound;
		k = one && compress2(one, &onel, plain[0][1], plainl[0][1], Z_DEFAULT_COMPRESSION) == Z_OK;
		ok(k && rawl[0][1] <= onel + onel / 20, "packed: the font file in pieces %zu bytes, in one deflate %lu",
		   rawl[0][1], (unsigned long)onel);
		free(one);
	} else {
		for (k = 0; k < 5; k++)
			ok(0, "packed: skipped, the streams did not inflate");
	}
	/* the set's own file: the characters of both documents before the others */
	if (sb_pdf_fontset_path(fs) && system("/usr/bin/python3 -c 'import fontTools' 2>/dev/null") == 0) {
		snprintf(cmd, sizeof(cmd),
		         "/usr/bin/python3 - '%s' 2>&1 <<'PY'\n"
		         "import sys\n"
		         "from fontTools.ttLib import TTFont\n"
		         "f = TTFont(sys.argv[1]); c = f.getBestCmap(); o = f.getGlyphOrder()\n"
		         "g = lambda ch: o.index(c[ord(ch)])\n"
		         "cs = set('%s') | set('乙方：')\n"
		         "common = [g(ch) for ch in cs]\n"
		         "other = [g(ch) for ch in '陈志国李晓明' if ch not in cs]\n"
		         "assert max(common) < min(other), (max(common), min(other))\n"
		         "assert sorted(common) == list(range(1, len(common) + 1)), 'not first'\n"
		         "print('common', len(common), 'other', len(other))\n"
		         "PY", sb_pdf_fontset_path(fs), set_text[1]);
		out = run(cmd);
		ok(out && strncmp(out, "common ", 7) == 0, "packed: the common characters have glyphs 1..n: %s",
		   out ? out : "(failed)");
		free(out);
	} else {
		ok(1, "# SKIP python3-fonttools missing");
	}
	/* without a set: the prepared font's streams deflated the same way */
	{
		sb_pdf *doc = new_doc();
		unsigned char *p = NULL, *r = NULL, *q = NULL;
		size_t pl = 0, rl = 0, ql = 0;
		good = sb_pdf_text(doc, 72, 72, "劳动合同书 ABC") == 0 && sb_pdf_save_mem(&p, &pl, doc) == 0;
		for (k = 0; k < 2 && good; k++) {
			good = ref_stream(&r, &rl, &q, &ql, (const char *)p, pl, k ? "/FontFile2 " : "/CIDToGIDMap ") == 0;
			free(r);
			free(q);
			r = q = NULL;
		}
		ok(good, "packed: without a set, the map and the font file inflate whole too");
		free(p);
		sb_pdf_free(doc);
	}
	for (d = 0; d < 2; d++) {
		free(pdf[d]);
		for (k = 0; k < 2; k++) {
			free(raw[d][k]);
			free(plain[d][k]);
		}
	}
	sb_pdf_fontset_free(fs);
	unsetenv("TMPDIR");
}

int main(void)
{
	dir = tap_tmpdir("pdf");
	test_check();
	test_measure();
	test_wrap();
	test_long_word();
	test_tables();
	test_seal_and_state();
	test_faults();
	test_peers();
	test_fontset();
	test_packed_streams();
	sample_documents();
	test_ink_checker();
	test_ink();
	return tap_done();
}
