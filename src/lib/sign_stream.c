/*
 * Verifying a large enveloped XML signature in one streaming pass (sign_internal.h,
 * sb__sign_verify_stream): libxml2's SAX2 parser feeds, at the same time, the schema
 * validator, an exclusive XML canonicalizer (W3C Exclusive XML Canonicalization 1.0, without
 * comments) whose bytes go straight into SHA-256, a second canonicalizer for SignedInfo, and
 * the caller's element callback. No tree is built, so a payroll of a million lines is checked
 * in bounded memory. Only the one shape this program signs is settled here; a document of any
 * other shape, or a bad one, is left to the tree reader and libxmlsec (sign.c), which decide
 * and give the message — this file can accept, never refuse, a signature. Not for signing.
 */
#include "config.h"
#include "common_internal.h"
#include "sign_internal.h"
#include "xml_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define DS_NS "http://www.w3.org/2000/09/xmldsig#"
#define EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ECDSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
#define RSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

/* ---- exclusive canonicalization of SAX events ------------------------------------------ */

/* A namespace declaration rendered on an output ancestor (or on the current element). */
typedef struct {
	const xmlChar *prefix; /* NULL: the default namespace */
	const xmlChar *uri;    /* "" for xmlns="" */
	int depth;
} ns_rendered;

typedef struct {
	sb_buf out;      /* canonical bytes not yet digested */
	EVP_MD_CTX *md;  /* when set, `out` is digested whenever it grows past a block */
	ns_rendered *ns; /* the rendered declarations of the open elements, innermost last */
	size_t nns, capns;
	int failed;
} c14n;

static int c14n_flush(c14n *c)
{
	if (c->out.failed)
		c->failed = 1;
	if (c->md && c->out.len) {
		if (EVP_DigestUpdate(c->md, c->out.ptr, c->out.len) != 1)
			c->failed = 1;
		c->out.len = 0;
	}
	return c->failed ? -1 : 0;
}

static void put_escaped(sb_buf *b, const xmlChar *s, size_t n, int in_attr)
{
	size_t i, from = 0;
	const char *rep;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = in_attr ? NULL : "&gt;"; break;
		case '"': rep = in_attr ? "&quot;" : NULL; break;
		case '\t': rep = in_attr ? "&#x9;" : NULL; break;
		case '\n': rep = in_attr ? "&#xA;" : NULL; break;
		case '\r': rep = "&#xD;"; break;
		default: rep = NULL;
		}
		if (!rep)
			continue;
		sb__buf_put(b, s + from, i - from);
		sb__buf_puts(b, rep);
		from = i + 1;
	}
	sb__buf_put(b, s + from, n - from);
}

static int str_eq(const xmlChar *a, const xmlChar *b)
{
	return xmlStrEqual(a ? a : (const xmlChar *)"", b ? b : (const xmlChar *)"");
}

/* The nearest rendered declaration of `prefix` (NULL: the default namespace), or NULL. */
static const ns_rendered *ns_find(const c14n *c, const xmlChar *prefix)
{
	size_t i = c->nns;
	while (i-- > 0)
		if ((prefix == NULL) == (c->ns[i].prefix == NULL) && (!prefix || xmlStrEqual(prefix, c->ns[i].prefix)))
			return &c->ns[i];
	return NULL;
}

static int ns_push(c14n *c, const xmlChar *prefix, const xmlChar *uri, int depth)
{
	void *grown;
	if (c->nns == c->capns) {
		size_t cap = c->capns ? c->capns * 2 : 16;
		if (!(grown = sb__realloc(c->ns, cap * sizeof *c->ns)))
			return c->failed = 1, -1;
		c->ns = grown;
		c->capns = cap;
	}
	c->ns[c->nns].prefix = prefix;
	c->ns[c->nns].uri = uri ? uri : (const xmlChar *)"";
	c->ns[c->nns].depth = depth;
	c->nns++;
	return 0;
}

