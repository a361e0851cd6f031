"""Leeds Sports Pose (LSP) in its original release layout."""
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np

from mmpose.registry import DATASETS
from .human_base import HumanKeypointDataset
from .metainfo import metainfo_file

# what each release holds: the shape of joints.mat['joints'] and the image
# file names; the class to use and where to download it, for messages
LSP_LAYOUTS = {
    # 3 x 14 x N, row 2 = 1 for OCCLUDED joints
    'lsp': dict(shape='3x14xN', img_template='im{:04d}.jpg',
                dataset='LSPDataset', url='http://sam.johnson.io/research/'
                'lsp.html (lsp_dataset.zip)'),
    # 14 x 3 x N, column 2 = 1 for VISIBLE joints
    'lspet': dict(shape='14x3xN', img_template='im{:05d}.jpg',
                  dataset='LSPetDataset', url='http://sam.johnson.io/'
                  'research/lspet.html (lspet_dataset.zip)'),
}


def detect_layout(joints: np.ndarray) -> Optional[str]:
    """``'lsp'`` for a 3x14xN array, ``'lspet'`` for 14x3xN, else None."""
    if joints.ndim != 3:
        return None
    if joints.shape[:2] == (3, 14):
        return 'lsp'
    if joints.shape[:2] == (14, 3):
        return 'lspet'
    return None


def load_lsp_joints(path: str,
                    layout: Optional[str] = None
                    ) -> Tuple[np.ndarray, np.ndarray, str]:
    """Read an LSP / LSPet ``joints.mat``.

    Args:
        path (str): the ``joints.mat`` file.
        layout (str, optional): ``'lsp'`` (3x14xN, flag 1 = occluded),
            ``'lspet'`` (14x3xN, flag 1 = visible) or None to detect it
            from the shape.

    Returns:
        tuple: keypoints (N, 14, 2) float32 in LSP order, visibility (N, 14)
        float32 (1 = visible), and the layout.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: not a MATLAB file, no ``joints`` key, or a shape that
            does not match ``layout``; the message names the fix.
    """
    from scipy.io import loadmat  # scipy is only needed to read .mat files

    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} not found: LSP expects <root>/joints.mat (3x14xN) with '
            'images in <root>/images/im0001.jpg..., LSPet <root>/joints.mat '
            '(14x3xN) with <root>/images/im00001.jpg...; point data_root at '
            'the unpacked lsp_dataset / lspet_dataset folder.')
    try:
        mat = loadmat(path)
    except Exception as err:  # scipy raises several types for bad files
        raise ValueError(f'{path} cannot be read as a MATLAB .mat file '
                         f'({err}); re-download it.') from None
    if 'joints' not in mat:
        keys = [k for k in mat if not k.startswith('__')]
        raise ValueError(f'{path} has no variable "joints" (it has {keys}); '
                         'expected the joints.mat of the LSP / LSPet '
                         'release.')
    joints = np.asarray(mat['joints'], dtype=np.float64)
    found = detect_layout(joints)
    if found is None or (layout is not None and found != layout):
        want = LSP_LAYOUTS[layout]['shape'] if layout else '3x14xN or 14x3xN'
        hint = ''
        if found is not None:
            hint = (f' This is the {found.upper()} layout '
                    f'({LSP_LAYOUTS[found]["shape"]}): use '
                    f'{LSP_LAYOUTS[found]["dataset"]}.')
        raise ValueError(f'{path}: "joints" has shape {joints.shape}, '
                         f'expected {want}.{hint}')
    if found == 'lsp':
        records = joints.transpose(2, 1, 0)  # N x 14 x (x, y, occluded)
        visible = 1.0 - records[..., 2]
    else:
        records = joints.transpose(2, 0, 1)  # N x 14 x (x, y, visible)
        visible = records[..., 2].copy()
    visible = (visible > 0.5).astype(np.float32)
    return records[..., :2].astype(np.float32), visible, found


