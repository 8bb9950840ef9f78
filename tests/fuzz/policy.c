/*
 * libFuzzer target for the round policy reader: any bytes, parsed as an untrusted policy
 * (no DOCTYPE, no network, schema validation, semantic checks), must give a policy or a clean
 * error, never a crash, leak or hang. Needs xsd/policy.xsd of the source tree.
 */
#include "config.h"
#include "common_internal.h"
#include "round_internal.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sb__round_policy *p = NULL;
	if (sb__round_policy_parse(&p, (const char *)data, size, "fuzz.xml", 1) == 0) {
		if (!p || p->nsubjects == 0 || p->w_written + p->w_interview != 100)
			abort();
		sb__round_policy_free(p);
	}
	return 0;
}
