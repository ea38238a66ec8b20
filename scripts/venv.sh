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
# OpenCV (what RapidOCR handles pictures with, corpus/ocr) loads libGL and GLib from Debian.
if ! ldconfig -p | grep -q 'libGL\.so\.1' || ! ldconfig -p | grep -q 'libglib-2\.0\.so\.0'; then
  echo "installing Debian's libgl1 and libglib2.0-0 for OCR" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends libgl1 libglib2.0-0 >/dev/null
fi
