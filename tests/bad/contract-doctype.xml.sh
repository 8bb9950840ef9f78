# A DOCTYPE with an internal entity.
sed '1a<!DOCTYPE contract [<!ENTITY x "y">]>' "$CONTRACT_XML" >"$OUT"
