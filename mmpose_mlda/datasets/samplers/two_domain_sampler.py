"""Infinite, DDP-aware, resumable sampler that mixes two domains per batch."""
import math
from typing import Iterator, List, Optional, Sequence

import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from mmpose.registry import DATA_SAMPLERS

# Added to the seed of the target domain's permutations so that source and
# target never share a random stream (``seed + e`` for the source,
# ``seed + e + 2**32`` for the target; both taken modulo 2**64).
_DOMAIN_SEED_OFFSETS = (0, 1 << 32)
_SEED_MOD = 1 << 64


@DATA_SAMPLERS.register_module()
class TwoDomainSampler(Sampler):
    """Infinite sampler whose every batch is ``n_src`` source indices followed
    by ``n_tgt`` target indices.

    Built for :class:`DomainAdaptationDataset` (or any dataset exposing
    ``source_size`` and ``target_size``), whose indices ``[0, source_size)``
    are source samples and ``[source_size, source_size + target_size)``
    target samples. Like mmengine's ``InfiniteSampler`` it never stops, so it
    is meant for iteration-based training.

    Index arithmetic (per domain ``d`` with ``N_d`` samples and ``n_d`` slots
    per batch):

    * Domain ``d`` has an endless *stream* made of passes ``e = 0, 1, ...``;
      pass ``e`` is a permutation ``perm_e`` of ``range(N_d)`` drawn from a
      ``torch.Generator`` seeded with ``seed + e + offset_d`` (the identity
      when ``shuffle=False``). Every pass visits each sample exactly once.
    * The ``n_d`` slots of domain ``d`` in batch ``b`` on rank ``r`` (of
      ``W`` ranks) read stream positions
      ``p = (b * W + r) * n_d + j`` for ``j in range(n_d)``, i.e. the global
      stream is cut into chunks of ``n_d`` dealt round-robin to the ranks, so
      ranks are disjoint and together consume the stream without gaps.
    * ``index = perm_{p // N_d}[p % N_d]``, plus ``source_size`` for the
      target domain.

    Because any position is computed directly from ``(b, r, j)``,
    :meth:`set_start_batch` resumes at any batch without touching (loading)
    the skipped ones, and the result is fully deterministic for a seed.

    The sampler is not told the dataloader's batch size, so ``batch_size``
    must be given here **and** be equal to the dataloader's ``batch_size``
    (mmengine's ``Runner.build_dataloader`` builds a sampler from
    ``sampler=dict(...)`` with only ``dataset`` and ``seed`` added); a
    mismatch silently mixes domains inside batches.
    :meth:`check_dataloader` verifies a built dataloader. Config example::

        batch_size = 32
        train_dataloader = dict(
            batch_size=batch_size,
            sampler=dict(type='TwoDomainSampler', batch_size=batch_size,
                         source_ratio=0.5),
            dataset=dict(type='DomainAdaptationDataset', source=...,
                         target=...))

    Args:
        dataset: Dataset with ``source_size`` and ``target_size``.
        batch_size (int): Samples per batch on each rank; must equal the
            dataloader's ``batch_size``. At least 2.
        source_ratio (float, optional): Fraction of each batch taken from the
            source, ``n_src = round(batch_size * source_ratio)`` (halves round
            up). Defaults to 0.5 when ``num_source`` is not given.
        num_source (int, optional): Exact number of source samples per batch.
            Mutually exclusive with ``source_ratio``.
        shuffle (bool): Shuffle each pass of each domain. Defaults to True.
        seed (int, optional): Base seed. If None, a random seed synchronised
            across ranks (``mmengine.dist.sync_random_seed``) is used.
    """

    def __init__(self,
                 dataset,
                 batch_size: int,
                 source_ratio: Optional[float] = None,
                 num_source: Optional[int] = None,
                 shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        missing = [
            attr for attr in ('source_size', 'target_size')
            if not hasattr(dataset, attr)
        ]
        if missing:
            raise TypeError(
                f'TwoDomainSampler needs a two-domain dataset with '
                f'`source_size` and `target_size`, but '
                f'{type(dataset).__name__} has no {", ".join(missing)}; use '
                "dataset=dict(type='DomainAdaptationDataset', source=..., "
                'target=...) (and no `num_batch_per_epoch`, which wraps the '
                'dataset).')
        self.dataset = dataset
        self.source_size = int(dataset.source_size)
        self.target_size = int(dataset.target_size)
        if self.source_size <= 0 or self.target_size <= 0:
            raise ValueError(
                'TwoDomainSampler needs non-empty domains, got source_size='
                f'{self.source_size}, target_size={self.target_size}.')
        if hasattr(dataset, '__len__') and len(dataset) != (self.source_size +
                                                            self.target_size):
            raise ValueError(
                f'len(dataset)={len(dataset)} differs from source_size + '
                f'target_size = {self.source_size} + {self.target_size}; the '
                'dataset must be exactly source samples then target samples.')

        if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
                or batch_size < 2:
            raise ValueError(
                'TwoDomainSampler batch_size must be an int >= 2 (at least '
                f'one source and one target sample), got {batch_size!r}.')
        self.batch_size = batch_size
        self.num_source = self._resolve_num_source(batch_size, source_ratio,
                                                   num_source)
        self.num_target = batch_size - self.num_source

        rank, world_size = get_dist_info()
        self.rank = rank
        self.world_size = world_size
        self.shuffle = shuffle
        if seed is None:
            seed = sync_random_seed()
        self.seed = int(seed)
        self.start_batch = 0

    @staticmethod
    def _resolve_num_source(batch_size: int, source_ratio: Optional[float],
                            num_source: Optional[int]) -> int:
        if source_ratio is not None and num_source is not None:
            raise ValueError(
                'Give TwoDomainSampler either source_ratio or num_source, '
                f'not both (got source_ratio={source_ratio}, '
                f'num_source={num_source}).')
        if num_source is not None:
            if isinstance(num_source, bool) or not isinstance(
                    num_source, int) or not 1 <= num_source < batch_size:
                raise ValueError(
                    f'TwoDomainSampler num_source must be an int in [1, '
                    f'batch_size - 1] = [1, {batch_size - 1}] so that each '
                    f'batch has both domains, got {num_source!r}.')
            return num_source
        if source_ratio is None:
            source_ratio = 0.5
        if not isinstance(source_ratio, (int, float)) or isinstance(
                source_ratio, bool) or not 0.0 < source_ratio < 1.0:
            raise ValueError(
                'TwoDomainSampler source_ratio must be a number strictly '
                f'between 0 and 1, got {source_ratio!r}.')
        n_src = int(math.floor(batch_size * source_ratio + 0.5))
        if not 1 <= n_src < batch_size:
            raise ValueError(
                f'TwoDomainSampler source_ratio={source_ratio} with '
                f'batch_size={batch_size} gives {n_src} source and '
                f'{batch_size - n_src} target samples per batch; both must '
                'be >= 1. Change the ratio, raise batch_size or pass '
                'num_source.')
        return n_src

    # ------------------------------------------------------------------ #
    # index arithmetic
    # ------------------------------------------------------------------ #
    def _permutation(self, domain: int, epoch: int) -> Sequence[int]:
        """Pass ``epoch`` of ``domain`` (0 source, 1 target): a permutation
        of ``range(size)`` in local (domain) indices."""
        size = self.source_size if domain == 0 else self.target_size
        if not self.shuffle:
            return range(size)
        g = torch.Generator()
        g.manual_seed(
            (self.seed + epoch + _DOMAIN_SEED_OFFSETS[domain]) % _SEED_MOD)
        return torch.randperm(size, generator=g).tolist()

    def _domain_indices(self,
                        domain: int,
                        batch: int,
                        cache: Optional[dict] = None) -> List[int]:
        """Global dataset indices of ``domain``'s slots in ``batch`` on this
        rank. ``cache`` holds the last permutation used (``{'e', 'perm'}``)
        so a pass is generated once while iterating forward."""
        n_d = self.num_source if domain == 0 else self.num_target
        size = self.source_size if domain == 0 else self.target_size
        base = 0 if domain == 0 else self.source_size
        cache = {} if cache is None else cache
        start = (batch * self.world_size + self.rank) * n_d
        out = []
        for p in range(start, start + n_d):
            epoch, k = divmod(p, size)
            if cache.get('e') != epoch:
                cache['e'] = epoch
                cache['perm'] = self._permutation(domain, epoch)
            out.append(base + cache['perm'][k])
        return out

    def batch_indices(self, batch: int) -> List[int]:
        """The ``batch_size`` indices this rank yields for batch ``batch``:
        ``num_source`` source indices followed by ``num_target`` target
        indices. Random access; nothing else is computed."""
        if batch < 0:
            raise ValueError(f'batch must be >= 0, got {batch}.')
        return (self._domain_indices(0, batch) +
                self._domain_indices(1, batch))

    def __iter__(self) -> Iterator[int]:
        """Yield indices forever, starting at batch :attr:`start_batch`."""
        batch = self.start_batch
        caches = ({}, {})
        while True:
            yield from self._domain_indices(0, batch, caches[0])
            yield from self._domain_indices(1, batch, caches[1])
            batch += 1

    # ------------------------------------------------------------------ #
    # resume / mmengine API
    # ------------------------------------------------------------------ #
    def set_start_batch(self, num_batches: int) -> None:
        """Make every later ``__iter__`` start at batch ``num_batches``
        (e.g. the number of iterations already trained when resuming), so
        the stream continues exactly where it stopped. Computed
        arithmetically; skipped batches are neither generated nor loaded.
        Recreate the dataloader iterator afterwards."""
        if isinstance(
                num_batches,
                bool) or not isinstance(num_batches, int) or num_batches < 0:
            raise ValueError(
                f'num_batches must be an int >= 0, got {num_batches!r}.')
        self.start_batch = num_batches

    def set_epoch(self, epoch: int) -> None:
        """No-op, as in mmengine's ``InfiniteSampler`` (there are no epochs;
        use :meth:`set_start_batch` to resume)."""

    def __len__(self) -> int:
        """Size of the dataset, as mmengine's ``InfiniteSampler`` reports."""
        return self.source_size + self.target_size

    def check_dataloader(self, dataloader) -> None:
        """Raise ``ValueError`` if ``dataloader`` does not batch this
        sampler's indices in groups of :attr:`batch_size`."""
        if dataloader.sampler is not self:
            raise ValueError(
                'The dataloader does not use this TwoDomainSampler as its '
                'sampler (a custom batch_sampler would regroup indices).')
        loader_bs = dataloader.batch_size
        if loader_bs != self.batch_size:
            raise ValueError(
                f'train_dataloader.batch_size={loader_bs} differs from '
                f'TwoDomainSampler batch_size={self.batch_size}; set both to '
                'the same value, otherwise batches mix domains at the wrong '
                'positions.')
