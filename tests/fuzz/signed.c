/*
 * libFuzzer target for the signature readers: any bytes, as a PDF to sign (the incremental-
 * update parser), as a signed PDF to verify (/ByteRange, /Contents, CMS) or as a signed XML to
 * verify (parser restrictions, xmlsec policy), must give a clean error or a result, never a
 * crash, leak or hang; a PDF we manage to sign must verify. The first byte picks the reader.
 * A throw-away CA and township key are made once in a temporary directory.
 */
#include "config.h"
#include "common_internal.h"
#include "shuangbai.h"
#include "sign_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sb_signer *signer;
static char ca[512];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/sb-fuzz-signed-XXXXXX", key[512], cert[512];
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir) || sb_pki_init(dir, 0, "fuzzing", NULL) < 0 ||
	    sb_pki_issue(dir, "440103001000", "fuzzing", 0, NULL) < 0)
		abort();
	snprintf(key, sizeof key, "%s/440103001000.key", dir);
	snprintf(cert, sizeof cert, "%s/440103001000.pem", dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	if (sb_signer_load(&signer, key, cert, "fuzzing") < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *town = NULL;
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0: {
		unsigned char *out = NULL;
		size_t len = 0;
		if (sb_sign_pdf(&out, &len, signer, data + 1, size - 1) == 0) {
			if (sb_sign_verify_pdf(&town, out, len, ca, NULL) < 0 || strcmp(town, "440103001000") != 0)
				abort();
			free(town);
			free(out);
		}
		break;
	}
	case 1:
		if (sb_sign_verify_pdf(&town, data + 1, size - 1, ca, NULL) == 0)
			free(town);
		break;
	case 2: {
		/* the streaming check may settle only what libxmlsec accepts */
		int settled = 0, tree = sb_sign_verify_xml(&town, (const char *)data + 1, size - 1, ca, NULL);
		free(town);
		town = NULL;
		if (sb__sign_verify_stream(&town, &settled, (const char *)data + 1, size - 1, NULL, ca, NULL, NULL,
					   NULL) == 0 && settled && tree != 0)
			abort();
		free(town);
		break;
	}
	default: {
		/* any XML, signed by libxmlsec: the streaming check, which canonicalizes it its own
		 * way, must reach the same digest whenever it takes the document's shape at all */
		char *sx = NULL;
		size_t sl = 0;
		int settled = 0;
		if (sb_sign_xml(&sx, &sl, signer, (const char *)data + 1, size - 1) == 0) {
			if (sb__sign_verify_stream(&town, &settled, sx, sl, NULL, ca, NULL, NULL, NULL) < 0 ||
			    (!settled && strcmp(sb__sign_stream_why(), "digest") == 0))
				abort();
			if (settled && (strcmp(town, "440103001000") != 0 || sb_sign_verify_xml(NULL, sx, sl, ca, NULL) != 0))
				abort();
			free(town);
			free(sx);
		}
		break;
	}
	}
	return 0;
}