static void put_qname(sb_buf *b, const xmlChar *prefix, const xmlChar *local)
{
	if (prefix) {
		sb__buf_puts(b, (const char *)prefix);
		sb__buf_putc(b, ':');
	}
	sb__buf_puts(b, (const char *)local);
}

/* Attributes in canonical order: no namespace first, then by namespace URI, then by local
 * name (byte order of UTF-8 is code-point order). */
static int attr_before(const xmlChar **a, const xmlChar **b)
{
	int c;
	if (!a[2] != !b[2])
		return !a[2];
	if (a[2] && (c = xmlStrcmp(a[2], b[2])) != 0)
		return c < 0;
	return xmlStrcmp(a[0], b[0]) < 0;
}

static int prefix_before(const xmlChar *a, const xmlChar *b)
{
	if (!a || !b)
		return !a && b;
	return xmlStrcmp(a, b) < 0;
}

#define MAX_ATTRS 64

/*
 * A start tag as exclusive C14N renders it: the namespaces the element visibly uses (its own
 * prefix, or the default namespace when it has none, and its attributes' prefixes) unless the
 * nearest output ancestor rendered the same declaration; xmlns="" only when an ancestor
 * rendered a non-empty default; declarations by prefix, then attributes in canonical order.
 * Returns 1 when the element has more attributes than this canonicalizer takes (the caller
 * leaves the document to the tree reader).
 */
static int c14n_start(c14n *c, int depth, const xmlChar *prefix, const xmlChar *local, const xmlChar *uri,
		      int nattr, const xmlChar **attrs)
{
	const xmlChar *np[MAX_ATTRS + 1], *nu[MAX_ATTRS + 1], **order[MAX_ATTRS], **t;
	size_t nn = 0, i, j;
	const ns_rendered *r;

	if (nattr > MAX_ATTRS)
		return 1;
	/* the element's namespace, then each prefixed attribute's (never xml:) */
	for (i = 0; i <= (size_t)nattr; i++) {
		const xmlChar *p = i == 0 ? prefix : attrs[(i - 1) * 5 + 1];
		const xmlChar *u = i == 0 ? uri : attrs[(i - 1) * 5 + 2];
		if (i > 0 && !p)
			continue;
		if (p && xmlStrEqual(p, (const xmlChar *)"xml"))
			continue;
		for (j = 0; j < nn; j++)
			if ((p == NULL) == (np[j] == NULL) && (!p || xmlStrEqual(p, np[j])))
				break;
		if (j < nn)
			continue;
		r = ns_find(c, p);
		if (r ? str_eq(r->uri, u) : (!p && (!u || !*u)))
			continue;
		np[nn] = p;
		nu[nn] = u ? u : (const xmlChar *)"";
		nn++;
	}
	/* insertion sorts: a handful of items */
	for (i = 1; i < nn; i++)
		for (j = i; j > 0 && prefix_before(np[j], np[j - 1]); j--) {
			const xmlChar *tp = np[j], *tu = nu[j];
			np[j] = np[j - 1], nu[j] = nu[j - 1];
			np[j - 1] = tp, nu[j - 1] = tu;
		}
	for (i = 0; i < (size_t)nattr; i++) {
		order[i] = attrs + i * 5;
		for (j = i; j > 0 && attr_before(order[j], order[j - 1]); j--)
			t = order[j], order[j] = order[j - 1], order[j - 1] = t;
	}
	sb__buf_putc(&c->out, '<');
	put_qname(&c->out, prefix, local);
	for (i = 0; i < nn; i++) {
		sb__buf_puts(&c->out, np[i] ? " xmlns:" : " xmlns");
		if (np[i])
			sb__buf_puts(&c->out, (const char *)np[i]);
		sb__buf_puts(&c->out, "=\"");
		put_escaped(&c->out, nu[i], (size_t)xmlStrlen(nu[i]), 1);
		sb__buf_putc(&c->out, '"');
		if (ns_push(c, np[i], nu[i], depth) < 0)
			return -1;
	}
	for (i = 0; i < (size_t)nattr; i++) {
		sb__buf_putc(&c->out, ' ');
		put_qname(&c->out, order[i][1], order[i][0]);
		sb__buf_puts(&c->out, "=\"");
		put_escaped(&c->out, order[i][3], (size_t)(order[i][4] - order[i][3]), 1);
		sb__buf_putc(&c->out, '"');
	}
	sb__buf_putc(&c->out, '>');
	return c->out.len >= 65536 ? c14n_flush(c) : 0;
}

