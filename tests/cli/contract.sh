#!/bin/sh
# pki and contract end to end: keys and their file modes, contract issue with the Labour
# Contract Law refusals (nothing written, database unchanged), numbering with two processes
# at once, and the peer tools on our output: xmllint --schema, xmlsec1 --verify, pdfsig
# (also with the CA trusted in an NSS database), pdffonts, pdftotext; tampering, wrapping,
# an XSLT transform and bytes appended after the PDF signature all fail our verify.
. "$SRCDIR/tests/cli/lib.sh"

export SHUANGBAI_PASSPHRASE='township secret'
XMLSEC1=${XMLSEC1:-xmlsec1}
XMLLINT=${XMLLINT:-xmllint}
PDFSIG=${PDFSIG:-pdfsig}
PDFTOTEXT=${PDFTOTEXT:-pdftotext}
PKI="$TMP/pki"
OUT="$TMP/contracts"
mkdir -p "$OUT"
T1=440103001000
T2=440103002000

count_files() { ls -A "$1" | wc -l | tr -d ' '; }

sb init
sb org import "$SRCDIR/tests/data/staff-divisions.csv"
sb org stations
cat >"$TMP/emp-bad.csv" <<'CSV'
township_code,name,address,legal_rep,uscc
440103001000,广州市荔湾区沙面街道办事处,广州市荔湾区沙面南街1号,,11440103007521431K
440103002000,广州市荔湾区岭南街道办事处,广州市荔湾区和平中路2号,刘卫东,11440103007521458B
CSV
sed 's/沙面南街1号,,/沙面南街1号,王建国,/' "$TMP/emp-bad.csv" >"$TMP/emp.csv"
sb org employers "$TMP/emp-bad.csv"
expect_rc "employers (one without legal representative)" 0
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-12-01
expect_rc "three workers taken over" 0

# ---- pki ----
sb pki init --dir "$PKI"
expect_rc "pki init" 0
expect_eq "ca.key mode 0600" "$(stat -c %a "$PKI/ca.key")" "600"
expect_eq "ca.key is encrypted PKCS#8" "$(head -1 "$PKI/ca.key")" "-----BEGIN ENCRYPTED PRIVATE KEY-----"
sb pki init --dir "$PKI"
expect_rc "pki init refuses to overwrite the CA" 1
sb pki issue --dir "$PKI" --township $T1
expect_rc "pki issue $T1" 0
sb pki issue --dir "$PKI" --township $T2
expect_eq "township key mode 0600" "$(stat -c %a "$PKI/$T1.key")" "600"
expect_eq "the subject names the township code" \
  "$(openssl x509 -in "$PKI/$T1.pem" -noout -subject -nameopt RFC2253 | sed 's/.*CN=\([0-9]*\).*/\1/')" "$T1"
SHUANGBAI_PASSPHRASE='wrong one' sb pki issue --dir "$PKI" --township $T1
expect_rc "a wrong passphrase is refused" 1
expect_err "and says so" "wrong passphrase"
sb pki issue --dir "$PKI"
expect_rc "pki issue without --township is a usage error" 2
(unset SHUANGBAI_PASSPHRASE; "$SB" pki issue --dir "$PKI" --township $T1 </dev/null >/dev/null 2>"$TMP/err.np" || exit $?) ; rc=$?
expect_rc "no passphrase and no terminal" 1

# revoked and expired copies of the T1 key (the CRL lies beside the certificate)
cp -r "$PKI" "$TMP/pki-revoked"
sb pki revoke --dir "$TMP/pki-revoked" --township $T1
expect_rc "pki revoke" 0
expect_out "revocation reported" "revoked"
cp -r "$PKI" "$TMP/pki-expired"
sb pki issue --dir "$TMP/pki-expired" --township $T1 --days 30 --not-before 2020-01-01
expect_rc "a back-dated certificate" 0

K1="--key $PKI/$T1.key --cert $PKI/$T1.pem"
K2="--key $PKI/$T2.key --cert $PKI/$T2.pem"

