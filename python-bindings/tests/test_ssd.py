"""ssdc.ssd on the host target (CPU tensors, NumPy arrays) against the
token-by-token float64 recurrence, every option, and every argument error."""
import math

import numpy as np
import pytest
import torch

import ssdc
from reference import allclose, mamba_inputs, ssd_recurrence


def inputs(b=2, s=21, h=4, p=8, n=4, g=2, seed=0, options=()):
    return mamba_inputs((b, s, h, p, n, g), options, seed)


def call(t, chunk, **extra):
    t = dict(t)
    return ssdc.ssd.chunk_scan(t.pop("x"), t.pop("dt"), t.pop("A"), t.pop("B"), t.pop("C"),
                               chunk, **t, **extra)


@pytest.mark.parametrize("options,chunk", [
    ((), 8),                                   # a partial last chunk (21 = 2 x 8 + 5)
    (("D", "z", "bias", "softplus", "init"), 16),
    (("Dp",), 32),                             # one chunk longer than the sequence
])
def test_chunk_scan_on_cpu_tensors(options, chunk):
    t = inputs(options=options)
    y, final = call(t, chunk, return_final_states=True)
    truth_y, truth_final = ssd_recurrence(**t)
    assert y.dtype == torch.float32 and y.shape == t["x"].shape
    allclose(y, truth_y)
    allclose(final, truth_final)
    y_only = call(t, chunk)
    assert torch.equal(y_only, y)


def test_chunk_scan_one_group_and_strided_views():
    t = inputs(2, 13, 4, 8, 4, g=1, seed=3, options=("z", "strided"))
    assert not t["x"].is_contiguous() and t["x"].stride()[-1] == 1
    y = call(t, 4)
    allclose(y, ssd_recurrence(**t)[0])


def test_numpy_arrays_run_too():
    t = inputs(seed=5, options=("D",))
    arrays = {k: (v.numpy() if isinstance(v, torch.Tensor) else v) for k, v in t.items()}
    y, final = call(arrays, 8, return_final_states=True)
    assert isinstance(y, np.ndarray) and isinstance(final, np.ndarray)
    truth_y, truth_final = ssd_recurrence(**t)
    allclose(y, truth_y)
    allclose(final, truth_final)


def test_kernelbench_48_and_49():
    b, s, h, p, n = 2, 16, 2, 4, 4
    gen = torch.Generator().manual_seed(7)
    X = torch.rand(b, s, h, p, generator=gen)
    A = torch.randn(b, s, h, generator=gen) * 0.5
    B, C = torch.randn(b, s, h, n, generator=gen), torch.randn(b, s, h, n, generator=gen)
    init = torch.randn(b, 1, h, p, n, generator=gen)  # KernelBench's (b, 1, h, p, n)
    truth_y, truth_final = ssd_recurrence(X, A, None, B, C, initial_states=init,
                                          kernelbench=True)
    allclose(ssdc.ssd.kernelbench(X, A, B, C, 8, initial_states=init), truth_y)
    final = ssdc.ssd.kernelbench(X, A, B, C, 8, initial_states=init[:, 0],
                                 return_final_state=True)
    assert final.shape == (b, h, p, n)
    allclose(final, truth_final)


def test_not_implemented_options_name_themselves():
    t = inputs()
    for option, value in (("seq_idx", torch.zeros(2, 21, dtype=torch.int32)),
                          ("cu_seqlens", torch.tensor([0, 21])),
                          ("return_varlen_states", True)):
        with pytest.raises(NotImplementedError, match=option):
            call(t, 8, **{option: value})
    with pytest.raises(NotImplementedError, match="ssdc.ssd.step"):
        ssdc.ssd.step(None)


