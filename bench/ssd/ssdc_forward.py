"""ssdc's SSD forward from Python through the C API (include/ssdc-c/ssd.h) and
ctypes, on torch tensors and torch's current stream: what bench_ssd.py and
the GPU checks call until the Python bindings land.

    forward = SsdcForward(lib_path)
    y, final = forward.kernelbench(X, A, B, C, chunk, return_final_state=False)
    y = forward.mamba(x, dt, A, B, C, chunk, D=..., z=..., dt_bias=..., dt_softplus=...,
                      dt_limit=(lo, hi), initial_states=..., return_final_states=...)

x, B, C and z may be float32, float16 or bfloat16 (one dtype; y is theirs);
dt, A, D, dt_bias and the states are float32.

A plan is made once per problem (shapes, strides, options) and kept; each
call then only executes it on the caller's stream.
"""
import ctypes

import torch

F32, F16, BF16 = 0, 1, 2
DTYPES = {torch.float32: F32, torch.float16: F16, torch.bfloat16: BF16}


class Problem(ctypes.Structure):
    _fields_ = [("form", ctypes.c_int32), ("batch", ctypes.c_int64), ("seqlen", ctypes.c_int64),
                ("heads", ctypes.c_int64), ("head_dim", ctypes.c_int64),
                ("state_dim", ctypes.c_int64), ("groups", ctypes.c_int64),
                ("chunk", ctypes.c_int64), ("dtype", ctypes.c_int32),
                ("return_y", ctypes.c_int32), ("return_final_states", ctypes.c_int32),
                ("has_d", ctypes.c_int32), ("d_per_channel", ctypes.c_int32),
                ("has_z", ctypes.c_int32), ("has_dt_bias", ctypes.c_int32),
                ("dt_softplus", ctypes.c_int32), ("has_initial_states", ctypes.c_int32)] + [
        (f"{name}_strides", ctypes.c_int64 * 3) for name in ("x", "dt", "b", "c", "z", "y")] + [
        # SSDC_SSD_PROBLEM_VERSION 2
        ("dt_limit_lo", ctypes.c_double), ("dt_limit_hi", ctypes.c_double)]


class Buffers(ctypes.Structure):
    _fields_ = [(name, ctypes.c_void_p) for name in (
        "x", "dt", "a", "b", "c", "d", "z", "dt_bias", "initial_states", "y", "final_states")]


class DeviceOptions(ctypes.Structure):
    _fields_ = [("ordinal", ctypes.c_int32), ("tuning", ctypes.c_int32),
                ("pinned_config", ctypes.c_char_p), ("cache_directory", ctypes.c_char_p)]


class SsdcError(RuntimeError):
    pass


