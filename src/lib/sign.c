/*
 * Signing and verifying documents. XML: enveloped XML-DSig through libxmlsec1 in-process
 * (exclusive C14N, SHA-256, ECDSA-SHA256 or RSA-SHA256, Reference URI="", the certificate
 * in KeyInfo/X509Data); verifying allows only that shape, so signature wrapping, XSLT or
 * XPath transforms and references to other documents or fragments fail. PDF: a PAdES
 * baseline signature appended as an incremental update (signature dictionary, invisible
 * widget on the last page, AcroForm, re-emitted catalog and page, xref section), /Contents
 * a detached CAdES CMS over /ByteRange. Certificates are checked with an OpenSSL
 * X509_STORE holding the province CA and, when given, its CRL. Not for making keys (pki.c)
 * nor for what the documents say (contract.c).
 */
#include "config.h"
#include "common_internal.h"
#include "sign_internal.h"
#include "shuangbai/sign.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/errors.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>

struct sb_signer {
	EVP_PKEY *pkey;
	X509 *cert;
	xmlSecKeyPtr xkey; /* the same key and certificate, as xmlsec wants them */
	char township[13];
};

/* ---- xmlsec set-up ---------------------------------------------------------------- */

static char xmlsec_msg[256];

/* xmlsec prints to stderr by default; the library never prints, so its messages are kept
 * for the error we return. */
static void xmlsec_error(const char *file, int line, const char *func, const char *obj, const char *subj,
			 int reason, const char *msg)
{
	(void)file;
	(void)line;
	(void)func;
	(void)obj;
	(void)reason;
	if (!xmlsec_msg[0])
		snprintf(xmlsec_msg, sizeof xmlsec_msg, "%s%s%s", subj ? subj : "", subj && msg ? ": " : "",
			 msg ? msg : "");
}

static int xmlsec_ready(void)
{
	static int state; /* 0 not tried, 1 ready, -1 failed */
	if (state == 0) {
		xmlInitParser();
		xmlSecErrorsSetCallback(xmlsec_error);
		if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(NULL) < 0 ||
		    xmlSecCryptoInit() < 0)
			state = -1;
		else
			state = 1;
		/* set again: initialisation may restore the default, which prints */
		xmlSecErrorsSetCallback(xmlsec_error);
	}
	if (state < 0)
		return sb_error_set(SB_ECRYPTO, "the XML security library cannot start");
	xmlsec_msg[0] = '\0';
	return 0;
}

static int xmlsec_fail(const char *what)
{
	int error = sb_error_set(SB_ECRYPTO, "%s%s%s", what, xmlsec_msg[0] ? ": " : "", xmlsec_msg);
	xmlsec_msg[0] = '\0';
	ERR_clear_error();
	return error;
}

/* ---- the signer ------------------------------------------------------------------- */

static int time_check(X509 *cert, const char *path)
{
	if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
		return sb_error_set(SB_EPOLICY, "%s: certificate not valid yet", path);
	if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
		char when[64] = "";
		BIO *b = BIO_new(BIO_s_mem());
		if (b && ASN1_TIME_print(b, X509_get0_notAfter(cert)))
			BIO_read(b, when, sizeof when - 1);
		BIO_free(b);
		return sb_error_set(SB_EPOLICY, "%s: certificate expired (%s)", path, when);
	}
	return 0;
}

int sb_signer_load(sb_signer **out, const char *key_path, const char *cert_path, const char *passphrase)
{
	int error = 0;
	sb_signer *s = NULL;
	xmlSecKeyDataPtr data = NULL, x509 = NULL;
	X509 *dup = NULL;

	*out = NULL;
	if ((error = xmlsec_ready()) < 0)
		return error;
	if (!(s = sb__calloc(1, sizeof *s)))
		return SB_ENOMEM;
	if ((error = sb__pki_load_cert(&s->cert, cert_path)) < 0 ||
	    (error = sb__pki_load_key(&s->pkey, key_path, passphrase)) < 0)
		goto done;
	if (X509_check_private_key(s->cert, s->pkey) != 1) {
		ERR_clear_error();
		error = sb_error_set(SB_ECRYPTO, "%s does not belong to %s", key_path, cert_path);
		goto done;
	}
	if ((error = time_check(s->cert, cert_path)) < 0)
		goto done;
	if (sb__cert_township(s->township, s->cert) < 0) {
		sb_error_clear();
		s->township[0] = '\0';
	}
	if (sb__fault("crypto") || !EVP_PKEY_up_ref(s->pkey) || !(data = xmlSecOpenSSLEvpKeyAdopt(s->pkey))) {
		error = xmlsec_fail("cannot prepare the key");
		goto done;
	}
	if (!(s->xkey = xmlSecKeyCreate()) || xmlSecKeySetValue(s->xkey, data) < 0) {
		xmlSecKeyDataDestroy(data);
		error = xmlsec_fail("cannot prepare the key");
		goto done;
	}
	/* The key certificate, and the same certificate in the list written to X509Data. */
	if (!(x509 = xmlSecKeyEnsureData(s->xkey, xmlSecOpenSSLKeyDataX509Id)) || !(dup = X509_dup(s->cert)) ||
	    xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, dup) < 0) {
		X509_free(dup);
		error = xmlsec_fail("cannot attach the certificate");
		goto done;
	}
	if (!(dup = X509_dup(s->cert)) || xmlSecOpenSSLKeyDataX509AdoptCert(x509, dup) < 0) {
		X509_free(dup);
		error = xmlsec_fail("cannot attach the certificate");
		goto done;
	}
	*out = s;
	s = NULL;
done:
	sb_signer_free(s);
	return error;
}

const char *sb_signer_township(const sb_signer *s)
{
	return s ? s->township : "";
}

void sb_signer_free(sb_signer *s)
{
	if (!s)
		return;
	/* EVP_PKEY_free clears the private key material (BN_clear_free / OPENSSL_clear_free). */
	if (s->xkey)
		xmlSecKeyDestroy(s->xkey);
	EVP_PKEY_free(s->pkey);
	X509_free(s->cert);
	OPENSSL_cleanse(s, sizeof *s);
	free(s);
}

/* ---- chain and revocation ----------------------------------------------------------- */

static int load_crl(X509_CRL **out, const char *path)
{
	int error = 0;
	char *data = NULL;
	size_t len = 0;
	BIO *mem = NULL;
	*out = NULL;
	if ((error = sb__read_file(&data, &len, path)) < 0)
		return error;
	if (!(mem = BIO_new_mem_buf(data, (int)len)) || !(*out = PEM_read_bio_X509_CRL(mem, NULL, NULL, NULL)))
		error = sb__crypto_error(path);
	BIO_free(mem);
	free(data);
	return error;
}

