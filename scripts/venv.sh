# Sourced by scripts/serve and scripts/test: create .venv with Python 3.11 and install
# the given requirements file into it when it changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
req=${1:-requirements.txt}
py=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=.venv/.installed-$(basename "$req")
if [ ! -f "$stamp" ] || ! cmp -s <(cat requirements*.txt) "$stamp"; then
  .venv/bin/pip install -q --disable-pip-version-check -r "$req"
  cat requirements*.txt > "$stamp"
fi
