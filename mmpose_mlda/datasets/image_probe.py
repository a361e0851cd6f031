"""Whether, and at what size, the training pipeline can read an image."""
import logging
from typing import Callable, Optional, Set, Tuple

from mmengine.logging import print_log
from mmpose.datasets.transforms import LoadImage
from PIL import Image

_LOAD = LoadImage()


class UnreadableImageError(ValueError):
    """The pipeline's image loader cannot decode the file."""


def decoded_image_size(path: str) -> Tuple[int, int]:
    """``(width, height)`` of ``path`` as MMPose's ``LoadImage`` decodes it.

    The file goes through the same loader (and OpenCV flags) as training, so
    the answer holds there: a truncated JPEG that OpenCV's ``imread`` would
    half-decode but ``LoadImage`` refuses is unreadable here too, a phone
    photo's EXIF orientation is applied (the size is the rotated one, as
    training sees it), and a very large image is measured without PIL's
    decompression-bomb limit.

    Raises:
        UnreadableImageError: naming the file and the decoder's reason.
    """
    try:
        image = _LOAD(dict(img_path=path))['img']
    except Exception as error:  # noqa: BLE001 - any decode failure
        reason = str(error).split('` occurs when loading')[0].strip('`')
        raise UnreadableImageError(
            f'{path} cannot be read as an image ({reason})') from None
    height, width = image.shape[:2]
    if width < 1 or height < 1:
        raise UnreadableImageError(f'{path} decodes to an empty image')
    return width, height


def header_image_size(path: str, remedy: str = '') -> Tuple[int, int]:
    """``(width, height)`` of an image from its header only.

    PIL parses the header on ``open`` and decodes no pixels until asked, so
    this costs well under a millisecond per local image (what the dataset
    adapters need to clip boxes); it does not prove the pixels decode (that
    is :func:`decoded_image_size`).

    Raises:
        FileNotFoundError: the file is missing; ``remedy`` is appended.
        UnreadableImageError: the header is not an image's; ``remedy`` is
            appended.
    """
    try:
        with Image.open(path) as img:
            return img.size
    except FileNotFoundError:
        raise FileNotFoundError(
            f'image {path} does not exist. {remedy}'.strip()) from None
    except (OSError, ValueError) as error:  # PIL's UnidentifiedImageError
        raise UnreadableImageError(
            f'image {path} cannot be read as an image ({error}). '
            f'{remedy}'.strip()) from None


def image_readable(path: str) -> bool:
    """True when :func:`decoded_image_size` can read ``path``."""
    try:
        decoded_image_size(path)
    except UnreadableImageError:
        return False
    return True


MAX_TRIES = 32


class NothingReadableError(RuntimeError):
    """A domain gave ``MAX_TRIES`` unreadable samples in a row."""


def load_readable_sample(load: Callable[[int], dict],
                         image_path: Callable[[int], Optional[str]],
                         idx: int, another: Callable[[], int],
                         unreadable: Set[str], domain: str) -> dict:
    """``load(idx)``, or, while the sample's image cannot be read, the
    sample at ``another()``: each unreadable file is named in one warning
    and added to ``unreadable``.

    A failure whose image *is* readable is re-raised (a pipeline bug is not
    hidden). After ``MAX_TRIES`` unreadable samples in a row the domain is
    taken to hold nothing readable (a wrong ``data_root`` / ``data_prefix``,
    a folder of broken files) and a :class:`NothingReadableError` says so,
    instead of retrying for ever; a wrapping dataset (the folder inside a
    ``DomainAdaptationDataset``) passes it on rather than retrying again.
    """
    tried = []
    for _ in range(MAX_TRIES):
        try:
            return load(idx)
        except NothingReadableError:
            raise  # a nested dataset already gave up: no retry around it
        except Exception:
            path = image_path(idx)
            if path is None or (path not in unreadable
                                and image_readable(path)):
                raise
            if path not in unreadable:
                unreadable.add(path)
                print_log(
                    f'{path} cannot be read as an image: skipped, another '
                    f'{domain} sample is used instead ({len(unreadable)} '
                    'unreadable so far; the dataset checkers in '
                    'tools/dataset_checks list them all).',
                    logger='current', level=logging.WARNING)
            tried.append(path)
            idx = another()
    raise NothingReadableError(
        f'{domain}: {MAX_TRIES} samples in a row have images that cannot be '
        f'read (e.g. {sorted(set(tried))[:3]}; {len(unreadable)} distinct '
        f'unreadable files so far): the {domain} domain holds nothing '
        f'readable. Check its data_root and data_prefix, and run the dataset '
        'checker in tools/dataset_checks on it.')
