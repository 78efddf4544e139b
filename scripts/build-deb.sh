#!/usr/bin/env bash
# Builds the Debian package of zlack: target/debian/zlack_VERSION_ARCH.deb.
#
#   scripts/build-deb.sh                   release build, then the package
#   scripts/build-deb.sh --binary PATH     package PATH instead (no build)
#
# The package holds /usr/bin/zlack, the systemd unit, its sysusers.d entry,
# /etc/zlack/zlack.toml (a conffile, every key commented out) and
# /usr/share/doc/zlack; packaging/ has the sources. Needs dpkg-deb
# (dpkg, always on Debian) and strip (binutils); nothing is installed.
# ZLACK_DEB_COMPRESSION (xz), ZLACK_DEB_OUT (target/debian) and
# ZLACK_DEB_MAINTAINER override.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  cargo build --release --locked -p zlack
  binary=target/release/zlack
fi
[ -x "$binary" ] || { echo "build-deb.sh: no executable at $binary" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' crates/zlack/Cargo.toml | head -n 1)
arch=$(dpkg --print-architecture)
out=${ZLACK_DEB_OUT:-target/debian}
root=$(mktemp -d "${TMPDIR:-/tmp}/zlack-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
umask 022
chmod 0755 "$root"

install -D -m 0755 "$binary" "$root/usr/bin/zlack"
strip --strip-unneeded "$root/usr/bin/zlack"
install -D -m 0644 packaging/zlack.service "$root/usr/lib/systemd/system/zlack.service"
install -D -m 0644 packaging/zlack.sysusers "$root/usr/lib/sysusers.d/zlack.conf"
install -d -m 0750 "$root/etc/zlack"
install -m 0640 packaging/zlack.toml "$root/etc/zlack/zlack.toml"
doc="$root/usr/share/doc/zlack"
install -d "$doc/docs"
install -m 0644 LICENSE "$doc/copyright"
gzip -9n <CHANGELOG.md >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
install -m 0644 README.md "$doc/README.md"
install -m 0644 docs/*.md "$doc/docs/"
install -m 0644 packaging/icon.svg packaging/icon.png "$doc/"

# The lowest glibc the binary asks for.
glibc=$(objdump -T "$root/usr/bin/zlack" | sed -n 's/.*GLIBC_\([0-9.]*\).*/\1/p' | sort -V | tail -n 1)
install -d "$root/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
echo /etc/zlack/zlack.toml >"$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: zlack
Version: $version
Architecture: $arch
Maintainer: ${ZLACK_DEB_MAINTAINER:-zlack maintainers <root@localhost>}
Installed-Size: $size
Depends: libc6 (>= ${glibc:-2.31}), init-system-helpers (>= 1.52), passwd
Recommends: ca-certificates
Suggests: postgresql
Section: net
Priority: optional
Description: self-hosted Zoom for Slack
 One server that connects Slack workspaces with a Zoom account: /zoom
 starts or announces Zoom meetings as Slack Calls, posts their summaries,
 recordings and Zoom Phone notices, unfurls whiteboards and syncs status.
 Runs on SQLite with no setup, or on PostgreSQL for several replicas.
CONTROL

mkdir -p "$out"
deb="$out/zlack_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${ZLACK_DEB_COMPRESSION:-xz}" --build "$root" "$deb" >/dev/null
echo "$deb"
