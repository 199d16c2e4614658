#!/usr/bin/env bash
# System packages Chuangkou needs on Debian/Ubuntu (UOS and Kylin are Debian-based):
# Qt's xcb/EGL libraries, Xvfb for running the window without a screen, poppler and qpdf
# for checking PDFs (NSS's certutil/crlutil give pdfsig its trust store), SANE (its `test` backend feeds the page pipeline tests), PostgreSQL
# for the platform's tests, the headers python-sane and pyscard build against, and pcscd with
# the vsmartcard-vpcd reader driver (the passport tests emulate a card through it), CUPS with the
# CUPS-PDF virtual printer (the printing test runs a private scheduler with a PDF queue). Installs what is missing when run as root, otherwise prints the line.
set -euo pipefail
PKGS=(python3-venv xvfb xauth poppler-utils qpdf libnss3-tools cups cups-client printer-driver-cups-pdf postgresql sane-utils libsane1 libsane-dev pcscd vsmartcard-vpcd libpcsclite-dev swig gcc libegl1 libgl1 libfontconfig1 libdbus-1-3
      libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
      libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
if ! command -v dpkg-query >/dev/null; then
  echo "sysdeps: not a Debian-based system; install the equivalents of: ${PKGS[*]}" >&2
  exit 0
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A python3 from pyenv/conda brings its own venv module; only Debian's python3 needs python3-venv.
if python3 -c 'import ensurepip' 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包。请以 root 运行 / missing system packages; as root run:" >&2
  echo "  sudo apt-get update && sudo $line" >&2
  exit 1
fi
echo "sysdeps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$line -qq
