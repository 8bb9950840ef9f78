# 100000 nested unknown elements inside a policy: refused by the parser's depth limit or the
# schema, without exhausting the stack.
awk 'BEGIN {
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  printf "<policy xmlns=\"urn:shuangbai:policy:1\" name=\"x\" reference-date=\"2026-05-01\">"
  for (i = 0; i < 100000; i++) printf "<a>"
  for (i = 0; i < 100000; i++) printf "</a>"
  print "</policy>" }' >"$OUT"
