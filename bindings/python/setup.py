"""Minimal setuptools build of the Python package `loyalty`: build_ext drives CMake.

    /usr/bin/python3 -m pip install --no-build-isolation ./bindings/python

Needs only Debian packages (cmake, g++, pybind11-dev, python3-dev, python3-setuptools, and the
library's own dependencies from scripts/install-deps.sh); nothing is fetched from PyPI.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

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
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        build.mkdir(parents=True, exist_ok=True)
        jobs = os.environ.get("LOYALTY_BUILD_JOBS", "1")
        subprocess.check_call([
            "cmake", "-S", str(ROOT), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DLOYALTY_BUILD_PYTHON=ON", f"-DPython3_EXECUTABLE={sys.executable}",
            "-DLOYALTY_BUILD_TESTS=OFF", "-DLOYALTY_BUILD_EXAMPLES=OFF",
            "-DLOYALTY_BUILD_BENCHMARKS=OFF", "-DLOYALTY_BUILD_CLI=OFF",
        ])
        subprocess.check_call(["cmake", "--build", str(build), "--target", "loyalty_python_core", "-j", jobs])
        built = next((build / "python" / "loyalty").glob("_core*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="loyalty",
    version=version(),
    description="Rules core of a car dealership's membership programme (Python bindings)",
    packages=["loyalty"],
    package_dir={"loyalty": str((HERE / "loyalty").relative_to(HERE))},
    package_data={"loyalty": ["py.typed", "*.pyi"]},
    ext_modules=[CMakeExtension("loyalty._core")],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    zip_safe=False,
)
