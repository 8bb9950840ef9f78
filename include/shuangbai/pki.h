/*
 * The province's public-key infrastructure: a root CA (EC P-256 by default, RSA-3072 on
 * request), one signing certificate per township government whose subject carries the
 * township code (CN=<code>, also serialNumber=<code>), and a certificate revocation list.
 * Private keys are written only as encrypted PKCS#8 with mode 0600. Not for signing
 * documents (sign.h) nor for asking for passphrases (the command does that).
 */
#ifndef SHUANGBAI_PKI_H
#define SHUANGBAI_PKI_H

#include "common.h"

/**
 * Make the province's root CA in `dir`: `dir/ca.pem` (self-signed, 20 years) and
 * `dir/ca.key` (encrypted PKCS#8, mode 0600), plus an empty `dir/crl.pem` and the serial
 * and index files the CA keeps. Refuses (SB_EEXISTS) to overwrite an existing ca.key.
 * @param dir        the CA directory (created when missing, mode 0700)
 * @param rsa        0: EC P-256; 1: RSA-3072
 * @param passphrase encrypts ca.key (not kept; at least 4 bytes)
 * @param province   the organisation name written in the subject (NULL: "Shuangbai")
 * @return 0, or SB_EEXISTS, SB_EIO, SB_ECRYPTO, SB_EINVALID
 */
SB_EXTERN(int) sb_pki_init(const char *dir, int rsa, const char *passphrase, const char *province);

/**
 * Issue the signing certificate of township `code`: `dir/<code>.pem` and `dir/<code>.key`
 * (same key type as the CA, encrypted with the same passphrase, mode 0600), signed by the CA.
 * @param days        validity in days from now (0: 5 years)
 * @param not_before  NULL for now, or "YYYY-MM-DD" to back-date (tests of expired certificates)
 * @return 0, or SB_ENOTFOUND (no CA), SB_ECRYPTO (wrong passphrase), SB_EINVALID (bad code)
 */
SB_EXTERN(int) sb_pki_issue(const char *dir, const char *code, const char *passphrase,
			    int days, const char *not_before);

/**
 * Revoke the certificate of township `code` (the one at `dir/<code>.pem`) and write a new
 * CRL `dir/crl.pem` signed by the CA, valid 30 days. Revoking twice is harmless.
 * @return 0, or SB_ENOTFOUND, SB_ECRYPTO
 */
SB_EXTERN(int) sb_pki_revoke(const char *dir, const char *code, const char *passphrase);

/**
 * The township code named in a certificate's subject (CN, or serialNumber).
 * @param out       12 digits plus NUL
 * @param cert_pem  the certificate in PEM
 * @return 0, SB_EINVALID when the subject names no township code
 */
SB_EXTERN(int) sb_pki_cert_township(char out[13], const char *cert_pem, size_t len);

/** Wipe a secret (a passphrase) in memory with OPENSSL_cleanse, which the compiler keeps. */
SB_EXTERN(void) sb_pki_wipe(void *p, size_t n);

#endif
