#!/usr/bin/env bash
# Starts or stops the redis-server that paceredis's tests use, from the
# distribution's package (installed here when missing). The tests that
# restart or stall a server start their own processes of the same binary.
#   bash .ci/redis.sh start   # prints PACEREDIS_ADDR=127.0.0.1:PORT
#   bash .ci/redis.sh stop
set -euo pipefail
port=${PACEREDIS_PORT:-6391}
pidfile=${TMPDIR:-/tmp}/apierr-ci-redis-$port.pid
case "${1:-}" in
start)
	if ! command -v redis-server >/dev/null; then
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
	fi
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--daemonize yes --pidfile "$pidfile" --logfile '' --loglevel warning >&2
	for _ in $(seq 100); do
		redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && { echo "PACEREDIS_ADDR=127.0.0.1:$port"; exit 0; }
		sleep 0.1
	done
	echo "redis-server did not answer on 127.0.0.1:$port" >&2; exit 1 ;;
stop)
	if [ -f "$pidfile" ]; then
		pid=$(cat "$pidfile")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		rm -f "$pidfile"
	fi ;;
*)
	echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
