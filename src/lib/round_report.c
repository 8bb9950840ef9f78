/*
 * The round report (招录情况报告) for provincial HR: per unit, and for the whole round, how
 * many applied, passed screening, sat and passed the written exam, the pass rate, the
 * shortlist's cut-off, how many were interviewed and proposed, histograms of written and
 * combined scores, and the distances of the stored placement; and the same drawn as a PDF of
 * figures and bar charts, one compact block per unit. Counts and bins are exact integers
 * (scores in hundredths, distances in tenths of a km); doubles appear only in drawing, for
 * bar heights and positions. Not for any rule of the round: everything here is read from what
 * the steps stored (round.c, round_exam.c) and from the placement area's stored result.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_internal.h"
#include "db_internal.h"
#include "round_internal.h"
#include "shuangbai/money.h"
#include "shuangbai/pdf.h"
#include "shuangbai/place.h"
#include "shuangbai/round.h"

/* ---- gathering ------------------------------------------------------------------------- */

static size_t score_bin(int64_t s)
{
	int64_t i = s < 0 ? 0 : s / SB_ROUND_REPORT_SCORE_BIN;
	return i >= SB_ROUND_REPORT_SCORE_BINS ? SB_ROUND_REPORT_SCORE_BINS - 1 : (size_t)i;
}

/* The smallest round width (1, 2, 5 × 10^k km) whose bins hold the longest distance. */
static int64_t distance_width(int64_t max_tenths)
{
	static const int64_t widths[] = { 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
	size_t i;
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++)
		if (max_tenths < widths[i] * SB_ROUND_REPORT_DISTANCE_BINS)
			return widths[i];
	return widths[sizeof(widths) / sizeof(widths[0]) - 1];
}

static void distance_add(sb_round_report_unit *x, int64_t tenths)
{
	int64_t i = tenths / x->distance_bin_tenths;
	x->distance_hist[i >= SB_ROUND_REPORT_DISTANCE_BINS ? SB_ROUND_REPORT_DISTANCE_BINS - 1 : i]++;
}

/* One application's part in a unit's figures (and the round's). */
static void app_add(sb_round_report_unit *x, int64_t *wsum, sb__stmt *st)
{
	x->applicants++;
	if (sb__stmt_int64(st, 1) != 1)
		return;
	x->eligible++;
	/* wstate: 0 absent (in any subject), 1 below the pass line, 2 passed (rule 3) */
	if (!sb__stmt_isnull(st, 2) && sb__stmt_int64(st, 2) >= 1) {
		int64_t w = sb__stmt_int64(st, 3);
		x->sat++;
		x->passed += sb__stmt_int64(st, 2) == 2;
		*wsum += w;
		x->written_hist[score_bin(w)]++;
	}
	if (sb__stmt_int64(st, 5) == 1) {
		int64_t total = sb__stmt_int64(st, 4);
		x->shortlisted++;
		if (*x->unit && (x->cutoff < 0 || total < x->cutoff))
			x->cutoff = total;
	}
	if (sb__stmt_int64(st, 6) == 1)
		x->interviewed++;
	if (!sb__stmt_isnull(st, 7))
		x->combined_hist[score_bin(sb__stmt_int64(st, 7))]++;
	if (strcmp(sb__stmt_text(st, 8), "proposed") == 0)
		x->proposed++;
}

static void unit_finish(sb_round_report_unit *x, int64_t wsum)
{
	x->pass_permille = x->sat ? sb__div_half_up((__int128)x->passed * 1000, x->sat) : -1;
	x->written_mean = x->sat ? sb__div_half_up(wsum, x->sat) : -1;
}

SB_EXTERN(void) sb_round_report_free(sb_round_report *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->nunits; i++)
		free(r->units[i].unit);
	free(r->units);
	free(r->total.unit);
	free(r->code);
	free(r->name);
	free(r);
}

