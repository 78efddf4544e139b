#!/usr/bin/env bash
# Builds the Debian package from a debug binary and checks it: contents and
# modes, the conffile, the maintainer scripts, `systemd-analyze verify` of
# the unit, `zlack --version` from the extracted package, and that the
# extracted binary, run with the unit's Environment= lines and the sample
# /etc/zlack/zlack.toml (state in a temporary directory), answers /healthz.
#
#   scripts/package-check.sh [BINARY]    default target/debug/zlack
#
# scripts/test.sh runs it after the tests with the binary they built; no
# release build, nothing installed. That the sample zlack.toml names every
# configuration key is a unit test of the zlack crate (config::tests).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'package-check: %s\n' "$*" >&2; exit 1; }

binary=${1:-target/debug/zlack}
if [ ! -x "$binary" ]; then
  log "building $binary"
  cargo build -p zlack --locked
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/zlack-package-check.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log "building the package from $binary"
deb=$(ZLACK_DEB_OUT="$work/out" ZLACK_DEB_COMPRESSION=gzip scripts/build-deb.sh --binary "$binary")

# Contents: "mode owner path" per file, as dpkg-deb lists them.
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$work/contents"
for want in \
  "-rwxr-xr-x root/root ./usr/bin/zlack" \
  "-rw-r--r-- root/root ./usr/lib/systemd/system/zlack.service" \
  "-rw-r--r-- root/root ./usr/lib/sysusers.d/zlack.conf" \
  "drwxr-x--- root/root ./etc/zlack/" \
  "-rw-r----- root/root ./etc/zlack/zlack.toml" \
  "-rw-r--r-- root/root ./usr/share/doc/zlack/copyright" \
  "-rw-r--r-- root/root ./usr/share/doc/zlack/changelog.gz" \
  "-rw-r--r-- root/root ./usr/share/doc/zlack/README.md" \
  "-rw-r--r-- root/root ./usr/share/doc/zlack/docs/deploy.md" \
  "-rw-r--r-- root/root ./usr/share/doc/zlack/icon.png"; do
  grep -qxF -- "$want" "$work/contents" || fail "missing from the package: $want"
done
# Nothing else is setuid, world-writable or owned by anyone but root.
if awk '$1 ~ /s|w.$/ || $2 != "root/root"' "$work/contents" | grep -q .; then
  fail "unexpected modes or owners: $(awk '$1 ~ /s|w.$/ || $2 != "root/root"' "$work/contents")"
fi

dpkg-deb -I "$deb" conffiles >"$work/conffiles"
[ "$(cat "$work/conffiles")" = /etc/zlack/zlack.toml ] || fail "conffiles: $(cat "$work/conffiles")"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' crates/zlack/Cargo.toml | head -n 1)
[ "$(dpkg-deb -f "$deb" Package Version | tr '\n' ' ')" = "Package: zlack Version: $version " ] ||
  fail "control: $(dpkg-deb -f "$deb" Package Version)"
for script in postinst prerm postrm; do
  dpkg-deb -I "$deb" "$script" >"$work/$script"
  sh -n "$work/$script" || fail "$script does not parse"
done
# A first install starts nothing; an upgrade restarts only a running zlack.
grep -q 'try-restart zlack.service' "$work/postinst" || fail "postinst: no try-restart on upgrade"
if grep -Eq 'deb-systemd-invoke (start|restart)' "$work/postinst"; then
  fail "postinst starts the service"
fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
log "$("$root/usr/bin/zlack" --version)"
[ "$("$root/usr/bin/zlack" --version)" = "zlack $version" ] || fail "zlack --version"

if command -v systemd-analyze >/dev/null 2>&1 && [ -d /usr/lib/systemd/system ]; then
  # Verified inside the extracted tree, so ExecStart= finds the packaged
  # binary; the targets the unit names come from this machine.
  for target in /usr/lib/systemd/system/*.target; do
    [ -e "$root/usr/lib/systemd/system/${target##*/}" ] || cp "$target" "$root/usr/lib/systemd/system/"
  done
  if ! out=$(systemd-analyze verify --root="$root" zlack.service 2>&1) || [ -n "$out" ]; then
    fail "systemd-analyze verify: $out"
  fi
  log "systemd-analyze verify: the unit is accepted"
else
  log "no systemd-analyze here: the unit is not verified"
fi

# The unit's environment, with the state directory in $work and a free port.
env_args=()
while IFS= read -r line; do env_args+=("${line#Environment=}"); done \
  < <(grep '^Environment=' "$root/usr/lib/systemd/system/zlack.service")
port=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
mkdir "$work/state"
(
  cd "$work/state"
  exec env -i PATH=/usr/bin:/bin "${env_args[@]}" \
    ZLACK_CONFIG="$root/etc/zlack/zlack.toml" \
    ZLACK_DATABASE_URL="sqlite://$work/state/zlack.db" \
    ZLACK_LISTEN="127.0.0.1:$port" \
    "$root/usr/bin/zlack" serve >"$work/serve.log" 2>&1
) &
server=$!
up=
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
    up=1
    break
  fi
  kill -0 "$server" 2>/dev/null || fail "zlack serve exited: $(cat "$work/serve.log")"
  sleep 0.2
done
[ -n "$up" ] || fail "no /healthz answer: $(cat "$work/serve.log")"
kill -TERM "$server"
wait "$server" || fail "zlack serve did not exit cleanly on SIGTERM: $(cat "$work/serve.log")"
server=
log "the packaged zlack serves /healthz with the unit's environment and the sample zlack.toml"
log "package check passed: $deb"
