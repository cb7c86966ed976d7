#!/usr/bin/env bash
# Makes the Python environment the bindings build and test in: a virtual
# environment in $SSDC_BUILD_DIR/python-venv (build/ by default) over Debian's
# /usr/bin/python3, with --system-site-packages so that Debian's numpy and
# torch stay visible, and nanobind, scikit-build-core and pytest from PyPI in
# it (a venv, because Debian's pip refuses to install into the system Python).
# python-bindings/src/CMakeLists.txt builds the modules with this interpreter;
# scripts/test-all.sh runs pytest with it (docs/python.md). Idempotent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
venv="$build/python-venv"
requirements=(nanobind==3.1.0 scikit-build-core==1.1.2 pytest==9.2.0)

if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$build"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
if ! "$venv/bin/python" -c "import nanobind, scikit_build_core, pytest" 2>/dev/null; then
  echo "setup-python: installing ${requirements[*]} into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${requirements[@]}" >&2
fi
# A build configured before this environment had nanobind (scripts/setup.sh
# run first) left the Python modules out: configure it again to take them.
if [ -f "$build/CMakeCache.txt" ] && ! grep -q "^nanobind_DIR:" "$build/CMakeCache.txt"; then
  echo "setup-python: configuring $build again for the Python modules" >&2
  cmake -DPython_EXECUTABLE="$venv/bin/python" "$build" >/dev/null
fi
