# The payroll's township changed after signing.
sed "s/scope=\"$T2\"/scope=\"$T1\"/" "$PAYROLL_XML" >"$OUT"
