# A Reference to one element (#id) instead of the whole document, signed with the right key.
sed -e 's|<ds:Reference URI="">|<ds:Reference URI="#w">|' -e 's|<worker>|<worker xml:id="w">|' "$CONTRACT_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT" "$T1"
