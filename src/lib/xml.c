/*
 * The one hardened XML reader of the library (xml_internal.h). A DOCTYPE is refused before
 * the parser sees the bytes and again after parsing, in case an encoding hid it from the byte
 * search; with no DOCTYPE there are no entities to expand and nothing to fetch, and the
 * parser runs with XML_PARSE_NONET besides. libxml2 reuses its error structures, so the first
 * error is copied out where it is reported.
 */
#include "config.h"
#include "common_internal.h"
#include "xml_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

void sb__xml_xsd_path(char *out, size_t size, const char *name)
{
	const char *env = getenv("SHUANGBAI_XSD");
	struct stat st;

	if (env && *env) {
		snprintf(out, size, "%s/%s", env, name);
		return;
	}
	snprintf(out, size, "%s/%s", SB_XSDDIR, name);
	if (stat(out, &st) == 0)
		return;
	snprintf(out, size, "%s/%s", SB_SRCXSDDIR, name);
}

typedef struct {
	int seen;
	int line;
	char msg[512];
} first_error;

static void trim(char *msg)
{
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
}

static void on_schema_error(void *ctx, xmlErrorPtr e)
{
	first_error *f = ctx;
	if (f->seen || !e)
		return;
	f->seen = 1;
	f->line = e->line;
	snprintf(f->msg, sizeof(f->msg), "%s", e->message ? e->message : "not valid");
	trim(f->msg);
}

static void quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

int sb__xml_schema(xmlSchemaPtr *out, const char *xsd_name)
{
	char xsd[4096];
	xmlSchemaParserCtxtPtr pctx;

	*out = NULL;
	sb__xml_xsd_path(xsd, sizeof(xsd), xsd_name);
	if (!(pctx = xmlSchemaNewParserCtxt(xsd)))
		return sb_error_set(SB_ENOMEM, "out of memory");
	xmlSchemaSetParserErrors(pctx, quiet, quiet, NULL);
	*out = xmlSchemaParse(pctx);
	xmlSchemaFreeParserCtxt(pctx);
	if (!*out)
		return sb_error_set(SB_EXML, "%s: the schema could not be loaded", xsd);
	return 0;
}

int sb__xml_validate(xmlDocPtr doc, const char *name, const char *xsd_name)
{
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctx = NULL;
	first_error err;
	int error = 0;

	memset(&err, 0, sizeof(err));
	if ((error = sb__xml_schema(&schema, xsd_name)) < 0)
		goto done;
	if (!(vctx = xmlSchemaNewValidCtxt(schema))) {
		error = sb_error_set(SB_ENOMEM, "out of memory");
		goto done;
	}
	xmlSchemaSetValidStructuredErrors(vctx, on_schema_error, &err);
	if (xmlSchemaValidateDoc(vctx, doc) != 0)
		error = sb_error_set(SB_EXML, "%s:%d: not valid against xsd/%s: %s", name, err.seen ? err.line : 0,
				     xsd_name, err.seen ? err.msg : "validation failed");
done:
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	return error;
}

/* libxml2 calls this on reading "<!DOCTYPE name", in whatever encoding the document is
 * written, before any entity of the internal subset is declared: the parse stops there. The
 * byte search misses a DOCTYPE in UTF-16, and XML_PARSE_HUGE lifts libxml2's own limit on
 * entity expansion, so without this a UTF-16 "billion laughs" would expand 10^9 entities. */
static void stop_at_doctype(void *ctx, const xmlChar *root, const xmlChar *public_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	(void)root;
	(void)public_id;
	(void)system_id;
	ctxt->_private = ctxt;
	xmlStopParser(ctxt);
}

int sb__xml_read(xmlDocPtr *out, const char *xml, size_t len, const char *name, const char *xsd_name)
{
	xmlDocPtr doc = NULL;
	xmlParserCtxtPtr ctxt = NULL;
	int error = 0;

	*out = NULL;
	if (len > (size_t)1 << 30)
		return sb_error_set(SB_EINVALID, "%s: the file is too large", name);
	if (len == 0)
		return sb_error_set(SB_EXML, "%s:1: not well-formed XML: the file is empty", name);
	if (memmem(xml, len, "<!DOCTYPE", 9))
		return sb_error_set(SB_EXML, "%s: a DOCTYPE is not allowed", name);
	if (sb__fault("alloc"))
		return sb_error_set(SB_ENOMEM, "out of memory");
	xmlSetGenericErrorFunc(NULL, quiet);
	if (!(ctxt = xmlNewParserCtxt()))
		return sb_error_set(SB_ENOMEM, "out of memory");
	ctxt->sax->internalSubset = stop_at_doctype;
	/* XML_PARSE_COMPACT keeps short texts (an amount, a code) inside their nodes instead of
	 * allocating each: a payroll export's 27,000 lines carry 17 attributes each, and this
	 * cut its verification by a third. The price is that the tree must not be modified,
	 * and no reader of this function modifies it. */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, name, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE |
				XML_PARSE_COMPACT);
	if (!doc && !ctxt->_private) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[512];
		snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "parse error");
		trim(msg);
		error = sb_error_set(SB_EXML, "%s:%d: not well-formed XML: %s", name, e ? e->line : 0, msg);
		goto done;
	}
	if (ctxt->_private || doc->intSubset || doc->extSubset) {
		error = sb_error_set(SB_EXML, "%s: a DOCTYPE is not allowed", name);
		goto done;
	}
	if (xsd_name && (error = sb__xml_validate(doc, name, xsd_name)) < 0)
		goto done;
	*out = doc;
	doc = NULL;
done:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return error;
}