# ---- refusals: exit 1, no file, database unchanged ----
before=$(dbsum)
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 3500
expect_rc "Art. 17: employer without legal representative" 1
expect_err "Art. 17 named" "Labour Contract Law Art. 17: the employer has no legal representative"
expect_eq "nothing written (Art. 17)" "$(count_files "$OUT")" "0"
expect_eq "database unchanged (Art. 17)" "$(dbsum)" "$before"
sb org employers "$TMP/emp.csv"
before=$(dbsum)
sb contract issue --township $T1 $K1 --out "$OUT"
expect_rc "no pay policy and no --monthly-pay" 1
expect_err "the message says there is no wage" "no wage for the contract"
sb contract issue --township $T1 $K2 --out "$OUT" --monthly-pay 3500
expect_rc "another township's key" 1
expect_err "is refused" "the key of township $T2 cannot sign contracts of township $T1"
sb contract issue --township $T1 --key "$TMP/pki-revoked/$T1.key" --cert "$TMP/pki-revoked/$T1.pem" --out "$OUT" --monthly-pay 3500
expect_rc "a revoked certificate" 1
expect_err "is refused as revoked" "revoked"
sb contract issue --township $T1 --key "$TMP/pki-expired/$T1.key" --cert "$TMP/pki-expired/$T1.pem" --out "$OUT" --monthly-pay 3500
expect_rc "an expired certificate" 1
expect_err "is refused as expired" "expired"
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 3500 --term-years 1 --probation-months 3
expect_rc "Art. 19: 3 months' probation on a 1-year term" 1
expect_err "Art. 19 named" "Art. 19: probation of 3 months is longer than the 2 allowed for a term of 1 to under 3 years"
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 3500 --open-ended --probation-months 7
expect_rc "Art. 19: 7 months open-ended" 1
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 3500 --probation-months 2 --probation-pay 2799.99
expect_rc "Art. 20: probation wage under 80%" 1
expect_err "Art. 20 named" "Art. 20: probation wage 2799.99 is below 80% of the contract wage 3500.00"
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 3500 --term-years 2 --open-ended
expect_rc "--term-years with --open-ended is a usage error" 2
expect_eq "no file after any refusal" "$(count_files "$OUT")" "0"
expect_eq "database unchanged after the refusals" "$(dbsum)" "$before"

# ---- pay policy: the wage comes from the scale; the minimum wage applies ----
sb pay policy "$SHARED/examples/pay-guangdong.xml"
expect_rc "pay policy loaded" 0
before=$(dbsum)
sb contract issue --township $T1 $K1 --out "$OUT" --monthly-pay 2000
expect_rc "a wage under the local minimum" 1
expect_err "is refused" "contract wage 2000.00 is below the local minimum wage"
expect_eq "database unchanged (minimum wage)" "$(dbsum)" "$before"

# ---- two processes issuing at once in one township ----
P1=$(sed -n 3p "$SRCDIR/tests/data/staff-roster.csv" | cut -d, -f1)
P2=$(sed -n 4p "$SRCDIR/tests/data/staff-roster.csv" | cut -d, -f1)
"$SB" contract issue --township $T2 $K2 --out "$OUT" --person "$P1" >"$TMP/c1" 2>&1 &
pid1=$!
"$SB" contract issue --township $T2 $K2 --out "$OUT" --person "$P2" >"$TMP/c2" 2>&1 &
pid2=$!
wait $pid1; r1=$?
wait $pid2; r2=$?
expect_eq "both concurrent issues succeed" "$r1$r2" "00"
expect_eq "two distinct numbers" "$(ls "$OUT" | grep '^'$T2'-2026-00000[12]\.xml$' | wc -l | tr -d ' ')" "2"

sb contract issue --township $T1 $K1 --out "$OUT"
expect_rc "issue $T1 under the pay policy" 0
expect_out "one contract" "1 contract issued"
N="$T1-2026-000001"
X="$OUT/$N.xml"
P="$OUT/$N.pdf"
expect_eq "XML and PDF named by the number" "$(ls "$OUT" | grep -c "^$N\.")" "2"
sb contract issue --township $T1 $K1 --out "$OUT"
expect_out "issuing again issues nothing" "0 contracts issued"
grep -q '<monthly>' "$X" && pass "the XML carries the wage" || fail "wage in XML"
grep -q '<minimum>2500.00</minimum>' "$X" && pass "and the local minimum of the policy" || fail "minimum in XML" "$(grep -A3 '<pay>' "$X")"
grep -q '<probation months="0"/>' "$X" && pass "a taken-over worker has no probation" || fail "no probation"
grep -q "<end>2029-11-30</end>" "$X" && pass "3-year term from 2026-12-01" || fail "term"

# ---- peer tools on the XML ----
"$XMLLINT" --noout --schema "$SRCDIR/xsd/contract.xsd" "$X" >/dev/null 2>&1
rc=$?; expect_rc "xmllint --schema validates the signed contract" 0
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$X" >/dev/null 2>&1
rc=$?; expect_rc "xmlsec1 --verify accepts our signature" 0
sed 's/<name>陈志强</<name>陈志弘</' "$X" >"$TMP/changed.xml"
cmp -s "$X" "$TMP/changed.xml" && fail "the change was made"
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$TMP/changed.xml" >/dev/null 2>&1
rc=$?; expect_rc "xmlsec1 --verify rejects a one-character change" 1
sb contract verify "$X" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
expect_rc "contract verify accepts the XML" 0
expect_out "and names the worker" "worker 陈志强"
sb contract verify "$TMP/changed.xml" --ca "$PKI/ca.pem"
expect_rc "contract verify rejects the one-character change" 1
sb contract verify "$X" --ca "$TMP/pki-revoked/ca.pem" --crl "$TMP/pki-revoked/crl.pem"
expect_rc "verify with the CRL that revokes the signer" 1
expect_err "says revoked" "revoked"
sb contract verify "$X"
expect_rc "verify without --ca is a usage error" 2

