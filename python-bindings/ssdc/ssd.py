"""The Mamba2 SSD forward (docs/ssd.md) from Python.

    y = ssdc.ssd.chunk_scan(x, dt, A, B, C, chunk_size, D=D, z=z, dt_bias=dt_bias,
                            dt_softplus=True)          # mamba_chunk_scan_combined
    Y = ssdc.ssd.kernelbench(X, A, B, C, block_len)    # KernelBench level 3, 48/49

CUDA tensors run the C++ ssd::DeviceForward on the caller's current stream;
CPU tensors and NumPy arrays run the same launch lists on the host
interpreter (ssdc._compiler). A plan is made, checked and tuned once per
problem (shapes, strides, dtypes, device, options) and kept; a later call
with the same problem only allocates its outputs and enqueues the launches.
Views whose last dimension is contiguous (x, z, B, C, dt as slices of one
projection) are passed with their strides, not copied.
"""
import threading

from . import _runtime
from ._arguments import ELEMENT_TYPES, current_torch_stream, view_of
from ._package import compiler, device

try:
    import torch
except ImportError:  # NumPy arrays on the host still work
    torch = None

_INF = float("inf")
# torch's current CUDA stream as a CUstream: its raw form where this PyTorch
# has it (no Stream object made per call).
_current_stream = getattr(getattr(torch, "_C", None), "_cuda_getCurrentRawStream", None) or \
    current_torch_stream
_MAMBA, _KERNELBENCH = "mamba", "kernelbench"


def _load_fast_path():
    """ssdc._torch_fast (python-bindings/src/TorchFastPath.cpp): a tuned CUDA
    plan's calls in C++ over libtorch, where the build had a CUDA PyTorch;
    SSDC_TORCH_FAST=0 turns it off. None where it is not there."""
    import os
    if torch is None or os.environ.get("SSDC_TORCH_FAST") == "0":
        return None
    try:
        from . import _torch_fast
    except ImportError:  # not built here, or built against another PyTorch
        return None
    return _torch_fast


_fast = _load_fast_path()


def chunk_scan(x, dt, A, B, C, chunk_size, D=None, z=None, dt_bias=None, initial_states=None,
               seq_idx=None, cu_seqlens=None, dt_softplus=False, dt_limit=(0.0, _INF),
               return_final_states=False, return_varlen_states=False):
    """mamba_ssm's mamba_chunk_scan_combined: x (b,s,h,p), dt (b,s,h), A (h),
    B and C (b,s,g,n), D (h) or (h,p), z (b,s,h,p), dt_bias (h),
    initial_states (b,h,p,n). Returns out, or (out, final_states)."""
    if seq_idx is not None:
        raise NotImplementedError("ssdc.ssd.chunk_scan: seq_idx (packed batches) is not "
                                  "implemented yet")
    if cu_seqlens is not None:
        raise NotImplementedError("ssdc.ssd.chunk_scan: cu_seqlens (packed batches) is not "
                                  "implemented yet")
    if return_varlen_states:
        raise NotImplementedError("ssdc.ssd.chunk_scan: return_varlen_states is not "
                                  "implemented yet")
    dt_limit = _check_dt_limit(dt_limit)
    if _compiling():
        if dt_limit != (0.0, _INF):
            raise NotImplementedError("ssdc.ssd.chunk_scan: dt_limit under torch.compile is "
                                      "not implemented yet")
        y, final = torch.ops.ssdc.chunk_scan(x, dt, A, B, C, chunk_size, D, z, dt_bias,
                                             initial_states, dt_softplus, return_final_states)
    else:
        y, final = forward(_MAMBA, x, dt, A, B, C, chunk_size, D, z, dt_bias, initial_states,
                           dt_softplus, True, return_final_states, dt_limit)
    return (y, final) if return_final_states else y


def final_states(x, dt, A, B, C, chunk_size, dt_bias=None, initial_states=None,
                 dt_softplus=False, dt_limit=(0.0, _INF)):
    """The final states (b,h,p,n) of chunk_scan's inputs without computing its
    output (the ReturnFinalState launches): what a sequence-parallel rank
    sends (ssdc.distributed)."""
    return forward(_MAMBA, x, dt, A, B, C, chunk_size, None, None, dt_bias, initial_states,
                   dt_softplus, False, True, _check_dt_limit(dt_limit))[1]


def kernelbench(X, A, B, C, block_len, initial_states=None, return_final_state=False):
    """KernelBench level 3 problem 48 (Y, (b,s,h,p)) or, with
    `return_final_state`, 49 (the final state, (b,h,p,n)): X (b,s,h,p), A
    (b,s,h) per token, B and C (b,s,h,n); initial_states (b,h,p,n) or
    KernelBench's (b,1,h,p,n)."""
    if _compiling():
        return torch.ops.ssdc.kernelbench(X, A, B, C, block_len, initial_states,
                                          return_final_state)
    y, final = forward(_KERNELBENCH, X, A, None, B, C, block_len, None, None, None,
                       initial_states, False, not return_final_state, return_final_state)
    return final if return_final_state else y


