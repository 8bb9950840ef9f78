/*
 * The generator of realistic inputs (generate.h). A xoshiro256** stream seeded by splitmix64
 * makes every file a function of the registry's divisions and the seed. Names are drawn from
 * common surnames and given-name characters (all in GB2312 level 1, so every document can
 * print them); ID numbers carry real birth dates and valid check digits; written and interview
 * marks follow bell shapes built from sums of uniform draws, in integers. This file writes
 * CSV text only; it never touches the registry's tables.
 */
#include "config.h"
#include "common_internal.h"
#include "shuangbai/generate.h"
#include "shuangbai/money.h"
#include "shuangbai/org.h"
#include "shuangbai/person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed * 0x2545F4914F6CDD1Dull + stream;
	int i;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(rng *r)
{
	uint64_t result = rotl(r->s[1] * 5, 7) * 9, t = r->s[1] << 17;
	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return result;
}

/* Uniform in [0, n). */
static int64_t below(rng *r, int64_t n)
{
	return n <= 1 ? 0 : (int64_t)(next(r) % (uint64_t)n);
}

/* A bell shape around `mean` with spread about `sd`: mean + sd * (sum of 4 uniforms − 2) × √3
 * approximated in integers (the sum of four uniforms has variance 1/3). */
static int64_t bell(rng *r, int64_t mean, int64_t sd)
{
	int64_t sum = 0;
	int i;
	for (i = 0; i < 4; i++)
		sum += below(r, 100001);
	/* (sum − 200000) / 100000 has sd √(4/12) ≈ 0.5774; scale by 1732/1000 for sd 1. */
	return mean + (sum - 200000) * sd * 1732 / 100000 / 1000;
}

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
	"罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘",
	"于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
	"谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江",
	"尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严",
	"武", "戴", "莫", "孔", "向", "汤",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
	"霞", "平", "刚", "桂", "英", "华", "玉", "兰", "萍", "红", "建", "文", "辉", "力", "斌", "宇", "浩", "凯",
	"鹏", "晨", "欣", "怡", "佳", "婷", "雪", "琳", "晶", "颖", "倩", "丹", "蕾", "嘉", "俊", "博", "海", "春",
	"志", "永", "德", "新", "成", "国", "荣", "兴", "林", "安", "瑞", "思", "雨", "梦", "晓", "子", "一", "天",
};
/* Mongolian names as they are written in Chinese characters. */
static const char *const mongolian[] = {
	"巴特尔", "其其格", "乌日娜", "额尔敦", "苏日娜", "图雅", "宝音", "孟和", "斯琴", "阿拉坦", "朝鲁", "萨仁",
	"乌兰", "格日勒", "那仁", "敖其尔", "哈斯", "吉日嘎拉",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void person_name(sb_buf *b, rng *r, int mongol)
{
	if (mongol) {
		sb__buf_puts(b, mongolian[below(r, COUNT(mongolian))]);
		return;
	}
	sb__buf_puts(b, surnames[below(r, COUNT(surnames))]);
	sb__buf_puts(b, given[below(r, COUNT(given))]);
	if (below(r, 100) < 70)
		sb__buf_puts(b, given[below(r, COUNT(given))]);
}

void sb_generate_id_number(char *out, const char *region6, int y, int m, int d, int seq)
{
	snprintf(out, 19, "%.6s%04d%02d%02d%03d", region6, y, m, d, seq % 1000);
	out[17] = sb_person_id_check_char(out);
	out[18] = '\0';
}

/* The ID numbers one generator call has issued, so that no two generated people share one:
 * at province scale the same county, birth date and sequence number do come up twice. An
 * open-addressing set of the 17-digit bodies. */
typedef struct {
	uint64_t *slot; /* 0: empty (no body is 0: region codes start at 11) */
	size_t cap, n;
} idset;

static int idset_add(idset *s, const char *id)
{
	uint64_t key = 0, *grown;
	size_t i, j;
	for (i = 0; i < 17; i++)
		key = key * 10 + (uint64_t)(id[i] - '0');
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4096;
		if (!(grown = sb__calloc(cap, sizeof *grown)))
			return SB_ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i]) {
				for (j = (size_t)(s->slot[i] * 0x9E3779B97F4A7C15ull) & (cap - 1); grown[j]; j = (j + 1) & (cap - 1))
					;
				grown[j] = s->slot[i];
			}
		free(s->slot);
		s->slot = grown;
		s->cap = cap;
	}
	for (j = (size_t)(key * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (s->slot[j] == key)
			return 1;
	s->slot[j] = key;
	s->n++;
	return 0;
}

/* A new ID number: region, birth date and a sequence number in [base, base + 500), the
 * next free one when the drawn one was issued already (applicants use 000-499, rosters
 * 500-999, so an applicant is never mistaken for a worker of the roster). 1 when all 500
 * of that region and day are taken. */
static int unique_id(char id[19], idset *s, const char *region, int y, int m, int d, int64_t draw, int base)
{
	int k, rc;
	for (k = 0; k < 500; k++) {
		sb_generate_id_number(id, region, y, m, d, base + (int)((draw + k) % 500));
		if ((rc = idset_add(s, id)) <= 0)
			return rc;
	}
	return 1;
}

/* A birth date uniformly between two years (inclusive). */
static void birth(rng *r, int y0, int y1, int *y, int *m, int *d)
{
	int64_t a = sb__days_from_civil(y0, 1, 1), b = sb__days_from_civil(y1, 12, 31);
	sb__civil_from_days(a + below(r, b - a + 1), y, m, d);
}

/* The six-digit region of a division: its county's code, or its prefecture's when the
 * prefecture has no counties (东莞 441900). */
static void region_of(char out[7], const char *code)
{
	memcpy(out, code, 6);
	out[6] = '\0';
}

static int write_out(const char *path, sb_buf *b)
{
	int error;
	if ((error = sb__buf_failed(b)) < 0)
		return error;
	return sb__write_file(path, b->ptr ? b->ptr : "", b->len, 0644);
}

int sb_generate_employers(sb_db *db, const char *scope, uint64_t seed, const char *path)
{
	sb_division *towns = NULL;
	size_t n = 0, i;
	sb_buf b = SB_BUF_INIT;
	rng r;
	int error;

	rng_seed(&r, seed, 1);
	if ((error = sb_org_list(&towns, &n, db, scope, SB_LEVEL_TOWNSHIP)) < 0)
		return error;
	sb__buf_puts(&b, "township_code,name,address,legal_rep,uscc\n");
	for (i = 0; i < n; i++) {
		const char *name = towns[i].name;
		size_t len = strlen(name);
		char uscc[19], org[9];
		int k;
		/* 街道 are run by a sub-district office, towns and sumu by a people's government. */
		int street = len >= 6 && strcmp(name + len - 6, "街道") == 0;
		for (k = 0; k < 8; k++)
			org[k] = (char)('0' + below(&r, 10));
		org[0] = '0';
		org[8] = '\0';
		memcpy(uscc, "11", 2);
		memcpy(uscc + 2, towns[i].code, 6);
		memcpy(uscc + 8, org, 8);
		uscc[16] = sb_person_orgcode_check_char(org);
		uscc[17] = sb_person_uscc_check_char(uscc);
		uscc[18] = '\0';
		sb__buf_printf(&b, "%s,%s%s,%s人民路%d号,", towns[i].code, name, street ? "办事处" : "人民政府", name,
			       (int)below(&r, 200) + 1);
		person_name(&b, &r, 0);
		sb__buf_printf(&b, ",%s\n", uscc);
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	sb_division_list_free(towns, n);
	return error;
}

/* ---- rounds ------------------------------------------------------------------------ */

typedef struct {
	char id[32];
	char station[13];
	char pool[32];
	int service;
} gpost;

int sb_generate_round(sb_generate_counts *out, sb_db *db, const char *scope, const sb_generate_round_opts *o,
		      const char *dir)
{
	sb_division *counties = NULL, *towns = NULL, *villages = NULL;
	size_t nc = 0, nt = 0, nv = 0, c, i;
	sb_buf posts = SB_BUF_INIT, apps = SB_BUF_INIT, path = SB_BUF_INIT;
	gpost *pp = NULL;
	sb_generate_counts counts = { 0 };
	rng r;
	idset ids = { NULL, 0, 0 };
	int error = 0, app_seq = 0;

	memset(out, 0, sizeof(*out));
	rng_seed(&r, o->seed, 2);
	/* Pools are counties, and prefectures without counties (their townships' parent). */
	if ((error = sb_org_list(&towns, &nt, db, scope, SB_LEVEL_TOWNSHIP)) < 0 ||
	    (error = sb_org_list(&villages, &nv, db, scope, SB_LEVEL_VILLAGE)) < 0)
		goto done;
	if (!(counties = sb__calloc(nt ? nt : 1, sizeof(*counties)))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < nt; i++)
		if (nc == 0 || strcmp(counties[nc - 1].code, towns[i].parent) != 0)
			snprintf(counties[nc++].code, 13, "%s", towns[i].parent);
	if (!(pp = sb__calloc((size_t)(o->seats_per_pool > 0 ? o->seats_per_pool : 1), sizeof(*pp)))) {
		error = SB_ENOMEM;
		goto done;
	}
	sb__buf_puts(&posts, "post_id,station_code,title,kind,quota,pool,education,majors,max_age,hukou_scope,language\n");
	sb__buf_puts(&apps, "app_no,id_number,name,post_id,hukou_code,home_code,education,major,qualification,bonus,languages,preferences\n");
	for (c = 0; c < nc && (o->pools == 0 || counts.pools < o->pools); c++) {
		/* Spread the pools over the province: take every k-th county. */
		size_t step = (o->pools > 0 && (size_t)o->pools < nc) ? nc / (size_t)o->pools : 1;
		const char *county = counties[c].code;
		size_t t0, t1, v0, v1, np = 0, a, napps;
		char pool[32];
		if (c % step != 0)
			continue;
		for (t0 = 0; t0 < nt && strcmp(towns[t0].parent, county) != 0; t0++)
			;
		for (t1 = t0; t1 < nt && strcmp(towns[t1].parent, county) == 0; t1++)
			;
		for (v0 = 0; v0 < nv && strncmp(villages[v0].parent, county, 6) != 0; v0++)
			;
		for (v1 = v0; v1 < nv && strncmp(villages[v1].parent, county, 6) == 0; v1++)
			;
		if (t1 == t0 || v1 == v0)
			continue;
		counts.pools++;
		snprintf(pool, sizeof(pool), "P%.6s", county);
		for (i = 0; i < (size_t)o->seats_per_pool; i++) {
			gpost *p = &pp[np++];
			const sb_division *town = &towns[t0 + (size_t)below(&r, (int64_t)(t1 - t0))];
			int service = below(&r, 100) < 60;
			const char *station = town->code;
			if (service) {
				/* a village of that township */
				size_t k, first = 0, cnt = 0;
				for (k = v0; k < v1; k++)
					if (strcmp(villages[k].parent, town->code) == 0) {
						if (!cnt)
							first = k;
						cnt++;
					}
				if (cnt)
					station = villages[first + (size_t)below(&r, (int64_t)cnt)].code;
				else
					service = 0;
			}
			snprintf(p->id, sizeof(p->id), "%.6s%03d", county, (int)i + 1);
			snprintf(p->station, sizeof(p->station), "%s", station);
			snprintf(p->pool, sizeof(p->pool), "%s", pool);
			p->service = service;
			sb__buf_printf(&posts, "%s,%s,%s,%s,1,%s,%s,%s,%s,%s,%s\n", p->id, station,
				       service ? "社会工作服务岗" : "社会工作事务岗", service ? "service" : "office", pool,
				       below(&r, 100) < 80 ? "大专" : "本科",
				       below(&r, 100) < 80 ? "" : "社会工作;社会学;心理学",
				       below(&r, 100) < 85 ? "35" : "",
				       service ? "county" : (below(&r, 100) < 50 ? "prefecture" : "province"),
				       (o->minority_language && below(&r, 100) < 10) ? o->minority_language : "");
			counts.posts++;
			counts.seats++;
		}
		napps = (size_t)o->seats_per_pool * (size_t)o->applicants_per_seat;
		for (a = 0; a < napps; a++) {
			const sb_division *home = &villages[v0 + (size_t)below(&r, (int64_t)(v1 - v0))];
			const gpost *want = &pp[below(&r, (int64_t)np)];
			char id[19], region[7], app_no[32];
			int y, m, d, minority = o->minority_share > 0 && below(&r, 100) < o->minority_share;
			int64_t bonus = minority ? o->minority_bonus : 0, pr;
			int npref, k;
			char bonus_text[32];
			const char *edu = below(&r, 100) < 40 ? "大专" : below(&r, 100) < 92 ? "本科" : "硕士";
			const char *major = below(&r, 100) < 50 ? "社会工作" : below(&r, 100) < 50 ? "社会学" : "汉语言文学";
			const char *qual = below(&r, 100) < 50 ? "none" : below(&r, 100) < 70 ? "assistant" : "intermediate";
			region_of(region, home->code);
			birth(&r, 1988, 2004, &y, &m, &d);
			if ((error = unique_id(id, &ids, region, y, m, d, below(&r, 1000), 0)) != 0) {
				if (error > 0)
					error = sb_error_set(SB_EINVALID, "generate: no free ID number left for %s %04d-%02d-%02d",
							     region, y, m, d);
				goto done;
			}
			snprintf(app_no, sizeof(app_no), "A%07d", ++app_seq);
			sb__buf_printf(&apps, "%s,%s,", app_no, id);
			person_name(&apps, &r, minority);
			sb__buf_printf(&apps, ",%s,%s,%s,%s,%s,%s,%s,%s,", want->id,
				       below(&r, 100) < 95 ? home->code : villages[(size_t)below(&r, (int64_t)nv)].code,
				       home->code, edu, major, qual, sb_decimal_format(bonus_text, sizeof(bonus_text), bonus, 2),
				       minority && o->minority_language ? o->minority_language : "");
			/* Up to three other posts of the pool, in the applicant's order. */
			npref = (int)below(&r, 4);
			{
				/* distinct posts of the pool, in a random order, starting after the one applied to */
				size_t first = (size_t)below(&r, (int64_t)np);
				for (k = 0, pr = 0; k < (int)np && pr < npref; k++) {
					const gpost *alt = &pp[(first + (size_t)k) % np];
					if (alt == want)
						continue;
					sb__buf_printf(&apps, "%s%s", pr++ ? ";" : "", alt->id);
				}
			}
			sb__buf_putc(&apps, '\n');
			counts.applications++;
		}
	}
	sb__buf_printf(&path, "%s/posts.csv", dir);
	if ((error = sb__buf_failed(&path)) < 0 || (error = write_out(path.ptr, &posts)) < 0)
		goto done;
	sb__buf_free(&path);
	sb__buf_printf(&path, "%s/applications.csv", dir);
	if ((error = sb__buf_failed(&path)) < 0 || (error = write_out(path.ptr, &apps)) < 0)
		goto done;
	*out = counts;
done:
	free(ids.slot);
	sb__buf_free(&posts);
	sb__buf_free(&apps);
	sb__buf_free(&path);
	free(pp);
	free(counties);
	sb_division_list_free(towns, nt);
	sb_division_list_free(villages, nv);
	return error;
}

int sb_generate_written(int64_t *out_rows, const sb_generate_round_opts *o, const char *const *app_nos, size_t n,
			const char *path)
{
	sb_buf b = SB_BUF_INIT;
	rng r;
	size_t i;
	int s, error;
	int64_t rows = 0;

	*out_rows = 0;
	if (o->subjects < 1 || o->subjects > 2)
		return sb_error_set(SB_EUSAGE, "one or two papers");
	rng_seed(&r, o->seed, 8);
	sb__buf_puts(&b, "app_no,subject,score\n");
	for (i = 0; i < n; i++) {
		int absent = below(&r, 1000) < 25;
		for (s = 0; s < o->subjects; s++) {
			int64_t max = (int64_t)o->subject_max * 100, score;
			char sc[32];
			rows++;
			if (absent) {
				sb__buf_printf(&b, "%s,%s,absent\n", app_nos[i], o->subject_ids[s]);
				continue;
			}
			/* mean 62% of the maximum, spread 12%; marks in tenths of a point */
			score = bell(&r, max * 62 / 100, max * 12 / 100) / 10 * 10;
			if (score < 0)
				score = 0;
			if (score > max)
				score = max;
			sb__buf_printf(&b, "%s,%s,%s\n", app_nos[i], o->subject_ids[s],
				       sb_decimal_format(sc, sizeof(sc), score, 2));
		}
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	if (error == 0)
		*out_rows = rows;
	return error;
}

int sb_generate_interviews(const char *const *app_nos, size_t n, int panels, int examiners, uint64_t seed,
			   const char *path)
{
	sb_buf b = SB_BUF_INIT;
	rng r;
	size_t i;
	int e, error;

	if (panels < 1 || examiners < 1)
		return sb_error_set(SB_EUSAGE, "interviews need at least one panel and one examiner");
	rng_seed(&r, seed, 3);
	sb__buf_puts(&b, "app_no,panel,examiner,mark\n");
	for (i = 0; i < n; i++) {
		int panel = (int)(i % (size_t)panels) + 1;
		/* Panels differ in severity by up to ±3 points; the applicant's own level varies. */
		int64_t severity = ((int64_t)panel * 5 % 7 - 3) * 100, level = bell(&r, 7800, 600);
		int absent = below(&r, 1000) < 15;
		for (e = 1; e <= examiners; e++) {
			char mark[32];
			int64_t m = (level + severity + bell(&r, 0, 250)) / 10 * 10;
			if (m < 0)
				m = 0;
			if (m > 10000)
				m = 10000;
			if (absent)
				sb__buf_printf(&b, "%s,P%d,E%d,absent\n", app_nos[i], panel, e);
			else
				sb__buf_printf(&b, "%s,P%d,E%d,%s\n", app_nos[i], panel, e,
					       sb_decimal_format(mark, sizeof(mark), m, 2));
		}
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	return error;
}

int sb_generate_outcomes(const char *const *app_nos, size_t n, uint64_t seed, const char *path)
{
	sb_buf b = SB_BUF_INIT;
	rng r;
	size_t i;
	int error;

	rng_seed(&r, seed, 4);
	sb__buf_puts(&b, "app_no,outcome\n");
	for (i = 0; i < n; i++) {
		int64_t x = below(&r, 1000);
		sb__buf_printf(&b, "%s,%s\n", app_nos[i],
			       x < 20 ? "failed-medical" : x < 30 ? "failed-inspection" : x < 60 ? "withdrew" : "passed");
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	return error;
}

int sb_generate_roster(int64_t *out_rows, sb_db *db, const char *scope, int per_township, uint64_t seed,
		       const char *path)
{
	sb_division *towns = NULL, *villages = NULL;
	size_t nt = 0, nv = 0, t, v = 0;
	sb_buf b = SB_BUF_INIT;
	rng r;
	idset ids = { NULL, 0, 0 };
	int error, k, count;
	int64_t rows = 0;

	*out_rows = 0;
	rng_seed(&r, seed, 5);
	if ((error = sb_org_list(&towns, &nt, db, scope, SB_LEVEL_TOWNSHIP)) < 0 ||
	    (error = sb_org_list(&villages, &nv, db, scope, SB_LEVEL_VILLAGE)) < 0)
		goto done;
	sb__buf_puts(&b, "id_number,name,township_code,village_code,role,service_start,qualification,phone,bank_account\n");
	for (t = 0; t < nt; t++) {
		size_t first, cnt = 0;
		while (v < nv && strcmp(villages[v].parent, towns[t].code) < 0)
			v++;
		first = v;
		while (first + cnt < nv && strcmp(villages[first + cnt].parent, towns[t].code) == 0)
			cnt++;
		if (!cnt)
			continue;
		/* per_township 0: an office worker at the station and one service worker at every
		 * village point, so that every station and point of the scope is staffed */
		count = per_township > 0 ? per_township : (int)cnt + 1;
		for (k = 0; k < count; k++) {
			char id[19], region[7];
			int y, m, d, sy, sm, sd, service = per_township > 0 ? (k > 0 || below(&r, 100) < 30) : k > 0;
			const sb_division *vil = per_township > 0 ? &villages[first + (size_t)below(&r, (int64_t)cnt)]
								  : &villages[first + (size_t)(k > 0 ? k - 1 : 0)];
			region_of(region, towns[t].code);
			birth(&r, 1970, 1996, &y, &m, &d);
			if ((error = unique_id(id, &ids, region, y, m, d, below(&r, 1000), 500)) != 0) {
				if (error > 0)
					error = sb_error_set(SB_EINVALID, "generate: no free ID number left for %s %04d-%02d-%02d",
							     region, y, m, d);
				goto done;
			}
			/* service from age 22 at the earliest, between 2005 and 2023 */
			birth(&r, y + 22 > 2005 ? y + 22 : 2005, 2023, &sy, &sm, &sd);
			sb__buf_printf(&b, "%s,", id);
			person_name(&b, &r, 0);
			sb__buf_printf(&b, ",%s,%s,%s,%04d-%02d-%02d,%s,1%d%09lld,6217%015lld\n", towns[t].code,
				       service ? vil->code : "", service ? "service" : "office", sy, sm, sd,
				       below(&r, 100) < 60 ? "none" : below(&r, 100) < 80 ? "assistant" : "intermediate",
				       (int)below(&r, 7) + 3, (long long)below(&r, 1000000000),
				       (long long)below(&r, 1000000000000000ll));
			rows++;
		}
	}
	if ((error = write_out(path, &b)) < 0)
		goto done;
	*out_rows = rows;
done:
	free(ids.slot);
	sb__buf_free(&b);
	sb_division_list_free(towns, nt);
	sb_division_list_free(villages, nv);
	return error;
}

int sb_generate_evaluations(const char *const *ids, size_t n, uint64_t seed, const char *path)
{
	sb_buf b = SB_BUF_INIT;
	rng r;
	size_t i;
	int error;

	rng_seed(&r, seed, 6);
	sb__buf_puts(&b, "id_number,grade\n");
	for (i = 0; i < n; i++) {
		int64_t x = below(&r, 100);
		sb__buf_printf(&b, "%s,%s\n", ids[i],
			       x < 15 ? "excellent" : x < 90 ? "competent" : x < 98 ? "basic" : "incompetent");
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	return error;
}

int sb_generate_deductions(const char *const *ids, size_t n, int year, uint64_t seed, const char *path)
{
	/* Monthly standards of 2023: children's education and infant care 2,000 per child,
	 * supporting the elderly 3,000 (only child), housing rent 800–1,500. */
	static const int64_t amounts[] = { 200000, 300000, 150000, 110000, 80000 };
	sb_buf b = SB_BUF_INIT;
	rng r;
	size_t i;
	int error;

	rng_seed(&r, seed, 7);
	sb__buf_puts(&b, "id_number,from,to,amount\n");
	for (i = 0; i < n; i++) {
		char amount[32];
		if (below(&r, 100) >= 45)
			continue;
		sb__buf_printf(&b, "%s,%04d-%02d,%04d-12,%s\n", ids[i], year, (int)below(&r, 3) + 1, year,
			       sb_money_format(amount, sizeof(amount), amounts[below(&r, COUNT(amounts))]));
	}
	error = write_out(path, &b);
	sb__buf_free(&b);
	return error;
}
