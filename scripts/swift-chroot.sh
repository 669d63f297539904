#!/usr/bin/env bash
# Makes (when missing or half built) a Debian 13 trixie chroot with Debian's
# `swiftlang` in $EQUALLY_TOOLS/swift-chroot, for running the Swift binding suite
# on a bookworm machine. Prints `export SWIFT_CHROOT=...`; run commands in it with
# scripts/in-swift-chroot.sh.
#
# Needs root (or passwordless sudo) with mount/chroot rights: debootstrap, chroot
# and mount namespaces. The mirror is the Debian mirror this machine's apt uses
# (first Debian URI in /etc/apt/sources.list{,.d/*}), or $EQUALLY_DEBIAN_MIRROR.
#
# Swift 6.0.3 needs only `swiftlang` + `libc6-dev` for `swift build` / `swift test`
# with XCTest and swift-testing (without libc6-dev: "libc not found"). The
# package manifest can be `// swift-tools-version:5.9` with
# `swiftLanguageVersions: [.v5]` (Swift 5 mode; Swift 6.0.3 crashes on uniffi's
# async foreign-trait helpers in Swift 6 mode).
set -euo pipefail
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SUITE=trixie
# Bump RECIPE when the package list changes: an existing chroot then only gets
# the apt step again, not a new debootstrap.
# tzdata: the library reads time zones from the system's tz database.
CHROOT_PACKAGES=(swiftlang libc6-dev tzdata)
RECIPE="$SUITE ${CHROOT_PACKAGES[*]}"
ROOT="$EQUALLY_TOOLS/swift-chroot"
MARKER="$ROOT/.equally-complete"

[ "$(id -u)" -eq 0 ] || exec sudo -n -E "$0" "$@"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$RECIPE" ]; then
    log "swift chroot ready in $ROOT ($RECIPE)"
    printf 'export SWIFT_CHROOT=%q\n' "$ROOT"
    exit 0
fi

# The Debian mirror apt already uses here (deb822 `URIs:` or one-line `deb URL`),
# keeping only archive roots such as .../debian or snapshot .../archive/debian/<date>.
host_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed -n -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
               -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f"
    done | tr ' ' '\n' | grep -E '^https?://[^ ]*/(debian|archive/debian/[0-9TZ]+)/?$' | head -n1 || true
}

mkdir -p "$EQUALLY_TOOLS"
exec 9>"$EQUALLY_TOOLS/.swift-chroot.lock"
flock 9   # another job may be building it; wait, then re-check below

# Mounts live in private namespaces (see in-swift-chroot.sh), so none should be
# left under the chroot; refuse to delete through one if something is.
safe_remove() {
    if findmnt -rn -o TARGET | grep -q "^$1\(/\|$\)"; then
        die "something is mounted under $1; unmount it first (findmnt -R $1)"
    fi
    rm -rf --one-file-system "$1"
}

in_root() {
    unshare --mount --propagation private -- bash -c '
        set -e
        root=$1; shift
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount --rbind /sys "$root/sys"
        exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"' _ "$ROOT" "$@"
}

install_packages() {
    log "installing ${CHROOT_PACKAGES[*]} in the chroot"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # Smaller and quicker: no recommends, no docs or man pages.
    cat > "$ROOT/etc/apt/apt.conf.d/99equally" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
    cat > "$ROOT/etc/dpkg/dpkg.cfg.d/99equally-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
EOF
    in_root bash -c 'dpkg --configure -a && apt-get update -qq && apt-get install -y -qq "$@" && apt-get clean' \
        _ "${CHROOT_PACKAGES[@]}" </dev/null >&2
    in_root swift --version >&2
    printf '%s\n' "$RECIPE" > "$MARKER"
}

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$RECIPE" ]; then
    log "swift chroot was finished by another job"
elif [ -x "$ROOT/usr/bin/apt-get" ] && [ -f "$ROOT/.debootstrap-complete" ]; then
    # debootstrap finished earlier; the package step did not (or the recipe changed).
    log "swift chroot in $ROOT is incomplete; resuming the package step"
    rm -f "$MARKER"
    if ! install_packages; then
        log "package step failed; rebuilding the chroot from scratch"
        safe_remove "$ROOT"
    fi
fi

if [ ! -f "$MARKER" ]; then
    command -v debootstrap >/dev/null || apt_install debootstrap
    mirror="${EQUALLY_DEBIAN_MIRROR:-$(host_mirror)}"
    mirror="${mirror:-http://deb.debian.org/debian}"
    [ -e "$ROOT" ] && safe_remove "$ROOT"
    partial="$ROOT.partial"
    [ -e "$partial" ] && safe_remove "$partial"
    log "debootstrap --variant=minbase $SUITE into $ROOT from $mirror (about 20 s)"
    debootstrap --variant=minbase "$SUITE" "$partial" "$mirror" </dev/null >"$EQUALLY_TOOLS/swift-chroot.debootstrap.log" 2>&1 \
        || { tail -n 20 "$EQUALLY_TOOLS/swift-chroot.debootstrap.log" >&2; die "debootstrap failed (log: $EQUALLY_TOOLS/swift-chroot.debootstrap.log)"; }
    touch "$partial/.debootstrap-complete"
    mv "$partial" "$ROOT"
    install_packages
fi

log "swift chroot ready in $ROOT"
printf 'export SWIFT_CHROOT=%q\n' "$ROOT"