int sb__sign_check_chain(X509 *cert, const char *ca_path, const char *crl_path)
{
	int error = 0, rc;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509 *ca = NULL;
	X509_CRL *crl = NULL;

	if (!ca_path)
		return sb_error_set(SB_EUSAGE, "the CA certificate is needed to verify");
	if ((error = sb__pki_load_cert(&ca, ca_path)) < 0)
		goto done;
	if (crl_path && (error = load_crl(&crl, crl_path)) < 0)
		goto done;
	if (sb__fault("crypto") || !(store = X509_STORE_new()) || !(ctx = X509_STORE_CTX_new()) ||
	    !X509_STORE_add_cert(store, ca) || (crl && !X509_STORE_add_crl(store, crl))) {
		error = sb__crypto_error("certificate store");
		goto done;
	}
	if (crl)
		X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	if (!X509_STORE_CTX_init(ctx, store, cert, NULL)) {
		error = sb__crypto_error("certificate store");
		goto done;
	}
	rc = X509_verify_cert(ctx);
	if (rc != 1) {
		int why = X509_STORE_CTX_get_error(ctx);
		ERR_clear_error();
		if (why == X509_V_ERR_CERT_REVOKED)
			error = sb_error_set(SB_EPOLICY, "signer's certificate is revoked (%s)", crl_path);
		else if (why == X509_V_ERR_CERT_HAS_EXPIRED)
			error = sb_error_set(SB_EPOLICY, "signer's certificate has expired");
		else
			error = sb_error_set(SB_EPOLICY, "signer's certificate is not trusted: %s",
					     X509_verify_cert_error_string(why));
	}
done:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(ca);
	X509_CRL_free(crl);
	return error;
}

int sb_signer_check(const sb_signer *s, const char *ca_path, const char *crl_path)
{
	if (!ca_path)
		return 0;
	return sb__sign_check_chain(s->cert, ca_path, crl_path);
}

int sb__sign_township_out(char **out, X509 *cert)
{
	char code[13];
	int error;
	if (!out)
		return 0;
	if ((error = sb__cert_township(code, cert)) < 0)
		return error;
	if (!(*out = sb__strdup(code)))
		return SB_ENOMEM;
	return 0;
}

/* ---- XML ---------------------------------------------------------------------------- */

/* Every XML we read: no network, no entity expansion (XML_PARSE_NOENT is never given),
 * no DTD loading, and no DOCTYPE at all, so no entity can even be declared. */
int sb__xml_parse(xmlDocPtr *out, const char *xml, size_t len, const char *what)
{
	xmlDocPtr doc;
	*out = NULL;
	if (len > (size_t)INT32_MAX)
		return sb_error_set(SB_EXML, "%s: too large", what);
	if (memmem(xml, len, "<!DOCTYPE", 9))
		return sb_error_set(SB_EXML, "%s: a DOCTYPE is not allowed", what);
	if (sb__fault("alloc"))
		return sb_error_set(SB_ENOMEM, "out of memory");
	doc = xmlReadMemory(xml, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		int error = sb_error_set(SB_EXML, "%s:%d: not well-formed XML: %s", what, e ? e->line : 0,
					 e && e->message ? e->message : "parse error");
		/* libxml2's message ends with a newline */
		xmlResetLastError();
		return error;
	}
	if (doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		return sb_error_set(SB_EXML, "%s: a DOCTYPE is not allowed", what);
	}
	*out = doc;
	return 0;
}

int sb_sign_xml(char **out, size_t *out_len, const sb_signer *s, const char *xml, size_t len)
{
	int error = 0, bytes = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr sig = NULL, ref, keyinfo, x509;
	xmlSecDSigCtxPtr ctx = NULL;
	xmlChar *mem = NULL;
	xmlSecTransformId method;

	*out = NULL;
	*out_len = 0;
	if ((error = xmlsec_ready()) < 0)
		return error;
	if ((error = sb__xml_parse(&doc, xml, len, "document")) < 0)
		return error;
	method = EVP_PKEY_get_base_id(s->pkey) == EVP_PKEY_RSA ? xmlSecTransformRsaSha256Id : xmlSecTransformEcdsaSha256Id;
	if (sb__fault("crypto") ||
	    !(sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId, method, NULL, BAD_CAST "ds")) ||
	    !(ref = xmlSecTmplSignatureAddReference(sig, xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL)) ||
	    !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
	    !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) ||
	    !(keyinfo = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL)) || !(x509 = xmlSecTmplKeyInfoAddX509Data(keyinfo)) ||
	    !xmlSecTmplX509DataAddCertificate(x509)) {
		error = xmlsec_fail("cannot make the signature template");
		goto done;
	}
	xmlAddChild(xmlDocGetRootElement(doc), sig);
	sig = NULL; /* the document owns it now */
	/* The signer's own key, lent for this signature (xmlsec only reads it) and taken back
	 * before the context is destroyed: a copy per document duplicated the private key and the
	 * certificate, 0.45 of the 0.6 ms an XML signature took. */
	if (!(ctx = xmlSecDSigCtxCreate(NULL))) {
		error = xmlsec_fail("cannot prepare signing");
		goto done;
	}
	ctx->signKey = s->xkey;
	if (xmlSecDSigCtxSign(ctx, xmlSecFindNode(xmlDocGetRootElement(doc), xmlSecNodeSignature, xmlSecDSigNs)) < 0) {
		error = xmlsec_fail("XML signing failed");
		goto done;
	}
	xmlDocDumpMemoryEnc(doc, &mem, &bytes, "UTF-8");
	if (!mem || !(*out = sb__strndup((const char *)mem, (size_t)bytes))) {
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	*out_len = (size_t)bytes;
done:
	if (sig)
		xmlFreeNode(sig);
	if (ctx) {
		ctx->signKey = NULL; /* the signer's: not the context's to destroy */
		xmlSecDSigCtxDestroy(ctx);
	}
	xmlFree(mem);
	xmlFreeDoc(doc);
	return error;
}

static int count_signatures(xmlNodePtr node)
{
	int n = 0;
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlSecCheckNodeName(node, xmlSecNodeSignature, xmlSecDSigNs))
			n++;
		n += count_signatures(node->children);
	}
	return n;
}

