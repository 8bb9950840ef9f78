# A Reference to a local file (the CA certificate) instead of the document, signed by xmlsec1
# with the right key: refused before the file is even opened.
tr '\n' '\001' <"$CONTRACT_XML" |
  sed -e "s|<ds:Reference URI=\"\">|<ds:Reference URI=\"file://$PKI/ca.pem\">|" -e 's|<ds:Transforms>.*</ds:Transforms>||' |
  tr '\001' '\n' >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT" "$T1"
