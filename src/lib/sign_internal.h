/*
 * What the pki and sign files share: OpenSSL error capture, loading keys and certificates,
 * and reading the township code from a certificate subject. Not public.
 */
#ifndef SB_SIGN_INTERNAL_H
#define SB_SIGN_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Set SB_ECRYPTO "what: <first OpenSSL error>" and clear OpenSSL's error queue. */
int sb__crypto_error(const char *what);
/* Load an encrypted PKCS#8 PEM key; the file's bytes are wiped after use. */
int sb__pki_load_key(EVP_PKEY **out, const char *path, const char *passphrase);
/* Load a PEM certificate. */
int sb__pki_load_cert(X509 **out, const char *path);
/* The 12-digit township code of the subject (CN, else serialNumber); SB_EINVALID if none. */
int sb__cert_township(char out[13], X509 *cert);

/* Parse XML the one safe way (no network, no entities, no DOCTYPE); `what` names it in errors. */
struct _xmlDoc;
int sb__xml_parse(struct _xmlDoc **out, const char *xml, size_t len, const char *what);

#endif