int sb__sign_cert_base64(X509 **out, const char *text, size_t n)
{
	unsigned char *der = NULL;
	char *t;
	const unsigned char *p;
	size_t i, j;
	int error = 0, len;

	*out = NULL;
	if (!(t = sb__malloc(n + 1)) || !(der = sb__malloc(n / 4 * 3 + 4))) {
		free(t);
		return SB_ENOMEM;
	}
	for (i = j = 0; i < n; i++)
		if (!isspace((unsigned char)text[i]))
			t[j++] = text[i];
	t[j] = '\0';
	len = EVP_DecodeBlock(der, (const unsigned char *)t, (int)j);
	p = der;
	if (len <= 0 || !(*out = d2i_X509(NULL, &p, len)))
		error = sb__crypto_error("signature: the certificate in KeyInfo cannot be read");
	free(der);
	free(t);
	return error;
}

/* The one certificate in Signature/KeyInfo/X509Data/X509Certificate. */
static int signature_cert(X509 **out, xmlNodePtr sig)
{
	xmlNodePtr keyinfo, data, node, found = NULL;
	xmlChar *text = NULL;
	int error;

	*out = NULL;
	keyinfo = xmlSecFindChild(sig, xmlSecNodeKeyInfo, xmlSecDSigNs);
	data = keyinfo ? xmlSecFindChild(keyinfo, xmlSecNodeX509Data, xmlSecDSigNs) : NULL;
	for (node = data ? data->children : NULL; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE && xmlSecCheckNodeName(node, xmlSecNodeX509Certificate, xmlSecDSigNs)) {
			if (found)
				return sb_error_set(SB_ECRYPTO, "signature: more than one certificate in KeyInfo");
			found = node;
		}
	if (!found)
		return sb_error_set(SB_ECRYPTO, "signature: no certificate in KeyInfo/X509Data");
	if (!(text = xmlNodeGetContent(found)))
		return SB_ENOMEM;
	error = sb__sign_cert_base64(out, (const char *)text, strlen((char *)text));
	xmlFree(text);
	return error;
}

int sb_sign_verify_xml(char **out_township, const char *xml, size_t len, const char *ca_path, const char *crl_path)
{
	xmlDocPtr doc = NULL;
	int error;

	if (out_township)
		*out_township = NULL;
	if ((error = xmlsec_ready()) < 0)
		return error;
	if ((error = sb__xml_parse(&doc, xml, len, "document")) < 0)
		return error;
	error = sb__sign_verify_doc(out_township, doc, ca_path, crl_path);
	xmlFreeDoc(doc);
	return error;
}

int sb__sign_verify_doc(char **out_township, struct _xmlDoc *doc, const char *ca_path, const char *crl_path)
{
	int error = 0;
	xmlNodePtr root, sig;
	xmlSecDSigCtxPtr ctx = NULL;
	xmlSecKeyDataPtr data = NULL;
	xmlSecDSigReferenceCtxPtr ref;
	X509 *cert = NULL;
	EVP_PKEY *pub = NULL;

	if (out_township)
		*out_township = NULL;
	if ((error = xmlsec_ready()) < 0)
		return error;
	root = xmlDocGetRootElement(doc);
	/* Exactly one signature, and a child of the root: a signature moved into a wrapper
	 * element, or a second one, is refused before any cryptography. */
	if (count_signatures(root) != 1) {
		error = sb_error_set(SB_ECRYPTO, "document must carry exactly one XML signature");
		goto done;
	}
	sig = xmlSecFindChild(root, xmlSecNodeSignature, xmlSecDSigNs);
	if (!sig) {
		error = sb_error_set(SB_ECRYPTO, "the signature must be a child of the document element");
		goto done;
	}
	if ((error = signature_cert(&cert, sig)) < 0)
		goto done;
	if (!(pub = X509_get_pubkey(cert)) || !(data = xmlSecOpenSSLEvpKeyAdopt(pub))) {
		EVP_PKEY_free(pub);
		error = xmlsec_fail("signature: unusable public key");
		goto done;
	}
	if (sb__fault("crypto") || !(ctx = xmlSecDSigCtxCreate(NULL)) || !(ctx->signKey = xmlSecKeyCreate()) ||
	    xmlSecKeySetValue(ctx->signKey, data) < 0) {
		xmlSecKeyDataDestroy(data);
		error = xmlsec_fail("cannot prepare verification");
		goto done;
	}
	/* Only the shape we sign: Reference URI="" (the whole document), the enveloped-signature
	 * and exclusive C14N transforms, SHA-256, ECDSA/RSA with SHA-256. Anything else — XSLT,
	 * XPath, a fragment or external URI — is refused by xmlsec before it runs. */
	ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
	if (xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId) < 0 ||
	    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
	    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha256Id) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformExclC14NId) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformSha256Id) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformEcdsaSha256Id) < 0 ||
	    xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformRsaSha256Id) < 0) {
		error = xmlsec_fail("cannot prepare verification");
		goto done;
	}
	if (xmlSecDSigCtxVerify(ctx, sig) < 0) {
		error = xmlsec_fail("XML signature rejected (disallowed transform, reference or algorithm)");
		goto done;
	}
	if (ctx->status != xmlSecDSigStatusSucceeded) {
		error = sb_error_set(SB_ECRYPTO, "XML signature is not valid: the document was changed after signing");
		goto done;
	}
	if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1 ||
	    !(ref = xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0)) || !ref->uri || ref->uri[0] != '\0') {
		error = sb_error_set(SB_ECRYPTO, "XML signature must have one Reference with URI=\"\"");
		goto done;
	}
	if ((error = sb__sign_check_chain(cert, ca_path, crl_path)) < 0)
		goto done;
	error = sb__sign_township_out(out_township, cert);
done:
	X509_free(cert);
	if (ctx)
		xmlSecDSigCtxDestroy(ctx);
	return error;
}

/* ---- PDF: reading just enough of libharu's output ----------------------------------- */

/*
 * The signing side understands classic cross-reference tables (what libharu writes), a
 * flat or nested page tree, and catalog and page dictionaries written as direct objects.
 * Anything else is SB_EINVALID rather than a guess.
 */
typedef struct {
	const unsigned char *pdf;
	size_t len;
	long long *offsets; /* by object number; 0 = not in use */
	int *gens;
	long long size;     /* trailer /Size */
	long long xref;     /* offset of the last xref section */
	long long root, info;
	const unsigned char *id; /* trailer /ID array text, or NULL */
	size_t id_len;
	unsigned char *copy; /* the bytes, NUL-terminated */
} pdf_doc;

