# -*- Python -*-
# The GoogleTest executables under unittests/, run as lit tests.
import os

import lit.formats

config.name = "SSDC-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.ssdc_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
