#!/bin/sh
# The example files users bring are tested from tests/data/shared/examples; these must stay
# byte-for-byte the originals, so a test never passes on an edited copy.
. "$SRCDIR/tests/cli/lib.sh"
[ -d "${ORIGINAL_SHARED:-/nonexistent}/examples" ] || skip_all "the original examples are not beside this tree"
for f in "$ORIGINAL_SHARED"/examples/*; do
  b=$(basename "$f")
  if cmp -s "$f" "$SHARED/examples/$b"; then pass "$b is the original"; else fail "$b is the original"; fi
done
finish