static long long rfind(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;
	if (n > len)
		return -1;
	for (i = len - n + 1; i-- > 0;)
		if (memcmp(hay + i, needle, n) == 0)
			return (long long)i;
	return -1;
}

static int is_delim(int c)
{
	return c == 0 || isspace(c) || strchr("()<>[]{}/%", c) != NULL;
}

/* Skip one PDF value starting at p (strings, dictionaries, arrays, tokens). */
static const unsigned char *skip_value(const unsigned char *p, const unsigned char *end)
{
	int depth = 0;
	do {
		while (p < end && isspace(*p))
			p++;
		if (p >= end)
			return NULL;
		if (p + 1 < end && p[0] == '<' && p[1] == '<') {
			depth++;
			p += 2;
		} else if (p + 1 < end && p[0] == '>' && p[1] == '>') {
			depth--;
			p += 2;
		} else if (*p == '[') {
			depth++;
			p++;
		} else if (*p == ']') {
			depth--;
			p++;
		} else if (*p == '<') {
			while (p < end && *p != '>')
				p++;
			p++;
		} else if (*p == '(') {
			int nest = 0;
			for (; p < end; p++) {
				if (*p == '\\') {
					p++;
					continue;
				}
				if (*p == '(')
					nest++;
				else if (*p == ')' && --nest == 0)
					break;
			}
			p++;
		} else if (*p == '/') {
			p++;
			while (p < end && !is_delim(*p))
				p++;
		} else {
			const unsigned char *from = p;
			while (p < end && !is_delim(*p))
				p++;
			if (p == from) /* a stray delimiter (")", ">", "{", "%"): step over it */
				p++;
		}
		if (p > end)
			return NULL;
	} while (depth > 0);
	return p;
}

/* The dictionary starting at p ("<<"): its end (just after ">>"). */
static const unsigned char *dict_end(const unsigned char *p, const unsigned char *end)
{
	while (p < end && isspace(*p))
		p++;
	if (p + 1 >= end || p[0] != '<' || p[1] != '<')
		return NULL;
	return skip_value(p, end);
}

/* The value of /key at the top level of the dictionary [d, e), or NULL. */
static const unsigned char *dict_get(const unsigned char *d, const unsigned char *e, const char *key)
{
	size_t klen = strlen(key);
	const unsigned char *p = d + 2;
	while (p && p < e) {
		const unsigned char *k, *v;
		while (p < e && isspace(*p))
			p++;
		if (p + 1 < e && p[0] == '>' && p[1] == '>')
			return NULL;
		if (*p != '/')
			return NULL;
		k = p;
		p = skip_value(p, e); /* the key */
		if (!p)
			return NULL;
		v = p;
		while (v < e && isspace(*v))
			v++;
		if ((size_t)(p - k) == klen + 1 && memcmp(k + 1, key, klen) == 0)
			return v;
		p = skip_value(p, e);
		/* an indirect reference is three tokens: N G R */
		if (p) {
			const unsigned char *q = p;
			while (q < e && isspace(*q))
				q++;
			if (isdigit(*q)) {
				const unsigned char *r = skip_value(q, e);
				while (r && r < e && isspace(*r))
					r++;
				if (r && r < e && *r == 'R' && is_delim(r[1]))
					p = r + 1;
			}
		}
	}
	return NULL;
}

static int parse_ref(long long *out_num, const unsigned char *v, const unsigned char *e)
{
	char *endp;
	long long num, gen;
	char tmp[64];
	size_t n = (size_t)(e - v) < sizeof tmp - 1 ? (size_t)(e - v) : sizeof tmp - 1;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	num = strtoll(tmp, &endp, 10);
	gen = strtoll(endp, &endp, 10);
	while (isspace((unsigned char)*endp))
		endp++;
	if (*endp != 'R' || num <= 0 || gen < 0)
		return -1;
	*out_num = num;
	return 0;
}

static int pdf_bad(const char *why)
{
	return sb_error_set(SB_EINVALID, "PDF: %s", why);
}

static int pdf_open(pdf_doc *d, const unsigned char *pdf, size_t len)
{
	const unsigned char *end, *p, *t, *te, *v;
	long long at;
	char *endp;

	memset(d, 0, sizeof *d);
	if (len < 32 || memcmp(pdf, "%PDF-", 5) != 0)
		return pdf_bad("not a PDF file");
	/* A private NUL-terminated copy: the number and token readers below may then run into
	 * the terminator, never past the caller's bytes. */
	if (!(d->copy = sb__malloc(len + 1)))
		return SB_ENOMEM;
	memcpy(d->copy, pdf, len);
	d->copy[len] = '\0';
	pdf = d->copy;
	end = pdf + len;
	d->pdf = pdf;
	d->len = len;
	if ((at = rfind(pdf, len, "startxref")) < 0)
		return pdf_bad("no startxref");
	d->xref = strtoll((const char *)pdf + at + 9, &endp, 10);
	if (d->xref <= 0 || (size_t)d->xref + 4 > len || memcmp(pdf + d->xref, "xref", 4) != 0)
		return pdf_bad("no cross-reference table at startxref (cross-reference streams are not supported)");
	if ((at = rfind(pdf, len, "trailer")) < 0 || at < d->xref)
		return pdf_bad("no trailer");
	t = pdf + at + 7;
	if (!(te = dict_end(t, end)))
		return pdf_bad("malformed trailer");
	while (isspace(*t))
		t++;
	if (!(v = dict_get(t, te, "Size")) || (d->size = strtoll((const char *)v, NULL, 10)) <= 0 || d->size > 10000000)
		return pdf_bad("trailer without /Size");
	if (!(v = dict_get(t, te, "Root")) || parse_ref(&d->root, v, te) < 0)
		return pdf_bad("trailer without /Root");
	if ((v = dict_get(t, te, "Info")) && parse_ref(&d->info, v, te) < 0)
		d->info = 0;
	if (dict_get(t, te, "Prev") || dict_get(t, te, "Encrypt"))
		return pdf_bad("only a PDF with one, unencrypted revision can be signed");
	if ((v = dict_get(t, te, "ID")) && *v == '[') {
		const unsigned char *ve = skip_value(v, te);
		if (ve) {
			d->id = v;
			d->id_len = (size_t)(ve - v);
		}
	}
	if (!(d->offsets = sb__calloc((size_t)d->size, sizeof *d->offsets)) ||
	    !(d->gens = sb__calloc((size_t)d->size, sizeof *d->gens)))
		return SB_ENOMEM;
	/* xref subsections: "first count" then count entries of 20 bytes */
	p = pdf + d->xref + 4;
	for (;;) {
		long long first, count, i;
		while (p < end && isspace(*p))
			p++;
		if (p + 7 <= end && memcmp(p, "trailer", 7) == 0)
			break;
		first = strtoll((const char *)p, &endp, 10);
		count = strtoll(endp, &endp, 10);
		p = (const unsigned char *)endp;
		/* compared without sums or products that could overflow (a fuzzed count of 2^63-1) */
		if (first < 0 || first >= d->size || count <= 0 || count > d->size - first)
			return pdf_bad("malformed cross-reference table");
		while (p < end && isspace(*p))
			p++;
		if (count > (end - p) / 20)
			return pdf_bad("truncated cross-reference table");
		for (i = 0; i < count; i++, p += 20) {
			if (p[17] == 'n') {
				d->offsets[first + i] = strtoll((const char *)p, NULL, 10);
				d->gens[first + i] = (int)strtol((const char *)p + 11, NULL, 10);
			}
		}
	}
	if (d->root >= d->size || !d->offsets[d->root])
		return pdf_bad("catalog not in the cross-reference table");
	/* the update's trailer repeats /Info with its generation (found by fuzzing) */
	if (d->info < 0 || d->info >= d->size)
		return pdf_bad("/Info not in the cross-reference table");
	return 0;
}

