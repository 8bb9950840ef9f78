/*
 * Signing and verifying documents: enveloped XML-DSig (exclusive C14N, SHA-256, ECDSA or
 * RSA, Reference URI="", the certificate in KeyInfo) and PAdES baseline PDF signatures (an
 * incremental update with a signature field, /ByteRange and a detached CAdES CMS). Verifying
 * checks the chain to the province CA and the CRL. Not for making keys (pki.h) nor for what a
 * document says (contract.h, payroll.h).
 */
#ifndef SHUANGBAI_SIGN_H
#define SHUANGBAI_SIGN_H

#include "common.h"

/** A loaded signing key and its certificate (opaque). */
typedef struct sb_signer sb_signer;

/**
 * Load a township's (or the CA's) key (encrypted PKCS#8) and certificate (PEM).
 * The certificate must match the key and be valid today; the passphrase is not kept.
 * @param out free with sb_signer_free()
 * @return 0, SB_EIO (unreadable file), SB_ECRYPTO (wrong passphrase, mismatch),
 *         SB_EPOLICY (certificate expired or not yet valid)
 */
SB_EXTERN(int) sb_signer_load(sb_signer **out, const char *key_path, const char *cert_path,
			      const char *passphrase);

/** The township code from the signer's certificate subject ("" for the CA). */
SB_EXTERN(const char *) sb_signer_township(const sb_signer *s);

/**
 * Refuse a signer whose certificate is revoked by the CRL at `crl_path` or does not chain
 * to the CA at `ca_path` (either may be NULL to skip that check).
 * @return 0, SB_EPOLICY (revoked, not issued by the CA), SB_EIO, SB_ECRYPTO
 */
SB_EXTERN(int) sb_signer_check(const sb_signer *s, const char *ca_path, const char *crl_path);

/** Free a signer, wiping its key. Accepts NULL. */
SB_EXTERN(void) sb_signer_free(sb_signer *s);

/**
 * Enveloped XML-DSig over a whole document: exclusive C14N, SHA-256, ECDSA-SHA256 or
 * RSA-SHA256 by key type, Reference URI="", the certificate in KeyInfo/X509Data. The
 * document is parsed without network, entities or DOCTYPE.
 * @param out     the signed document (caller frees), NUL-terminated
 * @param out_len its length
 * @return 0, SB_EXML (not well-formed, DOCTYPE), SB_ECRYPTO
 */
SB_EXTERN(int) sb_sign_xml(char **out, size_t *out_len, const sb_signer *s, const char *xml,
			   size_t len);

/**
 * Verify an enveloped XML-DSig: exactly one Signature, child of the root, one Reference with
 * URI="", only the enveloped-signature and exclusive C14N transforms, the signature value,
 * the certificate's chain to the CA at `ca_path` and, when `crl_path` is given, that it is
 * not revoked.
 * @param out_township the signer's township code (caller frees; may be NULL)
 * @return 0, SB_EXML (malformed, DOCTYPE), SB_ECRYPTO (bad signature, disallowed transform
 *         or reference), SB_EPOLICY (chain, revoked, expired)
 */
SB_EXTERN(int) sb_sign_verify_xml(char **out_township, const char *xml, size_t len,
				  const char *ca_path, const char *crl_path);

/**
 * PAdES baseline signature (SubFilter ETSI.CAdES.detached) over a whole PDF: an incremental
 * update appends an invisible signature widget on the last page, the AcroForm and the
 * signature dictionary, whose /Contents holds a detached CMS over /ByteRange.
 * @param out the signed PDF (caller frees)
 * @return 0, SB_EINVALID (not a PDF this function understands), SB_ECRYPTO
 */
SB_EXTERN(int) sb_sign_pdf(unsigned char **out, size_t *out_len, const sb_signer *s,
			   const unsigned char *pdf, size_t len);

/**
 * Verify the last signature of a PDF: /ByteRange covers the whole file except /Contents,
 * nothing follows the signed range, the CMS matches the signed bytes, the chain to the CA
 * and, with `crl_path`, revocation.
 * @param out_township the signer's township code (caller frees; may be NULL)
 * @return 0, SB_EINVALID (no signature), SB_ECRYPTO (bad signature or modified),
 *         SB_EPOLICY (chain, revoked)
 */
SB_EXTERN(int) sb_sign_verify_pdf(char **out_township, const unsigned char *pdf, size_t len,
				  const char *ca_path, const char *crl_path);

#endif
