# Production image: gunicorn serving the configurator. No secrets here: everything comes from the
# environment at run time (DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS; see README).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz with its subsetter) and fonts for the PDF sheets.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /app --uid 10001 app
WORKDIR /app

# The project runs from /app (settings find templates/, static/ and fixtures/ beside the packages), so it is
# installed in editable mode from there.
COPY pyproject.toml README.md manage.py ./
COPY configurator ./configurator
COPY catalog ./catalog
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures
COPY locale ./locale
RUN pip install -e .
COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh

# collectstatic and compilemessages read settings, which insist on a secret key outside DEBUG: this throwaway
# value exists only for these build steps and is never part of the image's environment. The message catalogs
# (locale/*/django.po) are compiled with GNU gettext's msgfmt, which is removed again afterwards.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://unused@localhost/unused REDIS_URL=redis://unused:6379/0 \
       DJANGO_STATIC_ROOT=/app/staticfiles sh -c \
       'python manage.py collectstatic --noinput -v0 && python manage.py compilemessages -v0 --ignore=staticfiles' \
    && apt-get purge -y gettext && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

ENV DJANGO_STATIC_ROOT=/app/staticfiles
USER app
EXPOSE 8000

ENTRYPOINT ["entrypoint.sh"]
# python -m gunicorn (not the gunicorn script): the sheet renderer's child processes then skip re-importing the
# main module (configurator.pdf). Workers are recycled every 20,000 requests or so, as a precaution only: the web
# process's memory stays flat (sheets render in short-lived children). Every 1,000 had a worker booting Django every
# few seconds under load, which cost more CPU than the requests themselves (README, "Performance"). --preload: the
# master imports Django and the app once and each worker, recycled ones included, is a fork of it, so a recycle
# costs no import (under load an import stalled requests for over a second) and the workers share the code's memory.
# Nothing connects at import: database, Redis and the catalog version's listening connection are opened per worker
# on first use. A new release is a new container (with --preload, a HUP does not load new code).
CMD ["python", "-m", "gunicorn", "configurator.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "20000", \
     "--max-requests-jitter", "2000", "--access-logfile", "-", "--timeout", "30", "--preload"]
