/*
 * The province's PKI with OpenSSL 3: the root CA (EC P-256 by default, RSA-3072 on request),
 * township signing certificates whose subject carries the township code (CN and
 * serialNumber both hold the 12-digit code), and the CRL. The CA directory holds ca.pem,
 * ca.key, <code>.pem, <code>.key, crl.pem and revoked.txt (one revoked serial per line, the
 * CRL's source). Private keys are written only as encrypted PKCS#8 (AES-256-CBC, PBKDF2),
 * mode 0600; passphrases and key buffers are wiped with OPENSSL_cleanse on every path. Not
 * for signing documents (sign.c) nor for asking for passphrases (the command does that).
 */
#include "config.h"
#include "common_internal.h"
#include "sign_internal.h"
#include "shuangbai/pki.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define CA_YEARS 20
#define TOWNSHIP_DAYS (5 * 365 + 1)
#define CRL_DAYS 30

int sb__crypto_error(const char *what)
{
	char msg[256] = "";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, msg, sizeof msg);
	ERR_clear_error();
	return sb_error_set(SB_ECRYPTO, "%s%s%s", what, msg[0] ? ": " : "", msg);
}

static char *dir_file(const char *dir, const char *name, const char *ext)
{
	sb_buf b = SB_BUF_INIT;
	sb__buf_printf(&b, "%s/%s%s", dir, name, ext);
	if (sb__buf_failed(&b) < 0)
		return NULL;
	return sb__buf_detach(&b);
}

/* The files one command writes change together or not at all: each is first written as
 * <path>.new (itself atomically), and only when every one is written are they renamed into
 * place (stage_finish); on any failure the .new files are removed, so a failed init, issue
 * or revoke leaves no half-made CA, no key without its certificate, no list without its CRL. */
static int stage_write(const char *path, const void *data, size_t len, int mode)
{
	sb_buf b = SB_BUF_INIT;
	int error;
	sb__buf_printf(&b, "%s.new", path);
	if ((error = sb__buf_failed(&b)) == 0)
		error = sb__write_file(b.ptr, data, len, mode);
	sb__buf_free(&b);
	return error;
}

/* Renames each PATHS[i].new into place when ERROR is 0, removes them otherwise (no
 * allocation here: it runs on the failure paths). Returns ERROR or the rename's error. */
static int stage_finish(int error, char *const *paths, size_t n)
{
	char tmp[4096];
	size_t i;
	for (i = 0; i < n; i++) {
		if (!paths[i] || snprintf(tmp, sizeof tmp, "%s.new", paths[i]) >= (int)sizeof tmp)
			continue;
		if (error == 0 && rename(tmp, paths[i]) < 0)
			error = sb_error_set(SB_EIO, "%s: cannot rename into place: %s", paths[i], strerror(errno));
		else if (error < 0)
			unlink(tmp);
	}
	return error;
}

static int check_passphrase(const char *pass)
{
	if (!pass || strlen(pass) < 4)
		return sb_error_set(SB_EINVALID, "passphrase: at least 4 characters are needed");
	return 0;
}

static int new_key(EVP_PKEY **out, int rsa)
{
	if (sb__fault("crypto"))
		return sb_error_set(SB_ECRYPTO, "key generation failed (simulated)");
	*out = rsa ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072) : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!*out)
		return sb__crypto_error("key generation failed");
	return 0;
}

/* Encrypted PKCS#8 in PEM, mode 0600. The PEM text is not the secret itself, but it is
 * wiped anyway: it is what protects the key offline. */
static int write_key(const char *path, EVP_PKEY *key, const char *pass)
{
	int error = 0;
	BIO *mem = NULL;
	char *data;
	long len;

	if (sb__fault("crypto") || !(mem = BIO_new(BIO_s_mem()))) {
		error = sb__crypto_error("cannot write the key");
		goto done;
	}
	if (!PEM_write_bio_PKCS8PrivateKey(mem, key, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)pass)) {
		error = sb__crypto_error("cannot encrypt the key");
		goto done;
	}
	len = BIO_get_mem_data(mem, &data);
	error = stage_write(path, data, (size_t)len, 0600);
	OPENSSL_cleanse(data, (size_t)len);
