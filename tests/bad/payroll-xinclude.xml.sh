# An XInclude of a local file, signed again with the right key: nothing is included, and the
# schema refuses the element.
sed 's|</header>|</header><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>|' "$PAYROLL_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT"