@pytest.mark.parametrize("change,error,pattern", [
    (lambda t: t.update(x=t["x"][..., :7]), ValueError, "'z' must have shape"),
    (lambda t: t.update(dt=t["dt"][:, :20]), ValueError, "'dt' must have shape .2, 21, 4."),
    (lambda t: t.update(A=t["A"][:3]), ValueError, "'A' must have shape .4,."),
    (lambda t: t.update(B=t["B"][:, :, :, :3]), ValueError, "'C' must have shape"),
    (lambda t: t.update(B=t["B"][:1]), ValueError, "'B' must be .batch"),
    (lambda t: t.update(D=torch.zeros(5)), ValueError, "'D' must have shape .4,."),
    (lambda t: t.update(initial_states=torch.zeros(2, 4, 8, 5)), ValueError,
     "'initial_states' must have shape"),
    (lambda t: t.update(x=t["x"].double()), TypeError, "'x' must hold float32, float16"),
    (lambda t: t.update(dt=t["dt"].double()), TypeError, "'dt' must hold float32, not float64"),
    (lambda t: t.update(C=t["C"].half()), TypeError, "'C' must hold float32, not float16"),
    (lambda t: t.update(z=t["z"].transpose(2, 3).contiguous().transpose(2, 3)), ValueError,
     "'z': its last dimension must be contiguous"),
    (lambda t: t.update(D=torch.zeros(8, 4).t()), ValueError, "'D' must be contiguous"),
    (lambda t: t.update(A=[1.0] * 4), TypeError, "'A' must be an array"),
    (lambda t: t.update(B=torch.zeros(2, 21, 3, 4), C=torch.zeros(2, 21, 3, 4)), ValueError,
     "groups .3. must divide heads .4."),
])
def test_argument_errors_name_the_argument(change, error, pattern):
    t = inputs(options=("D", "z", "init"))
    change(t)
    with pytest.raises(error, match=pattern):
        call(t, 8)


def test_chunk_size_errors():
    t = inputs()
    with pytest.raises(TypeError, match="'chunk_size' must be an int"):
        call(t, 8.0)
    with pytest.raises(ValueError, match="chunk"):
        call(t, 0)
    with pytest.raises(ValueError, match="chunk"):
        call(t, 257)


def test_kernelbench_errors_use_its_names():
    X, A = torch.rand(1, 8, 2, 4), torch.randn(1, 8, 2)
    B = torch.randn(1, 8, 2, 4)
    with pytest.raises(ValueError, match="'A' must have shape .1, 8, 2."):
        ssdc.ssd.kernelbench(X, A[:, :4], B, B, 4)
    with pytest.raises(ValueError, match="one group per head"):
        ssdc.ssd.kernelbench(X, A, B[:, :, :1], B[:, :, :1], 4)
    with pytest.raises(TypeError, match="'X' must hold"):
        ssdc.ssd.kernelbench(X.double(), A, B, B, 4)


def test_a_plan_is_reused_and_rechecked_for_new_shapes():
    t = inputs(seed=11)
    first = call(t, 8)
    count = len(ssdc.ssd._plans)
    second = call(inputs(seed=12), 8)
    assert len(ssdc.ssd._plans) == count  # same problem: same plan
    assert not torch.equal(first, second)
    call(inputs(s=9, seed=13), 8)
    assert len(ssdc.ssd._plans) == count + 1
    assert math.isfinite(float(second.abs().sum()))


def test_the_cuda_plan_key_changes_with_every_shape_stride_dtype_and_device():
    """plan_key is what a CUDA call looks its plan up by (no other check runs
    on a hit): any change of a tensor's shape, strides, dtype or device, or of
    an option, must give another key, so that the new problem is checked."""
    t = inputs(seed=3, options=("D", "z", "bias", "init"))
    names = ("x", "dt", "A", "B", "C", "D", "z", "dt_bias", "initial_states")

    def key(changes={}, form="mamba", chunk=8, options=(True, True, False), ordinal=0):
        v = {name: changes.get(name, t[name]) for name in names}
        return ssdc.ssd.plan_key(form, v["x"], v["dt"], v["A"], v["B"], v["C"], chunk, v["D"],
                                 v["z"], v["dt_bias"], v["initial_states"], *options, ordinal)

    base = key()
    assert key({name: t[name].clone() for name in names}) == base  # metadata alone counts
    keys = {base}
    for name in names:
        tensor = t[name]
        variants = [tensor.double(),                                  # dtype
                    tensor.reshape(-1)[:-1] if tensor.numel() > 1 else tensor.reshape(1, 1)]
        if tensor.dim() >= 2:                                         # strides, same shape
            variants.append(tensor.transpose(0, 1).contiguous().transpose(0, 1))
        if name != "x":  # x's device is the key's ordinal, below
            variants.append(_OtherDevice(tensor))                     # device
        for variant in variants:
            changed = key({name: variant})
            assert changed not in keys, (name, variant)
            keys.add(changed)
    for name in ("D", "z", "dt_bias", "initial_states"):
        keys.add(key({name: None}))
    for other in (key(form="kernelbench"), key(chunk=16), key(options=(False, True, False)),
                  key(options=(True, False, True)), key(ordinal=1)):
        assert other not in keys
        keys.add(other)


class _OtherDevice:
    """A tensor's metadata as it would read on CUDA device 1."""

    def __init__(self, tensor):
        self.tensor = tensor
        self.shape, self.dtype = tensor.shape, tensor.dtype

    def stride(self):
        return self.tensor.stride()

    def get_device(self):
        return 1
