# An XSLT transform in the Reference, signed by xmlsec1 with the right key: valid XML-DSig,
# but a transform that could run code is refused.
XSLT='<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><x/></xsl:template></xsl:stylesheet></ds:Transform>'
sed "s|<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>|&$XSLT|" "$CONTRACT_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT" "$T1"