def _check_dt_limit(dt_limit):
    """dt_limit as a (lo, hi) pair of floats; the plan checks lo <= hi and NaN."""
    try:
        lo, hi = dt_limit
        return float(lo), float(hi)
    except (TypeError, ValueError):
        raise TypeError(f"argument 'dt_limit' must be a pair of floats (lo, hi), not "
                        f"{dt_limit!r}") from None


def step(*args, **kwargs):
    """The one-token decode step (mamba_ssm's selective_state_update)."""
    raise NotImplementedError("ssdc.ssd.step (the one-token decode step) is not implemented yet")


# -- plans ------------------------------------------------------------------

class _Plan:
    """A checked problem: which buffers it takes, its output shapes, and the
    forward (DeviceForward, or the host one) with its workspace size."""
    __slots__ = ("forward", "host", "workspace_bytes", "tuned", "y_shape", "final_shape",
                 "takes", "lock", "spaces", "workspaces")


_plans = {}
_plans_lock = threading.Lock()

# The order of ssd::ForwardBuffers (Common.h's buffersFromAddresses).
_BUFFERS = ("x", "dt", "A", "B", "C", "D", "z", "dt_bias", "initial_states", "y", "final")


def _meta(t):
    return None if t is None else (t.shape, t.stride(), t.dtype, t.get_device())


def plan_key(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y, want_final,
             ordinal, dt_limit=(0.0, _INF)):
    """The plan-cache key of a CUDA call: every shape, stride, dtype and
    device of the tensors and the options, so that any change makes a new
    plan, checked anew (x's device is `ordinal`, read by the caller). Shape
    and stride dominate a call's Python time: each is read once."""
    return (form, chunk, softplus, dt_limit, want_y, want_final, ordinal, x.shape, x.stride(),
            x.dtype, dt.shape, dt.stride(), dt.dtype, dt.get_device(), B.shape, B.stride(),
            B.dtype, B.get_device(), _meta(A), _meta(C), _meta(D), _meta(z), _meta(dt_bias),
            _meta(init))


def forward(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y, want_final,
            dt_limit=(0.0, _INF)):
    """One forward: (y or None, final states or None)."""
    if type(chunk) is not int:  # before the plan lookup: 8.0 would hash as 8
        raise TypeError(f"argument '{'chunk_size' if form == _MAMBA else 'block_len'}' must be "
                        f"an int, not {type(chunk).__name__}")
    # The hot path: in C++ once the plan is registered there (_fast)...
    if _fast is not None:
        done = _fast.forward(form == _MAMBA, x, dt, A, B, C, chunk, D, z, dt_bias, init,
                             softplus, want_y, want_final, dt_limit[0], dt_limit[1])
        if done is not None:
            return done
    # ...else a CUDA tensor (get_device() is -1 on the CPU), one dict lookup
    # on the tensors' metadata, one call into C++.
    if torch is not None and type(x) is torch.Tensor and (ordinal := x.get_device()) >= 0:
        try:
            key = plan_key(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y,
                           want_final, ordinal, dt_limit)
        except AttributeError:  # not all tensors: the full check below names the culprit
            key = None
        plan = _plans.get(key) if key is not None else None
        if plan is None:
            plan = _make_plan(key, form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus,
                              want_y, want_final, dt_limit)
        takes = plan.takes
        y = x.new_empty(plan.y_shape) if plan.y_shape else None
        final = x.new_empty(plan.final_shape, dtype=torch.float32) if plan.final_shape else None
        addresses = (x.data_ptr(), dt.data_ptr(), A.data_ptr() if takes[2] else 0,
                     B.data_ptr(), C.data_ptr() if takes[4] else 0,
                     D.data_ptr() if takes[5] else 0, z.data_ptr() if takes[6] else 0,
                     dt_bias.data_ptr() if takes[7] else 0, init.data_ptr() if takes[8] else 0,
                     y.data_ptr() if y is not None else 0,
                     final.data_ptr() if final is not None else 0)
        stream = _current_stream(ordinal)
        space = plan.spaces.get(stream, 0) if plan.workspace_bytes else 0
        if plan.workspace_bytes and not space:
            space = _workspace(plan, stream, x)
        if not plan.tuned:
            _tune(plan, addresses, space, stream)
        plan.forward.execute(addresses, space, stream)
        if _fast is not None:  # the next such call goes through C++
            _fast.register(plan, form == _MAMBA, x, dt, A, B, C, chunk, D, z, dt_bias, init,
                           softplus, want_y, want_final, dt_limit[0], dt_limit[1])
        return y, final
    return _run_generic(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y,
                        want_final, dt_limit)


