#!/usr/bin/env bash
# Start PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) if they do
# not answer, and wait until they do.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "Démarrage de PostgreSQL…"
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$version" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
fi
for _ in $(seq 1 30); do pg_up && break; sleep 1; done
pg_up || { echo "PostgreSQL ne répond pas sur 127.0.0.1:5432." >&2; exit 1; }

# A fresh Debian cluster asks for a password over TCP: give the postgres role the one the
# Makefile exports (PGPASSWORD), unless trust authentication already lets us in.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
    runuser -u postgres -- psql -q -c "ALTER ROLE postgres PASSWORD '${PGPASSWORD:-postgres}'" >/dev/null
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null \
    || { echo "Impossible de se connecter à PostgreSQL en tant que postgres." >&2; exit 1; }
fi

if ! redis_up; then
  echo "Démarrage de Redis…"
  mkdir -p /tmp/forum-ouvert-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/forum-ouvert-redis --logfile /tmp/forum-ouvert-redis/redis.log
fi
for _ in $(seq 1 30); do redis_up && break; sleep 1; done
redis_up || { echo "Redis ne répond pas sur 127.0.0.1:6379." >&2; exit 1; }
