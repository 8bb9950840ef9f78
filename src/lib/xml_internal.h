/*
 * Reading untrusted XML, for every area that reads a file users bring (policies, pay
 * policies, payroll exports): no network, no entity substitution, no DOCTYPE, and validation
 * against one of the project's schemas with the first error's line copied out at once.
 * Signature checking has its own stricter reader in sign.c.
 */
#ifndef SB_XML_INTERNAL_H
#define SB_XML_INTERNAL_H

#include <stddef.h>

#include <libxml/tree.h>

/** Where xsd/NAME is: $SHUANGBAI_XSD, else the installed schemas, else the source tree's. */
void sb__xml_xsd_path(char *out, size_t size, const char *name);

/**
 * Parse `xml` (named `name` in messages) as untrusted input and, when `xsd_name` is not NULL,
 * validate it against xsd/`xsd_name`. Messages: "NAME: a DOCTYPE is not allowed",
 * "NAME:LINE: not well-formed XML: ...", "NAME:LINE: not valid against xsd/XSD: ...".
 * @param out the document; free with xmlFreeDoc()
 * @return 0, SB_EXML, SB_EINVALID (too large), SB_ENOMEM
 */
int sb__xml_read(xmlDocPtr *out, const char *xml, size_t len, const char *name, const char *xsd_name);

/* Validate a document read by sb__xml_read against xsd/`xsd_name` (for a caller that checks
 * something else, such as a signature, first). Same messages as sb__xml_read. */
int sb__xml_validate(xmlDocPtr doc, const char *name, const char *xsd_name);

/* Load xsd/`xsd_name` (SB_EXML naming it when it cannot be). Free with xmlSchemaFree(). */
struct _xmlSchema;
int sb__xml_schema(struct _xmlSchema **out, const char *xsd_name);

#endif
