# syntax=docker/dockerfile:1
# The API image; the worker processes run from the same image with another command.

# -- build: every dependency as a wheel, so the runtime needs no compiler and no network --------
FROM python:3.11-slim AS builder
WORKDIR /build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY pyproject.toml ./
COPY src ./src
RUN pip wheel --wheel-dir /wheels .

# -- runtime ----------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    BIND=0.0.0.0:8000 \
    FLASK_APP=bootstrap:create_app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels home-services-marketplace \
    && rm -rf /wheels
WORKDIR /app
COPY gunicorn.conf.py ./
USER app:app
EXPOSE 8000
# No curl in the slim image: the interpreter does the probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2).status == 200 else 1)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
