# An XInclude of a local file in the worker, signed again with the right key: nothing is
# included, and the element is not part of a contract.
sed 's|<worker>|<worker><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>|' "$CONTRACT_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT" "$T1"
