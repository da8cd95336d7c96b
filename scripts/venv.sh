# Sourced by the launchers: a project venv in .venv, (re)installed when
# pyproject.toml changes, so that a fresh machine needs only Python ≥ 3.11.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "agesh : Python 3.11 ou plus récent est nécessaire (trouvé : $("$PY" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    echo "Création de l'environnement Python dans $ROOT/.venv…" >&2
    "$PY" -m venv "$ROOT/.venv"
fi
STAMP="$ROOT/.venv/.agesh-installe"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    echo "Installation des dépendances (une seule fois)…" >&2
    "$ROOT/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test]" >&2
    echo "$WANT" > "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
