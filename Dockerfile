# One image for both services and the CLI; the command picks the service.
FROM python:3.11-slim
WORKDIR /app
# The exact versions of requirements.lock (scripts/lock.sh), installed before the code so a
# code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
COPY hiring_pipeline ./hiring_pipeline
COPY benchmarks ./benchmarks
# Installed with the wheel under /usr/local/share/hiring-pipeline: the demo's sample, the
# broker's pom.xml, the AsyncAPI document.
COPY infra/kafka/pom.xml ./infra/kafka/pom.xml
COPY samples ./samples
COPY docs/asyncapi.json ./docs/asyncapi.json
RUN pip install --no-cache-dir --no-deps -c requirements.lock . \
    && pip check \
    && useradd --system --uid 10001 --create-home app
USER app
ENV HTTP_HOST=0.0.0.0 LOG_FORMAT=json
ENTRYPOINT ["hiring-pipeline"]
