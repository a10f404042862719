#!/usr/bin/env bash
# Set-up on a fresh Debian/Ubuntu machine: the system packages the suite needs (apt, only when missing),
# a virtualenv in .venv and the project with its dev extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if command -v tesseract >/dev/null 2>&1; then
  langs="$(tesseract --list-langs 2>/dev/null || true)"
  for lang in uzb uzb_cyrl rus eng; do
    grep -qx "$lang" <<<"$langs" || need+=("tesseract-ocr-${lang//_/-}")
  done
else
  need+=(tesseract-ocr tesseract-ocr-uzb tesseract-ocr-uzb-cyrl tesseract-ocr-rus tesseract-ocr-eng)
fi
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" \
    || echo "warning: could not install ${need[*]}; browser/OCR tests will skip"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