static int c14n_end(c14n *c, int depth, const xmlChar *prefix, const xmlChar *local)
{
	sb__buf_puts(&c->out, "</");
	put_qname(&c->out, prefix, local);
	sb__buf_putc(&c->out, '>');
	while (c->nns > 0 && c->ns[c->nns - 1].depth >= depth)
		c->nns--;
	return c->out.len >= 65536 ? c14n_flush(c) : 0;
}

static int c14n_text(c14n *c, const xmlChar *s, int n)
{
	put_escaped(&c->out, s, (size_t)n, 0);
	return c->out.len >= 65536 ? c14n_flush(c) : 0;
}

static void c14n_free(c14n *c)
{
	sb__buf_free(&c->out);
	EVP_MD_CTX_free(c->md);
	free(c->ns);
}

/* ---- the streaming pass --------------------------------------------------------------- */

static const char *why_unsettled = "";

const char *sb__sign_stream_why(void)
{
	return why_unsettled;
}

/* The one Signature this program writes, element by element in document order, with the
 * depth of each below the document element and the attribute each must carry. */
static const struct {
	const char *name;
	int depth;
	const char *attr; /* its one attribute, or NULL for none */
} shape[] = {
	{ "Signature", 1, NULL },
	{ "SignedInfo", 2, NULL },
	{ "CanonicalizationMethod", 3, "Algorithm" },
	{ "SignatureMethod", 3, "Algorithm" },
	{ "Reference", 3, "URI" },
	{ "Transforms", 4, NULL },
	{ "Transform", 5, "Algorithm" },
	{ "Transform", 5, "Algorithm" },
	{ "DigestMethod", 4, "Algorithm" },
	{ "DigestValue", 4, NULL },
	{ "SignatureValue", 2, NULL },
	{ "KeyInfo", 2, NULL },
	{ "X509Data", 3, NULL },
	{ "X509Certificate", 4, NULL },
};
enum { S_SIGNATURE, S_SIGNED_INFO, S_C14N, S_SIGMETHOD, S_REFERENCE, S_TRANSFORMS, S_ENVELOPED,
       S_EXC, S_DIGESTMETHOD, S_DIGEST, S_SIGVALUE, S_KEYINFO, S_X509DATA, S_CERT, S_N };

typedef struct {
	xmlParserCtxtPtr ctxt;
	sb__xml_element_fn fn;
	void *user;
	int depth;      /* of the next element: 0 is the document element */
	int unsettled;  /* something this pass does not decide: the tree reader will */
	int error;      /* fn's error or SB_ENOMEM: the pass stops */
	int invalid;    /* the schema validator complained */
	c14n doc;       /* the document less its signature, into SHA-256 */
	c14n si;        /* SignedInfo, into a buffer */
	int in_sig;     /* inside the Signature */
	int in_si;      /* inside SignedInfo */
	int seen;       /* elements of the signature seen so far (index into shape) */
	int current;    /* the signature element whose text is being read, or -1 */
	int ec;         /* SignatureMethod is ECDSA (else RSA) */
	sb_buf text[S_N]; /* DigestValue, SignatureValue, X509Certificate texts */
	sb_buf values;    /* attribute values of the current element, decoded */
} pass;

