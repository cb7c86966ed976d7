"""Arrays from any framework as (address, shape, strides, element type, device).

One table maps each framework's dtypes to the runtime's element types
(include/ssdc/Runtime/ElementTypes.def, whose names and codes come from
_runtime.element_types()). An array is read, in this order, as a PyTorch
tensor (its own accessors: the fast path), a NumPy array, an object with
``__cuda_array_interface__`` (CuPy, Numba, older JAX), or any object with
``__dlpack__`` (JAX, CuPy, TensorFlow), through nanobind's DLPack import.
"""
import operator
import sys
from typing import NamedTuple, Optional, Tuple

from . import _runtime

ELEMENT_TYPES = _runtime.element_types()  # name -> (code, bytes)

# NumPy's typestr (also __cuda_array_interface__'s) of each element type;
# NumPy has no bfloat16.
_TYPESTR = {"<f4": "f32", "<f2": "f16", "<i4": "i32", "<i8": "i64"}
# DLPack's (type code, bits): kDLInt 0, kDLFloat 2, kDLBfloat 4.
_DLPACK = {(2, 32): "f32", (2, 16): "f16", (4, 16): "bf16", (0, 32): "i32", (0, 64): "i64"}
_DLPACK_CPU, _DLPACK_CUDA = 1, 2


def _torch_types():
    torch = sys.modules.get("torch")
    if torch is None:
        return {}
    return {torch.float32: "f32", torch.float16: "f16", torch.bfloat16: "bf16",
            torch.int32: "i32", torch.int64: "i64"}


_TORCH_TYPES = None


def torch_type(dtype):
    """The element type name of a torch dtype, or None."""
    global _TORCH_TYPES
    if _TORCH_TYPES is None:
        _TORCH_TYPES = _torch_types()
    return _TORCH_TYPES.get(dtype)


class View(NamedTuple):
    address: int
    shape: Tuple[int, ...]
    strides: Tuple[int, ...]  # in elements
    type: Optional[str]       # element type name; None: not one the runtime has
    dtype: str                # the framework's name of it, for messages
    device: str               # "cpu" or "cuda"
    ordinal: int
    writable: bool
    framework: str            # "torch", "numpy", "cuda_array_interface", "dlpack"
    stream: Optional[int]     # the producer's stream (__cuda_array_interface__ v3)

    @property
    def count(self):
        """Elements from the first to one past the last one the view reaches."""
        if any(n == 0 for n in self.shape):
            return 0
        return 1 + sum((n - 1) * s for n, s in zip(self.shape, self.strides))

    def contiguous(self):
        expected = 1
        for n, s in zip(reversed(self.shape), reversed(self.strides)):
            if n != 1 and s != expected:
                return False
            expected *= n
        return True


def _is_torch(obj):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(obj, torch.Tensor)


def view_of(obj, name):
    """`obj` as a View; TypeError naming `name` when it is not an array."""
    if _is_torch(obj):
        device = obj.device
        return View(obj.data_ptr(), tuple(obj.shape), tuple(obj.stride()), torch_type(obj.dtype),
                    str(obj.dtype).replace("torch.", ""), device.type,
                    device.index or 0, True, "torch", None)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(obj, numpy.ndarray):
        size = obj.dtype.itemsize
        if any(s % size for s in obj.strides):
            raise ValueError(f"argument '{name}': strides {obj.strides} are not whole elements")
        return View(obj.__array_interface__["data"][0], obj.shape,
                    tuple(s // size for s in obj.strides), _TYPESTR.get(obj.dtype.str),
                    str(obj.dtype), "cpu", 0, bool(obj.flags.writeable), "numpy", None)
    interface = getattr(obj, "__cuda_array_interface__", None)
    if interface is not None:
        typestr, shape = interface["typestr"], tuple(interface["shape"])
        size = int(typestr[2:])
        strides = interface.get("strides")
        if strides is None:
            strides, step = [], 1
            for n in reversed(shape):
                strides.insert(0, step)
                step *= n
        else:
            strides = [s // size for s in strides]
        device = getattr(obj, "device", None)
        ordinal = getattr(device, "id", 0) if device is not None else 0
        address, readonly = interface["data"]
        return View(address, shape, tuple(strides), _TYPESTR.get(typestr), typestr, "cuda",
                    ordinal, not readonly, "cuda_array_interface", interface.get("stream"))
    if hasattr(obj, "__dlpack__"):
        address, shape, strides, code, bits, device_type, ordinal = _runtime.dlpack_view(obj)
        if device_type not in (_DLPACK_CPU, _DLPACK_CUDA):
            raise ValueError(f"argument '{name}': DLPack device type {device_type} is neither "
                             "the CPU nor CUDA")
        return View(address, tuple(shape), tuple(strides), _DLPACK.get((code, bits)),
                    f"dlpack({code},{bits})", "cpu" if device_type == _DLPACK_CPU else "cuda",
                    ordinal, True, "dlpack", None)
    raise TypeError(f"argument '{name}' must be an array (a PyTorch tensor, a NumPy array, or "
                    f"an object with __cuda_array_interface__ or __dlpack__), not "
                    f"{type(obj).__name__}")


def as_int(obj, name):
    """A Python int from an int-like argument; TypeError naming `name` otherwise."""
    if isinstance(obj, bool):
        raise TypeError(f"argument '{name}' must be an int, not bool")
    try:
        return operator.index(obj)
    except TypeError:
        raise TypeError(f"argument '{name}' must be an int, not {type(obj).__name__}") from None


def stream_of(views, objects, device_ordinal):
    """The stream a launch on these arrays goes on: PyTorch's current stream
    when they are PyTorch's, CuPy's when CuPy's, else the stream an array's
    __cuda_array_interface__ names, else the legacy default stream (0)."""
    for view, obj in zip(views, objects):
        if view.framework == "torch":
            return current_torch_stream(device_ordinal)
        if view.framework == "cuda_array_interface":
            cupy = sys.modules.get("cupy")
            if cupy is not None and isinstance(obj, cupy.ndarray):
                return cupy.cuda.get_current_stream().ptr
            if view.stream not in (None, 1):  # 1: the legacy default stream
                return view.stream
    return 0


def current_torch_stream(ordinal):
    """torch's current CUDA stream on device `ordinal` as a CUstream."""
    torch = sys.modules["torch"]
    raw = getattr(torch._C, "_cuda_getCurrentRawStream", None)
    if raw is not None:  # no Stream object: a few hundred ns instead of µs
        return raw(ordinal)
    return torch.cuda.current_stream(ordinal).cuda_stream
