# -*- Python -*-
# The GoogleTest executables under unittests/, run as lit tests.
import os

import lit.formats

config.name = "SSDC-Unit"
# The sanitizer build (scripts/setup-sanitize.sh): its own suite name, every
# report fatal, known ones suppressed (docs/sanitizers.md).
if config.ssdc_sanitize:
    config.name += "-" + config.ssdc_sanitize.replace(",", "-")
    config.environment["ASAN_OPTIONS"] = "allow_user_poisoning=0"
    config.environment["UBSAN_OPTIONS"] = (
        "halt_on_error=1:print_stacktrace=1:suppressions="
        + os.path.join(config.ssdc_src_root, "unittests", "ubsan-suppressions.txt"))
config.suffixes = []
config.test_exec_root = os.path.join(config.ssdc_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