static void pdf_close(pdf_doc *d)
{
	free(d->copy);
	free(d->offsets);
	free(d->gens);
}

/* The dictionary of object `num`: [*out_d, *out_e). */
static int pdf_object(const unsigned char **out_d, const unsigned char **out_e, const pdf_doc *d, long long num)
{
	const unsigned char *p, *end = d->pdf + d->len;
	char head[48];
	int n;
	if (num <= 0 || num >= d->size || !d->offsets[num] || (size_t)d->offsets[num] >= d->len)
		return pdf_bad("object missing from the cross-reference table");
	p = d->pdf + d->offsets[num];
	n = snprintf(head, sizeof head, "%lld %d obj", num, d->gens[num]);
	if ((size_t)(end - p) < (size_t)n || memcmp(p, head, (size_t)n) != 0)
		return pdf_bad("cross-reference offset does not point at its object");
	p += n;
	while (p < end && isspace(*p))
		p++;
	*out_d = p;
	if (!(*out_e = dict_end(p, end)))
		return pdf_bad("object is not a dictionary");
	return 0;
}

static int name_is(const unsigned char *v, const char *name)
{
	size_t n = strlen(name);
	return v && v[0] == '/' && memcmp(v + 1, name, n) == 0 && is_delim(v[1 + n]);
}

/* The last page: follow /Kids to its last element until a /Page. */
static int last_page(long long *out, const pdf_doc *d)
{
	const unsigned char *o, *e, *v;
	long long node;
	int depth;
	int error;
	if ((error = pdf_object(&o, &e, d, d->root)) < 0)
		return error;
	if (!(v = dict_get(o, e, "Pages")) || parse_ref(&node, v, e) < 0)
		return pdf_bad("catalog without /Pages");
	for (depth = 0; depth < 32; depth++) {
		const unsigned char *k, *ke, *last = NULL;
		if ((error = pdf_object(&o, &e, d, node)) < 0)
			return error;
		v = dict_get(o, e, "Type");
		if (name_is(v, "Page")) {
			*out = node;
			return 0;
		}
		if (!name_is(v, "Pages") || !(k = dict_get(o, e, "Kids")) || *k != '[' || !(ke = skip_value(k, e)))
			return pdf_bad("malformed page tree");
		/* the last "N G R" inside [ ... ] */
		for (v = k + 1; v < ke - 1;) {
			while (v < ke && isspace(*v))
				v++;
			if (!isdigit(*v))
				break;
			last = v;
			v = skip_value(v, ke); /* N */
			v = v ? skip_value(v, ke) : NULL; /* G */
			while (v && v < ke && isspace(*v))
				v++;
			if (!v || *v != 'R')
				return pdf_bad("malformed /Kids");
			v++;
		}
		if (!last || parse_ref(&node, last, ke) < 0)
			return pdf_bad("empty page tree");
	}
	return pdf_bad("page tree too deep");
}

/* ---- PDF: signing ------------------------------------------------------------------- */

#define CONTENTS_BYTES 8192 /* room for the DER CMS: certificate + CAdES attributes + signature */

static int cms_der(unsigned char **out, int *out_len, const sb_signer *s, const unsigned char *data, size_t len)
{
	int error = 0;
	BIO *in = NULL;
	CMS_ContentInfo *cms = NULL;

	*out = NULL;
	if (sb__fault("crypto") || !(in = BIO_new_mem_buf(data, (int)len))) {
		error = sb__crypto_error("CMS signing failed");
		goto done;
	}
	/* CMS_CADES adds the signing-certificate-v2 attribute PAdES baseline requires. */
	if (!(cms = CMS_sign(s->cert, s->pkey, NULL, in, CMS_DETACHED | CMS_BINARY | CMS_CADES))) {
		error = sb__crypto_error("CMS signing failed");
		goto done;
	}
	if ((*out_len = i2d_CMS_ContentInfo(cms, out)) <= 0) {
		error = sb__crypto_error("CMS encoding failed");
		goto done;
	}
done:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return error;
}

