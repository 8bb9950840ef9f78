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

/* Enveloped XML-DSig, as sb_sign_xml makes it, of a document the caller has written in
 * exclusive canonical form: an optional `<?xml version="1.0" encoding="UTF-8"?>` line, then
 * the root element as exclusive C14N renders it (UTF-8, namespace declarations then
 * attributes in canonical order, no empty-element tags, attribute values escaped the C14N
 * way, nothing outside the root but newlines after it). The digest is then the SHA-256 of
 * those bytes, with no parse and no tree: large exports are signed in one pass. The
 * signature goes in as the root's last child. out: the signed document, caller frees. */
struct sb_signer;
int sb__sign_xml_canonical(char **out, size_t *out_len, const struct sb_signer *s, const char *xml, size_t len);

/* sb_sign_verify_xml on a document already parsed (the safe way: sb__xml_parse or
 * sb__xml_read), so a caller that also validates and reads it parses it once. The document
 * is not changed. */
struct _xmlDoc;
int sb__sign_verify_doc(char **out_township, struct _xmlDoc *doc, const char *ca_path, const char *crl_path);

/* Parse XML the one safe way (no network, no entities, no DOCTYPE); `what` names it in errors. */
struct _xmlDoc;
int sb__xml_parse(struct _xmlDoc **out, const char *xml, size_t len, const char *what);

#endif