static void stop(pass *p, int error)
{
	if (error < 0 && !p->error)
		p->error = error;
	if (error > 0)
		p->unsettled = 1;
	xmlStopParser(p->ctxt);
}

static int attr_is(const xmlChar **attrs, int nattr, const char *name, const char *value)
{
	return nattr == 1 && !attrs[1] && xmlStrEqual(attrs[0], (const xmlChar *)name) &&
	       attrs[4] - attrs[3] == (long)strlen(value) && memcmp(attrs[3], value, strlen(value)) == 0;
}

/*
 * libxml2's SAX2 parser, when it does not substitute entities, hands an attribute value's
 * '&' (written &amp;, &#38; or &#x26;) on as the five characters "&#38;", for a tree builder
 * to decode; a '&' reaches the handler in no other way. The values of one element, with
 * that undone, into p->values; attrs then points at them.
 */
static int decode_values(pass *p, const xmlChar **attrs, int nattr)
{
	size_t at[MAX_ATTRS], len[MAX_ATTRS], i, n;
	const xmlChar *v, *e, *amp;

	p->values.len = 0;
	for (i = 0; i < (size_t)nattr; i++) {
		v = attrs[i * 5 + 3];
		e = attrs[i * 5 + 4];
		at[i] = (size_t)-1;
		if (!memchr(v, '&', (size_t)(e - v)))
			continue;
		at[i] = p->values.len;
		while ((amp = memchr(v, '&', (size_t)(e - v)))) {
			sb__buf_put(&p->values, v, (size_t)(amp - v));
			sb__buf_putc(&p->values, '&');
			n = (size_t)(e - amp) >= 5 && memcmp(amp, "&#38;", 5) == 0 ? 5 : 1;
			v = amp + n;
		}
		sb__buf_put(&p->values, v, (size_t)(e - v));
		len[i] = p->values.len - at[i];
	}
	if (sb__buf_failed(&p->values) < 0)
		return -1;
	for (i = 0; i < (size_t)nattr; i++)
		if (at[i] != (size_t)-1) {
			attrs[i * 5 + 3] = (const xmlChar *)p->values.ptr + at[i];
			attrs[i * 5 + 4] = attrs[i * 5 + 3] + len[i];
		}
	return 0;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
		     const xmlChar **nss, int nattr, int ndefaulted, const xmlChar **given)
{
	pass *p = ctx;
	int depth = p->depth++, k, rc;
	const xmlChar *attrs[MAX_ATTRS * 5];
	(void)nns;
	(void)nss;

	if (p->error || p->unsettled)
		return;
	if (ndefaulted || (prefix && !uri) || nattr > MAX_ATTRS) {
		stop(p, 1);
		return;
	}
	if (nattr)
		memcpy(attrs, given, (size_t)nattr * 5 * sizeof *attrs);
	if (decode_values(p, attrs, nattr) < 0) {
		stop(p, SB_ENOMEM);
		return;
	}
	if (!p->in_sig && depth == 1 && uri && xmlStrEqual(uri, (const xmlChar *)DS_NS) &&
	    xmlStrEqual(local, (const xmlChar *)"Signature")) {
		if (p->seen) { /* a second signature */
			stop(p, 1);
			return;
		}
		p->in_sig = 1;
	}
	if (!p->in_sig) {
		if (uri && xmlStrEqual(uri, (const xmlChar *)DS_NS) && xmlStrEqual(local, (const xmlChar *)"Signature")) {
			stop(p, 1); /* a signature anywhere else */
			return;
		}
		if ((rc = c14n_start(&p->doc, depth, prefix, local, uri, nattr, attrs)) != 0) {
			stop(p, rc < 0 ? SB_ENOMEM : 1);
			return;
		}
		if (p->fn && (rc = p->fn(p->user, depth, (const char *)local, (const char *)uri, nattr,
					 (const unsigned char **)attrs, (long)p->ctxt->input->line)) < 0)
			stop(p, rc);
		return;
	}
	/* inside the signature: exactly the shape above */
	k = p->seen++;
	if (k >= S_N || !uri || !xmlStrEqual(uri, (const xmlChar *)DS_NS) ||
	    !xmlStrEqual(local, (const xmlChar *)shape[k].name) || depth != shape[k].depth ||
	    (shape[k].attr ? nattr != 1 : nattr != 0)) {
		stop(p, 1);
		return;
	}
	switch (k) {
	case S_C14N:
	case S_EXC:
		rc = attr_is(attrs, nattr, "Algorithm", EXC_C14N);
		break;
	case S_SIGMETHOD:
		p->ec = attr_is(attrs, nattr, "Algorithm", ECDSA_SHA256);
		rc = p->ec || attr_is(attrs, nattr, "Algorithm", RSA_SHA256);
		break;
	case S_REFERENCE:
		rc = attr_is(attrs, nattr, "URI", "");
		break;
	case S_ENVELOPED:
		rc = attr_is(attrs, nattr, "Algorithm", DS_NS "enveloped-signature");
		break;
	case S_DIGESTMETHOD:
		rc = attr_is(attrs, nattr, "Algorithm", SHA256_URI);
		break;
	default:
		rc = 1;
	}
	if (!rc) {
		stop(p, 1);
		return;
	}
	if (k == S_SIGNED_INFO)
		p->in_si = 1;
	if (p->in_si && (rc = c14n_start(&p->si, depth, prefix, local, uri, nattr, attrs)) != 0)
		stop(p, rc < 0 ? SB_ENOMEM : 1);
	p->current = k;
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	pass *p = ctx;
	int depth = --p->depth;
	(void)uri;

	if (p->error || p->unsettled)
		return;
	p->current = -1;
	if (p->in_sig) {
		if (p->in_si && c14n_end(&p->si, depth, prefix, local) < 0)
			stop(p, SB_ENOMEM);
		if (depth == shape[S_SIGNED_INFO].depth)
			p->in_si = 0;
		if (depth == shape[S_SIGNATURE].depth)
			p->in_sig = 0;
		return;
	}
	if (c14n_end(&p->doc, depth, prefix, local) < 0)
		stop(p, SB_ENOMEM);
}