static int place_figures(sb_round_report *r, sb_db *db, const sb__round_map *units)
{
	sb_place_row *rows = NULL;
	sb_place_method method = SB_PLACE_MERIT;
	size_t n = 0, i, pass;
	int error;

	if ((error = sb_place_stored(&rows, &n, &method, db, r->code)) < 0)
		return error;
	r->has_placement = n > 0;
	r->place_method = n == 0 ? "" : method == SB_PLACE_DISTANCE ? "distance" : "merit";
	/* first the counts and the longest distance, which fix each histogram's bin width */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			sb__round_ent *e = sb__round_map_get(units, rows[i].pool);
			sb_round_report_unit *x;
			if (!e)
				continue; /* a pool no longer among the posts: not this round's figure */
			x = &r->units[e->val];
			if (pass == 1) {
				if (rows[i].distance_tenths >= 0) {
					distance_add(x, rows[i].distance_tenths);
					distance_add(&r->total, rows[i].distance_tenths);
				}
				continue;
			}
			if (rows[i].distance_tenths < 0) {
				x->unplaced++;
				r->total.unplaced++;
				continue;
			}
			x->placed++;
			r->total.placed++;
			x->distance_total_tenths += rows[i].distance_tenths;
			r->total.distance_total_tenths += rows[i].distance_tenths;
			if (rows[i].distance_tenths > x->distance_max_tenths)
				x->distance_max_tenths = rows[i].distance_tenths;
			if (rows[i].distance_tenths > r->total.distance_max_tenths)
				r->total.distance_max_tenths = rows[i].distance_tenths;
		}
		if (pass == 0) {
			for (i = 0; i <= r->nunits; i++) {
				sb_round_report_unit *x = i < r->nunits ? &r->units[i] : &r->total;
				if (!x->placed)
					continue;
				x->distance_bin_tenths = distance_width(x->distance_max_tenths);
				x->distance_mean_tenths = sb__div_half_up(x->distance_total_tenths, x->placed);
			}
		}
	}
	sb_place_rows_free(rows, n);
	return 0;
}

