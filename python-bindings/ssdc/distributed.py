"""The SSD forward past one GPU, over torch.distributed (docs/python.md, "Past one GPU").

Two ways to split a Mamba2 SSD across the ranks of a process group; ssdc adds no
communication layer of its own, only what the process group (NCCL on GPUs, gloo
on CPUs) already offers:

* **Head-parallel** (tensor parallelism as in Megatron-LM and vLLM): each rank
  holds the heads ``head_shard(...)`` gives it and the B/C groups those heads
  read. Nothing crosses ranks: the SSD of one head never reads another head.

      shard = head_shard(nheads, ngroups, group)
      y_local = chunk_scan(x[:, :, shard.heads], ..., B[:, :, shard.groups], ...)

* **Sequence-parallel** (context-parallel prefill): rank r holds the r-th
  contiguous piece of the sequence. The state entering a piece follows from the
  pieces before it through the associative composition of (decay, state) pairs,

      (a1, s1) then (a2, s2) = (a1 * a2, a2 * s1 + s2),

  where a piece's pair is its total decay exp(sum of dA over its tokens) and its
  final state from a zero initial state. Each rank computes its pair (a forward
  that returns only the final state), the ranks exchange the pairs in one
  all_gather of b*h*(p*n + 1) floats per rank, whatever the sequence length, and
  each rank folds the pairs before it into its incoming state and runs its
  outputs from it. Decays travel as logarithms so that KernelBench's positive
  log-decays cannot overflow in the exchange.
"""
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn.functional as F

from . import ssd


@dataclass(frozen=True)
class HeadShard:
    """The heads and B/C groups one rank owns: slices of the head and group axes."""
    heads: slice
    groups: slice


def head_shard(nheads, ngroups, group=None, rank=None, world_size=None):
    """The heads and groups of `rank` (default: this process's rank in `group`)
    when `nheads` heads in `ngroups` B/C groups are split evenly over the
    group's ranks. With one group it is replicated on every rank; otherwise
    each rank's heads must cover whole groups (ngroups divisible by the number
    of ranks), so that B/C split the same way as the heads."""
    if world_size is None:
        world_size = dist.get_world_size(group)
    if rank is None:
        rank = dist.get_rank(group)
    if nheads <= 0 or ngroups <= 0 or nheads % ngroups:
        raise ValueError(f"head_shard: ngroups ({ngroups}) must divide nheads ({nheads})")
    if nheads % world_size:
        raise ValueError(f"head_shard: nheads ({nheads}) is not divisible by the "
                         f"{world_size} ranks")
    if not 0 <= rank < world_size:
        raise ValueError(f"head_shard: rank {rank} is not in [0, {world_size})")
    per_rank = nheads // world_size
    heads = slice(rank * per_rank, (rank + 1) * per_rank)
    if ngroups == 1:
        return HeadShard(heads, slice(0, 1))
    if ngroups % world_size:
        raise ValueError(f"head_shard: {ngroups} B/C groups cannot be split consistently over "
                         f"{world_size} ranks (each rank's {per_rank} heads would read a part "
                         f"of a group); use ngroups = 1 or a multiple of the rank count")
    groups_per_rank = ngroups // world_size
    return HeadShard(heads, slice(rank * groups_per_rank, (rank + 1) * groups_per_rank))


def _log_decay_total(dt, A, dt_bias, dt_softplus, dt_limit):
    """sum over this piece's tokens of dA = dt' * A[h], per (batch, head), in
    float32: dt' = dt + dt_bias, softplus when asked, clamped to dt_limit (the
    mamba parameterisation of shared/reference/ssd_reference.py)."""
    dt = dt.float()
    if dt_bias is not None:
        dt = dt + dt_bias.float()
    if dt_softplus:
        dt = F.softplus(dt)
    dt = dt.clamp(min=dt_limit[0], max=dt_limit[1])
    return (dt * A.float()).sum(dim=1)


def _incoming_state(log_decay, final, group):
    """The state entering this rank's piece and the exchange's size: one
    all_gather of (log decay, state) per rank, then the fold of the pairs of
    the ranks before this one (rank 0's pair already starts from the
    sequence's initial state)."""
    b, h, p, n = final.shape
    pair = torch.cat([log_decay.reshape(b, h, 1), final.float().reshape(b, h, p * n)], dim=2)
    pairs = [torch.empty_like(pair) for _ in range(dist.get_world_size(group))]
    dist.all_gather(pairs, pair.contiguous(), group=group)
    state = torch.zeros(b, h, p * n, dtype=torch.float32, device=final.device)
    for before in pairs[:dist.get_rank(group)]:
        state = torch.exp(before[..., :1]) * state + before[..., 1:]
    return state.reshape(b, h, p, n)


def sequence_parallel_chunk_scan(x, dt, A, B, C, chunk_size, D=None, z=None, dt_bias=None,
                                 initial_states=None, dt_softplus=False,
                                 dt_limit=(0.0, float("inf")), return_final_states=False,
                                 final_states_on_all_ranks=False, group=None):
    """ssdc.ssd.chunk_scan over a sequence split across `group`'s ranks: each
    rank passes its own contiguous piece of x, dt, B, C and z (rank order is
    sequence order; pieces may have different lengths and need not be
    multiples of chunk_size) and the full A, D and dt_bias. `initial_states`
    is the state entering the whole sequence and is read on rank 0 only.
    Returns this rank's piece of the output, and with `return_final_states`
    the final state of the whole sequence: on the last rank, or on every rank
    with `final_states_on_all_ranks` (elsewhere None)."""
    rank, world_size = dist.get_rank(group), dist.get_world_size(group)
    own_initial = initial_states if rank == 0 else None
    options = dict(D=D, z=z, dt_bias=dt_bias, dt_softplus=dt_softplus, dt_limit=dt_limit)
    b, _, h, p = x.shape
    if rank < world_size - 1:
        piece_final = ssd.final_states(x, dt, A, B, C, chunk_size, dt_bias=dt_bias,
                                       initial_states=own_initial, dt_softplus=dt_softplus,
                                       dt_limit=dt_limit)
    else:  # no rank reads the last piece's pair: send zeros, skip the pass
        piece_final = torch.zeros(b, h, p, B.shape[-1], dtype=torch.float32, device=x.device)
    log_decay = _log_decay_total(dt, A, dt_bias, dt_softplus, dt_limit)
    incoming = _incoming_state(log_decay, piece_final, group)  # a collective: every rank
    if rank == 0:
        incoming = own_initial
    y, final = ssd.chunk_scan(x, dt, A, B, C, chunk_size, initial_states=incoming,
                              return_final_states=True, **options)
    if not return_final_states:
        return y
    if final_states_on_all_ranks:
        final = final.contiguous()
        dist.broadcast(final, src=_global_rank(group, world_size - 1), group=group)
        return y, final
    return y, (final if rank == world_size - 1 else None)


def _global_rank(group, group_rank):
    """The global rank of `group_rank` in `group` (collectives take global
    ranks; the public spelling arrived in PyTorch 2.0)."""
    if group is None or group is dist.group.WORLD:
        return group_rank
    lookup = getattr(dist, "get_global_rank", None) or dist.distributed_c10d._get_global_rank
    return lookup(group, group_rank)


def exchanged_bytes(batch, nheads, headdim, dstate):
    """Bytes each rank contributes to the sequence-parallel exchange: one
    float32 log decay and one float32 (p, n) state per (batch, head)."""
    return batch * nheads * (headdim * dstate + 1) * 4
