/*
 * libFuzzer target for the CSV reader: any bytes, decoded and split into records under a
 * three-column header, must give records or a clean error, never a crash, leak or hang.
 */
#include "config.h"
#include "common_internal.h"
#include "csv_internal.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const sb__csv_col cols[] = { { "code", 1 }, { "name", 0 }, { "level", 0 } };
	sb__csv *c = NULL;
	int map[3], r, i;
	size_t total = 0;

	if (sb__csv_open_mem(&c, "fuzz.csv", (const char *)data, size) < 0)
		return 0;
	if (sb__csv_header(c, cols, 3, map) == 0) {
		while ((r = sb__csv_next(c)) == 1) {
			for (i = 0; i < 3; i++)
				total += strlen(sb__csv_field(c, map[i]));
			if (sb__csv_line(c) < 1)
				abort();
		}
	}
	(void)total;
	sb__csv_free(c);
	return 0;
}
