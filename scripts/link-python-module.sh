#!/usr/bin/env bash
# After `cmake --install build --component python` (scripts/build.sh): when the python3 first
# on PATH is not Debian's (pyenv, a venv) but takes the same extension modules, links the
# installed package into its site folder too, so `python3 -c "import alglab"` works with it
# as well. Argument: the folder the package was installed into (default: ALGLAB_PYTHON_SITE
# from build/CMakeCache.txt). Does nothing when there is no such interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-$(sed -n 's/^ALGLAB_PYTHON_SITE:PATH=//p' build/CMakeCache.txt)}"
package="$site/alglab"
[ -f "$package/__init__.py" ] || { echo "link-python-module: no package in $package" >&2; exit 2; }
command -v python3 >/dev/null || exit 0
query='import sys, sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX")); print(sysconfig.get_paths()["purelib"])'
mapfile -t debian < <(/usr/bin/python3 -c "$query")
mapfile -t other < <(python3 -c "$query")
# The same interpreter, or one of another version or ABI: nothing to do.
[ "${other[1]}" != "${debian[1]}" ] && [ "${other[0]}" = "${debian[0]}" ] || exit 0
# It may see the package already (a venv made with --system-site-packages).
found=$(cd / && python3 -c 'import importlib.util as u; s = u.find_spec("alglab"); print(s.origin if s else "")' 2>/dev/null || true)
[ "$found" = "$package/__init__.py" ] && exit 0
target="${other[1]}/alglab"
# Never over something that is not our link (a package of the same name installed there).
if [ -e "$target" ] && [ ! -L "$target" ]; then
  echo "link-python-module: $target exists and is not a link; $(python3 -c 'import sys; print(sys.executable)') will not see alglab" >&2
  exit 0
fi
mkdir -p "${other[1]}"
ln -sfn "$package" "$target"
