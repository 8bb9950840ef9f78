/* libFuzzer target: payroll export verification (signature, schema, arithmetic, totals)
 * on any bytes, through a temporary file as the command reads it. */
#include "config.h"
#include "common_internal.h"
#include "shuangbai/payroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	const char *ca = getenv("SB_FUZZ_CA");
	sb_payroll_verified v;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/sb-fuzz-payroll-%ld.xml", (long)getpid());
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&v, 0, sizeof(v));
	sb_payroll_verify(&v, path, ca ? ca : "tests/fuzz/ca.pem", NULL, NULL);
	sb_payroll_verified_clear(&v);
	return 0;
}