static void on_text(void *ctx, const xmlChar *s, int n)
{
	pass *p = ctx;
	int i;

	if (p->error || p->unsettled)
		return;
	if (!p->in_sig) {
		if (c14n_text(&p->doc, s, n) < 0)
			stop(p, SB_ENOMEM);
		return;
	}
	if (p->current == S_DIGEST || p->current == S_SIGVALUE || p->current == S_CERT)
		sb__buf_put(&p->text[p->current], s, (size_t)n);
	else
		for (i = 0; i < n; i++)
			if (!isspace(s[i])) { /* text where the shape has none */
				stop(p, 1);
				return;
			}
	if (p->in_si && c14n_text(&p->si, s, n) < 0)
		stop(p, SB_ENOMEM);
}

/* Processing instructions are rendered by C14N with rules of their own, entity references
 * cannot occur without a DOCTYPE, and a DOCTYPE is refused: all left to the tree reader. */
static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	stop(ctx, 1);
}

static void on_reference(void *ctx, const xmlChar *name)
{
	(void)name;
	stop(ctx, 1);
}

static void on_doctype(void *ctx, const xmlChar *root, const xmlChar *public_id, const xmlChar *system_id)
{
	(void)root;
	(void)public_id;
	(void)system_id;
	stop(ctx, 1);
}

static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void on_invalid(void *ctx, xmlErrorPtr e)
{
	(void)e;
	((pass *)ctx)->invalid = 1;
}

