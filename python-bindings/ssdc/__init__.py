"""ssdc from Python: compile tile kernels, load packages, launch them on
PyTorch/CuPy/JAX arrays (or run them on the host), and the Mamba2 SSD forward
(`ssdc.ssd`, `ssdc.torch`). docs/python.md.

`import ssdc` needs only ssdc._runtime (no MLIR); ssdc.compile and host runs
import ssdc._compiler when first used.
"""
from ._package import CompileError, Kernel, Package, compile, device, load  # noqa: F401
from . import ssd  # noqa: F401

__all__ = ["CompileError", "Kernel", "Package", "compile", "device", "load", "ssd"]
