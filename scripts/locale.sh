#!/usr/bin/env bash
# Compile the message catalogs (locale/<language>/LC_MESSAGES/django.po -> django.mo) with Django's
# compilemessages, which needs GNU gettext's msgfmt. Installs Debian's gettext when it is missing and we are
# root, otherwise says what to install. The .mo files are build output: never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "locale.sh: $*" >&2; }

if ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's gettext (msgfmt)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  else
    say "msgfmt is missing: install GNU gettext (e.g. 'sudo apt-get install gettext')."
    exit 1
  fi
fi

# Only our own catalogs: the installed packages ship theirs compiled.
DJANGO_DEBUG=true DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-compilemessages-only}" \
  DATABASE_URL="${DATABASE_URL:-postgres://unused@localhost/unused}" REDIS_URL="${REDIS_URL:-redis://unused:6379/0}" \
  .venv/bin/python manage.py compilemessages -v0 \
  --ignore='.venv' --ignore='.pgdata' --ignore='.redisdata' --ignore='staticfiles' --ignore='node_modules'
