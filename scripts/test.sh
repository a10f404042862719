#!/usr/bin/env bash
# The test command: set-up (system and Python packages), lint, types, then the suite.
# PostgreSQL runs too when TEST_DATABASE_URL is set, or when a server answers on 127.0.0.1:5432 (database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. .venv/bin/activate

if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test"
fi
echo "database backends: sqlite${TEST_DATABASE_URL:+ and postgresql ($TEST_DATABASE_URL)}"
ruff check .
mypy .
# Test files spread over worker processes (pytest-xdist; each PostgreSQL worker gets its own database, test_gw0...):
# many tests wait on the fakes' real rate limits, so a few more workers than cores keeps both cores busy.
python -m pytest -q -n "${TEST_WORKERS:-3}" --dist loadfile "$@"
