# The payroll of one township signed again with another township's (valid) key.
resign "$PAYROLL_XML" "$OUT" "$T1"
