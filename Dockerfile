# Production image: the app under gunicorn. Built and run by docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=omnitron.settings \
    DJANGO_ENV=production

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Collecting static files needs no secrets: run it with the local settings.
RUN DJANGO_ENV=local python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 app \
    && chown -R app /app
USER app

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "omnitron.wsgi"]
