/* Unit tests of the generator: determinism, valid identities, the shapes of its files. */
#include "config.h"
#include "common_internal.h"
#include "csv_internal.h"
#include "shuangbai.h"
#include "tap.h"

static const char divisions[] =
	"code,name,level,parent,lon,lat\n"
	"150000000000,内蒙古自治区,province,,113.2,42.3\n"
	"150100000000,呼和浩特市,prefecture,150000000000,111.5,40.6\n"
	"150102000000,新城区,county,150100000000,111.6,40.8\n"
	"150102001000,海拉尔东路街道,township,150102000000,,\n"
	"150102001001,东风路社区,village,150102001000,,\n"
	"150102001002,锡林路社区,village,150102001000,,\n"
	"150103000000,回民区,county,150100000000,111.6,40.8\n"
	"150103002000,攸攸板镇,township,150103000000,,\n"
	"150103002001,东乌素图村,village,150103002000,,\n";

static char *slurp(const char *path)
{
	char *p = NULL;
	size_t n;
	return sb__read_file(&p, &n, path) == 0 ? p : NULL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = tap_tmpdir("generate");
	char path[1100], file[1100], a[1100], b[1100];
	sb_db *db = NULL;
	sb_org_stats st;
	sb_generate_round_opts o;
	sb_generate_counts n;
	sb__csv *c = NULL;
	char *x, *y;
	int64_t rows;
	static const sb__csv_col emp_cols[] = { { "township_code", 1 }, { "name", 1 }, { "address", 1 }, { "legal_rep", 1 }, { "uscc", 1 } };
	static const sb__csv_col app_cols[] = { { "app_no", 1 }, { "id_number", 1 }, { "name", 1 }, { "post_id", 1 }, { "hukou_code", 1 }, { "home_code", 1 }, { "education", 1 }, { "major", 1 }, { "qualification", 1 }, { "bonus", 1 }, { "languages", 1 }, { "preferences", 1 } };
	int map[12], valid, total, mongol;

	setenv("SHUANGBAI_TODAY", "2026-11-29", 1);
	snprintf(path, sizeof(path), "%s/r.db", dir);
	ok(sb_db_open(&db, path, SB_DB_CREATE) == 0, "create");
	snprintf(file, sizeof(file), "%s", tap_write(dir, "div.csv", divisions));
	ok(sb_org_import(db, file, &st, NULL, NULL) == 0, "divisions");

	snprintf(a, sizeof(a), "%s/e1.csv", dir);
	snprintf(b, sizeof(b), "%s/e2.csv", dir);
	ok(sb_generate_employers(db, "150000000000", 7, a) == 0 && sb_generate_employers(db, "150000000000", 7, b) == 0,
	   "employers twice with one seed");
	x = slurp(a);
	y = slurp(b);
	ok(x && y && strcmp(x, y) == 0, "the same seed gives the same file");
	free(x);
	free(y);
	ok(sb_org_employers(db, a, &st) == 0 && st.added == 2, "the generated employers load (valid credit codes)");

	memset(&o, 0, sizeof(o));
	o.seed = 3;
	o.seats_per_pool = 4;
	o.applicants_per_seat = 5;
	o.subjects = 2;
	o.subject_ids[0] = "zc";
	o.subject_ids[1] = "zy";
	o.subject_max = 150;
	o.minority_share = 30;
	o.minority_bonus = 250;
	o.minority_language = "mn";
	ok(sb_generate_round(&n, db, "150000000000", &o, dir) == 0, "a round");
	is_int(n.pools, 2, "one pool per county");
	is_int(n.seats, 8, "4 seats per pool");
	is_int(n.applications, 40, "5 applications per seat");
	{
		const char *apps[] = { "A0000001", "A0000002", "A0000003" };
		int64_t wr = 0;
		snprintf(file, sizeof(file), "%s/written.csv", dir);
		ok(sb_generate_written(&wr, &o, apps, 3, file) == 0 && wr == 6, "written: two papers each");
		x = slurp(file);
		ok(x && strstr(x, "A0000003,zy,") != NULL, "the second paper is zy");
		free(x);
	}
	snprintf(file, sizeof(file), "%s/applications.csv", dir);
	ok(sb__csv_open(&c, file) == 0 && sb__csv_header(c, app_cols, 12, map) == 0, "applications have SPEC's columns");
	valid = total = mongol = 0;
	while (c && sb__csv_next(c) == 1) {
		total++;
		valid += sb_person_id_check(NULL, sb__csv_field(c, map[1])) == 0;
		mongol += strcmp(sb__csv_field(c, map[9]), "2.50") == 0 && strcmp(sb__csv_field(c, map[10]), "mn") == 0;
	}
	sb__csv_free(c);
	is_int(valid, total, "every generated ID number is valid");
	ok(mongol > 0 && mongol < total, "some applicants carry the minority bonus and Mongolian");

	ok(sb_generate_roster(&rows, db, "150000000000", 3, 9, a) == 0 && rows == 6, "roster: 3 per township with villages");
	{
		static const sb__csv_col cols[] = { { "id_number", 1 }, { "name", 1 }, { "township_code", 1 }, { "village_code", 1 }, { "role", 1 }, { "service_start", 1 }, { "qualification", 1 }, { "phone", 1 }, { "bank_account", 1 } };
		int m9[9], good = 0;
		ok(sb__csv_open(&c, a) == 0 && sb__csv_header(c, cols, 9, m9) == 0, "roster has SPEC's columns");
		while (c && sb__csv_next(c) == 1) {
			const char *role = sb__csv_field(c, m9[4]), *vil = sb__csv_field(c, m9[3]);
			good += sb_person_id_check(NULL, sb__csv_field(c, m9[0])) == 0 &&
				(strcmp(role, "office") == 0 || strncmp(vil, sb__csv_field(c, m9[2]), 9) == 0);
		}
		sb__csv_free(c);
		is_int(good, 6, "valid ID numbers, service workers in a village of their township");
	}
	{
		/* 20,000 people of two townships: drawn (county, birth date, sequence) triples repeat
		 * at this size (about ten times), and every ID number must still be unique */
		char **seen = NULL;
		size_t ns = 0, dup = 0, k;
		int m9[9];
		static const sb__csv_col idcol[] = { { "id_number", 1 }, { "name", 1 }, { "township_code", 1 }, { "village_code", 1 }, { "role", 1 }, { "service_start", 1 }, { "qualification", 1 }, { "phone", 1 }, { "bank_account", 1 } };
		ok(sb_generate_roster(&rows, db, "150000000000", 10000, 11, a) == 0 && rows == 20000, "roster: 10,000 per township");
		seen = calloc(20000, sizeof *seen);
		if (seen && sb__csv_open(&c, a) == 0 && sb__csv_header(c, idcol, 9, m9) == 0)
			while (ns < 20000 && sb__csv_next(c) == 1)
				seen[ns++] = strdup(sb__csv_field(c, m9[0]));
		sb__csv_free(c);
		qsort(seen, ns, sizeof *seen, str_cmp);
		for (k = 1; k < ns; k++)
			dup += strcmp(seen[k - 1], seen[k]) == 0;
		is_int((int)dup, 0, "no ID number twice among 20,000 generated people");
		ok(ns == 20000 && seen[0] && seen[0][14] >= '5', "roster sequence numbers are 500-999 (never an applicant's)");
		for (k = 0; k < ns; k++)
			free(seen[k]);
		free(seen);
	}
	{
		const char *apps[] = { "A1", "A2", "A3" };
		ok(sb_generate_interviews(apps, 3, 2, 5, 1, a) == 0, "interviews");
		x = slurp(a);
		ok(x && strstr(x, "A2,P2,E5,") != NULL, "5 examiners on 2 panels");
		free(x);
		ok(sb_generate_interviews(apps, 3, 0, 5, 1, a) == SB_EUSAGE, "no panel is a usage error");
	}
	{
		char id[19];
		sb_generate_id_number(id, "440103", 1990, 3, 7, 453);
		is_str(id, "44010319900307453X", "ID number built with its check digit");
	}
	(void)emp_cols;
	sb_db_close(db);
	return tap_done();
}
