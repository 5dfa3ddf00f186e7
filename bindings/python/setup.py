"""The build of the Python package `loyalty` (its metadata is in pyproject.toml): build_ext
drives CMake.

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/python -m pip install --no-build-isolation --no-deps --no-index ./bindings/python

Needs only Debian packages (cmake, g++, pybind11-dev, python3-dev, python3-pip, python3-setuptools,
python3-wheel, and the library's own dependencies from scripts/install-deps.sh); nothing is
fetched from PyPI.

LOYALTY_CMAKE_BUILD_DIR=<dir>: use an existing CMake build tree of this repository configured
with -DLOYALTY_BUILD_PYTHON=ON for the same interpreter (the test-suite does this, so the
extension is compiled once): loyalty._core is brought up to date there instead of configuring a
new tree. LOYALTY_BUILD_JOBS: parallel jobs of the build (default: the machine's cores).
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the repository: bindings/python/../..


def version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(loyalty VERSION ([0-9.]+)", text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    """Configures the repository with LOYALTY_BUILD_PYTHON=ON, builds loyalty._core, and puts
    the module where setuptools expects the extension."""

    def build_extension(self, ext: Extension) -> None:
        jobs = os.environ.get("LOYALTY_BUILD_JOBS", str(os.cpu_count() or 1))
        existing = os.environ.get("LOYALTY_CMAKE_BUILD_DIR")
        if existing:
            build = pathlib.Path(existing).resolve()
            if not (build / "CMakeCache.txt").is_file():
                raise RuntimeError(f"LOYALTY_CMAKE_BUILD_DIR={existing} is not a CMake build tree")
        else:
            build = pathlib.Path(self.build_temp).resolve() / "cmake"
            build.mkdir(parents=True, exist_ok=True)
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DLOYALTY_BUILD_PYTHON=ON", f"-DPython3_EXECUTABLE={sys.executable}",
                "-DLOYALTY_BUILD_TESTS=OFF", "-DLOYALTY_BUILD_EXAMPLES=OFF",
                "-DLOYALTY_BUILD_BENCHMARKS=OFF", "-DLOYALTY_BUILD_CLI=OFF",
            ])
        subprocess.check_call(["cmake", "--build", str(build), "--target", "loyalty_python_core", "-j", jobs])
        # The module must be built for this interpreter (an existing tree may be another's).
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = build / "python" / "loyalty" / f"_core{suffix}"
        if not built.is_file():
            raise RuntimeError(f"{built} was not built: is {build} configured with -DLOYALTY_BUILD_PYTHON=ON "
                               f"for {sys.executable}?")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


# With an existing build tree, setuptools' own build files go there too, not into the sources.
_options = {}
if os.environ.get("LOYALTY_CMAKE_BUILD_DIR"):
    _base = pathlib.Path(os.environ["LOYALTY_CMAKE_BUILD_DIR"]).resolve() / "setuptools"
    _base.mkdir(parents=True, exist_ok=True)
    _options = {"build": {"build_base": str(_base / "build")}, "egg_info": {"egg_base": str(_base)}}

setup(
    version=version(),
    ext_modules=[CMakeExtension("loyalty._core")],
    cmdclass={"build_ext": CMakeBuild},
    options=_options,
)
