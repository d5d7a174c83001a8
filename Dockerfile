# One image for both services and the CLI; the command picks the service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
COPY hiring_pipeline ./hiring_pipeline
COPY infra ./infra
# The scoring service's compiled scan (services/scoring/scan.py) is built into the image:
# compiling it takes Hyperscan several seconds, loading it milliseconds.
ENV HIRING_PIPELINE_CACHE_DIR=/app/cache
RUN pip install --no-cache-dir . && useradd --system --uid 10001 app \
    && python -c "from schemas.rubric import load_rubric; from services.scoring.evidence import compile_lexicon; compile_lexicon(load_rubric())"
USER app
ENV HTTP_HOST=0.0.0.0 LOG_FORMAT=json
ENTRYPOINT ["hiring-pipeline"]