int sb_sign_pdf(unsigned char **out, size_t *out_len, const sb_signer *s, const unsigned char *pdf, size_t len)
{
	int error = 0, der_len = 0;
	pdf_doc d;
	sb_buf b = SB_BUF_INIT;
	long long page = 0, sig, widget, form, xref_at, contents_at, contents_end, objs[5], offs[5];
	const unsigned char *co, *ce, *po, *pe, *annots;
	unsigned char *signed_bytes = NULL, *der = NULL;
	char when[32], range[64];
	size_t range_at, i, k;
	time_t now = time(NULL);
	struct tm tm;
	static const char hexd[] = "0123456789ABCDEF";

	*out = NULL;
	*out_len = 0;
	if ((error = pdf_open(&d, pdf, len)) < 0 || (error = last_page(&page, &d)) < 0)
		goto done;
	if ((error = pdf_object(&co, &ce, &d, d.root)) < 0 || (error = pdf_object(&po, &pe, &d, page)) < 0)
		goto done;
	if (dict_get(co, ce, "AcroForm")) {
		error = pdf_bad("the document has a form already; only unsigned documents without forms are signed");
		goto done;
	}
	/* Verifying looks for the last /ByteRange of the file; one in the catalog or page, which
	 * the update re-emits after the signature, would stand in its place (found by fuzzing). */
	if (memmem(pdf, len, "/ByteRange", 10)) {
		error = pdf_bad("the document carries /ByteRange already; only unsigned documents are signed");
		goto done;
	}
	annots = dict_get(po, pe, "Annots");
	if (annots && *annots != '[') {
		error = pdf_bad("the last page's /Annots is an indirect array");
		goto done;
	}
	sig = d.size;
	widget = d.size + 1;
	form = d.size + 2;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "D:%Y%m%d%H%M%SZ", &tm);

	/* one allocation for the whole result: the original, the update and /Contents */
	if (!(b.ptr = sb__malloc(len + 2 * CONTENTS_BYTES + 8192))) {
		error = SB_ENOMEM;
		goto done;
	}
	b.cap = len + 2 * CONTENTS_BYTES + 8192;
	b.ptr[0] = '\0';
	sb__buf_put(&b, pdf, len);
	if (len && pdf[len - 1] != '\n')
		sb__buf_putc(&b, '\n');
	/* 1. the signature dictionary, with placeholders of fixed width */
	offs[0] = (long long)b.len;
	sb__buf_printf(&b, "%lld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (%s)\n/ByteRange ",
		       sig, when);
	range_at = b.len;
	sb__buf_printf(&b, "[0 %-10s %-10s %-10s]", "0", "0", "0");
	sb__buf_puts(&b, "\n/Contents ");
	contents_at = (long long)b.len;
	sb__buf_putc(&b, '<');
	if (b.len + CONTENTS_BYTES * 2 + 1 < b.cap) {
		memset(b.ptr + b.len, '0', CONTENTS_BYTES * 2);
		b.len += CONTENTS_BYTES * 2;
		b.ptr[b.len] = '\0';
	} else {
		for (i = 0; i < CONTENTS_BYTES * 2; i++)
			sb__buf_putc(&b, '0');
	}
	sb__buf_putc(&b, '>');
	contents_end = (long long)b.len;
	sb__buf_puts(&b, " >>\nendobj\n");
	/* 2. the widget (invisible: the seal is drawn in the page content), 3. the form */
	offs[1] = (long long)b.len;
	sb__buf_printf(&b, "%lld 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V %lld 0 R /F 132 "
		       "/Rect [0 0 0 0] /P %lld %d R >>\nendobj\n", widget, sig, page, d.gens[page]);
	offs[2] = (long long)b.len;
	sb__buf_printf(&b, "%lld 0 obj\n<< /Fields [%lld 0 R] /SigFlags 3 >>\nendobj\n", form, widget);
	/* 4. the catalog with /AcroForm, 5. the last page with the widget in /Annots */
	offs[3] = (long long)b.len;
	sb__buf_printf(&b, "%lld %d obj\n", d.root, d.gens[d.root]);
	sb__buf_put(&b, co, (size_t)(ce - co - 2));
	sb__buf_printf(&b, " /AcroForm %lld 0 R >>\nendobj\n", form);
	offs[4] = (long long)b.len;
	sb__buf_printf(&b, "%lld %d obj\n", page, d.gens[page]);
	if (annots) {
		const unsigned char *close = skip_value(annots, pe) - 1; /* the ']' */
		sb__buf_put(&b, po, (size_t)(close - po));
		sb__buf_printf(&b, " %lld 0 R", widget);
		sb__buf_put(&b, close, (size_t)(pe - close));
	} else {
		sb__buf_put(&b, po, (size_t)(pe - po - 2));
		sb__buf_printf(&b, " /Annots [%lld 0 R] >>", widget);
	}
	sb__buf_puts(&b, "\nendobj\n");
	/* the cross-reference section of the update, subsections in object order */
	objs[0] = sig;
	objs[1] = widget;
	objs[2] = form;
	objs[3] = d.root;
	objs[4] = page;
	xref_at = (long long)b.len;
	sb__buf_puts(&b, "xref\n");
	{
		long long order[5] = { 3, 4, 0, 1, 2 };
		if (page < d.root) {
			order[0] = 4;
			order[1] = 3;
		}
		for (i = 0; i < 5;) {
			size_t run = 1;
			while (i + run < 5 && objs[order[i + run]] == objs[order[i]] + (long long)run)
				run++;
			sb__buf_printf(&b, "%lld %zu\n", objs[order[i]], run);
			for (k = 0; k < run; k++) {
				long long o = order[i + k];
				sb__buf_printf(&b, "%010lld %05d n \n", offs[o], o == 3 ? d.gens[d.root] : o == 4 ? d.gens[page] : 0);
			}
			i += run;
		}
	}
	sb__buf_printf(&b, "trailer\n<< /Size %lld /Root %lld %d R", d.size + 3, d.root, d.gens[d.root]);
	if (d.info)
		sb__buf_printf(&b, " /Info %lld %d R", d.info, d.gens[d.info]);
	if (d.id) {
		sb__buf_puts(&b, " /ID ");
		sb__buf_put(&b, d.id, d.id_len);
	}
	sb__buf_printf(&b, " /Prev %lld >>\nstartxref\n%lld\n%%%%EOF\n", d.xref, xref_at);
	if ((error = sb__buf_failed(&b)) < 0)
		goto done;

	/* /ByteRange: everything but the hex string of /Contents, '<' and '>' included */
	snprintf(range, sizeof range, "[0 %-10lld %-10lld %-10lld]", contents_at, contents_end,
		 (long long)b.len - contents_end);
	memcpy(b.ptr + range_at, range, strlen(range));
	if (!(signed_bytes = sb__malloc(b.len))) {
		error = SB_ENOMEM;
		goto done;
	}
	memcpy(signed_bytes, b.ptr, (size_t)contents_at);
	memcpy(signed_bytes + contents_at, b.ptr + contents_end, b.len - (size_t)contents_end);
	if ((error = cms_der(&der, &der_len, s, signed_bytes, (size_t)contents_at + b.len - (size_t)contents_end)) < 0)
		goto done;
	if (der_len > CONTENTS_BYTES) {
		error = sb_error_set(SB_ECRYPTO, "CMS signature too large (%d bytes)", der_len);
		goto done;
	}
	for (i = 0; i < (size_t)der_len; i++) {
		b.ptr[contents_at + 1 + 2 * (long long)i] = hexd[der[i] >> 4];
		b.ptr[contents_at + 2 + 2 * (long long)i] = hexd[der[i] & 15];
	}
	*out_len = b.len;
	*out = (unsigned char *)sb__buf_detach(&b);
done:
	OPENSSL_free(der);
	free(signed_bytes);
	sb__buf_free(&b);
	pdf_close(&d);
	return error;
}

