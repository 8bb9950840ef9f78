# The signer's certificate in KeyInfo replaced by another township's: the signature no longer fits.
c2=$(sed -e '1d' -e '$d' "$PKI/$T2.pem" | tr -d '\n')
tr '\n' '\001' <"$CONTRACT_XML" | sed "s|<ds:X509Certificate>[^<]*</ds:X509Certificate>|<ds:X509Certificate>$c2</ds:X509Certificate>|" |
  tr '\001' '\n' >"$OUT"
