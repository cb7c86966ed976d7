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
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["ssdc-opt", "ssdc"], [config.ssdc_tools_dir])