@DATASETS.register_module()
class LSPDataset(HumanKeypointDataset):
    """Leeds Sports Pose, read from the original release.

    Layout (``data_root``)::

        joints.mat      # 'joints': 3 x 14 x N (x, y, flag), flag 1 = OCCLUDED
        images/im0001.jpg ... im2000.jpg

    Every image holds one annotated person; instance ``i`` is image
    ``im{i+1:04d}.jpg`` and record ``i`` of ``joints.mat``. Visible =
    ``1 - flag``. LSP is the *target* domain of SURREAL -> LSP.

    Args:
        num_images (int, optional): how many records / images to use (the
            first ``num_images``); None uses every record of joints.mat.
            Default 2000, the full LSP.
        split (str): ``'all'`` (the peers' protocol: every image serves as
            unlabelled target training data AND as the test set), ``'train'``
            (first half, the standard 1000/1000 split) or ``'test'``
            (second half).
        bbox_mode (str): ``'image'`` (default, the peers' protocol: the crop
            is the whole image, resized and padded to the square input by
            ``TopdownAffine``; image sizes are read from the JPEG headers,
            about a second for 2000 images) or ``'keypoints'`` (the crop is
            a square ``bbox_padding`` times the extent of the visible
            keypoints).
        convert_to (str, optional): ``'body16'`` converts to Body16 (pelvis
            and thorax invisible) and switches the metainfo; None keeps LSP-14.
        ann_file (str): the joints file, relative to ``data_root``.
        data_prefix (dict): ``img`` = the image folder, relative to
            ``data_root``.
        **kwargs: see :class:`HumanKeypointDataset` and
            :class:`BaseCocoStyleDataset`.

    Boxes are stored for ``GetBBoxCenterScale``'s default padding 1.25
    (see ``pipeline_padding`` in :class:`HumanKeypointDataset`).
    """

    METAINFO: dict = dict(from_file=metainfo_file('lsp'))
    JOINT_SET = 'lsp'
    LAYOUT = 'lsp'
    SPLITS = ('all', 'train', 'test')

    def __init__(self,
                 num_images: Optional[int] = 2000,
                 split: str = 'all',
                 bbox_mode: str = 'image',
                 ann_file: str = 'joints.mat',
                 data_prefix: dict = dict(img='images/'),
                 **kwargs):
        if split not in self.SPLITS:
            raise ValueError(f'{type(self).__name__}: split={split!r}; '
                             f'expected one of {self.SPLITS}.')
        if num_images is not None and num_images <= 0:
            raise ValueError(f'{type(self).__name__}: num_images must be '
                             f'positive or None, got {num_images}.')
        self.num_images = num_images
        self.split = split
        super().__init__(
            bbox_mode=bbox_mode,
            ann_file=ann_file,
            data_prefix=data_prefix,
            **kwargs)

    def _select(self, total: int) -> range:
        """Record indices of ``split`` among the first ``num_images``."""
        n = self.num_images if self.num_images is not None else total
        if n > total:
            raise ValueError(
                f'{type(self).__name__}: num_images={n} but {self.ann_file} '
                f'holds {total} records; set num_images <= {total} (or None '
                'to use them all).')
        half = n // 2
        return {'all': range(n), 'train': range(half),
                'test': range(half, n)}[self.split]

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        """Instances from ``joints.mat`` and the ``images/`` folder."""
        keypoints, visible, _ = load_lsp_joints(self.ann_file, self.LAYOUT)
        img_dir = self.data_prefix['img']
        template = LSP_LAYOUTS[self.LAYOUT]['img_template']
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image folder {img_dir} not found; '
                f'expected {template.format(1)}... next to '
                f'{osp.basename(self.ann_file)}. Set data_prefix=dict(img=...)'
                ' to the folder of the images.')
        index = self._select(len(keypoints))
        paths = [osp.join(img_dir, template.format(i + 1)) for i in index]
        # a stat per image is cheap even for 10000 files; decoding is not
        missing = [p for p in paths if not osp.isfile(p)]
        if missing:
            raise FileNotFoundError(
                f'{type(self).__name__}: {len(missing)} of the {len(paths)} '
                f'images that {self.ann_file} annotates are missing (first: '
                f'{missing[0]}). Complete the download, or set num_images to '
                'the number of images you have.')
        index = list(index)
        return self._build_instances(paths, keypoints[index],
                                     visible[index], self.ann_file,
                                     ids=index)
