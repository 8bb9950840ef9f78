/* Unit tests of the sign area: XML-DSig round trip, tampering, DOCTYPE, wrapping, disallowed
 * transforms and references, chain and CRL; PAdES round trip, one changed byte, bytes
 * appended after the signature, revocation. */
#include "config.h"
#include "common_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

static const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<contract xmlns=\"urn:t\"><worker>张三</worker><pay>3500.00</pay></contract>\n";

/* A one-page PDF with a classic xref table, as libharu writes them. */
static unsigned char *tiny_pdf(size_t *out_len)
{
	sb_buf b = SB_BUF_INIT;
	size_t off[4];
	int i;
	sb__buf_puts(&b, "%PDF-1.4\n");
	off[1] = b.len;
	sb__buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b.len;
	sb__buf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = b.len;
	sb__buf_puts(&b, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
	off[0] = b.len;
	sb__buf_puts(&b, "xref\n0 4\n0000000000 65535 f\r\n");
	for (i = 1; i < 4; i++)
		sb__buf_printf(&b, "%010zu 00000 n\r\n", off[i]);
	sb__buf_printf(&b, "trailer\n<< /Size 4 /Root 1 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>\nstartxref\n%zu\n%%%%EOF\n", off[0]);
	*out_len = b.len;
	return (unsigned char *)sb__buf_detach(&b);
}

int main(void)
{
	char dir[1024], other[1024];
	char key[1024], cert[1024], ca[1024], crl[1024], other_ca[1024];
	sb_signer *s = NULL;
	char *signed_xml = NULL, *bad = NULL, *town = NULL;
	size_t len = 0;

	snprintf(dir, sizeof dir, "%s", tap_tmpdir("sign"));
	snprintf(other, sizeof other, "%s", tap_tmpdir("sign-other"));
	if (sb_pki_init(dir, 0, "passphrase", NULL) < 0 || sb_pki_issue(dir, "440103001000", "passphrase", 0, NULL) < 0 ||
	    sb_pki_init(other, 0, "passphrase", NULL) < 0) {
		printf("Bail out! %s\n", sb_error_last());
		return 1;
	}
	snprintf(key, sizeof key, "%s/440103001000.key", dir);
	snprintf(cert, sizeof cert, "%s/440103001000.pem", dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	snprintf(crl, sizeof crl, "%s/crl.pem", dir);
	snprintf(other_ca, sizeof other_ca, "%s/ca.pem", other);
	is_int(sb_signer_load(&s, key, cert, "passphrase"), 0, "signer loads");

	/* XML */
	is_int(sb_sign_xml(&signed_xml, &len, s, doc, strlen(doc)), 0, "sign XML");
	ok(strstr(signed_xml, "<ds:Reference URI=\"\">"), "Reference URI=\"\"");
	ok(strstr(signed_xml, "http://www.w3.org/2001/10/xml-exc-c14n#"), "exclusive C14N");
	ok(strstr(signed_xml, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"), "ECDSA-SHA256");
	ok(strstr(signed_xml, "http://www.w3.org/2000/09/xmldsig#enveloped-signature"), "enveloped");
	ok(strstr(signed_xml, "<ds:X509Certificate>"), "certificate in KeyInfo");
	is_int(sb_sign_verify_xml(&town, signed_xml, len, ca, crl), 0, "verify XML");
	is_str(town, "440103001000", "the signer's township");
	free(town);
	town = NULL;

	bad = th_replace(signed_xml, "3500.00", "3600.00");
	is_int(sb_sign_verify_xml(NULL, bad, strlen(bad), ca, crl), SB_ECRYPTO, "one changed character fails");
	has_msg("changed", "message says the document was changed");
	free(bad);
	is_int(sb_sign_verify_xml(NULL, signed_xml, len, other_ca, NULL), SB_EPOLICY, "another CA fails");
	has_msg("not trusted", "message says not trusted");

	/* DOCTYPE (and so any entity) is refused when signing and verifying */
	{
		static const char dt[] = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
		char *o = NULL;
		size_t ol;
		is_int(sb_sign_xml(&o, &ol, s, dt, strlen(dt)), SB_EXML, "signing refuses a DOCTYPE");
		bad = th_replace(signed_xml, "<contract", "<!DOCTYPE contract [<!ENTITY e \"x\">]><contract");
		is_int(sb_sign_verify_xml(NULL, bad, strlen(bad), ca, crl), SB_EXML, "verifying refuses a DOCTYPE");
		has_msg("DOCTYPE", "message names the DOCTYPE");
		free(bad);
		is_int(sb_sign_xml(&o, &ol, s, "<a>", 3), SB_EXML, "not well-formed");
	}

	/* Signature wrapping: the signed original moved under a new root, with forged content */
	{
		const char *start = strstr(signed_xml, "<contract");
		sb_buf w = SB_BUF_INIT;
		sb__buf_puts(&w, "<?xml version=\"1.0\"?>\n<wrap><contract xmlns=\"urn:t\"><worker>李四</worker><pay>9999.00</pay></contract>");
		sb__buf_puts(&w, start);
		sb__buf_puts(&w, "</wrap>");
		is_int(sb_sign_verify_xml(NULL, w.ptr, w.len, ca, crl), SB_ECRYPTO, "wrapping: signature not under the root fails");
		has_msg("child of the document element", "message says where the signature must be");
		sb__buf_free(&w);
		/* forged content beside the signature, the original inside ds:Object */
		bad = th_replace(signed_xml, "<pay>3500.00</pay>", "<pay>9999.00</pay>");
		{
			char *b2 = th_replace(bad, "</ds:Signature>", "<ds:Object><contract xmlns=\"urn:t\"><worker>张三</worker><pay>3500.00</pay></contract></ds:Object></ds:Signature>");
			is_int(sb_sign_verify_xml(NULL, b2, strlen(b2), ca, crl), SB_ECRYPTO, "wrapping: original in ds:Object fails");
			free(b2);
		}
		free(bad);
		/* a second signature */
		{
			const char *sig = strstr(signed_xml, "<ds:Signature");
			const char *end = strstr(signed_xml, "</ds:Signature>") + strlen("</ds:Signature>");
			sb_buf two = SB_BUF_INIT;
			sb__buf_put(&two, signed_xml, (size_t)(end - signed_xml));
			sb__buf_put(&two, sig, (size_t)(end - sig));
			sb__buf_puts(&two, end);
			is_int(sb_sign_verify_xml(NULL, two.ptr, two.len, ca, crl), SB_ECRYPTO, "two signatures fail");
			sb__buf_free(&two);
		}
	}

	/* Disallowed transforms and references are refused before any digest */
	bad = th_replace(signed_xml, "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
		      "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>");
	ok(bad != NULL, "an XSLT transform put in place");
	is_int(sb_sign_verify_xml(NULL, bad, strlen(bad), ca, crl), SB_ECRYPTO, "XSLT transform fails");
	has_msg("rejected", "refused as a disallowed transform, not as a bad digest");
	free(bad);
	bad = th_replace(signed_xml, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"#xpointer(/)\">");
	is_int(sb_sign_verify_xml(NULL, bad, strlen(bad), ca, crl), SB_ECRYPTO, "a fragment reference fails");
	has_msg("rejected", "refused as a disallowed reference");
	free(bad);
	bad = th_replace(signed_xml, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"http://example.org/x\">");
	is_int(sb_sign_verify_xml(NULL, bad, strlen(bad), ca, crl), SB_ECRYPTO, "an external reference fails");
	free(bad);

	/* PDF */
	{
		size_t plen, slen = 0;
		unsigned char *pdf = tiny_pdf(&plen), *spdf = NULL;
		unsigned char *copy;
		is_int(sb_sign_pdf(&spdf, &slen, s, pdf, plen), 0, "sign PDF");
		ok(slen > plen && memcmp(spdf, pdf, plen) == 0, "an incremental update: the original bytes unchanged");
		ok(memmem(spdf, slen, "/SubFilter /ETSI.CAdES.detached", 31) != NULL, "SubFilter ETSI.CAdES.detached");
		ok(memmem(spdf, slen, "/Prev ", 6) != NULL, "the update points to the previous xref");
		is_int(sb_sign_verify_pdf(&town, spdf, slen, ca, crl), 0, "verify PDF");
		is_str(town, "440103001000", "PDF signer's township");
		free(town);
		town = NULL;
		copy = malloc(slen + 16);
		memcpy(copy, spdf, slen);
		copy[20] ^= 1;
		is_int(sb_sign_verify_pdf(NULL, copy, slen, ca, crl), SB_ECRYPTO, "one changed byte fails");
		memcpy(copy, spdf, slen);
		memcpy(copy + slen, "% appended\n", 11);
		is_int(sb_sign_verify_pdf(NULL, copy, slen + 11, ca, crl), SB_ECRYPTO, "bytes appended after the signature fail");
		has_msg("whole document", "message says the signature does not cover everything");
		is_int(sb_sign_verify_pdf(NULL, pdf, plen, ca, crl), SB_ECRYPTO, "an unsigned PDF fails");
		is_int(sb_sign_verify_pdf(NULL, spdf, slen, other_ca, NULL), SB_EPOLICY, "another CA fails (PDF)");
		free(copy);
		copy = NULL;
		{
			size_t nlen = 0;
			is_int(sb_sign_pdf(&copy, &nlen, s, (const unsigned char *)"hello", 5), SB_EINVALID, "not a PDF");
		}

		/* revoke: the same signature now fails with the new CRL */
		is_int(sb_pki_revoke(dir, "440103001000", "passphrase"), 0, "revoke the township");
		is_int(sb_sign_verify_pdf(NULL, spdf, slen, ca, crl), SB_EPOLICY, "revoked signer fails (PDF)");
		has_msg("revoked", "message says revoked");
		is_int(sb_sign_verify_xml(NULL, signed_xml, len, ca, crl), SB_EPOLICY, "revoked signer fails (XML)");
		is_int(sb_sign_verify_xml(NULL, signed_xml, len, ca, NULL), 0, "without the CRL it verifies");
		free(pdf);
		free(spdf);
	}
	free(signed_xml);
	sb_signer_free(s);
	return tap_done();
}
