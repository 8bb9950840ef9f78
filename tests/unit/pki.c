/* Unit tests of the pki area: CA and township certificates, key encryption and file modes,
 * the township code in the subject, revocation, expired certificates, RSA. */
#include "config.h"
#include "common_internal.h"
#include "shuangbai.h"
#include "tap.h"

#include <sys/stat.h>

static int file_mode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len;
	return sb__read_file(&data, &len, path) == 0 ? data : NULL;
}

int main(void)
{
	char dir[1024];
	char path[1024], code[13], *text;
	sb_signer *s = NULL;
	int rc;

	snprintf(dir, sizeof dir, "%s", tap_tmpdir("pki"));
	/* the CA */
	is_int(sb_pki_init(dir, 0, "abc", NULL), SB_EINVALID, "a passphrase under 4 characters is refused");
	is_int(sb_pki_init(dir, 0, "correct horse", "广东省"), 0, "pki init (EC P-256)");
	snprintf(path, sizeof path, "%s/ca.key", dir);
	is_int(file_mode(path), 0600, "ca.key has mode 0600");
	text = slurp(path);
	ok(text && strncmp(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0, "ca.key is encrypted PKCS#8");
	free(text);
	snprintf(path, sizeof path, "%s/crl.pem", dir);
	text = slurp(path);
	ok(text && strstr(text, "BEGIN X509 CRL"), "an empty CRL is written");
	free(text);
	is_int(sb_pki_init(dir, 0, "correct horse", NULL), SB_EEXISTS, "pki init never overwrites a CA key");

	/* a township */
	is_int(sb_pki_issue(dir, "44010300100", "correct horse", 0, NULL), SB_EINVALID, "an 11-digit code is refused");
	is_int(sb_pki_issue(dir, "440103001000", "wrong horse", 0, NULL), SB_ECRYPTO, "wrong passphrase: the CA key stays locked");
	has_msg("wrong passphrase", "the message says why");
	is_int(sb_pki_issue(dir, "440103001000", "correct horse", 0, NULL), 0, "pki issue");
	snprintf(path, sizeof path, "%s/440103001000.key", dir);
	is_int(file_mode(path), 0600, "the township key has mode 0600");
	snprintf(path, sizeof path, "%s/440103001000.pem", dir);
	text = slurp(path);
	is_int(sb_pki_cert_township(code, text, strlen(text)), 0, "the township code is read from the subject");
	is_str(code, "440103001000", "CN carries the township code");
	free(text);

	/* a signer */
	{
		char key[1024];
		snprintf(key, sizeof key, "%s/440103001000.key", dir);
		is_int(sb_signer_load(&s, key, path, "nope"), SB_ECRYPTO, "a wrong passphrase does not open the key");
		is_int(sb_signer_load(&s, key, path, "correct horse"), 0, "signer loads");
		is_str(sb_signer_township(s), "440103001000", "signer's township");
		snprintf(key, sizeof key, "%s/ca.pem", dir);
		is_int(sb_signer_check(s, key, NULL), 0, "the township certificate chains to the CA");
		sb_signer_free(s);
		s = NULL;
	}

	/* revocation */
	is_int(sb_pki_revoke(dir, "440103002000", "correct horse"), SB_ENOTFOUND, "revoking an unknown township");
	is_int(sb_pki_revoke(dir, "440103001000", "correct horse"), 0, "pki revoke");
	is_int(sb_pki_revoke(dir, "440103001000", "correct horse"), 0, "revoking twice is harmless");
	snprintf(path, sizeof path, "%s/revoked.txt", dir);
	text = slurp(path);
	ok(text && strchr(text, '\n') == strrchr(text, '\n'), "the serial is listed once");
	free(text);
	{
		char key[1024], cert[1024], ca[1024], crl[1024];
		snprintf(key, sizeof key, "%s/440103001000.key", dir);
		snprintf(cert, sizeof cert, "%s/440103001000.pem", dir);
		snprintf(ca, sizeof ca, "%s/ca.pem", dir);
		snprintf(crl, sizeof crl, "%s/crl.pem", dir);
		is_int(sb_signer_load(&s, key, cert, "correct horse"), 0, "a revoked key still loads");
		is_int(sb_signer_check(s, ca, crl), SB_EPOLICY, "but the CRL refuses it");
		has_msg("revoked", "the message says revoked");
		sb_signer_free(s);
		s = NULL;

		/* expired: valid for 30 days from 2020-01-01 */
		is_int(sb_pki_issue(dir, "440103002000", "correct horse", 30, "2020-01-01"), 0, "a back-dated certificate");
		snprintf(key, sizeof key, "%s/440103002000.key", dir);
		snprintf(cert, sizeof cert, "%s/440103002000.pem", dir);
		rc = sb_signer_load(&s, key, cert, "correct horse");
		is_int(rc, SB_EPOLICY, "an expired certificate cannot sign");
		has_msg("expired", "the message says expired");
		sb_signer_free(s);
		s = NULL;
	}

	/* RSA-3072 */
	{
		const char *rdir = tap_tmpdir("pki-rsa");
		char key[1024], cert[1024];
		char *out = NULL;
		size_t len = 0;
		is_int(sb_pki_init(rdir, 1, "correct horse", NULL), 0, "pki init --rsa");
		is_int(sb_pki_issue(rdir, "150102001000", "correct horse", 0, NULL), 0, "RSA township certificate");
		snprintf(key, sizeof key, "%s/150102001000.key", rdir);
		snprintf(cert, sizeof cert, "%s/150102001000.pem", rdir);
		is_int(sb_signer_load(&s, key, cert, "correct horse"), 0, "RSA signer loads");
		is_int(sb_sign_xml(&out, &len, s, "<a>x</a>", 8), 0, "RSA signs XML");
		ok(out && strstr(out, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), "with RSA-SHA256");
		free(out);
		sb_signer_free(s);
	}
	return tap_done();
}
