#!/bin/sh
# Runs the signed-document cases of the catalogue of bad inputs (tests/bad/CATALOGUE):
# contract- files go to `contract verify` (XML or PDF by the name), payroll- files to `payroll
# verify --db`. The keys are made here, so almost every case is a recipe (NAME.sh) that
# tampers with a document issued here: $CONTRACT_XML and $CONTRACT_PDF (township $T1's
# contract), $PAYROLL_XML (township $T2's payroll of 2026-01, checked against the registry).
# `resign IN OUT [TOWNSHIP]` signs a tampered document again, as its township would, so that
# the checks behind the signature are reached.
. "$SRCDIR/tests/cli/badlib.sh"
[ -x "$(command -v "${XMLSEC1:-xmlsec1}")" ] || skip_all "xmlsec1 is needed to sign tampered documents again"
export SHUANGBAI_PASSPHRASE='township secret'
export XMLSEC1=${XMLSEC1:-xmlsec1}
export PKI="$TMP/pki" T1=440103001000 T2=440103002000
mkdir -p "$TMP/contracts" "$TMP/exp"

step() { # step DESC ARGS...: a setup step that must succeed
  desc=$1
  shift
  sb "$@"
  [ "$rc" -eq 0 ] || fail "setup: $desc" "exit $rc: $err"
}
sb init
step divisions org import "$SRCDIR/tests/data/staff-divisions.csv"
step stations org stations
cat >"$TMP/emp.csv" <<'CSV'
township_code,name,address,legal_rep,uscc
440103001000,广州市荔湾区沙面街道办事处,广州市荔湾区沙面南街1号,王建国,11440103007521431K
440103002000,广州市荔湾区岭南街道办事处,广州市荔湾区和平中路2号,刘卫东,11440103007521458B
CSV
step employers org employers "$TMP/emp.csv"
step workers staff import "$SRCDIR/tests/data/staff-roster.csv" --source relief --start 2026-01-01
step "pay policy" pay policy "$SHARED/examples/pay-guangdong.xml"
step "pki init" pki init --dir "$PKI"
step "pki issue $T1" pki issue --dir "$PKI" --township $T1
step "pki issue $T2" pki issue --dir "$PKI" --township $T2
step "contracts of $T1" contract issue --township $T1 --key "$PKI/$T1.key" --cert "$PKI/$T1.pem" --out "$TMP/contracts"
step "contracts of $T2" contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$TMP/contracts"
step "payroll run" payroll run 2026-01
step "payroll close" payroll close 2026-01
step "payroll export" payroll export 2026-01 --scope $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$TMP/exp"
save_base signed
export CONTRACT_XML="$TMP/contracts/$T1-2026-000001.xml"
export CONTRACT_PDF="$TMP/contracts/$T1-2026-000001.pdf"
export PAYROLL_XML="$TMP/exp/payroll-$T2-2026-01.xml"

# The documents as issued pass, so that each case fails for its tampering alone.
sb contract verify "$CONTRACT_XML" "$CONTRACT_PDF" --ca "$PKI/ca.pem"
expect_rc "the issued contract (XML and PDF) verifies" 0
sb payroll verify "$PAYROLL_XML" --ca "$PKI/ca.pem" --db "$SHUANGBAI_DB"
expect_rc "the exported payroll verifies against the registry" 0

# resign IN OUT [TOWNSHIP]: empty the signature's values and sign again with xmlsec1.
resign() {
  tr '\n' '\001' <"$1" |
    sed -e 's|<ds:DigestValue>[^<]*</ds:DigestValue>|<ds:DigestValue/>|g' \
      -e 's|<ds:SignatureValue>[^<]*</ds:SignatureValue>|<ds:SignatureValue/>|g' \
      -e 's|<ds:X509Certificate>[^<]*</ds:X509Certificate>|<ds:X509Certificate/>|g' |
    tr '\001' '\n' >"$TMP/resign.xml"
  t=${3:-$T2}
  "$XMLSEC1" --sign --privkey-pem "$PKI/$t.key,$PKI/$t.pem" --pwd "$SHUANGBAI_PASSPHRASE" \
    --output "$2" "$TMP/resign.xml"
}

# fix_header IN OUT: the payroll's header count and totals made to agree with its lines again.
fix_header() {
  python3 - "$1" "$2" <<'PY'
import re, sys
from decimal import Decimal
x = open(sys.argv[1], encoding='utf-8').read()
lines = re.findall(r'<line ([^>]*)>', x)
def attrs(s): return dict(re.findall(r'([a-z-]+)="([^"]*)"', s))
head = re.search(r'<header ([^>]*)>', x)
h = attrs(head.group(1))
for k in h:
    if k == 'count':
        h[k] = str(len(lines))
    else:
        h[k] = str(sum(Decimal(attrs(l)[k]) for l in lines))
new = '<header ' + ' '.join('%s="%s"' % kv for kv in sorted(h.items())) + '>'
open(sys.argv[2], 'w', encoding='utf-8').write(x[:head.start()] + new + x[head.end():])
PY
}

case_base() { echo signed; }
case_run() {
  case "$1" in
    contract-*) bad_sb contract verify "$2" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" ;;
    payroll-*) bad_sb payroll verify "$2" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --db "$SHUANGBAI_DB" ;;
  esac
}
run_catalogue signed
finish
