"""ssdc.torch: KernelBench 48/49's modules as drop-ins for the reference
Model (load_state_dict, same outputs), and Mamba2SSD."""
import pytest
import torch

import ssdc
import ssdc.torch as st
from reference import KernelBenchModel, allclose, ssd_recurrence

SHAPE = dict(batch_size=2, seq_length=16, n_heads=2, d_head=4, d_state=4, block_len=8)


@pytest.mark.parametrize("module,final_state", [(st.Mamba2ReturnY, False),
                                                (st.Mamba2ReturnFinalState, True)])
def test_drop_in_for_the_kernelbench_model(module, final_state):
    torch.manual_seed(0)
    reference = KernelBenchModel(*SHAPE.values(), final_state=final_state)
    torch.manual_seed(0)  # the same draws in the same order: the same parameters
    ours = module(*SHAPE.values())
    assert {k: v.shape for k, v in ours.state_dict().items()} == \
        {k: v.shape for k, v in reference.state_dict().items()}
    assert all(torch.equal(ours.state_dict()[k], v) for k, v in reference.state_dict().items())

    ours = module(*SHAPE.values())  # fresh parameters, then the reference's
    ours.load_state_dict(reference.state_dict())
    X = torch.rand(SHAPE["batch_size"], SHAPE["seq_length"], SHAPE["n_heads"], SHAPE["d_head"])
    with torch.no_grad():
        got, expected = ours(X), reference(X)
    assert got.shape == expected.shape
    # KernelBench's check against its fp32 Model, and against float64.
    assert torch.allclose(got, expected, atol=1e-4, rtol=1e-4)
    truth_y, truth_final = ssd_recurrence(X, ours.A.detach(), None, ours.B.detach(),
                                          ours.C.detach(), kernelbench=True)
    allclose(got, truth_final if final_state else truth_y)


def test_kernelbench_module_takes_initial_states():
    torch.manual_seed(1)
    reference = KernelBenchModel(*SHAPE.values())
    ours = st.Mamba2ReturnY(*SHAPE.values())
    ours.load_state_dict(reference.state_dict())
    X = torch.rand(2, 16, 2, 4)
    init = torch.randn(2, 1, 2, 4, 4)
    with torch.no_grad():
        assert torch.allclose(ours(X, init), reference(X, init), atol=1e-4, rtol=1e-4)


def test_mamba2_ssd_module():
    gen = torch.Generator().manual_seed(2)
    b, s, h, p, n = 1, 12, 4, 8, 4
    x = torch.rand(b, s, h, p, generator=gen) - 0.5
    dt = torch.randn(b, s, h, generator=gen)
    A = -torch.rand(h, generator=gen) - 0.5
    B, C = torch.rand(b, s, 1, n, generator=gen), torch.rand(b, s, 1, n, generator=gen)
    D, dt_bias = torch.rand(h, generator=gen), torch.rand(h, generator=gen) - 0.5
    z = torch.rand(b, s, h, p, generator=gen)
    module = st.Mamba2SSD(chunk_size=8)
    y, final = module(x, dt, A, B, C, D=D, z=z, dt_bias=dt_bias, return_final_states=True)
    truth_y, truth_final = ssd_recurrence(x, dt, A, B, C, D=D, z=z, dt_bias=dt_bias,
                                          dt_softplus=True)
    allclose(y, truth_y)
    allclose(final, truth_final)
    assert "chunk_size=8" in repr(module)


def test_custom_ops_where_torch_has_custom_op():
    x, dt = torch.rand(1, 8, 2, 4), torch.rand(1, 8, 2)
    A, B = -torch.rand(2), torch.rand(1, 8, 1, 4)
    if not hasattr(torch.library, "custom_op"):  # Debian's torch 1.13
        assert ssdc.ssd._compiling() is False
        assert not hasattr(ssdc, "_ops")
        return
    y, final = torch.ops.ssdc.chunk_scan(x, dt, A, B, B, 4, None, None, None, None, False, True)
    expected_y, expected_final = ssdc.ssd.chunk_scan(x, dt, A, B, B, 4, return_final_states=True)
    assert torch.equal(y, expected_y) and torch.equal(final, expected_final)
