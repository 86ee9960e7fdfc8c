#!/usr/bin/env bash
# Builds EdgeFace (Release, once) and runs the edgeface command with the given arguments.
#   ./edgeface.sh verify a.jpg b.jpg --models ../shared/models
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/scripts/setup-debian.sh"
out="$here/artifacts/edgeface"
if [ ! -f "$out/edgeface.dll" ] || [ -n "$(find "$here/Runtime" "$here/Enrollment" "$here/Camera" -name '*.cs' -newer "$out/edgeface.dll" -print -quit)" ]; then
  dotnet publish "$here/Runtime/EdgeFace.Cli" -c Release -o "$out" --nologo -v q >&2
fi
exec dotnet "$out/edgeface.dll" "$@"
