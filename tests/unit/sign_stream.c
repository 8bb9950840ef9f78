/* Unit tests of the streaming signature check (sign_stream.c) against libxmlsec's: documents
 * signed by xmlsec that exercise every rule of exclusive canonicalization (attribute and
 * namespace order, unused and repeated declarations, xmlns="", prefix rebinding, escaping in
 * text and attributes, CDATA, comments, character references, xml:lang) are settled by the
 * stream with the same answer; any changed byte is not; shapes the stream does not take (a
 * processing instruction, a wrapped signature, too many attributes) are left to the tree
 * reader, which still accepts the good ones; RSA as well as EC; element line numbers equal
 * the tree's; and payroll verify gives the same result and message either way. */
#include "config.h"
#include "common_internal.h"
#include "sign_internal.h"
#include "shuangbai.h"
#include "tap.h"
#include "helpers.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

static const char *const good[] = {
	"<contract xmlns=\"urn:t\"><worker>张三</worker><pay>3500.00</pay></contract>",
	"<r xmlns=\"urn:a\" xmlns:u=\"urn:unused\" xmlns:b=\"urn:b\" z=\"1\" b:y=\"2\" "
	"a=\"3&amp;&lt;&quot;&#9;&#10;&#13;x&gt;'\" xml:lang=\"zh\"><b:c b:k=\"v\">t&amp;&lt;&gt;&#13;\"'</b:c></r>",
	"<r xmlns=\"urn:a\"><s xmlns=\"\"><t xmlns=\"urn:c\"/><v/></s><u xmlns=\"urn:a\"/></r>",
	"<!-- before --><r>\n  <!-- inside --><![CDATA[a<b&c]]>\n\t<e   a = 'x\ty\nz' ></e ></r><!-- after -->",
	"<p:r xmlns:p=\"urn:1\"><p:s xmlns:p=\"urn:2\"><p:t/></p:s><p:s xmlns:p=\"urn:1\"/></p:r>",
	"<r xmlns=\"urn:a\" xmlns:x=\"urn:a\" x:at=\"1\" at=\"2\"><x:e/></r>",
	"<r xmlns:x=\"urn:x\" xmlns:y=\"urn:y\"><e y:b=\"1\" x:b=\"2\" b=\"3\" x:a=\"4\"/></r>",
	"<r>&#x4E09;&#20108;&amp;&#x10FFFF;\r\nline</r>",
	"<?xml version=\"1.0\" encoding=\"GB18030\"?><r>\xd5\xc5\xc8\xfd</r>",
};

/* The stream's verdict; *town the signer when settled. */
static int stream(char **town, const char *xml, size_t len, const char *ca)
{
	int settled = -1;
	*town = NULL;
	if (sb__sign_verify_stream(town, &settled, xml, len, NULL, ca, NULL, NULL, NULL) < 0)
		return -1;
	return settled;
}

typedef struct {
	long lines[16];
	int n;
} seen_lines;

static int note_line(void *user, int depth, const char *local, const char *ns_uri, int nattr,
		     const unsigned char **attrs, long line)
{
	seen_lines *s = user;
	(void)depth, (void)local, (void)ns_uri, (void)nattr, (void)attrs;
	if (s->n < 16)
		s->lines[s->n++] = line;
	return 0;
}

static void tree_lines(seen_lines *s, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || (n->ns && strcmp((const char *)n->name, "Signature") == 0))
			continue;
		if (s->n < 16)
			s->lines[s->n++] = xmlGetLineNo(n);
		tree_lines(s, n->children);
	}
}

/* A payroll file of two lines (totals as given), signed by xmlsec, written to path. */
static int payroll_file(const char *path, sb_signer *s, const char *net2, const char *tail)
{
	sb_buf b = SB_BUF_INIT;
	char *sx = NULL;
	size_t sl = 0;
	int error;
	sb__buf_puts(&b, "<payroll xmlns=\"urn:shuangbai:payroll:1\" month=\"2026-03\" name=\"x\" scope=\"440103001000\">\n"
			 "<header count=\"2\" base=\"200.00\" allowances=\"0.00\" arrears=\"0.00\" gross=\"200.00\" "
			 "pension=\"0.00\" medical=\"0.00\" unemployment=\"0.00\" housing-fund=\"0.00\" "
			 "special-deductions=\"0.00\" tax=\"0.00\" net=\"200.00\"></header>\n");
	sb__buf_printf(&b, "<line id-number=\"440103199001010011\" name=\"甲\" township=\"440103001000\" contract=\"c1\" "
			   "account=\"\" days=\"31\" base=\"100.00\" allowances=\"0.00\" arrears=\"0.00\" gross=\"100.00\" "
			   "pension=\"0.00\" medical=\"0.00\" unemployment=\"0.00\" housing-fund=\"0.00\" "
			   "special-deductions=\"0.00\" tax=\"0.00\" net=\"100.00\"></line>\n"
			   "<line id-number=\"440103199001010027\" name=\"乙\" township=\"440103001000\" contract=\"c2\" "
			   "account=\"\" days=\"31\" base=\"100.00\" allowances=\"0.00\" arrears=\"0.00\" gross=\"100.00\" "
			   "pension=\"0.00\" medical=\"0.00\" unemployment=\"0.00\" housing-fund=\"0.00\" "
			   "special-deductions=\"0.00\" tax=\"0.00\" net=\"%s\"></line>\n%s</payroll>\n",
		       net2, tail);
	if ((error = sb__buf_failed(&b)) == 0 && (error = sb_sign_xml(&sx, &sl, s, b.ptr, b.len)) == 0)
		error = sb__write_file(path, sx, sl, 0644);
	free(sx);
	sb__buf_free(&b);
	return error;
}

