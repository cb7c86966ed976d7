"""What the CPU tests and the GPU check (bench/python/check_python.py) share:
float64 references written here, the SSD token by token (no chunks, so it
checks the chunked kernels independently) and KernelBench's chunked Model for
problems 48/49 (its parameters, its forward, in fp32) to load state dicts
from; the SSD's test inputs; a DLPack-only array."""
import torch
import torch.nn.functional as F


def ssd_recurrence(x, dt, A, B, C, D=None, z=None, dt_bias=None, dt_softplus=False,
                   initial_states=None, kernelbench=False):
    """(y, final state) in float64. kernelbench: dt holds A per token and x is
    not scaled by dt."""
    x, dt, B, C = (torch.as_tensor(t).double() for t in (x, dt, B, C))
    b, s, h, p = x.shape
    g, n = B.shape[2], B.shape[3]
    if kernelbench:
        decay, X = dt, x
    else:
        if dt_bias is not None:
            dt = dt + torch.as_tensor(dt_bias).double()
        if dt_softplus:
            dt = F.softplus(dt)
        decay, X = dt * torch.as_tensor(A).double(), x * dt[..., None]
    Bh, Ch = B.repeat_interleave(h // g, dim=2), C.repeat_interleave(h // g, dim=2)
    state = (torch.zeros(b, h, p, n, dtype=torch.float64, device=x.device)
             if initial_states is None
             else torch.as_tensor(initial_states).double().reshape(b, h, p, n).clone())
    y = torch.empty(b, s, h, p, dtype=torch.float64, device=x.device)
    for t in range(s):
        state = (state * torch.exp(decay[:, t])[..., None, None]
                 + X[:, t, :, :, None] * Bh[:, t, :, None, :])
        y[:, t] = torch.einsum("bhpn,bhn->bhp", state, Ch[:, t])
    if D is not None:
        D = torch.as_tensor(D).double()
        y = y + x * (D[:, None] if D.dim() == 1 else D)
    if z is not None:
        y = y * F.silu(torch.as_tensor(z).double())
    return y, state


def segsum(x):
    T = x.size(-1)
    cs = torch.cumsum(x, dim=-1)
    out = cs[..., :, None] - cs[..., None, :]
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device))
    return out.masked_fill(~mask, -torch.inf)


class KernelBenchModel(torch.nn.Module):
    """KernelBench level 3 problems 48/49's Model: the same constructor,
    parameters and chunked forward (reshapes in place of einops)."""

    def __init__(self, batch_size, seq_length, n_heads, d_head, d_state, block_len=64,
                 final_state=False):
        super().__init__()
        self.block_len, self.final_state = block_len, final_state
        self.A = torch.nn.Parameter(torch.randn(batch_size, seq_length, n_heads))
        self.B = torch.nn.Parameter(torch.randn(batch_size, seq_length, n_heads, d_state))
        self.C = torch.nn.Parameter(torch.randn(batch_size, seq_length, n_heads, d_state))

    def forward(self, X, initial_states=None):
        b, s, h, p = X.shape
        L, c = self.block_len, s // self.block_len
        Xb, Ab, Bb, Cb = (t.reshape(b, c, L, *t.shape[2:]) for t in (X, self.A, self.B, self.C))
        Ab = Ab.permute(0, 3, 1, 2)
        A_cs = torch.cumsum(Ab, dim=-1)
        Y_diag = torch.einsum("bclhn,bcshn,bhcls,bcshp->bclhp", Cb, Bb, torch.exp(segsum(Ab)), Xb)
        decay = torch.exp(A_cs[:, :, :, -1:] - A_cs)
        states = torch.einsum("bclhn,bhcl,bclhp->bchpn", Bb, decay, Xb)
        if initial_states is None:
            initial_states = torch.zeros_like(states[:, :1])
        states = torch.cat([initial_states, states], dim=1)
        decay_chunk = torch.exp(segsum(F.pad(A_cs[:, :, :, -1], (1, 0))))
        new_states = torch.einsum("bhzc,bchpn->bzhpn", decay_chunk, states)
        if self.final_state:
            return new_states[:, -1]
        Y_off = torch.einsum("bclhn,bchpn,bhcl->bclhp", Cb, new_states[:, :-1], torch.exp(A_cs))
        return (Y_diag + Y_off).reshape(b, s, h, p)


def allclose(actual, expected, atol=1e-4, rtol=1e-4):
    """KernelBench's check against a float64 truth, with the worst element."""
    actual = torch.as_tensor(actual).double()
    expected = torch.as_tensor(expected).double()
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert torch.isfinite(actual).all(), "NaN or Inf in the output"
    diff = (actual - expected).abs()
    bad = diff > atol + rtol * expected.abs()
    assert not bad.any(), f"{int(bad.sum())} elements off; max abs error {diff.max().item():.3e}"


def mamba_inputs(shape, options=(), seed=0, device="cpu", dtype=torch.float32):
    """chunk_scan's keyword arguments for shape (b, s, h, p, n, g) and options
    among D, Dp, z, bias, softplus, init, strided (x, z, B, C as slices of one
    projection with NaN between them); x, z, B, C in `dtype`."""
    b, s, h, p, n, g = shape
    gen = torch.Generator(device=device).manual_seed(seed)
    uniform = lambda *size: torch.rand(*size, device=device, generator=gen)  # noqa: E731
    r = lambda *size: uniform(*size) * 2 - 1  # noqa: E731
    t = dict(x=r(b, s, h, p), dt=uniform(b, s, h) * 0.3 + 0.01,
             A=-(uniform(h) * 1.5 + 0.25), B=r(b, s, g, n), C=r(b, s, g, n))
    if "D" in options:
        t["D"] = r(h)
    if "Dp" in options:
        t["D"] = r(h, p)
    if "z" in options:
        t["z"] = r(b, s, h, p)
    if "bias" in options:
        t["dt_bias"] = r(h) * 0.5
    if "init" in options:
        t["initial_states"] = r(b, h, p, n)
    if "softplus" in options:
        t["dt"] = -(uniform(b, s, h) * 2 + 1)
        t["dt_softplus"] = True
    for name in ("x", "z", "B", "C"):
        if name in t:
            t[name] = t[name].to(dtype)
    if "strided" in options:
        parts = [name for name in ("z", "x", "B", "C") if name in t]
        widths = [t[name][0, 0].numel() for name in parts]
        proj = torch.full((b, s, sum(widths) + 3), float("nan"), device=device, dtype=dtype)
        at = 0
        for name, width in zip(parts, widths):
            view = proj[:, :, at:at + width].view(t[name].shape)
            view.copy_(t[name])
            t[name] = view
            at += width
    return t


class OnlyDlpack:
    """An array seen only through __dlpack__ (what JAX arrays offer)."""

    def __init__(self, array):
        self.array = array

    def __dlpack__(self, **kwargs):
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.array.__dlpack_device__()