SB_EXTERN(int) sb_round_report_get(sb_round_report **out, sb_db *db, const char *code)
{
	sb__round_policy *pol = NULL;
	sb__round_unit *units = NULL;
	sb__round_map postix = { 0 }, poolix = { 0 };
	sb_round_report *r = NULL;
	int64_t *wsum = NULL;
	size_t nunits = 0, u, j;
	sb__stmt *st;
	int error = 0, stage, row, isnew;

	*out = NULL;
	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_WRITTEN)
		return sb_error_set(SB_ESTATE, "round %s: not scored yet: `round written` must come first "
					       "(last step taken: `round %s`)",
				    code, sb__round_step_name(stage));
	if ((error = sb__round_enter(&pol, db, code, stage)) < 0 ||
	    (error = sb__round_units(&units, &nunits, db, code)) < 0)
		goto done;
	if (!(r = sb__calloc(1, sizeof(*r))) || !(r->units = sb__calloc(nunits + 1, sizeof(*r->units))) ||
	    !(wsum = sb__calloc(nunits + 1, sizeof(*wsum))) || !(r->code = sb__strdup(code)) ||
	    !(r->name = sb__strdup(pol->name)) || !(r->total.unit = sb__strdup(""))) {
		error = SB_ENOMEM;
		goto done;
	}
	memcpy(r->reference_date, pol->reference_date, sizeof(r->reference_date));
	r->stage = stage;
	r->last_step = sb__round_step_name(stage);
	r->ranked = stage >= SB_ROUND_RANK;
	r->written_pass = pol->written_pass;
	r->place_method = "";
	r->total.cutoff = -1;
	for (u = 0; u < nunits; u++) {
		sb_round_report_unit *x = &r->units[u];
		sb__round_ent *e;
		if (!(x->unit = sb__strdup(units[u].unit))) {
			error = SB_ENOMEM;
			goto done;
		}
		r->nunits++;
		x->is_pool = units[u].is_pool;
		x->posts = (int64_t)units[u].nposts;
		x->quota = units[u].quota;
		x->open_quota = units[u].open_quota;
		x->cutoff = -1;
		r->pools += x->is_pool;
		r->cancelled += x->open_quota == 0;
		r->total.posts += x->posts;
		r->total.quota += x->quota;
		r->total.open_quota += x->open_quota;
		for (j = 0; j < units[u].nposts; j++) {
			if (!(e = sb__round_map_put(&postix, units[u].posts[j].post_id, &isnew))) {
				error = SB_ENOMEM;
				goto done;
			}
			e->val = (int64_t)u;
		}
		if (x->is_pool) {
			if (!(e = sb__round_map_put(&poolix, x->unit, &isnew))) {
				error = SB_ENOMEM;
				goto done;
			}
			e->val = (int64_t)u;
		}
	}
	if ((error = sb__db_prepare(db, &st,
				    "SELECT post_id, eligible, wstate, written, written_total, shortlisted, istate, "
				    "combined, status FROM round_app WHERE round_code = ?1")) < 0 ||
	    (error = sb__stmt_bind_text(st, 1, code)) < 0)
		goto done;
	while ((row = sb__stmt_step(st)) > 0) {
		sb__round_ent *e = sb__round_map_get(&postix, sb__stmt_text(st, 0));
		if (!e)
			continue; /* every application names a post of the round (round apply) */
		app_add(&r->units[e->val], &wsum[e->val], st);
		app_add(&r->total, &wsum[nunits], st);
	}
	if (row < 0) {
		error = row;
		goto done;
	}
	for (u = 0; u < nunits; u++)
		unit_finish(&r->units[u], wsum[u]);
	unit_finish(&r->total, wsum[nunits]);
	if ((error = place_figures(r, db, &poolix)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	sb_round_report_free(r);
	free(wsum);
	sb__round_map_free(&postix);
	sb__round_map_free(&poolix);
	sb__round_units_free(units, nunits);
	sb__round_policy_free(pol);
	return error;
}

/* ---- drawing --------------------------------------------------------------------------- */

/* Page layout in points: A4 with 15 mm margins; a unit's block (a 16 pt title line, a
 * 30.5 pt table, 5 pt, the charts, 14 pt to the rule and below it) is at most BLOCK_H high, so
 * that five units fit on a page. */
#define MARGIN SB_PDF_MM(15)
#define CHART_GAP 12.0
#define UNIT_CHART_H 84.0
#define BLOCK_H 150.0

static const char *step_label(int stage)
{
	static const char *const labels[] = { "创建", "岗位", "报名", "资格审查", "笔试",
					      "入围面试", "面试", "排名", "体检考察" };
	return stage >= 0 && stage <= SB_ROUND_OUTCOME ? labels[stage] : "";
}

/* One line of text aligned in [x, x + width]. */
static int label(sb_pdf *doc, double x, double y, double width, int align, const char *text)
{
	double w = 0;
	int error;
	if (align != SB_PDF_LEFT) {
		if ((error = sb_pdf_text_width(&w, doc, text)) < 0)
			return error;
		x += align == SB_PDF_CENTER ? (width - w) / 2 : width - w;
	}
	return sb_pdf_text(doc, x, y, text);
}

/* The top of a bar chart's count axis: 2, 4, 6 or 10 × 10^k, at least the tallest bar, so
 * that the middle tick is a whole number. */
static int64_t axis_top(int64_t max)
{
	static const int64_t k[] = { 2, 4, 6, 10 };
	int64_t e = 1;
	size_t i;
	for (;;) {
		for (i = 0; i < 4; i++)
			if (k[i] * e >= max)
				return k[i] * e;
		e *= 10;
	}
}

enum { AXIS_SCORE = 0, AXIS_KM = 1 };

typedef struct {
	const char *title;
	const char *note;      /* right of the title, smaller; may be NULL */
	const int64_t *counts;
	size_t n;
	int axis;              /* AXIS_SCORE: bins of 5 points; AXIS_KM: bins of `bin` tenths */
	int64_t bin;
	size_t label_every;    /* a tick label every k bins */
	int64_t marker;        /* a value on the axis to mark in red (the pass line); -1 none */
	int r, g, b;           /* bar colour */
} chart;

static void tick_text(char *buf, size_t size, const chart *c, size_t i)
{
	if (c->axis == AXIS_SCORE)
		snprintf(buf, size, "%lld", (long long)((int64_t)i * SB_ROUND_REPORT_SCORE_BIN / 100));
	else
		snprintf(buf, size, "%lld", (long long)((int64_t)i * c->bin / 10));
}

/*
 * A bar chart in the box (x, y, w, h): title, count axis with 0, middle and top ticks, the
 * bars with their counts above, the value axis with its tick labels.
 */
static int chart_draw(sb_pdf *doc, double x, double y, double w, double h, const chart *c)
{
	const double left = x + 20, top = y + 17, pw = w - 24, base = y + h - 10, ph = base - top;
	const double bw = pw / (double)c->n;
	double lh;
	int64_t max = 0, axis;
	char buf[48];
	size_t i;
	int error;

	for (i = 0; i < c->n; i++)
		if (c->counts[i] > max)
			max = c->counts[i];
	axis = axis_top(max);
	sb_pdf_set_fill(doc, 0, 0, 0);
	sb_pdf_set_size(doc, 7);
	if ((error = sb_pdf_text(doc, x, y, c->title)) < 0)
		return error;
	if (c->note) {
		sb_pdf_set_size(doc, 6);
		if ((error = label(doc, x, y + 1, w - 4, SB_PDF_RIGHT, c->note)) < 0)
			return error;
	}
	sb_pdf_set_fill(doc, c->r, c->g, c->b);
	for (i = 0; i < c->n; i++) {
		double bh;
		if (c->counts[i] <= 0)
			continue;
		bh = ph * (double)c->counts[i] / (double)axis;
		if ((error = sb_pdf_rect(doc, left + (double)i * bw + 0.6, base - bh, bw - 1.2, bh, SB_PDF_FILL)) < 0)
			return error;
	}
	sb_pdf_set_fill(doc, 0, 0, 0);
	sb_pdf_set_stroke(doc, 0, 0, 0);
	sb_pdf_set_line_width(doc, 0.4);
	if ((error = sb_pdf_line_draw(doc, left, top, left, base)) < 0 ||
	    (error = sb_pdf_line_draw(doc, left, base, left + pw, base)) < 0)
		return error;
	sb_pdf_set_size(doc, 5.5);
	lh = sb_pdf_line_height(doc);
	for (i = 0; i <= 2; i++) {
		int64_t v = axis * (int64_t)i / 2;
		double yy = base - ph * (double)i / 2;
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
		if ((error = sb_pdf_line_draw(doc, left - 2, yy, left, yy)) < 0 ||
		    (error = label(doc, x, yy - lh / 2, left - x - 3, SB_PDF_RIGHT, buf)) < 0)
			return error;
	}
	for (i = 0; i <= c->n; i += c->label_every) {
		double xx = left + (double)i * bw;
		tick_text(buf, sizeof(buf), c, i);
		if ((error = sb_pdf_line_draw(doc, xx, base, xx, base + 2)) < 0 ||
		    (error = label(doc, xx - 15, base + 2, 30, SB_PDF_CENTER, buf)) < 0)
			return error;
	}
	sb_pdf_set_size(doc, 5);
	lh = sb_pdf_line_height(doc);
	for (i = 0; i < c->n; i++) {
		double bh;
		if (c->counts[i] <= 0)
			continue;
		bh = ph * (double)c->counts[i] / (double)axis;
		snprintf(buf, sizeof(buf), "%lld", (long long)c->counts[i]);
		if ((error = label(doc, left + (double)i * bw - 6, base - bh - lh, bw + 12, SB_PDF_CENTER, buf)) < 0)
			return error;
	}
	if (max == 0) {
		sb_pdf_set_size(doc, 7);
		sb_pdf_set_fill(doc, 128, 128, 128);
		error = label(doc, left, top + ph / 2 - 5, pw, SB_PDF_CENTER, "无数据");
		sb_pdf_set_fill(doc, 0, 0, 0);
		if (error < 0)
			return error;
	}
	if (c->marker >= 0) {
		double span = c->axis == AXIS_SCORE ? (double)(SB_ROUND_REPORT_SCORE_BIN * (int64_t)c->n)
						    : (double)(c->bin * (int64_t)c->n);
		double mx = left + pw * (double)c->marker / span;
		if (mx <= left + pw) {
			sb_pdf_set_stroke(doc, 200, 30, 30);
			sb_pdf_set_line_width(doc, 0.6);
			error = sb_pdf_line_draw(doc, mx, top - 2, mx, base);
			sb_pdf_set_stroke(doc, 0, 0, 0);
			sb_pdf_set_line_width(doc, 0.4);
			if (error < 0)
				return error;
		}
	}
	return 0;
}

/* A grey note in the box of a chart that has nothing to show. */
static int chart_note(sb_pdf *doc, double x, double y, double w, double h, const char *title, const char *note)
{
	int error;
	sb_pdf_set_fill(doc, 0, 0, 0);
	sb_pdf_set_size(doc, 7);
	if ((error = sb_pdf_text(doc, x, y, title)) < 0)
		return error;
	sb_pdf_set_stroke(doc, 200, 200, 200);
	sb_pdf_set_line_width(doc, 0.4);
	sb_pdf_set_fill(doc, 128, 128, 128);
	if ((error = sb_pdf_rect(doc, x + 20, y + 17, w - 24, h - 27, SB_PDF_STROKE)) < 0 ||
	    (error = label(doc, x + 20, y + 17 + (h - 27) / 2 - 5, w - 24, SB_PDF_CENTER, note)) < 0)
		return error;
	sb_pdf_set_fill(doc, 0, 0, 0);
	sb_pdf_set_stroke(doc, 0, 0, 0);
	return 0;
}

static const char *dec2(char *buf, size_t size, int64_t v)
{
	if (v < 0)
		return "—";
	return sb_decimal_format(buf, size, v, 2);
}

static const char *rate(char *buf, size_t size, int64_t permille)
{
	size_t n;
	if (permille < 0)
		return "—";
	sb_decimal_format(buf, size, permille, 1);
	n = strlen(buf);
	if (n + 2 <= size) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
	return buf;
}

static const char *count(char *buf, size_t size, int64_t v)
{
	snprintf(buf, size, "%lld", (long long)v);
	return buf;
}

/* The three charts of a unit (or of the round) side by side, or two by two on the title page. */
static int charts(sb_pdf *doc, const sb_round_report *r, const sb_round_report_unit *x, double y, double w,
		  double h, int two_per_row)
{
	char note[3][96], a[32], b[32];
	chart c[3];
	double x0 = sb_pdf_left(doc);
	int error, k;

	memset(c, 0, sizeof(c));
	snprintf(note[0], sizeof(note[0]), "合格线 %s　均分 %s", dec2(a, sizeof(a), r->written_pass),
		 dec2(b, sizeof(b), x->written_mean));
	c[0].title = "笔试成绩分布（分）";
	c[0].note = note[0];
	c[0].counts = x->written_hist;
	c[0].marker = r->written_pass;
	c[0].r = 68, c[0].g = 114, c[0].b = 196;
	snprintf(note[1], sizeof(note[1]), "参加面试 %lld 人", (long long)x->interviewed);
	c[1].title = "综合成绩分布（分）";
	c[1].note = r->ranked ? note[1] : "尚未排名";
	c[1].counts = x->combined_hist;
	c[1].marker = -1;
	c[1].r = 84, c[1].g = 160, c[1].b = 90;
	for (k = 0; k < 2; k++) {
		c[k].n = SB_ROUND_REPORT_SCORE_BINS;
		c[k].axis = AXIS_SCORE;
		c[k].label_every = 4;
	}
	c[2].title = "安置距离（公里）";
	c[2].counts = x->distance_hist;
	c[2].n = SB_ROUND_REPORT_DISTANCE_BINS;
	c[2].axis = AXIS_KM;
	c[2].bin = x->distance_bin_tenths;
	c[2].label_every = 2;
	c[2].marker = -1;
	c[2].r = 221, c[2].g = 132, c[2].b = 82;
	if (x->placed) {
		char m[32], mx[32];
		snprintf(note[2], sizeof(note[2]), "平均 %s　最远 %s%s%s",
			 sb_decimal_format(m, sizeof(m), x->distance_mean_tenths, 1),
			 sb_decimal_format(mx, sizeof(mx), x->distance_max_tenths, 1), x->unplaced ? "　未安置 " : "",
			 x->unplaced ? count(a, sizeof(a), x->unplaced) : "");
		c[2].note = note[2];
	}
	for (k = 0; k < 3; k++) {
		double cx = two_per_row ? x0 + (double)(k % 2) * (w + CHART_GAP) : x0 + (double)k * (w + CHART_GAP);
		double cy = two_per_row ? y + (double)(k / 2) * (h + CHART_GAP) : y;
		if (k == 2 && !x->placed) {
			const char *why = *x->unit && !x->is_pool ? "单独招录岗位，不参与安置"
					  : !r->has_placement	? "尚未安置"
					  : x->unplaced		? "无人安置到岗位"
								: "本单位无安置人员";
			error = chart_note(doc, cx, cy, w, h, c[2].title, why);
		} else {
			error = chart_draw(doc, cx, cy, w, h, &c[k]);
		}
		if (error < 0)
			return error;
	}
	return 0;
}

static int row4(sb_pdf *doc, const sb_pdf_table *tb, const char *a, const char *b, const char *c,
		const char *d)
{
	const char *cells[4];
	cells[0] = a;
	cells[1] = b;
	cells[2] = c;
	cells[3] = d;
	return sb_pdf_table_row(doc, tb, cells);
}

static int title_page(sb_pdf *doc, const sb_round_report *r, sb_buf *text)
{
	static const double widths[] = { 75, 180, 75, 180 };
	static const int align[] = { SB_PDF_LEFT, SB_PDF_LEFT, SB_PDF_LEFT, SB_PDF_LEFT };
	const sb_round_report_unit *t = &r->total;
	char v[8][96], a[32], b[32];
	sb_pdf_table tb;
	double w;
	int error, y, m, d;

	sb__today(&y, &m, &d);
	sb_pdf_set_size(doc, 16);
	if ((error = sb_pdf_para(doc, r->name, SB_PDF_CENTER, 0)) < 0)
		return error;
	sb_pdf_set_size(doc, 14);
	if ((error = sb_pdf_para(doc, "招录情况报告", SB_PDF_CENTER, 0)) < 0)
		return error;
	sb_pdf_space(doc, 4);
	sb_pdf_set_size(doc, 9);
	text->len = 0;
	sb__buf_printf(text, "轮次 %s　资格审查基准日 %s　已完成：%s　报告日期 %04d年%d月%d日", r->code,
		       r->reference_date, step_label(r->stage), y, m, d);
	if ((error = sb__buf_failed(text)) < 0 || (error = sb_pdf_para(doc, text->ptr, SB_PDF_CENTER, 0)) < 0)
		return error;
	sb_pdf_space(doc, 8);

	memset(&tb, 0, sizeof(tb));
	tb.ncols = 4;
	tb.widths = widths;
	tb.align = align;
	tb.size = 9;
	snprintf(v[0], sizeof(v[0]), "%zu 个（其中岗位池 %lld 个，取消 %lld 个）", r->nunits,
		 (long long)r->pools, (long long)r->cancelled);
	snprintf(v[1], sizeof(v[1]), "%lld 个", (long long)t->posts);
	snprintf(v[2], sizeof(v[2]), "%lld 人（开考后 %lld 人）", (long long)t->quota, (long long)t->open_quota);
	snprintf(v[3], sizeof(v[3]), "%lld 人", (long long)t->applicants);
	if ((error = sb_pdf_table_begin(doc, &tb)) < 0 ||
	    (error = row4(doc, &tb, "招录单位", v[0], "岗位", v[1])) < 0 ||
	    (error = row4(doc, &tb, "计划招录", v[2], "报名", v[3])) < 0)
		return error;
	snprintf(v[0], sizeof(v[0]), "%lld 人", (long long)t->eligible);
	snprintf(v[1], sizeof(v[1]), "%lld 人", (long long)t->sat);
	snprintf(v[2], sizeof(v[2]), "%lld 人（合格线 %s）", (long long)t->passed, dec2(a, sizeof(a), r->written_pass));
	snprintf(v[3], sizeof(v[3]), "%s（笔试均分 %s）", rate(b, sizeof(b), t->pass_permille),
		 dec2(a, sizeof(a), t->written_mean));
	if ((error = row4(doc, &tb, "资格审查通过", v[0], "参加笔试", v[1])) < 0 ||
	    (error = row4(doc, &tb, "笔试合格", v[2], "笔试合格率", v[3])) < 0)
		return error;
	snprintf(v[0], sizeof(v[0]), "%lld 人", (long long)t->shortlisted);
	snprintf(v[1], sizeof(v[1]), "%lld 人", (long long)t->interviewed);
	snprintf(v[2], sizeof(v[2]), "%lld 人", (long long)t->proposed);
	if (!r->has_placement)
		snprintf(v[3], sizeof(v[3]), "尚未安置");
	else
		snprintf(v[3], sizeof(v[3]), "%lld 人（%s），未安置 %lld 人", (long long)t->placed,
			 strcmp(r->place_method, "distance") == 0 ? "总距离最短" : "按成绩顺序",
			 (long long)t->unplaced);
	if ((error = row4(doc, &tb, "入围面试", v[0], "参加面试", v[1])) < 0 ||
	    (error = row4(doc, &tb, "拟聘用", v[2], "岗位池安置", v[3])) < 0)
		return error;
	sb_pdf_space(doc, 6);
	sb_pdf_set_size(doc, 8);
	if ((error = sb_pdf_para(doc,
				 "说明：笔试合格率 = 笔试成绩达到合格线的人数 ÷ 参加笔试（各科均未缺考）的人数。"
				 "入围分数线为进入面试人员中最低的笔试总成绩（笔试成绩加政策加分，加分不超过上限）。"
				 "笔试成绩分布按笔试成绩（不含加分）统计，综合成绩分布按参加面试人员的综合成绩统计，"
				 "每 5 分一组，100 分及以上计入最后一组；红线为笔试合格线。安置距离为住址到岗位所在地的"
				 "球面距离，保留一位小数。",
				 SB_PDF_LEFT, 16)) < 0)
		return error;
	sb_pdf_space(doc, 10);
	w = (sb_pdf_content_width(doc) - CHART_GAP) / 2;
	if ((error = charts(doc, r, t, sb_pdf_cursor(doc), w, 150, 1)) < 0)
		return error;
	return 0;
}

static int unit_block(sb_pdf *doc, const sb_round_report *r, const sb_round_report_unit *x, sb_buf *text)
{
	static const double widths[] = { 48, 54, 54, 54, 52, 50, 52, 56, 48, 41 };
	static const char *const header[] = { "报名", "资格审查通过", "参加笔试", "笔试合格", "合格率",
					      "笔试均分", "入围面试", "入围分数线", "参加面试", "拟聘用" };
	static const int align[] = { SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER,
				     SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER, SB_PDF_CENTER };
	char v[10][32];
	const char *cells[10];
	sb_pdf_table tb;
	double y, w;
	int error;

	if ((error = sb_pdf_need(doc, BLOCK_H)) < 0)
		return error;
	y = sb_pdf_cursor(doc);
	text->len = 0;
	sb__buf_printf(text, "招录单位 %s　%s　计划 %lld 人", x->unit,
		       x->is_pool ? "岗位池" : "单独招录岗位", (long long)x->quota);
	if (x->is_pool)
		sb__buf_printf(text, "（%lld 个岗位）", (long long)x->posts);
	if (x->open_quota == 0)
		sb__buf_printf(text, "　因开考比例不足取消");
	else if (x->open_quota != x->quota)
		sb__buf_printf(text, "　开考比例核减为 %lld 人", (long long)x->open_quota);
	sb_pdf_set_fill(doc, 0, 0, 0);
	sb_pdf_set_size(doc, 10);
	if ((error = sb__buf_failed(text)) < 0 || (error = sb_pdf_text(doc, sb_pdf_left(doc), y, text->ptr)) < 0)
		return error;
	sb_pdf_set_cursor(doc, y + sb_pdf_line_height(doc) + 1);

	memset(&tb, 0, sizeof(tb));
	tb.ncols = 10;
	tb.widths = widths;
	tb.header = header;
	tb.align = align;
	tb.size = 7.5;
	tb.padding = 2;
	cells[0] = count(v[0], sizeof(v[0]), x->applicants);
	cells[1] = count(v[1], sizeof(v[1]), x->eligible);
	cells[2] = count(v[2], sizeof(v[2]), x->sat);
	cells[3] = count(v[3], sizeof(v[3]), x->passed);
	cells[4] = rate(v[4], sizeof(v[4]), x->pass_permille);
	cells[5] = dec2(v[5], sizeof(v[5]), x->written_mean);
	cells[6] = count(v[6], sizeof(v[6]), x->shortlisted);
	cells[7] = dec2(v[7], sizeof(v[7]), x->cutoff);
	cells[8] = count(v[8], sizeof(v[8]), x->interviewed);
	cells[9] = count(v[9], sizeof(v[9]), x->proposed);
	if ((error = sb_pdf_table_begin(doc, &tb)) < 0 || (error = sb_pdf_table_row(doc, &tb, cells)) < 0)
		return error;
	sb_pdf_space(doc, 5);
	w = (sb_pdf_content_width(doc) - 2 * CHART_GAP) / 3;
	y = sb_pdf_cursor(doc);
	if ((error = charts(doc, r, x, y, w, UNIT_CHART_H, 0)) < 0)
		return error;
	y += UNIT_CHART_H + 6;
	sb_pdf_set_stroke(doc, 190, 190, 190);
	sb_pdf_set_line_width(doc, 0.3);
	error = sb_pdf_line_draw(doc, sb_pdf_left(doc), y, sb_pdf_left(doc) + sb_pdf_content_width(doc), y);
	sb_pdf_set_stroke(doc, 0, 0, 0);
	sb_pdf_set_cursor(doc, y + 8);
	return error;
}

SB_EXTERN(int) sb_round_report_pdf(int *out_pages, const sb_round_report *r, const char *pdf_path)
{
	sb_pdf *doc = NULL;
	sb_pdf_info info;
	sb_buf title = SB_BUF_INIT, text = SB_BUF_INIT;
	size_t i;
	int error = 0;

	if (out_pages)
		*out_pages = 0;
	/* a name that would print wrong stops the report before anything is drawn */
	if ((error = sb_pdf_check_text(r->name)) < 0) {
		sb_error_prefix("round %s: name", r->code);
		goto done;
	}
	for (i = 0; i < r->nunits; i++)
		if ((error = sb_pdf_check_text(r->units[i].unit)) < 0) {
			sb_error_prefix("unit %s", r->units[i].unit);
			goto done;
		}
	sb__buf_printf(&title, "%s招录情况报告", r->name);
	if ((error = sb__buf_failed(&title)) < 0)
		goto done;
	memset(&info, 0, sizeof(info));
	info.title = title.ptr;
	info.subject = "招录情况报告";
	if ((error = sb_pdf_new(&doc, &info)) < 0 || (error = sb_pdf_page_add(doc)) < 0)
		goto done;
	sb_pdf_set_margins(doc, MARGIN, MARGIN, MARGIN + 6, MARGIN);
	sb_pdf_set_cursor(doc, MARGIN);
	if ((error = title_page(doc, r, &text)) < 0 || (error = sb_pdf_page_add(doc)) < 0)
		goto done;
	sb_pdf_set_size(doc, 12);
	if ((error = sb_pdf_para(doc, "各招录单位情况", SB_PDF_LEFT, 0)) < 0)
		goto done;
	sb_pdf_space(doc, 6);
	for (i = 0; i < r->nunits; i++)
		if ((error = unit_block(doc, r, &r->units[i], &text)) < 0) {
			sb_error_prefix("unit %s", r->units[i].unit);
			goto done;
		}
	if ((error = sb_pdf_number_pages(doc, SB_PDF_A4_HEIGHT - SB_PDF_MM(10), 8)) < 0 ||
	    (error = sb_pdf_save_file(doc, pdf_path)) < 0)
		goto done;
	if (out_pages)
		*out_pages = sb_pdf_page_count(doc);
done:
	sb_pdf_free(doc);
	sb__buf_free(&title);
	sb__buf_free(&text);
	return error;
}
