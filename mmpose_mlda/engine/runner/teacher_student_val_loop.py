"""Validation that scores teacher and student in one pass over the data."""
import copy
from typing import Dict, List, Union

import torch
from mmengine.evaluator import Evaluator
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop, ValLoop
from mmengine.runner.amp import autocast
from mmpose.registry import LOOPS
from torch.utils.data import DataLoader

from mmpose_mlda.models.utils import fp32_head_outputs, named_step


@LOOPS.register_module()
class TeacherStudentValLoop(ValLoop):
    """Validate the teacher and the student of a ``MeanTeacherPoseEstimator``.

    Each batch is preprocessed once and predicted by both networks; each has
    its own copy of the evaluator. Metrics are reported as ``teacher/<key>``
    and ``student/<key>`` (e.g. ``teacher/hm_pck/All``): point
    ``default_hooks.checkpoint.save_best`` at the teacher's, since the
    teacher is what testing and inference use. Hooks see the teacher's
    predictions. Metrics with a ``check_dataset(dataset)`` method are given
    the validation set when the loop is built. ``fp16``: both forward
    passes under MMEngine's autocast (bf16 on CPU, ``use_amp``), the
    heads' outputs cast to fp32 for decoding.

    ``score_student``: 'every' (default) scores the student at every
    validation; 'last' only at the last one of a training (its
    ``max_iters``) and in any validation outside training, the ones before
    scoring the teacher alone (about half their cost; no student curve in
    the log); 'never': the teacher alone. The benchmark uses 'last': it
    records the teacher's curve and both networks' final scores.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 evaluator: Union[Evaluator, Dict, List],
                 fp16: bool = False,
                 score_student: str = 'every') -> None:
        if score_student not in ('every', 'last', 'never'):
            raise ValueError(f"val_cfg.score_student must be 'every', "
                             f"'last' or 'never', got {score_student!r}.")
        save_best = runner.cfg.get('default_hooks', {}).get(
            'checkpoint', {}).get('save_best') or ()
        for key in [save_best] if isinstance(save_best, str) else save_best:
            if score_student != 'every' and key.startswith('student/'):
                raise ValueError(
                    f"val_cfg.score_student={score_student!r} leaves the "
                    f"student out of validations, but default_hooks."
                    f"checkpoint.save_best is {key!r}: point it at the "
                    "teacher's key or set score_student='every'.")
        self.score_student = score_student
        self._with_student = True
        evaluator_cfg = copy.deepcopy(evaluator)
        super().__init__(runner, dataloader, evaluator, fp16)
        if isinstance(evaluator_cfg, Evaluator):
            self.student_evaluator = copy.deepcopy(evaluator_cfg)
        else:
            self.student_evaluator = runner.build_evaluator(evaluator_cfg)
        self.student_evaluator.dataset_meta = self.evaluator.dataset_meta
        # metrics that can check the validation set (HeatmapPCKMetric's
        # categories) do it now, before any training
        for metric in self.evaluator.metrics:
            check = getattr(metric, 'check_dataset', None)
            if check is not None:
                check(self.dataloader.dataset)

    def _scores_student(self) -> bool:
        if self.score_student != 'last':
            return self.score_student == 'every'
        # the private attribute: the public property would build a train
        # loop in a validation-only run
        train_loop = getattr(self.runner, '_train_loop', None)
        return not isinstance(train_loop, BaseLoop) or \
            train_loop.iter >= train_loop.max_iters

    def run(self) -> dict:
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        self._with_student = self._scores_student()
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
        size = len(self.dataloader.dataset)
        metrics = {
            f'teacher/{k}': v
            for k, v in self.evaluator.evaluate(size).items()
        }
        if self._with_student:
            metrics.update({
                f'student/{k}': v
                for k, v in self.student_evaluator.evaluate(size).items()
            })
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics

    @torch.no_grad()
    def run_iter(self, idx, data_batch) -> None:
        self.runner.call_hook(
            'before_val_iter', batch_idx=idx, data_batch=data_batch)
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        with autocast(enabled=self.fp16), fp32_head_outputs(
                model, self.fp16):
            with named_step('val_preprocess'):
                data = model.data_preprocessor(data_batch, False)
            samples = data['data_samples']
            with named_step('val_teacher'):
                teacher_outputs = model.predictor('teacher').predict(
                    data['inputs'], [s.clone() for s in samples])
            if self._with_student:
                with named_step('val_student'):
                    student_outputs = model.predictor('student').predict(
                        data['inputs'], [s.clone() for s in samples])
        with named_step('val_metrics'):
            self.evaluator.process(
                data_samples=teacher_outputs, data_batch=data_batch)
            if self._with_student:
                self.student_evaluator.process(
                    data_samples=student_outputs, data_batch=data_batch)
        self.runner.call_hook(
            'after_val_iter',
            batch_idx=idx,
            data_batch=data_batch,
            outputs=teacher_outputs)
