"""Iteration-based training with a source-only burn-in and exact resume."""
import logging
from typing import Dict, List, Optional, Tuple, Union

import numpy as np
from mmengine.dist import get_rank
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator
from mmengine.runner.utils import set_random_seed
from mmpose.registry import LOOPS
from torch.utils.data import DataLoader


def iteration_seed(run_seed: int, iteration: int, rank: int) -> int:
    """A 31-bit seed hashed from ``(run_seed, iteration, rank)``.

    NumPy's ``SeedSequence`` mixes the three numbers, so neighbouring
    inputs give unrelated seeds: the stream of seed 1 is not the stream of
    seed 0 shifted by an iteration (as ``seed + iteration`` would be), and
    no two ranks share one.
    """
    entropy = [int(run_seed) % 2**32, int(iteration), int(rank)]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0] % 2**31)


@LOOPS.register_module()
class AdaptationTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` for ``MeanTeacherPoseEstimator``.

    Adds three things to MMEngine's loop:

    - **burn-in**: the first ``burn_in_iters`` iterations train the student
      on the source only (``model.adapting = False``; ``MeanTeacherHook``
      keeps the teacher a copy of the student), then adaptation starts. The
      stage is derived from the iteration counter alone, so a run resumed
      before, at or after the switch continues exactly. ``burn_in_iters=0``
      adapts from the start (e.g. after ``load_from`` a source-only
      checkpoint). ``source_only=True`` burns in for the whole run: a
      source-only stage through the adaptation model (the authors' first
      stage), whose checkpoint holds student and teacher.
    - **resume without replaying data**: MMEngine resumes by loading and
      discarding every batch already trained. If the sampler offers
      ``set_start_batch`` (``TwoDomainSampler``), the loop positions it
      arithmetically instead.
    - **per-iteration seeding** (``seed_per_iter=True``): before the batch
      of iteration ``i`` is fetched, Python/NumPy/torch RNGs are seeded with
      :func:`iteration_seed` of ``(runner seed, i, rank)``. Augmentations,
      random thresholds and occlusions then depend only on the iteration, so
      an interrupted and resumed run reproduces an uninterrupted one (with
      ``num_workers=0``; worker processes keep their own RNG streams). The
      seed is a hash, so runs with different seeds share no stream.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_iters: int,
                 burn_in_iters: int = 0,
                 source_only: bool = False,
                 seed_per_iter: bool = True,
                 val_begin: int = 1,
                 val_interval: int = 1000,
                 dynamic_intervals: Optional[List[Tuple[int, int]]] = None
                 ) -> None:
        super().__init__(runner, dataloader, max_iters, val_begin,
                         val_interval, dynamic_intervals)
        if source_only and burn_in_iters:
            raise ValueError(
                f'train_cfg.burn_in_iters={burn_in_iters} with '
                'train_cfg.source_only=True: a source-only run burns in for '
                'all of max_iters; drop burn_in_iters.')
        if not source_only and not 0 <= burn_in_iters < max_iters:
            raise ValueError(
                f'train_cfg.burn_in_iters={burn_in_iters} must be within '
                f'[0, max_iters={max_iters}): a burn-in as long as the run '
                'never adapts. For a source-only stage set '
                'train_cfg.source_only=True instead.')
        self.burn_in_iters = max_iters if source_only else burn_in_iters
        self.seed_per_iter = seed_per_iter
        self._check_domains(burn_in_iters)
        sampler = self.dataloader.sampler
        if hasattr(sampler, 'check_dataloader'):  # TwoDomainSampler
            sampler.check_dataloader(self.dataloader)

    def _check_domains(self, burn_in_iters: int) -> None:
        """The dataset must hold what the model trains on: a source and a
        target (``DomainAdaptationDataset``), or, source-free, the target
        alone."""
        from mmpose_mlda.datasets import DomainAdaptationDataset
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        source_free = getattr(model, 'source_free', None)
        if source_free is None:
            return
        two_domains = isinstance(self.dataloader.dataset,
                                 DomainAdaptationDataset)
        if source_free and two_domains:
            raise ValueError(
                'model.source_free=True trains on target images only, but '
                'train_dataloader.dataset is a DomainAdaptationDataset with '
                'a source: make the target dataset itself '
                'train_dataloader.dataset (with an InfiniteSampler), or set '
                'model.source_free=False.')
        if not source_free and not two_domains:
            raise ValueError(
                'train_dataloader.dataset has no source domain (it is a '
                f'{type(self.dataloader.dataset).__name__}, not a '
                'DomainAdaptationDataset): set model.source_free=True to '
                'adapt without source data, or give a '
                'DomainAdaptationDataset(source=..., target=...).')
        if source_free and burn_in_iters:
            raise ValueError(
                f'train_cfg.burn_in_iters={burn_in_iters}: a source-free run '
                'has no source data to burn in on; set it to 0.')

    def run(self):
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        if self._iter > 0:
            self._skip_trained_batches()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            if self.seed_per_iter:
                self._seed_iteration()
            data_batch = next(self.dataloader_iterator)
            self.run_iter(data_batch)

            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def run_iter(self, data_batch) -> None:
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        model.adapting = self._iter >= self.burn_in_iters
        super().run_iter(data_batch)

    def _seed_iteration(self) -> None:
        set_random_seed(iteration_seed(self.runner.seed, self._iter,
                                       get_rank()))

    def _skip_trained_batches(self) -> None:
        sampler = self.dataloader.sampler
        if hasattr(sampler, 'set_start_batch'):
            sampler.set_start_batch(self._iter)
            # the old iterator has already started the sampler from 0
            self.dataloader_iterator = _InfiniteDataloaderIterator(
                self.dataloader)
            print_log(
                f'Resuming the data stream at batch {self._iter}.',
                logger='current')
            return
        print_log(
            f'{type(sampler).__name__} cannot seek: loading and skipping '
            f'{self._iter} batches already trained.',
            logger='current',
            level=logging.WARNING)
        for _ in range(self._iter):
            next(self.dataloader_iterator)
