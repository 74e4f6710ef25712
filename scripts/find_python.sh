#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.7–3.10, not 3.11).
# Order: $PYTHON, python3.10 on PATH, pyenv's 3.10.x, uv's managed 3.10, /usr/bin.
set -u
is_310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  is_310 "$PYTHON" && { echo "$PYTHON"; exit 0; }
  echo "PYTHON=$PYTHON is not a working Python 3.10" >&2
  exit 1
fi

candidates=()
candidates+=("$(command -v python3.10 2>/dev/null)")
if command -v pyenv >/dev/null 2>&1; then
  # The bare pyenv shim fails unless a 3.10 is selected, so ask pyenv for the prefix.
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    candidates+=("$(pyenv prefix "$version" 2>/dev/null)/bin/python3.10")
  done
fi
command -v uv >/dev/null 2>&1 && candidates+=("$(uv python find 3.10 2>/dev/null)")
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)

for candidate in "${candidates[@]}"; do
  if is_310 "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done
echo "No Python 3.10 found. Install one (pyenv install 3.10.13, uv python install 3.10," >&2
echo "or your system's python3.10 package) or set PYTHON=/path/to/python3.10." >&2
exit 1
