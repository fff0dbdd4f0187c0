#!/usr/bin/env bash
# The NFS server image (NFS-Ganesha, user space, NFSv4 export of /export) from Debian packages.
#   build-offline.sh IMAGE VERSION
# Needs --cap-add SYS_ADMIN --cap-add DAC_READ_SEARCH to run; clients need a kernel NFS client.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
IMAGE=${1:?usage: build-offline.sh IMAGE VERSION}
VERSION=${2:?usage: build-offline.sh IMAGE VERSION}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
need_tools debootstrap docker tar
R=$(mktemp -d /var/tmp/swarm-lab-nfs.XXXXXX)
trap 'rm -rf "$R"' EXIT
mkdir -p "$CACHE_DIR/debs"
say "debootstrap bookworm with nfs-ganesha (about a minute)"
debootstrap --variant=minbase --include=nfs-ganesha,nfs-ganesha-vfs,dbus,rpcbind,tini \
	--cache-dir="$CACHE_DIR/debs" bookworm "$R/rootfs" "$MIRROR" >"$R/log" 2>&1 || { tail "$R/log" >&2; die "debootstrap failed"; }
F=$R/rootfs
chroot "$F" apt-get clean
rm -rf "$F"/var/lib/apt/lists/* "$F"/usr/share/doc/* "$F"/usr/share/man/* "$F"/usr/share/info/* "$F"/usr/share/locale/* "$F"/var/log/* "$F"/var/cache/debconf/*-old
mkdir -p "$F/export"
install -m 0644 "$HERE/ganesha.conf" "$F/etc/ganesha/ganesha.conf"
install -m 0755 "$HERE/start-nfs" "$F/usr/local/bin/start-nfs"
import_dir "$F" "$IMAGE" 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/start-nfs"]' 'VOLUME /export' 'EXPOSE 2049' \
	"LABEL io.swarmlab.image=nfs io.swarmlab.version=$VERSION io.swarmlab.build=offline"
