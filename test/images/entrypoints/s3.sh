#!/bin/bash
# apex-local/s3 entrypoint: LocalStack (localstack-core from PyPI) with S3 only,
# outside its usual container layout, on 0.0.0.0:4566.
set -Eeo pipefail
if [ $# -gt 0 ]; then exec "$@"; fi
export GATEWAY_LISTEN="${GATEWAY_LISTEN:-0.0.0.0:4566}"
export GATEWAY_SERVER="${GATEWAY_SERVER:-hypercorn}"
export SERVICES="${SERVICES:-s3}"
export EAGER_SERVICE_LOADING="${EAGER_SERVICE_LOADING:-1}"
export LOCALSTACK_HOST="${LOCALSTACK_HOST:-localhost.localstack.cloud:4566}"
export DNS_ADDRESS=0 DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1
export LOCALSTACK_VOLUME_DIR="${LOCALSTACK_VOLUME_DIR:-/var/lib/localstack}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
mkdir -p "$LOCALSTACK_VOLUME_DIR" /tmp/localstack
cd /opt/localstack
exec /opt/localstack/venv/bin/python -m localstack.runtime.main
