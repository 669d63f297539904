# shellcheck shell=bash
# Shared helpers for the toolchain scripts: logging to stderr, the cache
# location outside the repo, and an apt install that only refreshes the
# package lists when it has to. Sourced, never run.

export DEBIAN_FRONTEND=noninteractive
EQUALLY_TOOLS="${EQUALLY_TOOLS:-/var/cache/equally-tools}"

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run as root, or through sudo when we are not root (developer machines).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo -n -E "$@"
    else die "need root (or passwordless sudo) to run: $*"
    fi
}

# apt_install PKG...: install the packages that are not installed yet.
# `apt-get update` runs only when a package has no candidate in the current
# lists, or when the install fails (stale lists pointing at removed .debs).
apt_install() {
    local missing=() pkg status policy
    for pkg in "$@"; do
        # Capture first: `cmd | grep -q` under pipefail fails when grep exits early.
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        [ "$status" = "install ok installed" ] || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    local need_update=0
    for pkg in "${missing[@]}"; do
        policy="$(apt-cache policy "$pkg" 2>/dev/null || true)"
        [[ "$policy" == *"Candidate: "[!\(]* ]] || need_update=1
    done
    if [ "$need_update" -eq 1 ]; then
        log "apt-get update (no candidate for some of: ${missing[*]})"
        as_root apt-get update -qq >&2
    fi
    log "apt-get install ${missing[*]}"
    if ! as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2; then
        log "install failed; refreshing package lists and retrying once"
        as_root apt-get update -qq >&2
        as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
    fi
}
