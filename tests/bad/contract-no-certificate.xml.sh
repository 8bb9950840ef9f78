# No certificate in KeyInfo.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|<ds:X509Certificate>[^<]*</ds:X509Certificate>||' | tr '\001' '\n' >"$OUT"
