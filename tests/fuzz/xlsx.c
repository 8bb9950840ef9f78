/* libFuzzer target: the xlsx sheet and shared-strings readers (input: sheet XML, a NUL
 * byte, shared-strings XML). */
#include "config.h"
#include "common_internal.h"
#include "xlsx_internal.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t sheet_len = nul ? (size_t)(nul - text) : size;
	const char *sst = nul ? nul + 1 : "";
	size_t sst_len = nul ? size - sheet_len - 1 : 0;
	sb__xlsx *x = NULL;

	if (sb__xlsx_parse_mem(&x, "fuzz.xlsx", text, sheet_len, sst, sst_len) == 0)
		sb__xlsx_free(x);
	return 0;
}
