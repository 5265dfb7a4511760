#!/usr/bin/env bash
# Container entry point: apply database migrations, then run the given command (gunicorn by default).
# Set DJANGO_MIGRATE_ON_START=false to run migrations as a separate release step instead.
set -euo pipefail

if [ "${DJANGO_MIGRATE_ON_START:-true}" = "true" ]; then
  python manage.py migrate --noinput
fi

exec "$@"
