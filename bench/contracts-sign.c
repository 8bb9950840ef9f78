/*
 * bench/contracts-sign.c: the signing share of a contract, without rendering: sb_sign_xml and
 * sb_sign_pdf on one issued contract's unsigned XML and PDF, repeated. Built and run by
 * bench/contracts; not part of the program.
 *   contracts-sign KEY CERT PASSPHRASE CONTRACT.xml CONTRACT.pdf [N]
 */
#include "shuangbai.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p)
		p[n] = '\0';
	*len = (size_t)n;
	return p;
}

int main(int argc, char **argv)
{
	sb_signer *s;
	size_t xl, pl, cut = 0, i;
	char *xml, *pdf, *sig, *end;
	int n = argc > 6 ? (int)strtol(argv[6], NULL, 10) : 500, k;
	double t0, t1, t2;

	if (argc < 6 || sb_signer_load(&s, argv[1], argv[2], argv[3]) < 0) {
		fprintf(stderr, "contracts-sign: %s\n", argc < 6 ? "usage" : sb_error_last());
		return 1;
	}
	xml = slurp(argv[4], &xl);
	pdf = slurp(argv[5], &pl);
	if (!xml || !pdf || !(sig = strstr(xml, "<ds:Signature")) || !(end = strstr(xml, "</ds:Signature>")))
		return 1;
	end += strlen("</ds:Signature>");
	memmove(sig, end, strlen(end) + 1);
	xl = strlen(xml);
	for (i = 0; i + 5 <= pl; i++) /* the PDF as rendered: up to the first %%EOF */
		if (memcmp(pdf + i, "%%EOF", 5) == 0) {
			cut = i + 5;
			break;
		}
	while (cut < pl && (pdf[cut] == '\r' || pdf[cut] == '\n'))
		cut++;
	t0 = now();
	for (k = 0; k < n; k++) {
		char *o;
		size_t ol;
		if (sb_sign_xml(&o, &ol, s, xml, xl) < 0)
			return 1;
		free(o);
	}
	t1 = now();
	for (k = 0; k < n; k++) {
		unsigned char *o;
		size_t ol;
		if (sb_sign_pdf(&o, &ol, s, (const unsigned char *)pdf, cut) < 0)
			return 1;
		free(o);
	}
	t2 = now();
	printf("%.2f %.2f\n", (t1 - t0) / n * 1000, (t2 - t1) / n * 1000);
	sb_signer_free(s);
	free(xml);
	free(pdf);
	return 0;
}