class SsdcForward:
    def __init__(self, lib_path, device_ordinal=0, cache_directory=None):
        """`cache_directory`: where tuning results persist (None: the
        runtime's default, ~/.cache/ssdc or $SSDC_CACHE_DIR)."""
        lib = ctypes.CDLL(lib_path)
        lib.ssdc_status_message.restype = ctypes.c_char_p
        lib.ssdc_status_message.argtypes = [ctypes.c_void_p]
        lib.ssdc_status_free.argtypes = [ctypes.c_void_p]
        lib.ssdc_device_open.restype = ctypes.c_void_p
        lib.ssdc_device_open.argtypes = [ctypes.POINTER(DeviceOptions),
                                          ctypes.POINTER(ctypes.c_void_p)]
        lib.ssdc_device_options_initialize.argtypes = [ctypes.POINTER(DeviceOptions)]
        lib.ssdc_ssd_problem_initialize.argtypes = [ctypes.POINTER(Problem)]
        lib.ssdc_ssd_forward_create.restype = ctypes.c_void_p
        lib.ssdc_ssd_forward_create.argtypes = [ctypes.c_void_p, ctypes.POINTER(Problem),
                                                ctypes.POINTER(ctypes.c_void_p)]
        lib.ssdc_ssd_forward_workspace_bytes.restype = ctypes.c_uint64
        lib.ssdc_ssd_forward_workspace_bytes.argtypes = [ctypes.c_void_p]
        for name in ("ssdc_ssd_forward_tune", "ssdc_ssd_forward_execute"):
            getattr(lib, name).restype = ctypes.c_void_p
            getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.POINTER(Buffers),
                                           ctypes.c_void_p, ctypes.c_void_p]
        lib.ssdc_ssd_forward_describe_configs.restype = ctypes.c_char_p
        lib.ssdc_ssd_forward_describe_configs.argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.device = ctypes.c_void_p()
        torch.cuda.init()  # the runtime shares torch's primary context
        options = DeviceOptions()
        lib.ssdc_device_options_initialize(ctypes.byref(options))
        options.ordinal = device_ordinal
        if cache_directory is not None:
            self._cache_directory = cache_directory.encode()  # kept alive for the C side
            options.cache_directory = self._cache_directory
        self._check(lib.ssdc_device_open(ctypes.byref(options), ctypes.byref(self.device)))
        self.plans = {}
        self.last_plan = None

    def _check(self, status):
        if status:
            message = self.lib.ssdc_status_message(status).decode()
            self.lib.ssdc_status_free(status)
            raise SsdcError(message)

    def _plan(self, problem):
        key = bytes(problem)
        if key not in self.plans:
            handle = ctypes.c_void_p()
            self._check(self.lib.ssdc_ssd_forward_create(self.device, ctypes.byref(problem),
                                                         ctypes.byref(handle)))
            size = self.lib.ssdc_ssd_forward_workspace_bytes(handle)
            workspace = torch.empty(max(size, 1), dtype=torch.uint8, device="cuda")
            self.plans[key] = [handle, workspace, False]
        return self.plans[key]

    def describe(self, problem):
        return self.lib.ssdc_ssd_forward_describe_configs(self._plan(problem)[0]).decode()

    def describe_last(self):
        """The configs of the plan the last call ran."""
        return self.lib.ssdc_ssd_forward_describe_configs(self.last_plan[0]).decode()

    @staticmethod
    def _strides(tensor, heads_dim=2):
        s = tensor.stride()
        if s[-1] != 1:
            raise ValueError("the last dimension must be contiguous")
        return (ctypes.c_int64 * 3)(s[0], s[1], s[heads_dim])

    def _run(self, problem, buffers):
        plan = self._plan(problem)
        self.last_plan = plan
        stream = torch.cuda.current_stream().cuda_stream
        if not plan[2]:  # tune once per problem, outside any capture
            self._check(self.lib.ssdc_ssd_forward_tune(plan[0], ctypes.byref(buffers),
                                                       plan[1].data_ptr(), stream))
            plan[2] = True
        self._check(self.lib.ssdc_ssd_forward_execute(plan[0], ctypes.byref(buffers),
                                                      plan[1].data_ptr(), stream))

    def _problem(self, form, x, B, chunk, return_y, return_final):
        b, s, h, p = x.shape
        problem = Problem()
        self.lib.ssdc_ssd_problem_initialize(ctypes.byref(problem))
        problem.form = form
        problem.batch, problem.seqlen, problem.heads, problem.head_dim = b, s, h, p
        problem.state_dim, problem.groups, problem.chunk = B.shape[3], B.shape[2], chunk
        problem.dtype = DTYPES[x.dtype]
        problem.return_y, problem.return_final_states = int(return_y), int(return_final)
        return problem

    def kernelbench(self, X, A, B, C, chunk, return_final_state=False, initial_states=None):
        """KernelBench 48 (Y) or 49 (the final state)."""
        problem = self._problem(0, X, B, chunk, not return_final_state, return_final_state)
        problem.has_initial_states = int(initial_states is not None)
        problem.x_strides, problem.b_strides = self._strides(X), self._strides(B)
        problem.c_strides, problem.dt_strides = self._strides(C), self._strides(A[..., None])
        b, s, h, p = X.shape
        y = None if return_final_state else torch.empty_like(X)
        if y is not None:
            problem.y_strides = self._strides(y)
        final = torch.empty(b, h, p, B.shape[3], device=X.device) if return_final_state else None
        buffers = Buffers(x=X.data_ptr(), dt=A.data_ptr(), b=B.data_ptr(),
                          c=None if return_final_state else C.data_ptr(),
                          initial_states=None if initial_states is None
                          else initial_states.data_ptr(),
                          y=None if y is None else y.data_ptr(),
                          final_states=None if final is None else final.data_ptr())
        self._run(problem, buffers)
        return final if return_final_state else y

    def mamba(self, x, dt, A, B, C, chunk, D=None, z=None, dt_bias=None, dt_softplus=False,
              dt_limit=(0.0, float("inf")), initial_states=None, return_final_states=False):
        """mamba_chunk_scan_combined's semantics (no seq_idx, cu_seqlens yet)."""
        problem = self._problem(1, x, B, chunk, True, return_final_states)
        problem.has_d = int(D is not None)
        problem.d_per_channel = int(D is not None and D.dim() == 2)
        problem.has_z, problem.has_dt_bias = int(z is not None), int(dt_bias is not None)
        problem.dt_softplus = int(dt_softplus)
        problem.dt_limit_lo, problem.dt_limit_hi = map(float, dt_limit)
        problem.has_initial_states = int(initial_states is not None)
        problem.x_strides, problem.b_strides = self._strides(x), self._strides(B)
        problem.c_strides, problem.dt_strides = self._strides(C), self._strides(dt[..., None])
        if z is not None:
            problem.z_strides = self._strides(z)
        y = torch.empty(x.shape, dtype=x.dtype, device=x.device)
        problem.y_strides = self._strides(y)
        b, s, h, p = x.shape
        final = (torch.empty(b, h, p, B.shape[3], device=x.device) if return_final_states
                 else None)
        ptr = lambda t: None if t is None else t.data_ptr()
        buffers = Buffers(x=ptr(x), dt=ptr(dt), a=ptr(A), b=ptr(B), c=ptr(C), d=ptr(D), z=ptr(z),
                          dt_bias=ptr(dt_bias), initial_states=ptr(initial_states), y=ptr(y),
                          final_states=ptr(final))
        self._run(problem, buffers)
        return (y, final) if return_final_states else y
