/* libFuzzer target: pay policy XML — the hardened read and the schema of xsd/pay.xsd. */
#include "config.h"
#include "common_internal.h"
#include "xml_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDocPtr doc = NULL;
	if (sb__xml_read(&doc, (const char *)data, size, "fuzz.xml", "pay.xsd") == 0)
		xmlFreeDoc(doc);
	return 0;
}