static void quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* Base64 text (whitespace allowed) into exactly `want` bytes, or 0 when it is not that. */
static size_t base64_exact(unsigned char *out, size_t want, const sb_buf *text)
{
	unsigned char *t, *raw;
	size_t i, j = 0, pad = 0, n;
	int len;

	if (!(t = sb__malloc(text->len + 1)))
		return 0;
	for (i = 0; i < text->len; i++)
		if (!isspace((unsigned char)text->ptr[i]))
			t[j++] = (unsigned char)text->ptr[i];
	while (pad < 2 && pad < j && t[j - 1 - pad] == '=')
		pad++;
	n = 0;
	if (j % 4 == 0 && (raw = sb__malloc(j / 4 * 3 + 1))) {
		len = EVP_DecodeBlock(raw, t, (int)j);
		if (len >= 0 && (size_t)len >= pad && (size_t)len - pad == want) {
			memcpy(out, raw, want);
			n = want;
		}
		free(raw);
	}
	free(t);
	return n;
}

/* SignatureValue against the canonical SignedInfo with the certificate's key: 1 valid. */
static int signature_holds(const pass *p, X509 *cert)
{
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char raw[1024], *der = NULL;
	size_t half, n;
	int derlen = 0, ok = 0;

	if (!pub || (EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC) != p->ec)
		return 0;
	if (p->ec) {
		half = (size_t)(EVP_PKEY_get_bits(pub) + 7) / 8;
		if (2 * half > sizeof raw || base64_exact(raw, 2 * half, &p->text[S_SIGVALUE]) != 2 * half)
			return 0;
		if (!(sig = ECDSA_SIG_new()) || !(r = BN_bin2bn(raw, (int)half, NULL)) ||
		    !(s = BN_bin2bn(raw + half, (int)half, NULL)) || !ECDSA_SIG_set0(sig, r, s))
			goto done;
		r = s = NULL;
		if ((derlen = i2d_ECDSA_SIG(sig, &der)) <= 0)
			goto done;
	} else {
		n = (size_t)EVP_PKEY_get_size(pub);
		if (n > sizeof raw || base64_exact(raw, n, &p->text[S_SIGVALUE]) != n)
			return 0;
		derlen = (int)n;
	}
	if (!(md = EVP_MD_CTX_new()) || EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub) != 1)
		goto done;
	ok = EVP_DigestVerify(md, der ? der : raw, (size_t)derlen, (const unsigned char *)p->si.out.ptr,
			      p->si.out.len) == 1;
done:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(sig);
	BN_free(r);
	BN_free(s);
	OPENSSL_free(der);
	return ok;
}

