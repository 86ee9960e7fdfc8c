#!/usr/bin/env bash
# Installs the Debian packages EdgeFace needs that a fresh machine with the .NET 10 SDK lacks.
#   runtime: libgtk-3-0 (OpenCvSharp's native runtime links against it)
#   tests:   chromium + chromium-driver (kiosk browser test)
#   anchors (optional, EDGEFACE_ANCHORS=1): the Python reference benchmarks in ../shared/anchors
set -euo pipefail
want=(libgtk-3-0)
[ "${1:-}" = "--tests" ] && want+=(chromium chromium-driver)
[ "${EDGEFACE_ANCHORS:-0}" = "1" ] && want+=(python3-torch python3-faiss python3-opencv python3-onnx libopenblas0-pthread)
missing=()
for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