int main(void)
{
	char dir[1024], rsadir[1024], key[1024], cert[1024], ca[1024], rsaca[1024], path[1024];
	sb_signer *s = NULL, *rs = NULL;
	char *sx = NULL, *town = NULL, *bad;
	size_t sl = 0, i;
	char msg_fast[1024], msg_tree[1024];

	snprintf(dir, sizeof dir, "%s", tap_tmpdir("sign-stream"));
	snprintf(rsadir, sizeof rsadir, "%s", tap_tmpdir("sign-stream-rsa"));
	if (sb_pki_init(dir, 0, "passphrase", NULL) < 0 || sb_pki_issue(dir, "440103001000", "passphrase", 0, NULL) < 0 ||
	    sb_pki_init(rsadir, 1, "passphrase", NULL) < 0 ||
	    sb_pki_issue(rsadir, "440103001000", "passphrase", 0, NULL) < 0) {
		printf("Bail out! %s\n", sb_error_last());
		return 1;
	}
	snprintf(key, sizeof key, "%s/440103001000.key", dir);
	snprintf(cert, sizeof cert, "%s/440103001000.pem", dir);
	snprintf(ca, sizeof ca, "%s/ca.pem", dir);
	is_int(sb_signer_load(&s, key, cert, "passphrase"), 0, "EC signer loads");
	snprintf(key, sizeof key, "%s/440103001000.key", rsadir);
	snprintf(cert, sizeof cert, "%s/440103001000.pem", rsadir);
	snprintf(rsaca, sizeof rsaca, "%s/ca.pem", rsadir);
	is_int(sb_signer_load(&rs, key, cert, "passphrase"), 0, "RSA signer loads");

	for (i = 0; i < sizeof good / sizeof *good; i++) {
		int settled;
		ok(sb_sign_xml(&sx, &sl, s, good[i], strlen(good[i])) == 0, "document %zu signed by xmlsec", i + 1);
		ok(sx && sb_sign_verify_xml(NULL, sx, sl, ca, NULL) == 0, "document %zu: xmlsec verifies it", i + 1);
		settled = sx ? stream(&town, sx, sl, ca) : -1;
		ok(settled == 1, "document %zu: the stream settles it: the same canonical form and digest (%d)", i + 1,
		   settled);
		ok(town && strcmp(town, "440103001000") == 0, "document %zu: the signer's township", i + 1);
		free(town);
		/* one more character inside the signed content */
		bad = sx ? th_replace(sx, "</", "x</") : NULL;
		ok(bad && stream(&town, bad, strlen(bad), ca) == 0, "document %zu changed: not settled", i + 1);
		ok(bad && sb_sign_verify_xml(NULL, bad, strlen(bad), ca, NULL) == SB_ECRYPTO,
		   "document %zu changed: the tree reader refuses it", i + 1);
		free(town);
		free(bad);
		free(sx);
		sx = NULL;
	}

	/* RSA */
	ok(sb_sign_xml(&sx, &sl, rs, good[1], strlen(good[1])) == 0, "signed with RSA");
	is_int(stream(&town, sx, sl, rsaca), 1, "RSA: settled");
	free(town);
	is_int(stream(&town, sx, sl, ca), -1, "RSA under another CA: refused as the tree refuses it");
	has_msg("not trusted", "…as not trusted");
	free(town);
	bad = th_replace(sx, "<ds:SignatureValue>", "<ds:SignatureValue>AAAA");
	is_int(stream(&town, bad, strlen(bad), rsaca), 0, "RSA: a changed signature value is not settled");
	free(bad);
	free(sx);

	/* shapes left to the tree reader */
	{
		static const char pi[] = "<r><?note text?><a>1</a></r>";
		sb_buf many = SB_BUF_INIT;
		int k;
		ok(sb_sign_xml(&sx, &sl, s, pi, strlen(pi)) == 0, "a processing instruction: signed");
		is_int(stream(&town, sx, sl, ca), 0, "…left to the tree reader");
		is_int(sb_sign_verify_xml(NULL, sx, sl, ca, NULL), 0, "…which accepts it");
		free(sx);
		sb__buf_puts(&many, "<r");
		for (k = 0; k < 70; k++)
			sb__buf_printf(&many, " a%02d=\"%d\"", k, k);
		sb__buf_puts(&many, "/>");
		ok(sb_sign_xml(&sx, &sl, s, many.ptr, many.len) == 0, "70 attributes: signed");
		is_int(stream(&town, sx, sl, ca), 0, "…left to the tree reader");
		is_int(sb_sign_verify_xml(NULL, sx, sl, ca, NULL), 0, "…which accepts it");
		sb__buf_free(&many);
		free(sx);
	}
	{
		/* the signature moved into a wrapper element, the document then re-signed around it */
		ok(sb_sign_xml(&sx, &sl, s, good[0], strlen(good[0])) == 0, "signed");
		bad = th_replace(sx, "<ds:Signature", "<w><ds:Signature");
		free(sx);
		sx = th_replace(bad, "</ds:Signature>", "</ds:Signature></w>");
		is_int(stream(&town, sx, strlen(sx), ca), 0, "a wrapped signature: not settled");
		free(bad);
		bad = th_replace(sx, "<w>", "<w><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"></ds:Signature>");
		is_int(stream(&town, bad, strlen(bad), ca), 0, "two signatures: not settled");
		free(bad);
		free(sx);
	}

	/* element lines as the tree reports them */
	{
		static const char lines[] = "<r>\n<a\n  x=\"1\"\n/>\n\n<b><c>t</c>\n</b>\n<d/></r>";
		seen_lines fast, tree;
		xmlDocPtr d = NULL;
		int settled = 0, k, same = 1;
		memset(&fast, 0, sizeof fast);
		memset(&tree, 0, sizeof tree);
		ok(sb_sign_xml(&sx, &sl, s, lines, strlen(lines)) == 0, "a document over several lines: signed");
		ok(sb__sign_verify_stream(NULL, &settled, sx, sl, NULL, ca, NULL, note_line, &fast) == 0 && settled == 1,
		   "…settled");
		ok(sb__xml_parse(&d, sx, sl, "t") == 0, "…parsed as a tree");
		tree_lines(&tree, xmlDocGetRootElement(d));
		xmlFreeDoc(d);
		for (k = 0; k < tree.n; k++)
			same = same && fast.lines[k] == tree.lines[k];
		ok(fast.n == 5 && tree.n == 5 && same, "the five elements on the tree's lines (%ld %ld %ld %ld %ld)",
		   fast.lines[0], fast.lines[1], fast.lines[2], fast.lines[3], fast.lines[4]);
		free(sx);
	}

	/* payroll verify: the same result and message whichever reader settles the file */
	{
		sb_payroll_verified v;
		memset(&v, 0, sizeof v);
		snprintf(path, sizeof path, "%s/payroll.xml", dir);
		ok(payroll_file(path, s, "100.00", "") == 0, "a payroll of two lines, signed by xmlsec");
		is_int(sb_payroll_verify(&v, path, ca, NULL, NULL), 0, "verifies (streamed)");
		ok(v.count == 2 && v.net == 20000, "two lines, net 200.00");
		sb_payroll_verified_clear(&v);
		ok(payroll_file(path, s, "100.00", "<?note text?>\n") == 0, "the same with a processing instruction");
		is_int(sb_payroll_verify(&v, path, ca, NULL, NULL), 0, "verifies (through the tree)");
		ok(v.count == 2 && v.net == 20000, "two lines, net 200.00");
		sb_payroll_verified_clear(&v);
		ok(payroll_file(path, s, "100.01", "") == 0, "a line whose net is off by one fen");
		is_int(sb_payroll_verify(&v, path, ca, NULL, NULL), SB_EINVALID, "refused (streamed)");
		snprintf(msg_fast, sizeof msg_fast, "%s", sb_error_last());
		ok(payroll_file(path, s, "100.01", "<?note text?>\n") == 0, "the same with a processing instruction");
		is_int(sb_payroll_verify(&v, path, ca, NULL, NULL), SB_EINVALID, "refused (through the tree)");
		snprintf(msg_tree, sizeof msg_tree, "%s", sb_error_last());
		ok(strstr(msg_fast, ":5: <line> 440103199001010027: net 100.01 is not gross less contributions and tax (100.00)"),
		   "the line named: %s", msg_fast);
		is_str(msg_tree, msg_fast, "the same message from both readers");
		/* a file whose signature holds but whose schema does not: the validator runs in the pass */
		ok(payroll_file(path, s, "1e2", "") == 0, "a net of '1e2', signed");
		{
			char *xml = NULL, *who = NULL;
			size_t xl = 0;
			int settled = -1;
			ok(sb__read_file(&xml, &xl, path) == 0 &&
			   sb__sign_verify_stream(&who, &settled, xml, xl, "payroll.xsd", ca, NULL, NULL, NULL) == 0 &&
			   settled == 0 && strcmp(sb__sign_stream_why(), "schema") == 0,
			   "the stream leaves it, for the schema");
			ok(sb__sign_verify_stream(&who, &settled, xml, xl, NULL, ca, NULL, NULL, NULL) == 0 && settled == 1,
			   "without the schema the signature alone holds");
			free(who);
			free(xml);
		}
		is_int(sb_payroll_verify(&v, path, ca, NULL, NULL), SB_EXML, "payroll verify refuses it");
		has_msg(":5: not valid against xsd/payroll.xsd", "…naming the schema and the line");
	}

	sb_signer_free(s);
	sb_signer_free(rs);
	return tap_done();
}
