"""MPI-INF-3DHP in MMPose's body3d npz layout (MMPose has no class for it).

Files as MMPose's preprocessing writes them:
an npz with ``imgname`` (``S4_Seq2_Cam0_001033.jpg`` for training,
``TS1_002001.jpg`` for the test set), ``center``, ``scale``, ``part``
(N, 17, 3: pixel x, y, visibility) and ``S`` (N, 17, 4: camera-frame x, y,
z in metres, visibility), plus a camera pickle keyed ``S4_Seq2_Cam0`` (train)
or ``TS1`` (test) with ``R``, ``T``, ``c``, ``f``, ``w``, ``h``.

Joint order is MMPose's ``mpi_inf_3dhp`` metainfo; ``joint_set='h36m'``
converts to the Human3.6M-17 order (mapping in
:mod:`mmpose_mlda.datasets.joint_sets`) so a Human3.6M lifter can be
evaluated / adapted directly. The test set's sequences TS1-TS6 and their
groups (studio with green screen TS1-2, studio without TS3-4, outdoor TS5-6)
are exposed by :meth:`sequence_of` / :data:`TEST_SEQUENCE_GROUPS`.
"""
import os.path as osp
import re
from collections import defaultdict
from typing import List, Optional, Tuple

import numpy as np
from mmengine.logging import print_log

from mmpose.datasets.datasets.base import BaseMocapDataset
from mmpose.registry import DATASETS
from .joint_sets import get_mapping
from .metainfo import mmpose_metainfo_file

TEST_SEQUENCE_GROUPS = dict(
    GS=('TS1', 'TS2'), noGS=('TS3', 'TS4'), Outdoor=('TS5', 'TS6'))
_TRAIN_RE = re.compile(r'^(S\d+)_(Seq\d+)_(Cam\d+)_(\d+)')
_TEST_RE = re.compile(r'^(TS\d+)_(\d+)')


def parse_3dhp_imgname(imgname: str) -> Tuple[str, int]:
    """``S4_Seq2_Cam0_001033.jpg`` -> (``'S4_Seq2_Cam0'``, 1033);
    ``TS1_002001.jpg`` -> (``'TS1'``, 2001). The key is the camera key."""
    base = osp.basename(str(imgname))
    m = _TRAIN_RE.match(base)
    if m:
        return '_'.join(m.groups()[:3]), int(m.group(4))
    m = _TEST_RE.match(base)
    if m:
        return m.group(1), int(m.group(2))
    raise ValueError(f'not an MPI-INF-3DHP image name: {imgname!r} '
                     "(expected 'S<i>_Seq<j>_Cam<k>_<frame>.jpg' or "
                     "'TS<i>_<frame>.jpg')")


