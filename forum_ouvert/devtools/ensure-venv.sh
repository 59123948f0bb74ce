#!/usr/bin/env bash
# Create .venv with Python >= 3.12 (pyenv's, honouring .python-version, when present) and
# install the project with its test dependencies (and the extras named as arguments, e.g.
# ``verify``). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

is_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local cand
  for cand in "$(pyenv which python 2>/dev/null || true)" python3.13 python3.12 python3 python; do
    [ -n "$cand" ] && command -v "$cand" >/dev/null 2>&1 && is_ok "$cand" && { command -v "$cand"; return 0; }
  done
  for cand in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python; do
    [ -x "$cand" ] && is_ok "$cand" && { echo "$cand"; return 0; }
  done
  return 1
}

if [ -x .venv/bin/python ] && ! is_ok .venv/bin/python; then
  echo "La venv existante utilise un Python trop ancien : elle est recréée."
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  if ! PY=$(find_python); then
    echo "Python 3.12 ou plus récent est nécessaire (Django 6). Installez-le (pyenv install 3.12) puis relancez." >&2
    exit 1
  fi
  echo "Création de .venv avec $PY ($("$PY" --version))"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$(IFS=,; echo "test${1:+,$*}")]"
