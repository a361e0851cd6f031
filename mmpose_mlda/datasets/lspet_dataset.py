"""LSP Extended (LSPet) in its original release layout."""
from typing import Optional

from mmpose.registry import DATASETS
from .lsp_dataset import LSPDataset


@DATASETS.register_module()
class LSPetDataset(LSPDataset):
    """LSP Extended (10000 images), read from the original release.

    Layout (``data_root``)::

        joints.mat      # 'joints': 14 x 3 x N (x, y, flag), flag 1 = VISIBLE
        images/im00001.jpg ... im10000.jpg

    Same 14 joints and options as :class:`LSPDataset` (whose docstring
    describes them); only the array layout, the visibility flag (here
    visible = flag) and the 5-digit file names differ. LSPet has no official
    test split: ``'train'`` / ``'test'`` halve the first ``num_images``.

    Defaults differ from LSP where LSPet differs: ``num_images=10000`` (the
    full release) and ``bbox_mode='keypoints'``, because LSPet images are
    not person crops (they are only rescaled so that the main person is
    about 150 px tall) and may show several people.
    """

    LAYOUT = 'lspet'

    def __init__(self,
                 num_images: Optional[int] = 10000,
                 bbox_mode: str = 'keypoints',
                 **kwargs):
        super().__init__(num_images=num_images, bbox_mode=bbox_mode, **kwargs)
