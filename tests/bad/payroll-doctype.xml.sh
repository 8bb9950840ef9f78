# A DOCTYPE with an internal entity.
sed '1a<!DOCTYPE payroll [<!ENTITY x "y">]>' "$PAYROLL_XML" >"$OUT"
