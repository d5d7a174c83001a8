# One image for both services and the CLI; the command picks the service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
COPY hiring_pipeline ./hiring_pipeline
COPY infra ./infra
RUN pip install --no-cache-dir . && useradd --system --uid 10001 app
USER app
ENV HTTP_HOST=0.0.0.0 LOG_FORMAT=json
ENTRYPOINT ["hiring-pipeline"]
