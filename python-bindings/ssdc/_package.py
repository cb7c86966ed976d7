"""Packages and their kernels: ssdc.compile, ssdc.load, Package.kernel(name)."""
import importlib
import numbers
import os
import threading

from . import _runtime
from ._arguments import ELEMENT_TYPES, as_int, stream_of, view_of

_INT_RANGES = {"i32": (-(2**31), 2**31 - 1), "i64": (-(2**63), 2**63 - 1)}


class CompileError(Exception):
    """A compile failed. `diagnostics` holds each MLIR diagnostic as a dict
    (severity, file, line, column, message); str() is the text `ssdc compile`
    prints, with the source line and a caret."""

    def __init__(self, text, diagnostics):
        super().__init__(text)
        self.diagnostics = diagnostics


def compiler():
    """ssdc._compiler (links libMLIR), imported on first use."""
    try:
        return importlib.import_module("ssdc._compiler")
    except ImportError as error:
        raise ImportError("this needs ssdc._compiler, which this build of ssdc does not have "
                          "(it was built with SSDC_RUNTIME_ONLY, without MLIR): "
                          f"{error}") from error


def _read_source(source_or_path):
    if isinstance(source_or_path, os.PathLike) or (
            isinstance(source_or_path, str) and "\n" not in source_or_path
            and os.path.isfile(source_or_path)):
        path = os.fspath(source_or_path)
        with open(path, encoding="utf-8") as file:
            return file.read(), path
    if not isinstance(source_or_path, str):
        raise TypeError("compile() takes source text or a path, not "
                        f"{type(source_or_path).__name__}")
    return source_or_path, "<source>"


def _config_spec(configs):
    if configs is None:
        return ""
    if isinstance(configs, str):
        return configs
    if isinstance(configs, dict):
        return ",".join(f"{name}={as_int(value, name)}" for name, value in configs.items())
    raise TypeError(f"configs must be None, 'NAME=V,...' or a dict, not {type(configs).__name__}")


def compile(source_or_path, chip="sm_90", configs=None, cubins=True):
    """Compiles tile-dialect source (text, or a path to it) into a Package.

    `configs` builds one config ("BLOCK=128,num_warps=4" or a dict; other
    parameters take their defaults) instead of all. `cubins` adds ptxas's
    cubins where a CUDA toolkit is installed. Raises CompileError."""
    source, filename = _read_source(source_or_path)
    data, diagnostics, text = compiler().compile(source, filename, chip, _config_spec(configs),
                                                 cubins)
    if data is None:
        raise CompileError(text.rstrip() or "compile failed", diagnostics)
    return Package(_runtime.LoadedPackage.from_bytes(data), data, source, filename)


def load(path_or_bytes, source=None):
    """A package from a .ssdcpkg file or its bytes. Runs on NumPy arrays and
    CPU tensors (the host target) need the kernels' `source` too."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        return Package(_runtime.LoadedPackage.from_bytes(data), data, source, "<source>")
    path = os.fspath(path_or_bytes)
    return Package(_runtime.LoadedPackage.from_file(path), None, source, "<source>")


class Package:
    """A validated package: kernel names, chip, and its kernels."""

    def __init__(self, loaded, data, source, filename):
        self._loaded, self._data = loaded, data
        self.source, self._filename = source, filename
        self._kernels = {}

    @property
    def kernel_names(self):
        return list(self._loaded.kernel_names)

    @property
    def chip(self):
        return self._loaded.chip

    @property
    def hash(self):
        return self._loaded.hash

    def to_bytes(self):
        if self._data is None:
            raise ValueError("a package loaded from a file keeps no bytes; read the file")
        return self._data

    def save(self, path):
        with open(path, "wb") as file:
            file.write(self.to_bytes())

    def kernel(self, name):
        """The callable of kernel `name` (KeyError if the package has none)."""
        if name not in self._kernels:
            self._kernels[name] = Kernel(self, name, self._loaded.describe(name))
        return self._kernels[name]

    def __repr__(self):
        return f"<ssdc.Package {self.kernel_names} for {self.chip}>"


_devices = {}
_devices_lock = threading.Lock()


def device(ordinal=0):
    """The runtime's Device `ordinal` (opened once per process)."""
    with _devices_lock:
        if ordinal not in _devices:
            _devices[ordinal] = _runtime.Device.open(ordinal)
        return _devices[ordinal]


