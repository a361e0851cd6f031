"""MMPose's ``LoadImage`` with the decoded images kept in memory."""
from typing import Optional

from mmpose.datasets.transforms import LoadImage
from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CachedLoadImage(LoadImage):
    """``LoadImage`` that decodes each file once per process and afterwards
    hands out a copy of the decoded array.

    For data sets that fit in memory and are read many times (the built-in
    benchmark's 64x64-crop splits of 128x128 figures: 49 MB per 1000
    images; every validation reads the whole test split again). Each
    data-loader worker holds its own cache; beyond ``max_megabytes`` an
    image is decoded as ``LoadImage`` does, every time. The output is the
    same as ``LoadImage``'s (same decoder, flags and ``to_float32``), and
    a copy, so in-place changes by later transforms never reach the cache.

    Args:
        max_megabytes (float): the cache's budget per process, in MiB of
            decoded pixels.
        **kwargs: ``LoadImage`` arguments.
    """

    def __init__(self, max_megabytes: float = 1024.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not max_megabytes >= 0:
            raise ValueError('CachedLoadImage: max_megabytes must be >= 0, '
                             f'got {max_megabytes!r}.')
        self.max_bytes = int(max_megabytes * 2**20)
        self.cached_bytes = 0
        self._images = {}

    def transform(self, results: dict) -> Optional[dict]:
        path = results.get('img_path')
        if 'img' in results or path is None:
            return super().transform(results)
        image = self._images.get(path)
        if image is None:
            results = super().transform(results)
            if results is None:  # ignore_empty
                return None
            image = results['img']
            if self.cached_bytes + image.nbytes <= self.max_bytes:
                self._images[path] = image
                self.cached_bytes += image.nbytes
        results['img'] = image.copy()
        results['img_shape'] = image.shape[:2]
        results['ori_shape'] = image.shape[:2]
        return results
