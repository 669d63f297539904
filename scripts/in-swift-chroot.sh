#!/usr/bin/env bash
# Runs a command in the Swift chroot (made by swift-chroot.sh when missing) with
# host directories bind-mounted at the same paths, and exits with its exit code.
#   scripts/in-swift-chroot.sh DIR [DIR...] -- CMD [ARG...]
#
# The command runs in the first DIR, or in the current directory when that lies
# inside one of the DIRs. /proc, /dev (with /dev/pts, /dev/shm), /sys and the DIRs
# are mounted in a private mount namespace (unshare), so they exist only while the
# command runs: nothing to unmount afterwards, parallel runs do not interfere, and
# deleting $EQUALLY_TOOLS can never reach into the repo through a stale mount.
# The environment is clean apart from HOME, PATH, LANG, TERM, CI and the variables
# named in $IN_SWIFT_CHROOT_ENV (e.g. IN_SWIFT_CHROOT_ENV="LD_LIBRARY_PATH").
# The network is the host's, so a server on the host's loopback is reachable.
#
# Swift suite against a library built on the host (verified with a host-gcc
# libhello.so, a systemLibrary target whose module.modulemap names the header):
#   scripts/in-swift-chroot.sh "$PWD" "$CARGO_TARGET_DIR" -- \
#       swift test --disable-swift-testing --package-path ios -Xlinker -L"$LIBDIR" -Xlinker -lequally_ffi \
#           -Xlinker -rpath -Xlinker "$LIBDIR"
set -euo pipefail
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { echo "usage: ${0##*/} DIR [DIR...] -- CMD [ARG...]" >&2; exit 2; }

dirs=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do dirs+=("$1"); shift; done
[ $# -ge 2 ] && [ "${#dirs[@]}" -ge 1 ] || usage
shift   # the --

# Non-root callers: rerun through sudo, and run the command as the caller so
# build output in the bound directories stays theirs.
if [ "$(id -u)" -ne 0 ]; then
    exec sudo -n -E IN_SWIFT_CHROOT_USER="$(id -u):$(id -g)" "$0" "${dirs[@]}" -- "$@"
fi

eval "$("$(dirname "${BASH_SOURCE[0]}")/swift-chroot.sh")"   # sets SWIFT_CHROOT

abs=()
for d in "${dirs[@]}"; do
    [ -d "$d" ] || die "not a directory: $d"
    d="$(realpath "$d")"
    [ "$d" != / ] || die "refusing to bind-mount / into the chroot"
    abs+=("$d")
done

workdir="${abs[0]}"
here="$(pwd -P)"
for d in "${abs[@]}"; do
    case "$here/" in "$d"/*) workdir="$here"; break ;; esac
done

env_args=(HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
userspec=()
if [ -n "${IN_SWIFT_CHROOT_USER:-}" ]; then
    userspec=(--userspec="$IN_SWIFT_CHROOT_USER")
    env_args[0]="HOME=/tmp/home-${IN_SWIFT_CHROOT_USER%%:*}"
fi
for name in TERM CI ${IN_SWIFT_CHROOT_ENV:-}; do
    [ -n "${!name+x}" ] && env_args+=("$name=${!name}")
done

log "in $SWIFT_CHROOT (cwd $workdir): $*"
# Inside the namespace: mount, chroot, cd, exec. The exit code of CMD is ours.
exec unshare --mount --propagation private -- bash -c '
    set -e
    root=$1 workdir=$2 ndirs=$3 nuser=$4 nenv=$5; shift 5
    dirs=("${@:1:ndirs}"); shift "$ndirs"
    userspec=("${@:1:nuser}"); shift "$nuser"
    envs=("${@:1:nenv}"); shift "$nenv"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --rbind /sys "$root/sys"
    for d in "${dirs[@]}"; do
        mkdir -p "$root$d"
        mount --bind "$d" "$root$d"
    done
    home=${envs[0]#HOME=}
    mkdir -p "$root$home"
    [ "${#userspec[@]}" -eq 0 ] || chown "${userspec[0]#--userspec=}" "$root$home"
    exec chroot "${userspec[@]}" "$root" /usr/bin/env -i "${envs[@]}" \
        /bin/sh -c '\''cd "$1" && shift && exec "$@"'\'' _ "$workdir" "$@"
' _ "$SWIFT_CHROOT" "$workdir" "${#abs[@]}" "${#userspec[@]}" "${#env_args[@]}" \
    "${abs[@]}" "${userspec[@]}" "${env_args[@]}" "$@"
