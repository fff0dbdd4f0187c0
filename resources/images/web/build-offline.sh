#!/usr/bin/env bash
# The lesson web image (about 2 MB): busybox httpd with a CGI page naming the replica that answered.
#   build-offline.sh IMAGE VERSION
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
IMAGE=${1:?usage: build-offline.sh IMAGE VERSION}
VERSION=${2:?usage: build-offline.sh IMAGE VERSION}
need_tools docker dpkg-deb apt-get tar
R=$(mktemp -d /var/tmp/swarm-lab-web.XXXXXX)
trap 'rm -rf "$R"' EXIT
say "assembling busybox httpd"
busybox_root "$R"
mkdir -p "$R/www/cgi-bin" "$R/var/lib/web"
install -m 0755 "$HERE/index.cgi" "$R/www/cgi-bin/index.cgi"
install -m 0755 "$HERE/start-web" "$R/bin/start-web"
import_dir "$R" "$IMAGE" 'ENTRYPOINT ["/bin/start-web"]' 'EXPOSE 80' \
	"LABEL io.swarmlab.image=web io.swarmlab.version=$VERSION io.swarmlab.build=offline"
