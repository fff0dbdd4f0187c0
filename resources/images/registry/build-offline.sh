#!/usr/bin/env bash
# The registry image: Docker's distribution registry from Debian's docker-registry package.
#   build-offline.sh IMAGE VERSION
# A registry mirror is the same image with REGISTRY_PROXY_REMOTEURL set.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
IMAGE=${1:?usage: build-offline.sh IMAGE VERSION}
VERSION=${2:?usage: build-offline.sh IMAGE VERSION}
need_tools docker dpkg-deb apt-get tar
R=$(mktemp -d /var/tmp/swarm-lab-registry.XXXXXX)
tmp=$(mktemp -d)
trap 'rm -rf "$R" "$tmp"' EXIT
say "assembling the registry"
busybox_root "$R"
dpkg-deb -x "$(fetch docker-registry)" "$tmp/reg"
dpkg-deb -x "$(fetch libc6)" "$tmp/libc"
install -D -m 0755 "$tmp/reg/usr/bin/docker-registry" "$R/usr/bin/docker-registry"
# The registry binary links only against the C library and its loader.
multiarch=$(basename "$(dirname "$(ls "$tmp"/libc/lib/*-linux-gnu/libc.so.6)")")
mkdir -p "$R/lib/$multiarch"
cp -L "$tmp/libc/lib/$multiarch/libc.so.6" "$R/lib/$multiarch/"
for loader in "$tmp"/libc/lib/"$multiarch"/ld-linux*.so.*; do
	cp -L "$loader" "$R/lib/$multiarch/"
	name=$(basename "$loader")
	case $name in
	ld-linux-x86-64.so.2) mkdir -p "$R/lib64" && ln -sf "/lib/$multiarch/$name" "$R/lib64/$name" ;;
	*) ln -sf "/lib/$multiarch/$name" "$R/lib/$name" ;;
	esac
done
install -D -m 0644 "$HERE/config.yml" "$R/etc/docker/registry/config.yml"
mkdir -p "$R/var/lib/registry"
import_dir "$R" "$IMAGE" 'ENTRYPOINT ["/usr/bin/docker-registry"]' 'CMD ["serve", "/etc/docker/registry/config.yml"]' \
	'VOLUME /var/lib/registry' 'EXPOSE 5000' \
	"LABEL io.swarmlab.image=registry io.swarmlab.version=$VERSION io.swarmlab.build=offline"
