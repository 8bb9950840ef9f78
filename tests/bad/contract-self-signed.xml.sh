# Signed with a key and certificate the CA never issued.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/self.key" \
  -out "$TMP/self.pem" -days 30 -subj "/C=CN/O=Shuangbai/serialNumber=$T1/CN=$T1"
tr '\n' '\001' <"$CONTRACT_XML" |
  sed -e 's|<ds:DigestValue>[^<]*</ds:DigestValue>|<ds:DigestValue/>|' \
    -e 's|<ds:SignatureValue>[^<]*</ds:SignatureValue>|<ds:SignatureValue/>|' \
    -e 's|<ds:X509Certificate>[^<]*</ds:X509Certificate>|<ds:X509Certificate/>|' | tr '\001' '\n' >"$TMP/t.xml"
"$XMLSEC1" --sign --privkey-pem "$TMP/self.key,$TMP/self.pem" --output "$OUT" "$TMP/t.xml"
