#!/usr/bin/env bash
# Build the project's one environment (.venv, Python 3.10, from uv.lock), installing uv first
# if it is missing. Safe to run again: it only installs what is missing.
#   scripts/bootstrap.sh              set up
#   scripts/bootstrap.sh CMD [ARGS]   set up, then run CMD inside the environment
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "bootstrap: $*" >&2; }
PRIVATE_UV_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/familybot/uv-venv"
PYENV_DIR=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")

find_uv() {
  local candidate
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  local user_base=""
  if command -v python3 >/dev/null 2>&1; then user_base=$(python3 -m site --user-base 2>/dev/null || true); fi
  for candidate in "$HOME/.local/bin/uv" "${user_base:-/nonexistent}/bin/uv" "$PRIVATE_UV_VENV/bin/uv"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  for candidate in "$PYENV_DIR"/versions/*/bin/uv; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

install_uv() {
  # uv comes from PyPI through pip: no installer scripts downloaded from the internet.
  local py
  py=$(command -v python3 || command -v python) || {
    say "uv is missing and there is no python3 to install it with: install python3 first"
    exit 1
  }
  say "installing uv from PyPI with $py"
  if "$py" -m pip install --user --quiet uv >/dev/null 2>&1; then return 0; fi
  # Externally managed Pythons (PEP 668) and virtualenvs refuse --user: use a private venv.
  "$py" -m venv "$PRIVATE_UV_VENV"
  "$PRIVATE_UV_VENV/bin/python" -m pip install --quiet uv
}

UV=$(find_uv) || { install_uv; UV=$(find_uv) || { say "could not install uv"; exit 1; }; }

# Python 3.10 (Rasa 3.6 runs on nothing newer). uv finds it on PATH or through pyenv's
# .python-version; failing that, use pyenv's own copy; on a machine with internet access
# uv downloads one itself.
want=$(tr -d '[:space:]' < .python-version)
if [ -z "${UV_PYTHON:-}" ] && ! "$UV" python find "$want" >/dev/null 2>&1; then
  found=$(ls -d "$PYENV_DIR/versions/$want"*/bin/"python$want" 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ]; then
    say "using $found"
    export UV_PYTHON="$found"
  fi
fi

"$UV" sync --frozen

if [ "$#" -gt 0 ]; then
  exec "$UV" run --frozen -- "$@"
fi