@DATASETS.register_module()
class MpiInf3dhpDataset(BaseMocapDataset):
    """MPI-INF-3DHP for 2D-to-3D lifting (train and test sets).

    Args:
        joint_set (str): ``'mpi_inf_3dhp'`` (native order) or ``'h36m'``
            (converted; metainfo becomes Human3.6M's).
        seq_len (int): frames per sample; frames are grouped per video
            (camera key) and padded at the ends by repetition.
        causal (bool): the target frame is the last (True) or the centre
            (False) of the window.
        Other args as :class:`mmpose.datasets.BaseMocapDataset`; set
        ``camera_param_file`` (``cameras_train.pkl`` / ``cameras_test.pkl``)
        for lifting with screen-normalised inputs or PoseDA.
    """

    METAINFO: dict = dict(from_file=mmpose_metainfo_file('mpi_inf_3dhp'))
    JOINT_SETS = ('mpi_inf_3dhp', 'h36m')

    def __init__(self, *args, joint_set: str = 'mpi_inf_3dhp',
                 metainfo: Optional[dict] = None, **kwargs):
        if joint_set not in self.JOINT_SETS:
            raise ValueError(f'MpiInf3dhpDataset: joint_set must be one of '
                             f'{self.JOINT_SETS}, got {joint_set!r}')
        self.joint_set = joint_set
        if joint_set == 'h36m' and metainfo is None:
            metainfo = dict(from_file=mmpose_metainfo_file('h36m'))
        super().__init__(*args, metainfo=metainfo, **kwargs)

    # -------------------------------------------------------------- #
    def _load_ann_file(self, ann_file: str) -> dict:
        super()._load_ann_file(ann_file)
        self._ann_path = ann_file
        data = self.ann_data
        for key in ('imgname', 'part'):
            if key not in data:
                raise KeyError(f'{ann_file}: missing key {key!r} (have '
                               f'{list(data.keys())})')
        n = len(data['imgname'])
        k = data['part'].shape[1]
        if k != 17:
            raise ValueError(f'{ann_file}: expected 17 MPI-INF-3DHP joints '
                             f'in `part`, got {k}')
        if 'S' in data and data['S'].shape[:2] != (n, k):
            raise ValueError(f'{ann_file}: `S` has shape {data["S"].shape}, '
                             f'`part` {data["part"].shape}')
        bad = ~np.isfinite(data['part'][..., :2]).reshape(n, -1).all(1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f'{ann_file}: NaN/inf 2D keypoints in {int(bad.sum())} '
                f'sample(s), first index {i} ({data["imgname"][i]})')
        return self.ann_data

    def get_sequence_indices(self) -> List[List[int]]:
        """Windows of ``seq_len`` frames inside each video (camera key)."""
        imgnames = self.ann_data['imgname']
        if self.seq_len == 1:
            return [[i] for i in range(len(imgnames))]
        videos = defaultdict(list)
        for i, name in enumerate(imgnames):
            key, frame = parse_3dhp_imgname(name)
            videos[key].append((frame, i))
        left = self.seq_len - 1 if self.causal else self.seq_len // 2
        right = 0 if self.causal else self.seq_len - 1 - left
        out = []
        for key in sorted(videos):
            idx = [i for _, i in sorted(videos[key])]
            for pos in range(len(idx)):
                win = [idx[min(max(p, 0), len(idx) - 1)]
                       for p in range(pos - left, pos + right + 1)]
                out.append(win)
        return out

    def get_camera_param(self, imgname) -> dict:
        """Camera dict of a frame (key from its image name)."""
        key, _ = parse_3dhp_imgname(imgname)
        if key not in self.camera_param:
            raise KeyError(
                f'{self.camera_param_file}: no camera {key!r} for sample '
                f'{imgname!r} (the file has {len(self.camera_param)} '
                'cameras; train samples need cameras_train.pkl, TS* samples '
                'cameras_test.pkl)')
        cam = dict(self.camera_param[key])
        for need in ('f', 'c', 'w', 'h'):
            if need not in cam:
                raise KeyError(f'{self.camera_param_file}: camera {key!r} '
                               f'lacks {need!r}')
        # MMPose's cameras_train.pkl stores h=204 for some 2048x2048
        # cameras (a typo): a principal point outside the image gives it away
        c = np.asarray(cam['c'], dtype=np.float32).reshape(2)
        h = float(np.asarray(cam['h']).reshape(-1)[0])
        if c[1] > h:
            w = float(np.asarray(cam['w']).reshape(-1)[0])
            warned = self.__dict__.setdefault('_warned_cameras', set())
            if key not in warned:
                warned.add(key)
                print_log(
                    f'{self.camera_param_file}: camera {key!r} has h={h} '
                    f'below its principal point c_y={c[1]:.1f}; using h=w={w}',
                    logger='current', level=30)
            cam['h'] = w
        return cam

    def _load_annotations(self):
        instance_list, image_list = super()._load_annotations()
        if self.joint_set == 'h36m':
            pairs = get_mapping('mpi_inf_3dhp', 'h36m')
            gather = np.array([s for s, _ in sorted(pairs, key=lambda p: p[1])])
            for inst in instance_list:
                for key in ('keypoints', 'keypoints_visible', 'keypoints_3d',
                            'keypoints_3d_visible', 'lifting_target',
                            'lifting_target_visible'):
                    inst[key] = inst[key][:, gather]
        for inst in instance_list:
            seq, _ = parse_3dhp_imgname(inst['img_paths'][0])
            inst['sequence'] = seq
        return instance_list, image_list

    @staticmethod
    def sequence_of(imgname: str) -> str:
        """``TS3_000123.jpg`` -> ``'TS3'``; training frames -> camera key."""
        return parse_3dhp_imgname(imgname)[0]
