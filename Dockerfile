# Production image for Enlace: web (gunicorn), worker and beat share it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ENLACE_ENV=production
WORKDIR /app
RUN useradd --create-home --uid 10001 enlace
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# bytecode compiled once here: with PYTHONDONTWRITEBYTECODE every process would compile the
# portal's modules from source at start
RUN python -m compileall -q /app
RUN ENLACE_ENV=dev DATABASE_URL=postgresql://build/none REDIS_URL=redis://build:6379/0 \
    ENLACE_KEYS_DIR=/tmp/build-keys python manage.py collectstatic --no-input && rm -rf /tmp/build-keys
USER enlace
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "4", "--preload"]