/* ---- PDF: verifying ----------------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sb_sign_verify_pdf(char **out_township, const unsigned char *pdf, size_t len, const char *ca_path,
		       const char *crl_path)
{
	int error = 0;
	long long at, r[4], obj_at;
	const char *p;
	char *endp;
	size_t i, n;
	unsigned char *der = NULL, *data = NULL;
	const unsigned char *dp;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL;
	STACK_OF(X509) *signers = NULL;
	X509 *cert;
	unsigned char *copy = NULL;

	if (out_township)
		*out_township = NULL;
	if (len < 32 || memcmp(pdf, "%PDF-", 5) != 0)
		return pdf_bad("not a PDF file");
	/* numbers are read from a NUL-terminated copy, so no reader runs past the bytes */
	if (!(copy = sb__malloc(len + 1)))
		return SB_ENOMEM;
	memcpy(copy, pdf, len);
	copy[len] = '\0';
	pdf = copy;
	if ((at = rfind(pdf, len, "/ByteRange")) < 0) {
		error = sb_error_set(SB_ECRYPTO, "PDF: no signature (/ByteRange) found");
		goto done;
	}
	p = (const char *)pdf + at + 10;
	while ((size_t)(p - (const char *)pdf) < len && isspace((unsigned char)*p))
		p++;
	if (*p != '[') {
		error = sb_error_set(SB_ECRYPTO, "PDF: malformed /ByteRange");
		goto done;
	}
	p++;
	for (i = 0; i < 4; i++) {
		r[i] = strtoll(p, &endp, 10);
		if (endp == p || r[i] < 0 || (size_t)r[i] > len) {
			error = sb_error_set(SB_ECRYPTO, "PDF: malformed /ByteRange");
			goto done;
		}
		p = endp;
	}
	/* The signed range must be the whole file except /Contents' hex string: starting at 0,
	 * a gap of exactly that string, and nothing after the end of the signed range — bytes or
	 * a later update appended after signing are not covered and fail here. */
	if (r[0] != 0 || r[1] <= at || r[2] <= r[1] + 1 || (size_t)r[2] > len || (size_t)(r[2] + r[3]) != len) {
		error = sb_error_set(SB_ECRYPTO, "PDF: the signature does not cover the whole document (bytes were added or removed after signing)");
		goto done;
	}
	if (pdf[r[1]] != '<' || pdf[r[2] - 1] != '>') {
		error = sb_error_set(SB_ECRYPTO, "PDF: /ByteRange does not frame /Contents");
		goto done;
	}
	for (i = (size_t)r[1] + 1; i < (size_t)r[2] - 1; i++)
		if (hexval(pdf[i]) < 0) {
			error = sb_error_set(SB_ECRYPTO, "PDF: /Contents is not a hex string");
			goto done;
		}
	/* The gap must be this signature dictionary's /Contents value, and the dictionary a
	 * CAdES or PKCS#7 detached signature. */
	{
		long long k = r[1];
		while (k > 0 && isspace(pdf[k - 1]))
			k--;
		if (k < 9 || memcmp(pdf + k - 9, "/Contents", 9) != 0) {
			error = sb_error_set(SB_ECRYPTO, "PDF: /ByteRange does not frame /Contents");
			goto done;
		}
		obj_at = rfind(pdf, (size_t)at, " obj");
		if (obj_at < 0 || (rfind(pdf + obj_at, (size_t)(r[1] - obj_at), "/SubFilter /ETSI.CAdES.detached") < 0 &&
				   rfind(pdf + obj_at, (size_t)(r[1] - obj_at), "/SubFilter /adbe.pkcs7.detached") < 0)) {
			error = sb_error_set(SB_ECRYPTO, "PDF: signature SubFilter is not ETSI.CAdES.detached or adbe.pkcs7.detached");
			goto done;
		}
	}
	n = (size_t)(r[2] - r[1] - 2) / 2;
	if (!(der = sb__malloc(n + 1)) || !(data = sb__malloc((size_t)r[1] + (size_t)r[3] + 1))) {
		error = SB_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
		der[i] = (unsigned char)(hexval(pdf[r[1] + 1 + 2 * (long long)i]) << 4 | hexval(pdf[r[1] + 2 + 2 * (long long)i]));
	memcpy(data, pdf, (size_t)r[1]);
	memcpy(data + r[1], pdf + r[2], (size_t)r[3]);
	dp = der;
	if (sb__fault("crypto") || !(cms = d2i_CMS_ContentInfo(NULL, &dp, (long)n))) {
		error = sb__crypto_error("PDF: the signature is not a CMS structure");
		goto done;
	}
	if (!(in = BIO_new_mem_buf(data, (int)(r[1] + r[3])))) {
		error = sb__crypto_error("PDF");
		goto done;
	}
	/* The digest and signature first; the certificate with our own store below, so that a
	 * revoked or foreign certificate gets its own message. */
	if (CMS_verify(cms, NULL, NULL, in, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
		ERR_clear_error();
		error = sb_error_set(SB_ECRYPTO, "PDF signature is not valid: the document was changed after signing");
		goto done;
	}
	if (!(signers = CMS_get0_signers(cms)) || sk_X509_num(signers) != 1) {
		error = sb_error_set(SB_ECRYPTO, "PDF: the signature must have exactly one signer");
		goto done;
	}
	cert = sk_X509_value(signers, 0);
	if ((error = sb__sign_check_chain(cert, ca_path, crl_path)) < 0)
		goto done;
	error = sb__sign_township_out(out_township, cert);
done:
	sk_X509_free(signers);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	free(der);
	free(data);
	free(copy);
	return error;
}

/* ---- XML-DSig over a document already in canonical form --------------------------- */

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"

/* Base64 of n bytes, without line breaks, appended to b (marked failed when out of memory). */
static void buf_base64(sb_buf *b, const unsigned char *p, size_t n)
{
	unsigned char *t = sb__malloc(4 * ((n + 2) / 3) + 1);
	if (!t) {
		b->failed = 1;
		return;
	}
	sb__buf_put(b, t, (size_t)EVP_EncodeBlock(t, p, (int)n));
	free(t);
}

/* The signature value as XML-DSig wants it: for ECDSA the two integers r and s, each padded
 * to the length of the curve's order (RFC 4050 §3.3), not OpenSSL's DER; for RSA the
 * PKCS #1 v1.5 block as it is. */
static int sign_signed_info(unsigned char **out, size_t *out_len, EVP_PKEY *pkey, const char *si, size_t len)
{
	EVP_MD_CTX *md = NULL;
	unsigned char *der = NULL, *raw = NULL;
	const unsigned char *p;
	ECDSA_SIG *sig = NULL;
	size_t n = 0, half;
	int error = 0;

	*out = NULL;
	if (sb__fault("crypto") || !(md = EVP_MD_CTX_new()) ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_DigestSign(md, NULL, &n, (const unsigned char *)si, len) != 1) {
		error = sb__crypto_error("XML signing failed");
		goto done;
	}
	if (!(der = sb__malloc(n))) {
		error = SB_ENOMEM;
		goto done;
	}
	if (EVP_DigestSign(md, der, &n, (const unsigned char *)si, len) != 1) {
		error = sb__crypto_error("XML signing failed");
		goto done;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
		*out = der;
		*out_len = n;
		der = NULL;
		goto done;
	}
	half = (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
	p = der;
	if (!(sig = d2i_ECDSA_SIG(NULL, &p, (long)n))) {
		error = sb__crypto_error("XML signing failed");
		goto done;
	}
	if (!(raw = sb__calloc(2, half))) {
		error = SB_ENOMEM;
		goto done;
	}
	if (BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, (int)half) < 0 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + half, (int)half) < 0) {
		error = sb__crypto_error("XML signing failed");
		goto done;
	}
	*out = raw;
	*out_len = 2 * half;
	raw = NULL;
done:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	free(der);
	free(raw);
	return error;
}

