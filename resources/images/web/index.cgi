#!/bin/sh
# The lesson web page: which replica answered, and how many requests this replica has served.
# mkdir is the lock (busybox has no flock).
i=0
while ! mkdir /var/lib/web/lock 2>/dev/null && [ $i -lt 200 ]; do usleep 5000; i=$((i + 1)); done
n=$(($(cat /var/lib/web/count 2>/dev/null || echo 0) + 1))
echo $n >/var/lib/web/count
rmdir /var/lib/web/lock 2>/dev/null
h=$(hostname)
ips=$(ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | tr '\n' ' ')
if echo "${HTTP_ACCEPT:-}" | grep -q text/html; then
	echo "Content-Type: text/html; charset=utf-8"
	echo
	echo "<!doctype html><html><head><title>$h</title></head><body style='font-family:sans-serif;margin:3em'>"
	echo "<h1>${WEB_MESSAGE:-Hello from Swarm Lab}</h1><p>Answered by replica <b>$h</b> ($ips)</p>"
	echo "<p>Requests served by this replica: <b>$n</b></p></body></html>"
else
	echo "Content-Type: text/plain"
	echo
	echo "hostname=$h ips=$ips count=$n"
fi
