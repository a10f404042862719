# Smart Savdo bot: slim Python with Tesseract (uzb, uzb-cyrl, rus, eng) for invoice OCR.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-uzb tesseract-ocr-uzb-cyrl tesseract-ocr-rus tesseract-ocr-eng \
        fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 smartsavdo
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY handlers ./handlers
COPY services ./services
COPY db ./db
COPY locales ./locales
COPY sandbox ./sandbox
RUN pip install . && mkdir -p /app/data && chown -R smartsavdo:smartsavdo /app

USER smartsavdo
ENV DATABASE_URL=sqlite+aiosqlite:////app/data/smartsavdo.db WEBHOOK_PORT=8080
EXPOSE 8080
VOLUME ["/app/data"]

# The health check answers in webhook mode (the HTTP server); polling deployments can drop it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${WEBHOOK_PORT}/healthz" || exit 1

CMD ["sh", "-c", "python -m bot migrate && python -m bot webhook"]