def _workspace(plan, stream, like):
    """The plan's workspace for `stream`, allocated on first use and kept: the
    calls on one stream are ordered, so they can share it; another stream gets
    its own. clear_plans() frees them."""
    tensor = like.new_empty((plan.workspace_bytes,), dtype=torch.uint8)
    plan.workspaces.append(tensor)
    plan.spaces[stream] = tensor.data_ptr()
    return plan.spaces[stream]


def clear_plans():
    """Forgets every plan, with the workspaces they keep."""
    with _plans_lock:
        _plans.clear()
        if _fast is not None:
            _fast.clear()


def _tune(plan, addresses, space, stream):
    with plan.lock:
        if plan.tuned:
            return
        if torch.cuda.is_current_stream_capturing():
            raise RuntimeError("ssdc.ssd: the first call of a problem tunes its launches, "
                               "which a CUDA graph capture cannot hold: call it once before "
                               "capturing")
        plan.forward.tune(addresses, space, stream)
        plan.tuned = True


def _run_generic(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y,
                 want_final, dt_limit):
    """CPU tensors and NumPy arrays (the host target), and CUDA arrays that are
    not PyTorch tensors: checked on every call (the host interpreter's time
    dwarfs it)."""
    tensors = (x, dt, A, B, C, D, z, dt_bias, init)
    views = [None if t is None else view_of(t, name) for t, name in zip(tensors, _BUFFERS)]
    key = (form, chunk, softplus, dt_limit, want_y, want_final) + tuple(
        None if v is None else (v.shape, v.strides, v.type, v.device, v.ordinal, v.framework)
        for v in views)
    plan = _plans.get(key) or _make_plan(key, form, x, dt, A, B, C, chunk, D, z, dt_bias, init,
                                         softplus, want_y, want_final, dt_limit, views)
    if views[0].framework == "torch":
        def empty(shape, dtype):
            return x.new_empty(shape, dtype=getattr(torch, dtype))
        address = lambda t: t.data_ptr()  # noqa: E731
    elif views[0].framework == "numpy":
        import numpy

        def empty(shape, dtype):
            return numpy.empty(shape, dtype=dtype)
        address = lambda t: t.__array_interface__["data"][0]  # noqa: E731
    else:
        raise TypeError("ssdc.ssd takes PyTorch tensors or NumPy arrays (other CUDA arrays: "
                        "wrap them with torch.from_dlpack)")
    y = empty(plan.y_shape, _TYPE_NAMES[views[0].type]) if plan.y_shape else None  # x's dtype
    final = empty(plan.final_shape, "float32") if plan.final_shape else None
    workspace = empty((max(plan.workspace_bytes, 1),), "uint8")
    addresses = tuple(v.address if (v is not None and plan.takes[i]) else 0
                      for i, v in enumerate(views)) + (
        address(y) if y is not None else 0, address(final) if final is not None else 0)
    if plan.host:
        plan.forward.execute(addresses, address(workspace))
    else:
        stream = current_torch_stream(views[0].ordinal) if views[0].framework == "torch" else 0
        if not plan.tuned:
            _tune(plan, addresses, address(workspace), stream)
        plan.forward.execute(addresses, address(workspace), stream)
    return y, final


def _make_plan(key, form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y,
               want_final, dt_limit, views=None):
    """Checks a new problem, argument by argument, and makes its forward."""
    if views is None:
        views = [None if t is None else view_of(t, name)
                 for t, name in zip((x, dt, A, B, C, D, z, dt_bias, init), _BUFFERS)]
    problem, takes = _problem(form, views, chunk, softplus, want_y, want_final)
    problem["dt_limit_lo"], problem["dt_limit_hi"] = dt_limit
    x_view = views[0]
    plan = _Plan()
    plan.takes = takes
    plan.tuned = False
    plan.lock = threading.Lock()
    plan.spaces, plan.workspaces = {}, []  # CUDA workspaces by stream
    b, s, h, p = x_view.shape
    n = views[3].shape[3]
    plan.y_shape = (b, s, h, p) if want_y else None
    plan.final_shape = (b, h, p, n) if want_final else None
    plan.host = x_view.device == "cpu"
    if plan.host:
        plan.forward = compiler().SsdHostForward(problem)
    else:
        plan.forward = _runtime.SsdForward(device(x_view.ordinal), problem)
    plan.workspace_bytes = plan.forward.workspace_bytes
    if key is not None:
        with _plans_lock:
            _plans[key] = plan
    return plan