int sb__sign_xml_canonical_split(char **out_sig, size_t *out_sig_len, size_t *out_root, size_t *out_at,
				 const sb_signer *s, const char *xml, size_t len)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	sb_buf si = SB_BUF_INIT, sig = SB_BUF_INIT;
	unsigned char digest[32], *sv = NULL, *der = NULL;
	const char *root = xml, *end, *close;
	size_t svlen = 0, inner;
	int error = 0, derlen;
	int ec = EVP_PKEY_get_base_id(s->pkey) == EVP_PKEY_EC;

	*out_sig = NULL;
	*out_sig_len = 0;
	if (len >= sizeof decl - 1 && memcmp(xml, decl, sizeof decl - 1) == 0)
		root += sizeof decl - 1;
	end = xml + len;
	while (end > root && end[-1] == '\n')
		end--;
	/* the root's end tag: the last "</" of the document, searched within its bytes only */
	if (end - root < 4 || *root != '<' || end[-1] != '>')
		return sb_error_set(SB_EINVALID, "document: not one root element in canonical form");
	for (close = end - 2; close > root && !(close[0] == '<' && close[1] == '/'); close--)
		;
	if (close <= root)
		return sb_error_set(SB_EINVALID, "document: not one root element in canonical form");

	/* The enveloped-signature transform removes the Signature element, so the digest is of
	 * the root element as it stands before the signature is added. */
	if (sb__fault("crypto") || !SHA256((const unsigned char *)root, (size_t)(end - root), digest))
		return sb__crypto_error("XML digest failed");

	/* SignedInfo's children exactly as written into the document; canonical SignedInfo is
	 * them under a start tag that declares the ds prefix (exclusive C14N renders the
	 * namespace on the apex of the signed subset). */
	sb__buf_puts(&si, "<ds:SignedInfo xmlns:ds=\"" DS_NS "\">");
	inner = si.len;
	sb__buf_puts(&si, "\n<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">"
			  "</ds:CanonicalizationMethod>\n<ds:SignatureMethod Algorithm=\"");
	sb__buf_puts(&si, ec ? "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
			     : "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
	sb__buf_puts(&si, "\"></ds:SignatureMethod>\n<ds:Reference URI=\"\">\n<ds:Transforms>\n"
			  "<ds:Transform Algorithm=\"" DS_NS "enveloped-signature\"></ds:Transform>\n"
			  "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:Transform>\n"
			  "</ds:Transforms>\n<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\">"
			  "</ds:DigestMethod>\n<ds:DigestValue>");
	buf_base64(&si, digest, sizeof digest);
	sb__buf_puts(&si, "</ds:DigestValue>\n</ds:Reference>\n</ds:SignedInfo>");
	if ((error = sb__buf_failed(&si)) < 0)
		goto done;
	if ((error = sign_signed_info(&sv, &svlen, s->pkey, si.ptr, si.len)) < 0)
		goto done;
	if (sb__fault("crypto") || (derlen = i2d_X509(s->cert, &der)) <= 0) {
		error = sb__crypto_error("cannot encode the certificate");
		goto done;
	}

	sb__buf_puts(&sig, "<ds:Signature xmlns:ds=\"" DS_NS "\">\n<ds:SignedInfo>");
	sb__buf_put(&sig, si.ptr + inner, si.len - inner);
	sb__buf_puts(&sig, "\n<ds:SignatureValue>");
	buf_base64(&sig, sv, svlen);
	sb__buf_puts(&sig, "</ds:SignatureValue>\n<ds:KeyInfo>\n<ds:X509Data>\n<ds:X509Certificate>");
	buf_base64(&sig, der, (size_t)derlen);
	sb__buf_puts(&sig, "</ds:X509Certificate>\n</ds:X509Data>\n</ds:KeyInfo>\n</ds:Signature>");
	if ((error = sb__buf_failed(&sig)) < 0)
		goto done;
	*out_sig_len = sig.len;
	*out_sig = sb__buf_detach(&sig);
	*out_root = (size_t)(root - xml);
	*out_at = (size_t)(close - xml);
done:
	sb__buf_free(&si);
	sb__buf_free(&sig);
	free(sv);
	OPENSSL_free(der);
	return error;
}

int sb__sign_xml_canonical(char **out, size_t *out_len, const sb_signer *s, const char *xml, size_t len)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	sb_buf doc = SB_BUF_INIT;
	char *sig = NULL;
	size_t sig_len = 0, root = 0, at = 0;
	int error;

	*out = NULL;
	*out_len = 0;
	if ((error = sb__sign_xml_canonical_split(&sig, &sig_len, &root, &at, s, xml, len)) < 0)
		return error;
	sb__buf_puts(&doc, decl);
	sb__buf_put(&doc, xml + root, at - root);
	sb__buf_put(&doc, sig, sig_len);
	sb__buf_put(&doc, xml + at, len - at);
	free(sig);
	if ((error = sb__buf_failed(&doc)) < 0) {
		sb__buf_free(&doc);
		return error;
	}
	*out_len = doc.len;
	*out = sb__buf_detach(&doc);
	return 0;
}
