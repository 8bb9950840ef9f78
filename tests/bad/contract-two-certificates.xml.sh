# Two certificates in KeyInfo: which one signed is not clear.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|\(<ds:X509Certificate>[^<]*</ds:X509Certificate>\)|\1\1|' | tr '\001' '\n' >"$OUT"
