# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "SSDC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Unit", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ssdc_obj_root, "test")

config.substitutions.append(("%ssdc_src_root", config.ssdc_src_root))
config.substitutions.append(("%ssdc_obj_root", config.ssdc_obj_root))
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["ssdc-opt", "ssdc", "ssdc-rt"], [config.ssdc_tools_dir])

# With a CUDA driver, the no-driver paths cannot be checked: tests of them say
# `UNSUPPORTED: cuda-driver`. The probe is the runtime's own: whether
# libcuda.so.1 loads (a toolkit's link-time stub does not count).
import ctypes
try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass

# ptxas, when a CUDA toolkit is installed: tests that assemble the generated
# PTX say `REQUIRES: ptxas` and are reported UNSUPPORTED (not passed) without it.
def find_ptxas():
    candidates = []
    if os.environ.get("CUDA_HOME"):
        candidates.append(os.path.join(os.environ["CUDA_HOME"], "bin", "ptxas"))
    candidates.append("/usr/local/cuda/bin/ptxas")
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return None

ptxas = find_ptxas()
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found (no CUDA toolkit): the PTX-assembly tests are UNSUPPORTED")

# libFuzzer (clang with -fsanitize=fuzzer): the package-reader fuzz test.
import shutil
import subprocess
import tempfile

def has_libfuzzer():
    clang = shutil.which("clang++-14") or shutil.which("clang++")
    if not clang:
        return False
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "probe.cpp")
        with open(source, "w") as f:
            f.write("#include <cstddef>\n#include <cstdint>\n"
                    "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }\n")
        return subprocess.run([clang, "-fsanitize=fuzzer,address", source, "-o",
                               os.path.join(work, "probe")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

if has_libfuzzer():
    config.available_features.add("libfuzzer")
else:
    lit_config.note("clang with libFuzzer not found: the fuzz test is UNSUPPORTED")

# The compiler fuzzer lives in the sanitizer build (scripts/setup-sanitize.sh,
# which scripts/test-all.sh runs first): its test says REQUIRES: compiler-fuzzer.
sanitize_build = os.environ.get("SSDC_SANITIZE_BUILD_DIR") or os.path.join(
    config.ssdc_obj_root, "sanitize")
if os.access(os.path.join(sanitize_build, "bin", "ssdc-compiler-fuzzer"), os.X_OK):
    config.available_features.add("compiler-fuzzer")
    config.substitutions.append(("%ssdc_sanitize_build", sanitize_build))
else:
    lit_config.note("no sanitizer build in " + sanitize_build +
                    ": the compiler fuzz test is UNSUPPORTED")