def _problem(form, views, chunk, softplus, want_y, want_final):
    """The problem dict of ssd::ForwardProblem and which buffers the forward
    takes, from the views; TypeError/ValueError naming the argument."""
    x, dt, A, B, C, D, z, dt_bias, init = views
    mamba = form == _MAMBA
    names = dict(zip(_BUFFERS, views))
    # KernelBench's names: X, and A per token in dt's place.
    labels = {} if mamba else {"x": "X", "dt": "A"}

    def label(name):
        return labels.get(name, name)
    required = ["x", "dt", "B"] + (["A"] if mamba else []) + (["C"] if want_y else [])
    for name in required:
        if names[name] is None:
            raise TypeError(f"argument '{label(name)}' is required")
    if len(x.shape) != 4:
        raise ValueError(f"argument '{label('x')}' must be (batch, seqlen, heads, head_dim), not shape "
                         f"{x.shape}")
    b, s, h, p = x.shape
    if len(B.shape) != 4 or B.shape[:2] != (b, s):
        raise ValueError(f"argument 'B' must be (batch, seqlen, groups, state_dim) = "
                         f"({b}, {s}, g, n), not shape {B.shape}")
    g, n = B.shape[2], B.shape[3]
    if not mamba and g != h:
        raise ValueError(f"argument 'B' must have one group per head ({h}) in KernelBench's "
                         f"form, not {g}")
    if g == 0 or h % g:
        raise ValueError(f"argument 'B': groups ({g}) must divide heads ({h})")
    expected = {"x": (b, s, h, p), "dt": (b, s, h), "B": (b, s, g, n), "C": (b, s, g, n),
                "z": (b, s, h, p), "A": (h,), "dt_bias": (h,), "initial_states": (b, h, p, n)}
    if not mamba:
        expected["A"] = (b, s, h)
        if init is not None and init.shape == (b, 1, h, p, n):  # KernelBench's form
            expected["initial_states"] = init.shape
    if D is not None:
        expected["D"] = (h,) if len(D.shape) == 1 else (h, p)
    wide = x.type if x.type in ("f32", "f16", "bf16") else None
    if wide is None:
        raise TypeError(f"argument '{label('x')}' must hold float32, float16 or bfloat16, not {x.dtype}")
    for name, view in names.items():
        if view is None or name in ("y", "final"):
            continue
        if view.shape != expected[name]:
            raise ValueError(f"argument '{label(name)}' must have shape {expected[name]}, not "
                             f"{view.shape}")
        want = wide if name in ("x", "B", "C", "z") else "f32"
        if view.type != want:
            raise TypeError(f"argument '{label(name)}' must hold {_TYPE_NAMES[want]}, not "
                            f"{view.dtype}")
        if (view.device, view.ordinal) != (x.device, x.ordinal):
            raise ValueError(f"argument '{label(name)}' is on {view.device}:{view.ordinal}, x on "
                             f"{x.device}:{x.ordinal}")
        strided = name in ("x", "dt", "B", "C", "z")
        if strided and view.shape and view.strides[-1] != 1 and view.shape[-1] != 1:
            raise ValueError(f"argument '{label(name)}': its last dimension must be contiguous "
                             f"(stride 1), not {view.strides[-1]}")
        if strided and any(st < 0 for st in view.strides):
            raise ValueError(f"argument '{label(name)}' has a negative stride {view.strides}")
        if not strided and not view.contiguous():
            raise ValueError(f"argument '{label(name)}' must be contiguous, its strides are "
                             f"{view.strides}")
    if not mamba and (D is not None or z is not None or dt_bias is not None or softplus):
        raise ValueError("KernelBench's form takes no D, z, dt_bias or dt_softplus")

    def strides3(view):
        return (view.strides[0], view.strides[1], view.strides[2])

    problem = dict(form=form, batch=b, seqlen=s, heads=h, head_dim=p, state_dim=n, groups=g,
                   chunk=chunk, dtype=ELEMENT_TYPES[wide][0], return_y=want_y,
                   return_final_states=want_final, has_d=mamba and D is not None,
                   d_per_channel=D is not None and len(D.shape) == 2,
                   has_z=mamba and z is not None, has_dt_bias=mamba and dt_bias is not None,
                   dt_softplus=softplus, has_initial_states=init is not None,
                   x_strides=strides3(x), dt_strides=strides3(dt), b_strides=strides3(B))
    if C is not None and want_y:
        problem["c_strides"] = strides3(C)
    if z is not None:
        problem["z_strides"] = strides3(z)
    takes = (True, True, mamba, True, want_y, mamba and D is not None and want_y,
             mamba and z is not None and want_y, mamba and dt_bias is not None,
             init is not None)
    return problem, takes


_TYPE_NAMES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}

# -- torch.compile ----------------------------------------------------------

_compiling = lambda: False  # noqa: E731
if torch is not None and hasattr(torch, "library") and hasattr(torch.library, "custom_op"):
    from . import _ops

    _compiling = _ops.is_compiling