class Kernel:
    """One kernel of a package, called with its arguments in signature order
    (or by name): arrays for buffers, ints for integers.

    CUDA arrays launch on the GPU on the caller's current stream (PyTorch's,
    CuPy's, or `stream=`), with the config the runtime's tuner chooses (and
    caches); NumPy arrays and CPU tensors run on the host interpreter with
    the default config. `last_launch` says what the last call ran."""

    def __init__(self, package, name, description):
        self.package, self.name = package, name
        self.description = description
        self.arg_names = [arg[0] for arg in description["args"]]
        self._host = None
        self._device_kernels = {}
        self.last_launch = None

    @property
    def signature(self):
        return [dict(zip(("name", "kind", "type", "access"), arg))
                for arg in self.description["args"]]

    def _bind(self, args, kwargs):
        names = self.arg_names
        if len(args) > len(names):
            raise TypeError(f"kernel '{self.name}' takes {len(names)} arguments "
                            f"({', '.join(names)}) but {len(args)} were given")
        bound = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"kernel '{self.name}' has no argument '{key}'")
            if key in bound:
                raise TypeError(f"kernel '{self.name}' got argument '{key}' twice")
            bound[key] = value
        missing = [n for n in names if n not in bound]
        if missing:
            raise TypeError(f"kernel '{self.name}' is missing argument(s) {', '.join(missing)}")
        return [bound[n] for n in names]

    def __call__(self, *args, stream=None, **kwargs):
        values = self._bind(args, kwargs)
        views, arrays, packed = [], [], []
        place = None  # ("cpu"|"cuda", ordinal) of the first buffer
        for (name, kind, type_name, access), value in zip(self.description["args"], values):
            if kind == "float":
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise TypeError(f"argument '{name}' must be a number, not "
                                    f"{type(value).__name__}")
                packed.append(float(value))
                continue
            if kind == "int":
                number = as_int(value, name)
                low, high = _INT_RANGES[type_name]
                if not low <= number <= high:
                    raise ValueError(f"argument '{name}' = {number} is outside {type_name}")
                packed.append(number)
                continue
            view = view_of(value, name)
            if view.type != type_name:
                raise TypeError(f"argument '{name}' must hold {type_name}, not {view.dtype}")
            if not view.contiguous():
                raise ValueError(f"argument '{name}' must be contiguous (a kernel buffer is "
                                 f"flat); its strides are {view.strides}")
            if access != "read" and not view.writable:
                raise ValueError(f"argument '{name}' is written by the kernel but read-only")
            if place is None:
                place = (view.device, view.ordinal)
            elif (view.device, view.ordinal) != place:
                raise ValueError(f"argument '{name}' is on {view.device}:{view.ordinal} but the "
                                 f"first buffer is on {place[0]}:{place[1]}")
            views.append(view)
            arrays.append(value)
            packed.append((view.address, view.count, ELEMENT_TYPES[type_name][0]))
        if place is not None and place[0] == "cuda":
            report = self._device_kernel(place[1]).launch(
                packed, _stream(stream) if stream is not None
                else stream_of(views, arrays, place[1]))
        else:
            report = self._host_kernel().run(packed)
            report["source"] = "host"
        self.last_launch = report
        return report

    def _device_kernel(self, ordinal):
        if ordinal not in self._device_kernels:
            self._device_kernels[ordinal] = device(ordinal).kernel(self.package._loaded,
                                                                  self.name)
        return self._device_kernels[ordinal]

    def _host_kernel(self):
        if self._host is None:
            if self.package.source is None:
                raise RuntimeError(f"kernel '{self.name}': runs on host arrays need the "
                                   "kernel's source: use ssdc.compile(), or "
                                   "ssdc.load(..., source=...)")
            self._host = compiler().HostKernel(self.package.source, self.package._filename,
                                               self.name)
        return self._host

    def __repr__(self):
        return f"<ssdc.Kernel {self.name}({', '.join(self.arg_names)})>"


def _stream(stream):
    """A CUstream from an int, a torch.cuda.Stream or a cupy Stream."""
    for attribute in ("cuda_stream", "ptr"):
        if hasattr(stream, attribute):
            return int(getattr(stream, attribute))
    return as_int(stream, "stream")
