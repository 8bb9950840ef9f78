# A policy padded with a 17 MiB comment: refused by its size before it is parsed.
{ head -n 1 "$BAD/policy-weights.xml"; printf '<!-- '; head -c 17825792 /dev/zero | tr '\0' 'x'; printf ' -->\n'
  tail -n +2 "$BAD/policy-weights.xml"; } >"$OUT"
