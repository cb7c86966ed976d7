"""nn.Modules over ssdc.ssd.

* Mamba2ReturnY, Mamba2ReturnFinalState: KernelBench level 3 problems 48 and
  49 with the reference Model's constructor, parameters (A, B, C, drawn with
  torch.randn in that order, so a seed gives the same values) and forward
  signature; load_state_dict of the reference Model's state works.
* Mamba2SSD: the SSD a Mamba2 layer calls in place of mamba_ssm's
  mamba_chunk_scan_combined.
"""
import torch
from torch import nn

from . import ssd


class Mamba2ReturnY(nn.Module):
    """KernelBench 48: forward(X, initial_states=None) -> Y (b, s, h, p)."""

    def __init__(self, batch_size, seq_length, n_heads, d_head, d_state, block_len=64):
        super().__init__()
        self.batch_size, self.seq_length, self.n_heads = batch_size, seq_length, n_heads
        self.d_head, self.d_state, self.block_len = d_head, d_state, block_len
        self.A = nn.Parameter(torch.randn(batch_size, seq_length, n_heads))
        self.B = nn.Parameter(torch.randn(batch_size, seq_length, n_heads, d_state))
        self.C = nn.Parameter(torch.randn(batch_size, seq_length, n_heads, d_state))

    def forward(self, X, initial_states=None):
        return ssd.kernelbench(X, self.A, self.B, self.C, self.block_len,
                               initial_states=initial_states)


class Mamba2ReturnFinalState(Mamba2ReturnY):
    """KernelBench 49: forward(X, initial_states=None) -> the final state
    (b, h, p, n)."""

    def forward(self, X, initial_states=None):
        return ssd.kernelbench(X, self.A, self.B, self.C, self.block_len,
                               initial_states=initial_states, return_final_state=True)


class Mamba2SSD(nn.Module):
    """The SSD of a Mamba2 layer (mamba_ssm's Mamba2.forward calls
    mamba_chunk_scan_combined with these arguments):

        ssd = Mamba2SSD(chunk_size=256, dt_softplus=True)
        y = ssd(x, dt, A, B, C, D=D, z=z, dt_bias=dt_bias)

    x (b,s,h,p), dt (b,s,h), A (h), B and C (b,s,g,n); the layer keeps its own
    parameters (A_log, D, dt_bias) and passes them in.

    Past one GPU (ssdc.distributed): with heads split over `process_group`
    (tensor parallelism), each rank calls the module with the heads and groups
    `self.head_shard(nheads, ngroups)` gives it, and nothing crosses ranks;
    with `sequence_parallel=True` each rank passes its contiguous piece of the
    sequence (and the full A, D, dt_bias) and the ranks exchange one
    (decay, state) pair each."""

    def __init__(self, chunk_size=256, dt_softplus=True, dt_limit=(0.0, float("inf")),
                 process_group=None, sequence_parallel=False):
        super().__init__()
        self.chunk_size, self.dt_softplus, self.dt_limit = chunk_size, dt_softplus, dt_limit
        self.process_group, self.sequence_parallel = process_group, sequence_parallel

    def head_shard(self, nheads, ngroups):
        """This rank's heads and B/C groups under head parallelism."""
        from . import distributed
        return distributed.head_shard(nheads, ngroups, self.process_group)

    def forward(self, x, dt, A, B, C, D=None, z=None, dt_bias=None, initial_states=None,
                return_final_states=False):
        options = dict(D=D, z=z, dt_bias=dt_bias, initial_states=initial_states,
                       dt_softplus=self.dt_softplus, dt_limit=self.dt_limit,
                       return_final_states=return_final_states)
        if self.sequence_parallel:
            from . import distributed
            return distributed.sequence_parallel_chunk_scan(x, dt, A, B, C, self.chunk_size,
                                                            group=self.process_group, **options)
        return ssd.chunk_scan(x, dt, A, B, C, self.chunk_size, **options)

    def extra_repr(self):
        return f"chunk_size={self.chunk_size}, dt_softplus={self.dt_softplus}"