# wrapping: the signed contract under another root
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; echo '<w>'; sed 1d "$X"; echo '</w>'; } >"$TMP/wrapped.xml"
sb contract verify "$TMP/wrapped.xml" --ca "$PKI/ca.pem"
expect_rc "a wrapped signature fails" 1
# a DOCTYPE is refused
sed '1a<!DOCTYPE contract [<!ENTITY x "y">]>' "$X" >"$TMP/doctype.xml"
sb contract verify "$TMP/doctype.xml" --ca "$PKI/ca.pem"
expect_rc "a DOCTYPE fails" 1
expect_err "and is named" "DOCTYPE"

# a template with an XSLT transform, signed by xmlsec1 itself with the right key: valid for
# xmlsec1, refused by us; and a good template signed with another township's key
TPL_HEAD='<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
TPL_TAIL='</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>'
XSLT='<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><x/></xsl:template></xsl:stylesheet></ds:Transform>'
C14N='<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
unsigned() { tr '\n' '\001' <"$X" | sed 's|<ds:Signature.*</ds:Signature>||' | tr '\001' '\n'; }
unsigned | sed "s|</contract>|$TPL_HEAD$XSLT$TPL_TAIL</contract>|" >"$TMP/tpl-xslt.xml"
"$XMLSEC1" --sign --privkey-pem "$PKI/$T1.key,$PKI/$T1.pem" --pwd "$SHUANGBAI_PASSPHRASE" --output "$TMP/xslt.xml" "$TMP/tpl-xslt.xml" >/dev/null 2>&1
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$TMP/xslt.xml" >/dev/null 2>&1
rc=$?; expect_rc "xmlsec1 accepts its own XSLT-transform signature" 0
sb contract verify "$TMP/xslt.xml" --ca "$PKI/ca.pem"
expect_rc "contract verify refuses the XSLT transform" 1
expect_err "as a disallowed transform" "disallowed transform"
unsigned | sed "s|</contract>|$TPL_HEAD$C14N$TPL_TAIL</contract>|" >"$TMP/tpl-other.xml"
"$XMLSEC1" --sign --privkey-pem "$PKI/$T2.key,$PKI/$T2.pem" --pwd "$SHUANGBAI_PASSPHRASE" --output "$TMP/other.xml" "$TMP/tpl-other.xml" >/dev/null 2>&1
"$XMLSEC1" --verify --trusted-pem "$PKI/ca.pem" "$TMP/other.xml" >/dev/null 2>&1
rc=$?; expect_rc "a contract re-signed with another township's key is valid XML-DSig" 0
sb contract verify "$TMP/other.xml" --ca "$PKI/ca.pem"
expect_rc "but contract verify refuses it" 1
expect_err "signer is not the employer" "signed by township $T2, but the employer is township $T1"

# ---- peer tools on the PDF ----
"$PDFSIG" "$P" >"$TMP/pdfsig" 2>&1
grep -q "Signature is Valid" "$TMP/pdfsig" && pass "pdfsig: Signature is Valid" || fail "pdfsig valid" "$(cat "$TMP/pdfsig")"
grep -q "Total document signed" "$TMP/pdfsig" && pass "pdfsig: total document signed" || fail "pdfsig total"
grep -q "ETSI.CAdES.detached" "$TMP/pdfsig" && pass "pdfsig: ETSI.CAdES.detached" || fail "pdfsig subfilter"
if command -v certutil >/dev/null 2>&1; then
  mkdir -p "$TMP/nss"
  certutil -N -d "sql:$TMP/nss" --empty-password >/dev/null 2>&1
  certutil -A -d "sql:$TMP/nss" -n shuangbai-ca -t "CT,C,C" -i "$PKI/ca.pem" >/dev/null 2>&1
  "$PDFSIG" -nssdir "sql:$TMP/nss" "$P" >"$TMP/pdfsig-nss" 2>&1
  grep -q "Certificate is Trusted" "$TMP/pdfsig-nss" && pass "pdfsig with the CA in NSS: certificate trusted" || fail "NSS trust" "$(cat "$TMP/pdfsig-nss")"
else
  pass "# SKIP certutil (libnss3-tools) missing"
