# Signature wrapping: the signed contract put under another root element.
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; echo '<w>'; sed 1d "$CONTRACT_XML"; echo '</w>'; } >"$OUT"