int sb__sign_verify_stream(char **out_township, int *out_settled, const char *xml, size_t len,
			   const char *xsd_name, const char *ca_path, const char *crl_path, sb__xml_element_fn fn,
			   void *user)
{
	pass p;
	xmlSAXHandler sax;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctx = NULL;
	xmlSchemaSAXPlugPtr plug = NULL;
	xmlParserInputBufferPtr in = NULL;
	xmlParserInputPtr stream_in = NULL;
	unsigned char digest[32], want[32];
	unsigned int dlen = 0;
	X509 *cert = NULL;
	int error = 0, i;

	*out_settled = 0;
	why_unsettled = "input";
	if (out_township)
		*out_township = NULL;
	memset(&p, 0, sizeof p);
	p.current = -1;
	p.fn = fn;
	p.user = user;
	/* empty, or too large for libxml2's int length: the tree reader says so. A DOCTYPE stops
	 * the parse at its name (on_doctype), before any declaration in it is read; there is no
	 * byte search here, which on a 350 MB export cost seconds. */
	if (len == 0 || len > (size_t)1 << 30)
		return 0;
	if (sb__fault("alloc"))
		return sb_error_set(SB_ENOMEM, "out of memory");
	if (!(p.doc.md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(p.doc.md, EVP_sha256(), NULL) != 1) {
		error = sb__crypto_error("XML digest failed");
		goto done;
	}
	if (xsd_name) {
		if ((error = sb__xml_schema(&schema, xsd_name)) < 0)
			goto done;
		if (!(vctx = xmlSchemaNewValidCtxt(schema))) {
			error = sb_error_set(SB_ENOMEM, "out of memory");
			goto done;
		}
		xmlSchemaSetValidStructuredErrors(vctx, on_invalid, &p);
	}
	xmlSetGenericErrorFunc(NULL, quiet);
	/* The bytes are read in place (a static input buffer): xmlCreateMemoryParserCtxt would
	 * copy the whole document first. */
	if (!(p.ctxt = xmlNewParserCtxt()) ||
	    !(in = xmlParserInputBufferCreateStatic(xml, (int)len, XML_CHAR_ENCODING_NONE))) {
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	if (!(stream_in = xmlNewIOInputStream(p.ctxt, in, XML_CHAR_ENCODING_NONE))) {
		xmlFreeParserInputBuffer(in);
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	if (inputPush(p.ctxt, stream_in) < 0) {
		xmlFreeInputStream(stream_in);
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	xmlCtxtUseOptions(p.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.processingInstruction = on_pi;
	sax.reference = on_reference;
	sax.internalSubset = on_doctype;
	sax.serror = on_parse_error;
	memcpy(p.ctxt->sax, &sax, sizeof sax);
	p.ctxt->userData = &p;
	/* The validator wraps the handler: every event reaches it and then us. Unplugging puts
	 * the parser's own handler (which it frees) and user data back. */
	if (vctx && !(plug = xmlSchemaSAXPlug(vctx, &p.ctxt->sax, &p.ctxt->userData))) {
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	xmlParseDocument(p.ctxt);
	if (plug) {
		xmlSchemaSAXUnplug(plug);
		plug = NULL;
	}
	if (p.error) {
		error = p.error;
		goto done;
	}
	why_unsettled = p.unsettled ? "shape" : !p.ctxt->wellFormed || !p.ctxt->nsWellFormed ? "parse"
		      : p.invalid || (vctx && xmlSchemaIsValid(vctx) != 1) ? "schema"
		      : p.seen != S_N ? "shape" : "";
	if (*why_unsettled)
		goto done;
	/* the digest of the document less its signature, against DigestValue */
	if (c14n_flush(&p.doc) < 0 || c14n_flush(&p.si) < 0 || p.si.out.failed ||
	    EVP_DigestFinal_ex(p.doc.md, digest, &dlen) != 1 || dlen != sizeof digest) {
		error = sb__crypto_error("XML digest failed");
		goto done;
	}
	for (i = 0; i < S_N; i++)
		if (p.text[i].failed) {
			error = SB_ENOMEM;
			goto done;
		}
	why_unsettled = "digest";
	if (base64_exact(want, sizeof want, &p.text[S_DIGEST]) != sizeof want ||
	    CRYPTO_memcmp(want, digest, sizeof digest) != 0)
		goto done;
	why_unsettled = "certificate";
	if (sb__sign_cert_base64(&cert, p.text[S_CERT].ptr ? p.text[S_CERT].ptr : "", p.text[S_CERT].len) < 0) {
		sb_error_clear();
		ERR_clear_error();
		goto done;
	}
	why_unsettled = "signature value";
	if (!signature_holds(&p, cert))
		goto done;
	why_unsettled = "";
	/* The signature holds: from here on the answer is the same as the tree reader's. */
	if ((error = sb__sign_check_chain(cert, ca_path, crl_path)) < 0)
		goto done;
	if ((error = sb__sign_township_out(out_township, cert)) < 0)
		goto done;
	*out_settled = 1;
done:
	if (plug)
		xmlSchemaSAXUnplug(plug);
	xmlFreeParserCtxt(p.ctxt);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	X509_free(cert);
	c14n_free(&p.doc);
	c14n_free(&p.si);
	for (i = 0; i < S_N; i++)
		sb__buf_free(&p.text[i]);
	sb__buf_free(&p.values);
	return error;
}
