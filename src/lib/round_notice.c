/*
 * The public notice of a recruitment round (拟聘用人员公示, SPEC §3 rule 9): per unit, the
 * proposed applicants with masked ID numbers and their scores, drawn through the PDF area.
 * Every name is checked against the font before anything is drawn, so a name that would print
 * wrong stops the notice with the applicant and the character named. Not for ranking: the
 * statuses come from round_exam.c as stored.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_internal.h"
#include "round_internal.h"
#include "shuangbai/money.h"
#include "shuangbai/pdf.h"
#include "shuangbai/person.h"
#include "shuangbai/round.h"

SB_EXTERN(int) sb_round_notice(sb_db *db, const char *code, const char *pdf_path)
{
	static const double widths[] = { 26, 60, 56, 120, 48, 48, 48, 48, 30 };
	static const char *const header[] = { "序号", "准考证号", "姓名", "身份证号", "岗位",
					      "笔试成绩", "面试成绩", "综合成绩", "排名" };
	static const int align[] = { SB_PDF_CENTER, SB_PDF_LEFT, SB_PDF_LEFT, SB_PDF_LEFT, SB_PDF_LEFT,
				     SB_PDF_RIGHT, SB_PDF_RIGHT, SB_PDF_RIGHT, SB_PDF_CENTER };
	sb__round_policy *pol = NULL;
	sb_round_row *rows = NULL;
	sb_pdf *doc = NULL;
	sb_pdf_info info;
	sb_pdf_table t;
	sb_buf title = SB_BUF_INIT, text = SB_BUF_INIT;
	size_t n = 0, i, shown = 0;
	int error = 0, stage, y, m, d;

	if ((error = sb__round_stage(&stage, db, code)) < 0)
		return error;
	if (stage < SB_ROUND_RANK)
		return sb_error_set(SB_ESTATE, "round %s: `round rank` must come first (last step taken: `round %s`)",
				    code, sb__round_step_name(stage));
	if ((error = sb__round_enter(&pol, db, code, stage)) < 0 || (error = sb_round_rows(&rows, &n, db, code)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].status, "tie") == 0) {
			error = sb_error_set(SB_ESTATE, "round %s: unit %s has a tie across its last seat (%s); "
						       "record the additional assessment with `round resolve` first",
					     code, rows[i].unit, rows[i].app_no);
			goto done;
		}
	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].status, "proposed") != 0)
			continue;
		/* a name printed wrong on a public list is worse than no list */
		if ((error = sb_pdf_check_text(rows[i].name)) < 0) {
			sb_error_prefix("applicant %s (%s)", rows[i].app_no, rows[i].name);
			goto done;
		}
		shown++;
	}
	sb__buf_printf(&title, "%s拟聘用人员公示", pol->name);
	if ((error = sb__buf_failed(&title)) < 0)
		goto done;
	memset(&info, 0, sizeof(info));
	info.title = title.ptr;
	info.subject = "拟聘用人员公示";
	if ((error = sb_pdf_new(&doc, &info)) < 0 || (error = sb_pdf_page_add(doc)) < 0)
		goto done;
	sb_pdf_set_margins(doc, SB_PDF_MM(20), SB_PDF_MM(15), SB_PDF_MM(20), SB_PDF_MM(15));
	sb_pdf_set_cursor(doc, SB_PDF_MM(20));
	sb_pdf_set_size(doc, 16);
	if ((error = sb_pdf_para(doc, title.ptr, SB_PDF_CENTER, 0)) < 0)
		goto done;
	sb_pdf_space(doc, 6);
	sb_pdf_set_size(doc, 11);
	sb__buf_printf(&text,
		       "根据%s的有关规定，经报名、资格审查、笔试、面试、体检和考察，现将拟聘用人员名单予以公示"
		       "（共%zu人）。身份证号仅显示前六位和后四位。公示期间，对公示人员有异议的，可向招录工作机构反映。",
		       pol->name, shown);
	if ((error = sb__buf_failed(&text)) < 0 || (error = sb_pdf_para(doc, text.ptr, SB_PDF_LEFT, 22)) < 0)
		goto done;
	memset(&t, 0, sizeof(t));
	t.ncols = 9;
	t.widths = widths;
	t.header = header;
	t.align = align;
	t.size = 9;
	for (i = 0; i < n;) {
		size_t j = i, k = 0;
		while (j < n && strcmp(rows[j].unit, rows[i].unit) == 0)
			j++;
		for (; i < j; i++) {
			char no[24], idm[24], w[32], iv[32], cb[32], rk[24];
			const char *cells[9];
			if (strcmp(rows[i].status, "proposed") != 0)
				continue;
			if (k == 0) {
				text.len = 0;
				sb__buf_printf(&text, "招录单位：%s", rows[i].unit);
				sb_pdf_space(doc, 8);
				sb_pdf_set_size(doc, 12);
				if ((error = sb__buf_failed(&text)) < 0 ||
				    (error = sb_pdf_need(doc, sb_pdf_line_height(doc) * 3)) < 0 ||
				    (error = sb_pdf_para(doc, text.ptr, SB_PDF_LEFT, 0)) < 0 ||
				    (error = sb_pdf_table_begin(doc, &t)) < 0)
					goto done;
			}
			snprintf(no, sizeof(no), "%zu", ++k);
			snprintf(rk, sizeof(rk), "%lld", (long long)rows[i].rank);
			sb_person_id_mask(idm, rows[i].id_number);
			cells[0] = no;
			cells[1] = rows[i].app_no;
			cells[2] = rows[i].name;
			cells[3] = idm;
			cells[4] = rows[i].post_id;
			cells[5] = sb_decimal_format(w, sizeof(w), rows[i].written_total, 2);
			cells[6] = sb_decimal_format(iv, sizeof(iv), rows[i].interview, 2);
			cells[7] = sb_decimal_format(cb, sizeof(cb), rows[i].combined, 2);
			cells[8] = rk;
			if ((error = sb_pdf_table_row(doc, &t, cells)) < 0) {
				sb_error_prefix("applicant %s", rows[i].app_no);
				goto done;
			}
		}
	}
	sb__today(&y, &m, &d);
	text.len = 0;
	sb__buf_printf(&text, "%04d年%d月%d日", y, m, d);
	sb_pdf_space(doc, 12);
	sb_pdf_set_size(doc, 11);
	if ((error = sb__buf_failed(&text)) < 0 || (error = sb_pdf_para(doc, text.ptr, SB_PDF_RIGHT, 0)) < 0 ||
	    (error = sb_pdf_number_pages(doc, SB_PDF_A4_HEIGHT - SB_PDF_MM(12), 9)) < 0 ||
	    (error = sb_pdf_save_file(doc, pdf_path)) < 0)
		goto done;
done:
	sb_pdf_free(doc);
	sb__buf_free(&title);
	sb__buf_free(&text);
	sb_round_rows_free(rows, n);
	sb__round_policy_free(pol);
	return error;
}
