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
/* The same without assembling the document: the file is `<?xml ...?>` and a newline, then
 * xml[*out_root .. *out_at), then *out_sig (the Signature element, caller frees), then
 * xml[*out_at .. len). For a writer that writes those pieces as they are. */
int sb__sign_xml_canonical_split(char **out_sig, size_t *out_sig_len, size_t *out_root, size_t *out_at,
				 const struct sb_signer *s, const char *xml, size_t len);

/* sb_sign_verify_xml on a document already parsed (the safe way: sb__xml_parse or
 * sb__xml_read), so a caller that also validates and reads it parses it once. The document
 * is not changed. */
struct _xmlDoc;
int sb__sign_verify_doc(char **out_township, struct _xmlDoc *doc, const char *ca_path, const char *crl_path);

/* Parse XML the one safe way (no network, no entities, no DOCTYPE); `what` names it in errors. */
struct _xmlDoc;
int sb__xml_parse(struct _xmlDoc **out, const char *xml, size_t len, const char *what);

/* The chain of `cert` to the CA at ca_path, now, with the CRL when given: SB_EPOLICY naming
 * a revoked, expired or untrusted certificate. */
int sb__sign_check_chain(X509 *cert, const char *ca_path, const char *crl_path);
/* *out: a copy of the certificate's township code (nothing when out is NULL). */
int sb__sign_township_out(char **out, X509 *cert);
/* The certificate of an X509Certificate element's base64 text (whitespace allowed). */
int sb__sign_cert_base64(X509 **out, const char *text, size_t n);

/* One element of a document read by sb__sign_verify_stream, outside its signature: depth 0
 * is the document element; attributes as libxml2's SAX2 gives them (nattr groups of five
 * pointers: local name, prefix, namespace URI, value, end of value); line as xmlGetLineNo
 * reports it for the same element of a tree. Return < 0 (an SB_E... code) to stop. */
typedef int (*sb__xml_element_fn)(void *user, int depth, const char *local, const char *ns_uri, int nattr,
				  const unsigned char **attrs, long line);

/* sb__xml_read + sb__sign_verify_doc + sb__xml_validate in one streaming pass with no tree,
 * for the shape sb_sign_xml and sb__sign_xml_canonical write (one enveloped Signature, a
 * child of the document element: exclusive C14N, one Reference URI="" with the
 * enveloped-signature and exclusive C14N transforms, SHA-256, ECDSA- or RSA-SHA256, one
 * X509Certificate). The document is canonicalized as it is read and the bytes digested;
 * the schema is checked on the same events; `fn` sees every element outside the signature.
 * *out_settled = 1: the signature, the schema and the certificate chain all hold, and the
 * signer's township is in *out_township. *out_settled = 0 (return 0): the document is bad
 * or of another shape, and what `fn` saw must be discarded: the tree reader decides, and
 * says why. < 0: a certificate refused as sb__sign_verify_doc refuses it, fn's error, or
 * SB_ENOMEM. */
int sb__sign_verify_stream(char **out_township, int *out_settled, const char *xml, size_t len,
			   const char *xsd_name, const char *ca_path, const char *crl_path, sb__xml_element_fn fn,
			   void *user);
/* Why the last sb__sign_verify_stream did not settle its document: "input" (empty, too
 * large, a DOCTYPE), "shape", "parse", "schema", "digest" (the canonical form's digest is not
 * DigestValue), "certificate", "signature value"; "" when it did. For tests and fuzzing. */
const char *sb__sign_stream_why(void);

#endif
