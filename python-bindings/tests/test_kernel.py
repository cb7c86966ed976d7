"""Package.kernel(name): host-target runs on NumPy arrays and CPU tensors
against float64, and every argument error, each naming the argument."""
import os

import numpy as np
import pytest
import torch

import ssdc
from conftest import REPO
from reference import OnlyDlpack


@pytest.fixture(scope="module")
def scale_add():
    path = os.path.join(REPO, "examples", "first-kernel", "scale_add.mlir")
    return ssdc.compile(path, cubins=False).kernel("scale_add")


@pytest.fixture(scope="module")
def segsum_exp():
    path = os.path.join(REPO, "kernels", "segsum_exp.mlir")
    return ssdc.compile(path, configs={"BLOCK_M": 16, "BLOCK_N": 16}, cubins=False).kernel(
        "segsum_exp")


def test_numpy_arrays_run_on_the_host(scale_add):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(300).astype(np.float32)
    y = rng.standard_normal(300).astype(np.float32)
    expected = 3.0 * x.astype(np.float64) + y.astype(np.float64)
    report = scale_add(x, y, 300, 3)
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    assert report["source"] == "host"
    assert report["grid"] == (2, 1, 1)  # cdiv(300, BLOCK=256)
    assert scale_add.last_launch is report


def test_cpu_tensors_by_name_and_position(scale_add):
    x = torch.arange(10, dtype=torch.float32)
    y = torch.ones(10)
    scale_add(x, y=y, a=-2, n=7)  # n < 10: elements past n stay
    expected = torch.ones(10, dtype=torch.float64)
    expected[:7] += -2.0 * torch.arange(7, dtype=torch.float64)
    assert torch.equal(y.double(), expected)


def test_segsum_exp_against_float64(segsum_exp):
    B, T = 2, 37
    cs = torch.cumsum(torch.rand(B, T) - 0.5, dim=1)
    out = torch.full((B, T, T), float("nan"))
    segsum_exp(cs, out, B, T)
    c = cs.double()
    truth = torch.exp(c[:, :, None] - c[:, None, :]).tril()
    assert torch.allclose(out.double(), truth, atol=1e-6, rtol=1e-5)


def test_too_many_and_missing_arguments(scale_add):
    x = np.zeros(4, np.float32)
    with pytest.raises(TypeError, match="takes 4 arguments"):
        scale_add(x, x, 4, 1, 5)
    with pytest.raises(TypeError, match="missing argument.*a"):
        scale_add(x, x, 4)
    with pytest.raises(TypeError, match="no argument 'b'"):
        scale_add(x, x, 4, b=1)
    with pytest.raises(TypeError, match="'n' twice"):
        scale_add(x, x, 4, 1, n=4)


def test_scalar_arguments(scale_add):
    x = np.zeros(4, np.float32)
    with pytest.raises(TypeError, match="'n' must be an int, not float"):
        scale_add(x, x, 4.0, 1)
    with pytest.raises(ValueError, match="'n' = 9223372036854775808 is outside i64"):
        scale_add(x, x, 2**63, 1)
    with pytest.raises(TypeError, match="'a' must be a number, not bool"):  # a: f32
        scale_add(x, x, 4, True)
    with pytest.raises(TypeError, match="'a' must be a number, not str"):
        scale_add(x, x, 4, "2")
    scale_add(x, x, np.int64(4), np.float32(1.5))  # NumPy scalars are numbers


def test_buffer_arguments(scale_add):
    x = np.zeros(8, np.float32)
    with pytest.raises(TypeError, match="'x' must be an array"):
        scale_add([0.0] * 8, x, 8, 1)
    with pytest.raises(TypeError, match="'y' must hold f32, not float64"):
        scale_add(x, np.zeros(8), 8, 1)
    with pytest.raises(TypeError, match="'x' must hold f32, not int32"):
        scale_add(torch.zeros(8, dtype=torch.int32), x, 8, 1)
    with pytest.raises(ValueError, match="'x' must be contiguous"):
        scale_add(np.zeros(16, np.float32)[::2], x, 8, 1)
    readonly = np.zeros(8, np.float32)
    readonly.flags.writeable = False
    scale_add(readonly, x, 8, 1)  # x is only read
    with pytest.raises(ValueError, match="'y' is written by the kernel but read-only"):
        scale_add(x, readonly, 8, 1)


class FakeCudaArray:
    """A CUDA array as __cuda_array_interface__ describes one (never launched)."""

    def __init__(self, n, typestr="<f4"):
        self.__cuda_array_interface__ = {"shape": (n,), "typestr": typestr,
                                         "data": (0x1000, False), "version": 3,
                                         "strides": None}


def test_buffers_on_different_devices(scale_add):
    with pytest.raises(ValueError, match="'y' is on cpu:0 but the first buffer is on cuda:0"):
        scale_add(FakeCudaArray(8), np.zeros(8, np.float32), 8, 1)
    with pytest.raises(TypeError, match="'x' must hold f32, not <f2"):
        scale_add(FakeCudaArray(8, "<f2"), np.zeros(8, np.float32), 8, 1)


def test_dlpack_arrays_are_read(scale_add):
    x = np.arange(5, dtype=np.float32)
    y = np.zeros(5, np.float32)
    scale_add(OnlyDlpack(x), OnlyDlpack(y), 5, 2)
    np.testing.assert_array_equal(y, 2 * x)


def test_a_too_small_buffer_is_an_error_not_a_read_past_it(scale_add):
    x = np.zeros(4, np.float32)
    with pytest.raises(ValueError, match="scale_add"):
        scale_add(x, np.zeros(8, np.float32), 8, 1)


def test_a_loaded_package_without_source_cannot_run_on_the_host(scale_add):
    package = ssdc.load(scale_add.package.to_bytes())
    x = np.zeros(4, np.float32)
    with pytest.raises(RuntimeError, match="need the kernel's source"):
        package.kernel("scale_add")(x, x, 4, 1)
    with_source = ssdc.load(scale_add.package.to_bytes(), source=scale_add.package.source)
    with_source.kernel("scale_add")(x, x, 4, 1)
