# The scoring core compiled by mypyc (services/scoring/compiled.py), in a stage with a C
# compiler and mypy (the slim image has neither): only the compiled modules go to the image,
# under the hash of sources identical to the ones installed there, so they match.
FROM python:3.11 AS compiled
WORKDIR /src
COPY requirements-dev.lock ./
RUN pip install --no-cache-dir -r requirements-dev.lock
COPY pyproject.toml ./
COPY schemas ./schemas
COPY services ./services
RUN HIRING_PIPELINE_CACHE_DIR=/cache python -c "from services.scoring.compiled import build; print(*build())"

# One image for both services and the CLI; the command picks the service.
FROM python:3.11-slim
WORKDIR /app
# The exact versions of requirements.lock (scripts/lock.sh) first, so a code change does not
# reinstall them; `pip install .` below then finds every dependency satisfied.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
COPY hiring_pipeline ./hiring_pipeline
COPY benchmarks ./benchmarks
# Installed with the wheel under /usr/local/share/hiring-pipeline (pyproject's data-files):
# the demo's sample, the AsyncAPI document, and infra/kafka/pom.xml from the folder below.
COPY samples ./samples
COPY docs/asyncapi.json ./docs/asyncapi.json
COPY infra ./infra
# The scoring service's compiled scan (services/scoring/scan.py) is built into the image:
# compiling it takes Hyperscan several seconds, loading it milliseconds.
ENV HIRING_PIPELINE_CACHE_DIR=/app/cache
COPY --from=compiled /cache/compiled ./cache/compiled
RUN pip install --no-cache-dir . && useradd --system --uid 10001 app \
    && python -c "from schemas.rubric import load_rubric; from services.scoring.evidence import compile_lexicon; compile_lexicon(load_rubric())"
USER app
ENV HTTP_HOST=0.0.0.0 LOG_FORMAT=json
ENTRYPOINT ["hiring-pipeline"]