done:
	BIO_free(mem);
	return error;
}

static int write_pem_cert(const char *path, X509 *cert)
{
	int error = 0;
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	long len;
	if (!mem || !PEM_write_bio_X509(mem, cert)) {
		error = sb__crypto_error("cannot write the certificate");
		goto done;
	}
	len = BIO_get_mem_data(mem, &data);
	error = stage_write(path, data, (size_t)len, 0644);
done:
	BIO_free(mem);
	return error;
}

int sb__pki_load_key(EVP_PKEY **out, const char *path, const char *pass)
{
	int error = 0;
	char *data = NULL;
	size_t len = 0;
	BIO *mem = NULL;

	*out = NULL;
	if ((error = sb__read_file(&data, &len, path)) < 0)
		return error;
	if (sb__fault("crypto") || !(mem = BIO_new_mem_buf(data, (int)len))) {
		error = sb__crypto_error("cannot read the key");
		goto done;
	}
	/* Only encrypted keys are accepted: an unencrypted PEM would load without a passphrase. */
	if (!strstr(data, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		error = sb_error_set(SB_ECRYPTO, "%s: not an encrypted PKCS#8 private key", path);
		goto done;
	}
	if (!(*out = PEM_read_bio_PrivateKey(mem, NULL, NULL, (void *)(pass ? pass : "")))) {
		ERR_clear_error();
		error = sb_error_set(SB_ECRYPTO, "%s: cannot decrypt the key (wrong passphrase?)", path);
		goto done;
	}
done:
	BIO_free(mem);
	if (data) {
		OPENSSL_cleanse(data, len);
		free(data);
	}
	return error;
}

int sb__pki_load_cert(X509 **out, const char *path)
{
	int error = 0;
	char *data = NULL;
	size_t len = 0;
	BIO *mem = NULL;

	*out = NULL;
	if ((error = sb__read_file(&data, &len, path)) < 0)
		return error;
	if (!(mem = BIO_new_mem_buf(data, (int)len)) || !(*out = PEM_read_bio_X509(mem, NULL, NULL, NULL)))
		error = sb__crypto_error(path);
	BIO_free(mem);
	free(data);
	return error;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	if (!(ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
		return sb__crypto_error("certificate extension");
	if (!X509_add_ext(cert, ext, -1)) {
		X509_EXTENSION_free(ext);
		return sb__crypto_error("certificate extension");
	}
	X509_EXTENSION_free(ext);
	return 0;
}

static int random_serial(X509 *cert)
{
	unsigned char raw[16];
	BIGNUM *bn = NULL;
	int ok;
	if (RAND_bytes(raw, sizeof raw) != 1)
		return sb__crypto_error("random serial");
	raw[0] &= 0x7f; /* positive, as RFC 5280 asks */
	raw[0] |= 0x01;
	bn = BN_bin2bn(raw, sizeof raw, NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
	BN_free(bn);
	return ok ? 0 : sb__crypto_error("random serial");
}

static int name_add(X509_NAME *n, const char *field, const char *value)
{
	if (!X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0))
		return sb__crypto_error("certificate subject");
	return 0;
}

static int make_cert(X509 **out, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, const char *org,
		     const char *cn, const char *serial_number, time_t not_before, long days, int ca)
{
	int error = 0;
	X509 *cert = NULL;
	X509_NAME *name = NULL;

	*out = NULL;
	if (sb__fault("crypto") || !(cert = X509_new()) || !(name = X509_NAME_new())) {
		error = sb__crypto_error("cannot make the certificate");
		goto done;
	}
	X509_set_version(cert, 2);
	if ((error = random_serial(cert)) < 0)
		goto done;
	if ((error = name_add(name, "C", "CN")) < 0 || (error = name_add(name, "O", org)) < 0 ||
	    (serial_number && (error = name_add(name, "serialNumber", serial_number)) < 0) ||
	    (error = name_add(name, "CN", cn)) < 0)
		goto done;
	X509_set_subject_name(cert, name);
	X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
	if (!X509_time_adj_ex(X509_getm_notBefore(cert), 0, 0, &not_before) ||
	    !X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0, &not_before)) {
		error = sb__crypto_error("certificate validity");
		goto done;
	}
	X509_set_pubkey(cert, key);
	if (ca) {
		if ((error = add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")) < 0 ||
		    (error = add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")) < 0 ||
		    (error = add_ext(cert, cert, NID_subject_key_identifier, "hash")) < 0 ||
		    (error = add_ext(cert, cert, NID_authority_key_identifier, "keyid:always")) < 0)
			goto done;
	} else {
		/* No extendedKeyUsage: NSS (pdfsig) and OpenSSL's S/MIME purpose then accept the
		 * key for document signatures on digitalSignature/nonRepudiation alone. */
		if ((error = add_ext(cert, issuer, NID_basic_constraints, "critical,CA:FALSE")) < 0 ||
		    (error = add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature,nonRepudiation")) < 0 ||
		    (error = add_ext(cert, issuer, NID_subject_key_identifier, "hash")) < 0 ||
		    (error = add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always")) < 0)
			goto done;
	}
	if (!X509_sign(cert, issuer_key, EVP_sha256())) {
		error = sb__crypto_error("cannot sign the certificate");
		goto done;
	}
	*out = cert;
	cert = NULL;
done:
	X509_NAME_free(name);
	X509_free(cert);
	return error;
}

static int add_crl_ext(X509_CRL *crl, X509 *ca)
{
	int error = 0;
	X509V3_CTX ctx;
	X509_EXTENSION *ext = NULL;
	ASN1_INTEGER *number = ASN1_INTEGER_new();

	X509V3_set_ctx(&ctx, ca, NULL, NULL, crl, 0);
	/* The CRL number only has to grow: the time of issue does. */
	if (!number || !ASN1_INTEGER_set_int64(number, (int64_t)time(NULL)) ||
	    !X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, 0) ||
	    !(ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always")) ||
	    !X509_CRL_add_ext(crl, ext, -1))
		error = sb__crypto_error("CRL extensions");
	X509_EXTENSION_free(ext);
	ASN1_INTEGER_free(number);
	return error;
}

/* The CRL is rebuilt from revoked.txt ("<serial hex> <unix time>" per line) each time. */
/* Stages CRL_PATH from LIST (the text of revoked.txt; NULL reads the file in DIR). */
static int write_crl(const char *crl_path, const char *dir, const char *list, X509 *ca, EVP_PKEY *ca_key)
{
	int error = 0;
	char *list_path = dir_file(dir, "revoked", ".txt");
	char *text = NULL, *line, *next;
	size_t len = 0;
	X509_CRL *crl = NULL;
	BIO *mem = NULL;
	ASN1_TIME *t = NULL;
	time_t now = time(NULL);
	char *data;
	long dlen;

	if (!list_path) {
		error = SB_ENOMEM;
		goto done;
	}
	if (list && !(text = sb__strdup(list))) {
		error = SB_ENOMEM;
		goto done;
	}
	if (!list && access(list_path, F_OK) == 0 && (error = sb__read_file(&text, &len, list_path)) < 0)
		goto done;
	if (sb__fault("crypto") || !(crl = X509_CRL_new()) || !(t = ASN1_TIME_new())) {
		error = sb__crypto_error("cannot make the CRL");
		goto done;
	}
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
	X509_gmtime_adj(t, 0);
	X509_CRL_set1_lastUpdate(crl, t);
	X509_time_adj_ex(t, CRL_DAYS, 0, &now);
	X509_CRL_set1_nextUpdate(crl, t);
	for (line = text; line && *line; line = next) {
		BIGNUM *bn = NULL;
		X509_REVOKED *r = NULL;
		ASN1_INTEGER *serial = NULL;
		ASN1_TIME *when = NULL;
		char *sp;
		long long at;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!(sp = strchr(line, ' ')))
			continue;
		*sp = '\0';
		at = strtoll(sp + 1, NULL, 10);
		if (!BN_hex2bn(&bn, line) || !(serial = BN_to_ASN1_INTEGER(bn, NULL)) || !(r = X509_REVOKED_new()) ||
		    !(when = ASN1_TIME_set(NULL, (time_t)at)) || !X509_REVOKED_set_serialNumber(r, serial) ||
		    !X509_REVOKED_set_revocationDate(r, when) || !X509_CRL_add0_revoked(crl, r)) {
			X509_REVOKED_free(r);
			r = NULL;
			error = sb__crypto_error("revoked.txt");
		} else {
			r = NULL;
		}
		BN_free(bn);
		ASN1_INTEGER_free(serial);
		ASN1_TIME_free(when);
		if (error < 0)
			goto done;
	}
	X509_CRL_sort(crl);
	if ((error = add_crl_ext(crl, ca)) < 0)
		goto done;
	if (!X509_CRL_sign(crl, ca_key, EVP_sha256()) || !(mem = BIO_new(BIO_s_mem())) ||
	    !PEM_write_bio_X509_CRL(mem, crl)) {
		error = sb__crypto_error("cannot sign the CRL");
		goto done;
	}
	dlen = BIO_get_mem_data(mem, &data);
	error = stage_write(crl_path, data, (size_t)dlen, 0644);
done:
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	BIO_free(mem);
	free(text);
	free(list_path);
	return error;
}

int sb__cert_township(char out[13], X509 *cert)
{
	static const int nids[] = { NID_commonName, NID_serialNumber };
	X509_NAME *name = X509_get_subject_name(cert);
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof nids / sizeof nids[0]; i++) {
		int idx = X509_NAME_get_index_by_NID(name, nids[i], -1);
		ASN1_STRING *v;
		const unsigned char *d;
		int n, k, digits = 1;
		if (idx < 0)
			continue;
		v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
		d = ASN1_STRING_get0_data(v);
		n = ASN1_STRING_length(v);
		if (n != 12)
			continue;
		for (k = 0; k < 12; k++)
			if (d[k] < '0' || d[k] > '9')
				digits = 0;
		if (!digits)
			continue;
		memcpy(out, d, 12);
		out[12] = '\0';
		return 0;
	}
	return sb_error_set(SB_EINVALID, "certificate subject names no township code (CN or serialNumber of 12 digits)");
}

int sb_pki_cert_township(char out[13], const char *cert_pem, size_t len)
{
	int error;
	BIO *mem = BIO_new_mem_buf(cert_pem, (int)len);
	X509 *cert = mem ? PEM_read_bio_X509(mem, NULL, NULL, NULL) : NULL;
	if (!cert)
		error = sb__crypto_error("not a PEM certificate");
	else
		error = sb__cert_township(out, cert);
	X509_free(cert);
	BIO_free(mem);
	return error;
}

static int valid_code(const char *code)
{
	size_t i;
	if (!code || strlen(code) != 12)
		return 0;
	for (i = 0; i < 12; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return 1;
}

int sb_pki_init(const char *dir, int rsa, const char *passphrase, const char *province)
{
	int error = 0;
	char *paths[3] = { dir_file(dir, "ca", ".key"), dir_file(dir, "ca", ".pem"), dir_file(dir, "crl", ".pem") };
	char *key_path = paths[0], *cert_path = paths[1];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	time_t now = time(NULL);
	const char *org = province && *province ? province : "Shuangbai";
	int made = 0;

	if (!paths[0] || !paths[1] || !paths[2]) {
		error = SB_ENOMEM;
		goto done;
	}
	if ((error = check_passphrase(passphrase)) < 0)
		goto done;
	if (mkdir(dir, 0700) == 0)
		made = 1;
	else if (errno != EEXIST) {
		error = sb_error_set(SB_EIO, "%s: cannot create: %s", dir, strerror(errno));
		goto done;
	}
	if (access(key_path, F_OK) == 0) {
		error = sb_error_set(SB_EEXISTS, "%s: a CA key exists already; it is never overwritten", key_path);
		goto done;
	}
	if ((error = new_key(&key, rsa)) < 0)
		goto done;
	if ((error = make_cert(&cert, key, NULL, key, org, "Shuangbai Province Root CA", NULL, now,
			       CA_YEARS * 365L + CA_YEARS / 4, 1)) < 0)
		goto done;
	if ((error = write_key(key_path, key, passphrase)) < 0 || (error = write_pem_cert(cert_path, cert)) < 0)
		goto done;
	error = write_crl(paths[2], dir, NULL, cert, key);
done:
	if (error != SB_EEXISTS)
		error = stage_finish(error, paths, 3);
	if (error < 0 && made)
		rmdir(dir);
	EVP_PKEY_free(key);
	X509_free(cert);
	free(paths[0]);
	free(paths[1]);
	free(paths[2]);
	return error;
}

static int load_ca(EVP_PKEY **out_key, X509 **out_cert, const char *dir, const char *passphrase)
{
	int error = 0;
	char *key_path = dir_file(dir, "ca", ".key"), *cert_path = dir_file(dir, "ca", ".pem");
	*out_key = NULL;
	*out_cert = NULL;
	if (!key_path || !cert_path) {
		error = SB_ENOMEM;
		goto done;
	}
	if (access(key_path, F_OK) < 0 || access(cert_path, F_OK) < 0) {
		error = sb_error_set(SB_ENOTFOUND, "%s: no CA here (run shuangbai pki init)", dir);
		goto done;
	}
	if ((error = sb__pki_load_cert(out_cert, cert_path)) < 0 ||
	    (error = sb__pki_load_key(out_key, key_path, passphrase)) < 0)
		goto done;
	if (X509_check_private_key(*out_cert, *out_key) != 1) {
		ERR_clear_error();
		error = sb_error_set(SB_ECRYPTO, "%s does not match %s", key_path, cert_path);
	}
done:
	if (error < 0) {
		EVP_PKEY_free(*out_key);
		X509_free(*out_cert);
		*out_key = NULL;
		*out_cert = NULL;
	}
	free(key_path);
	free(cert_path);
	return error;
}

int sb_pki_issue(const char *dir, const char *code, const char *passphrase, int days, const char *not_before)
{
	int error = 0, y, m, d;
	char *key_path = NULL, *cert_path = NULL;
	EVP_PKEY *ca_key = NULL, *key = NULL;
	X509 *ca = NULL, *cert = NULL;
	X509_NAME_ENTRY *org_entry;
	ASN1_STRING *org_value;
	char org[256] = "Shuangbai";
	time_t from = time(NULL);
	int idx;

	if (!valid_code(code))
		return sb_error_set(SB_EINVALID, "township '%s': a township code has 12 digits", code ? code : "");
	if (not_before) {
		if (sb__date_parse(not_before, &y, &m, &d) < 0)
			return sb_error_set(SB_EINVALID, "not-before '%s': expected YYYY-MM-DD", not_before);
		from = (time_t)(sb__days_from_civil(y, m, d) * 86400);
	}
	if (days < 0)
		return sb_error_set(SB_EINVALID, "days: must be positive");
	if (!(key_path = dir_file(dir, code, ".key")) || !(cert_path = dir_file(dir, code, ".pem"))) {
		error = SB_ENOMEM;
		goto done;
	}
	if ((error = check_passphrase(passphrase)) < 0 || (error = load_ca(&ca_key, &ca, dir, passphrase)) < 0)
		goto done;
	/* The township's organisation name is the province's, as written in the CA's subject. */
	idx = X509_NAME_get_index_by_NID(X509_get_subject_name(ca), NID_organizationName, -1);
	if (idx >= 0 && (org_entry = X509_NAME_get_entry(X509_get_subject_name(ca), idx)) &&
	    (org_value = X509_NAME_ENTRY_get_data(org_entry)))
		snprintf(org, sizeof org, "%.*s", ASN1_STRING_length(org_value), (const char *)ASN1_STRING_get0_data(org_value));
	if ((error = new_key(&key, EVP_PKEY_get_base_id(ca_key) == EVP_PKEY_RSA)) < 0)
		goto done;
	if ((error = make_cert(&cert, key, ca, ca_key, org, code, code, from, days ? days : TOWNSHIP_DAYS, 0)) < 0)
		goto done;
	if ((error = write_key(key_path, key, passphrase)) < 0)
		goto done;
	error = write_pem_cert(cert_path, cert);
	{
		char *paths[2] = { key_path, cert_path };
		error = stage_finish(error, paths, 2);
	}
done:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	X509_free(ca);
	X509_free(cert);
	free(key_path);
	free(cert_path);
	return error;
}

int sb_pki_revoke(const char *dir, const char *code, const char *passphrase)
{
	int error = 0;
	char *cert_path = NULL, *list_path = NULL, *crl_path = NULL, *text = NULL, *hex = NULL;
	size_t len = 0;
	EVP_PKEY *ca_key = NULL;
	X509 *ca = NULL, *cert = NULL;
	BIGNUM *bn = NULL;
	sb_buf b = SB_BUF_INIT;

	if (!valid_code(code))
		return sb_error_set(SB_EINVALID, "township '%s': a township code has 12 digits", code ? code : "");
	if (!(cert_path = dir_file(dir, code, ".pem")) || !(list_path = dir_file(dir, "revoked", ".txt")) ||
	    !(crl_path = dir_file(dir, "crl", ".pem"))) {
		error = SB_ENOMEM;
		goto done;
	}
	if (access(cert_path, F_OK) < 0) {
		error = sb_error_set(SB_ENOTFOUND, "%s: no certificate of township %s", cert_path, code);
		goto done;
	}
	if ((error = load_ca(&ca_key, &ca, dir, passphrase)) < 0 || (error = sb__pki_load_cert(&cert, cert_path)) < 0)
		goto done;
	if (!(bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL)) || !(hex = BN_bn2hex(bn))) {
		error = sb__crypto_error("certificate serial");
		goto done;
	}
	if (access(list_path, F_OK) == 0 && (error = sb__read_file(&text, &len, list_path)) < 0)
		goto done;
	sb__buf_put(&b, text ? text : "", len);
	/* Revoking twice is harmless: the serial is listed once. */
	{
		sb_buf probe = SB_BUF_INIT;
		int listed;
		sb__buf_printf(&probe, "%s ", hex);
		listed = probe.ptr && text && (strncmp(text, probe.ptr, probe.len) == 0 ||
					       (strstr(text, probe.ptr) && strstr(text, probe.ptr)[-1] == '\n'));
		sb__buf_free(&probe);
		if (!listed)
			sb__buf_printf(&b, "%s %lld\n", hex, (long long)time(NULL));
	}
	if ((error = sb__buf_failed(&b)) < 0 || (error = stage_write(list_path, b.ptr ? b.ptr : "", b.len, 0644)) < 0)
		goto done;
	error = write_crl(crl_path, dir, b.ptr ? b.ptr : "", ca, ca_key);
	{
		char *paths[2] = { list_path, crl_path };
		error = stage_finish(error, paths, 2);
	}
done:
	sb__buf_free(&b);
	OPENSSL_free(hex);
	BN_free(bn);
	EVP_PKEY_free(ca_key);
	X509_free(ca);
	X509_free(cert);
	free(text);
	free(cert_path);
	free(list_path);
	free(crl_path);
	return error;
}

void sb_pki_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}
