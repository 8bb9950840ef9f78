# A second Reference (to the same document) in SignedInfo, signed by xmlsec1 with the right key.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|\(<ds:Reference URI="">.*</ds:Reference>\)|\1\1|' | tr '\001' '\n' >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT" "$T1"
