# Forum ouvert — production image (web, worker and beat share it).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=forum_ouvert.settings.production \
    FORUM_OUVERT_VAR_DIR=/var/lib/forum-ouvert

# WeasyPrint renders PDFs with Pango; curl serves the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .

# collectstatic needs settings, not secrets: throw-away values for the build only.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost \
    ALLOWED_HOSTS=localhost EMAIL_HOST=localhost \
    python manage.py collectstatic --noinput \
 && useradd --system --home /app forum \
 && mkdir -p /var/lib/forum-ouvert/media && chown -R forum /var/lib/forum-ouvert

# The code's version (e.g. --build-arg RELEASE=$(git rev-parse --short HEAD)): cached pages
# are kept per release, so that a rolling deploy never mixes two versions' HTML.
ARG RELEASE=""
ENV RELEASE=$RELEASE

USER forum
EXPOSE 8000
CMD ["gunicorn", "forum_ouvert.wsgi", "-c", "python:forum_ouvert.gunicorn"]