fi
cp "$P" "$TMP/changed.pdf"
printf 'Z' | dd of="$TMP/changed.pdf" bs=1 seek=2000 conv=notrunc 2>/dev/null
"$PDFSIG" "$TMP/changed.pdf" >"$TMP/pdfsig-changed" 2>&1
grep -q "Signature is Valid" "$TMP/pdfsig-changed" && fail "pdfsig notices a one-byte change" || pass "pdfsig notices a one-byte change"
sb contract verify "$TMP/changed.pdf" --ca "$PKI/ca.pem"
expect_rc "contract verify rejects the one-byte change" 1
cp "$P" "$TMP/appended.pdf"
printf '%% appended after signing\n' >>"$TMP/appended.pdf"
sb contract verify "$TMP/appended.pdf" --ca "$PKI/ca.pem"
expect_rc "bytes appended after the signature fail" 1
expect_err "the message says so" "does not cover the whole document"
sb contract verify "$P" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
expect_rc "contract verify accepts the PDF" 0
expect_out "and names the employer" "employer $T1"
if command -v pdffonts >/dev/null 2>&1; then
  pdffonts "$P" >"$TMP/fonts" 2>/dev/null
  awk 'NR > 2 && $(NF-4) == "yes" && $(NF-3) == "yes" { ok = 1 } END { exit !ok }' "$TMP/fonts" \
    && grep -q '^[A-Z]\{6\}+' "$TMP/fonts" && pass "pdffonts: the CJK font is embedded and subset" || fail "pdffonts" "$(cat "$TMP/fonts")"
fi
"$PDFTOTEXT" "$P" - 2>/dev/null >"$TMP/text"
grep -q "陈志强" "$TMP/text" && pass "pdftotext: the worker's name" || fail "worker name in PDF"
grep -q "广州市荔湾区沙面街道办事处" "$TMP/text" && pass "pdftotext: the employer's name" || fail "employer name in PDF"
grep -q "劳动合同书" "$TMP/text" && pass "pdftotext: the title from forms/contract.xml" || fail "title"
size=$(stat -c %s "$P")
[ "$size" -lt 153600 ] && pass "PDF under 150 KB ($size bytes)" || fail "PDF size" "$size"

# ---- the template is read at run time: an edited copy changes the wording ----
mkdir -p "$TMP/forms" "$TMP/contracts2"
sed 's/<title>劳动合同书</<title>社会工作者劳动合同书</' "$SRCDIR/forms/contract.xml" >"$TMP/forms/contract.xml"
SHUANGBAI_FORMS="$TMP/forms" sb contract issue --township $T1 $K1 --out "$TMP/contracts2" --person "$(sed -n 2p "$SRCDIR/tests/data/staff-roster.csv" | cut -d, -f1)" --start 2030-01-01
expect_rc "a second contract for the same worker, with an edited template" 0
"$PDFTOTEXT" "$TMP/contracts2/$T1-2026-000002.pdf" - 2>/dev/null | grep -q "社会工作者劳动合同书" && pass "the edited wording is in the PDF" || fail "edited template"
sed 's/{worker.name}/{worker.nickname}/' "$SRCDIR/forms/contract.xml" >"$TMP/forms/contract.xml"
before=$(dbsum)
SHUANGBAI_FORMS="$TMP/forms" sb contract issue --township $T1 $K1 --out "$TMP/contracts2" --person "$(sed -n 2p "$SRCDIR/tests/data/staff-roster.csv" | cut -d, -f1)" --start 2033-01-01
expect_rc "an unknown placeholder" 1
expect_err "is named with its line" "contract.xml:"
expect_eq "database unchanged (template error)" "$(dbsum)" "$before"

sb audit verify
expect_rc "audit chain intact after contracts" 0

# ---- a place name beyond the Basic Multilingual Plane (Guangdong has one: 輋𣒍村委会) ----
# The PDF shows the character as its code point; the signed XML holds the character itself.
export SHUANGBAI_DB="$TMP/rare.db"
sed 's/440103001101,翠洲社区居民委员会,/440103001101,輋𣒍村委会,/' "$SRCDIR/tests/data/staff-divisions.csv" >"$TMP/rare-div.csv"
sb init
sb org import "$TMP/rare-div.csv"
sb org stations
sb org employers "$TMP/emp.csv"
sb staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-12-01
expect_rc "a worker at 輋𣒍村委会 taken over" 0
mkdir -p "$TMP/rare"
sb contract issue --township $T1 $K1 --out "$TMP/rare" --monthly-pay 3500
expect_rc "a contract at a place with a non-BMP character is issued" 0
rx=$(ls "$TMP/rare"/*.xml 2>/dev/null | head -1)
expect_eq "the XML holds the character itself" "$(grep -c '輋𣒍村委会' "$rx" 2>/dev/null)" "1"
expect_eq "the PDF shows its code point" "$("$PDFTOTEXT" "${rx%.xml}.pdf" - 2>/dev/null | tr -d ' \n' | grep -c '輋〔U+2348D〕村委会')" "1"
sb contract verify "$rx" --ca "$PKI/ca.pem"
expect_rc "and it verifies" 0
finish
