# A title of 1.1 MB: a record longer than the reader's limit of 1 MiB.
{ head -n 2 "$BAD/posts-kind.csv"; printf '2,440103001101,'; head -c 1100000 /dev/zero | tr '\0' 'x'; printf ',service,1,,,,,any,\n'; } >"$OUT"
