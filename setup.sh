#!/bin/sh
# Set up a Debian 12 machine for Shuangbai and build it: install the Debian packages that are
# missing, configure and build in ./build, then run what was asked:
#   ./setup.sh demo   build, then run `shuangbai demo` in ./shuangbai-demo
#   ./setup.sh test   build, then run every test (`make check`)
#   ./setup.sh build  build only
# Extra configure options come from $CONFIGURE_FLAGS, the build directory from $BUILD_DIR.
set -eu
cd "$(dirname "$0")"
what=${1:-build}

PACKAGES="build-essential autoconf automake libtool pkg-config
 libsqlite3-dev sqlite3 libssl-dev libxml2-dev libxml2-utils libxmlsec1-dev xmlsec1
 libhpdf-dev zlib1g-dev libzip-dev fonts-droid-fallback fonts-dejavu-core python3-fonttools
 poppler-utils libnss3-tools clang valgrind libxlsxwriter-dev time"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

BUILD_DIR=${BUILD_DIR:-build}
[ -x configure ] || autoreconf -fi
mkdir -p "$BUILD_DIR"
cd "$BUILD_DIR"
# shellcheck disable=SC2086
[ -f Makefile ] || ../configure ${CONFIGURE_FLAGS:-}
make -j"$(nproc)"

case "$what" in
  demo) ./src/shuangbai demo --dir ../shuangbai-demo ;;
  test) make -j"$(nproc)" check ;;
  build) ;;
  *) echo "usage: ./setup.sh demo|test|build" >&2; exit 2 ;;
esac
