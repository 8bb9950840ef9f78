/*
 * The payroll benchmark's seeder (bench/payroll runs it): a registry with the real Guangdong
 * divisions, their stations, the shared Guangdong pay policy and N workers spread evenly over
 * the townships, each with a contract recorded from 2026-01-01 (one recruit in ten still on
 * probation in January and February, one worker in three taken over with seniority, a tenth
 * of the townships flagged remote, a worker in twenty with declared special deductions). It
 * goes through the library's own functions in one transaction; it is not measured. Not a test.
 *
 * usage: payroll_seed DB DIVISIONS.csv POLICY.xml N
 */
#include "config.h"
#include "common_internal.h"
#include "contract_internal.h"
#include "db_internal.h"
#include "staff_internal.h"
#include "shuangbai.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const quals[4] = { "none", "assistant", "intermediate", "senior" };

int main(int argc, char **argv)
{
	sb_db *db = NULL;
	FILE *f, *flags, *deds;
	char line[1024], (*towns)[13] = NULL, (*villages)[13] = NULL, id[19], name[32], path[4096];
	size_t nt = 0, cap = 0, i, n;
	long long seq;

	if (argc != 5) {
		fprintf(stderr, "usage: payroll_seed DB DIVISIONS.csv POLICY.xml N\n");
		return 2;
	}
	n = (size_t)strtoull(argv[4], NULL, 10);
	if (sb_db_open(&db, argv[1], SB_DB_CREATE) < 0 || sb_org_import(db, argv[2], NULL, NULL, NULL) < 0 ||
	    sb_org_stations(db, NULL, NULL) < 0 || sb_pay_policy_load(NULL, db, argv[3]) < 0)
		goto fail;
	/* townships and one village of each */
	if (!(f = fopen(argv[2], "r")))
		goto fail;
	while (fgets(line, sizeof line, f)) {
		char *lvl = strstr(line, ",township,"), *vil = strstr(line, ",village,");
		if (lvl) {
			if (nt == cap) {
				cap = cap ? cap * 2 : 1024;
				towns = realloc(towns, cap * sizeof *towns);
				villages = realloc(villages, cap * sizeof *villages);
			}
			memcpy(towns[nt], line, 12);
			towns[nt][12] = '\0';
			villages[nt][0] = '\0';
			nt++;
		} else if (vil && nt && !villages[nt - 1][0] && strncmp(strstr(line, ",village,") + 9, towns[nt - 1], 12) == 0) {
			memcpy(villages[nt - 1], line, 12);
			villages[nt - 1][12] = '\0';
		}
	}
	fclose(f);
	snprintf(path, sizeof path, "%s.flags.csv", argv[1]);
	flags = fopen(path, "w");
	fprintf(flags, "code,flag\n");
	for (i = 0; i < nt; i += 10)
		fprintf(flags, "%s,remote\n", towns[i]);
	fclose(flags);
	if (sb_org_flags(db, path, NULL) < 0)
		goto fail;

	snprintf(path, sizeof path, "%s.deductions.csv", argv[1]);
	deds = fopen(path, "w");
	fprintf(deds, "id_number,from,to,amount\n");
	if (sb_db_begin(db) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		size_t t = i % nt;
		sb__staff_new w;
		sb_contract_info c;
		int64_t wid = 0;
		int recruit = (i % 3) != 0;
		/* distinct valid ID numbers: birth dates from 1966 on, sequence by block */
		seq = (long long)i;
		snprintf(id, sizeof id, "440103%04d%02d%02d%03d", 1966 + (int)(seq % 30), 1 + (int)(seq / 30 % 12),
			 1 + (int)(seq / 360 % 28), (int)(seq / 10080 % 1000));
		id[17] = sb_person_id_check_char(id);
		id[18] = '\0';
		snprintf(name, sizeof name, "工%lld", seq);
		memset(&w, 0, sizeof w);
		w.id_number = id;
		w.name = name;
		w.township_code = towns[t];
		w.village_code = villages[t][0] ? villages[t] : NULL;
		w.kind = villages[t][0] ? "service" : "office";
		w.source = recruit ? "recruit" : "relief";
		w.qualification = quals[i % 4];
		w.start_date = "2026-01-01";
		w.service_start = recruit ? NULL : "2012-06-01";
		w.bank_account = "6222020200112233445";
		if (sb__staff_add(db, &w, &wid, NULL) < 0)
			goto fail;
		memset(&c, 0, sizeof c);
		c.worker_id = wid;
		snprintf(c.id_number, sizeof c.id_number, "%s", id);
		snprintf(c.township_code, sizeof c.township_code, "%s", towns[t]);
		snprintf(c.number, sizeof c.number, "%s-2026-%06lld", towns[t], (long long)(i / nt + 1));
		snprintf(c.start, sizeof c.start, "2026-01-01");
		snprintf(c.end, sizeof c.end, "2028-12-31");
		if (recruit && i % 10 == 1)
			snprintf(c.probation_end, sizeof c.probation_end, "2026-02-28");
		c.monthly_fen = 400000; /* below every scale: the scale pays */
		c.probation_fen = 320000;
		if (sb__contract_record(db, &c) < 0)
			goto fail;
		if (i % 20 == 0)
			fprintf(deds, "%s,2026-01,2026-12,2000.00\n", id);
	}
	if (sb_db_commit(db) < 0)
		goto fail;
	fclose(deds);
	if (sb_pay_deductions(NULL, db, path) < 0)
		goto fail;
	printf("%zu workers in %zu townships\n", n, nt);
	sb_db_close(db);
	free(towns);
	free(villages);
	return 0;
fail:
	fprintf(stderr, "payroll_seed: %s\n", sb_error_last());
	return 1;
}
