"""Is a file a readable checkpoint?"""
import os.path as osp
import zipfile
from typing import Optional


def checkpoint_file_problem(path: str) -> Optional[str]:
    """Why ``path`` is not a readable ``torch.save`` file, or None.

    Cheap: a zip-format checkpoint must open (its central directory is at
    the end, so a truncated file fails); a legacy one must start like a
    pickle."""
    if osp.isdir(path):
        return 'it is a folder, not a checkpoint file'
    if not osp.isfile(path):
        return 'it does not exist'
    if osp.getsize(path) == 0:
        return 'it is empty'
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                archive.namelist()
        except (zipfile.BadZipFile, OSError) as error:
            return f'it is truncated or corrupt ({error})'
        return None
    with open(path, 'rb') as f:
        head = f.read(2)
    if head[:1] == b'\x80':  # a legacy (pre-zip) torch.save pickle
        return None
    return ('it is not a checkpoint written by torch.save (neither a zip '
            'archive nor a pickle)')
