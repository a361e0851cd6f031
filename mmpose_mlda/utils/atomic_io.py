"""Write files so that a crash never leaves a truncated one in place."""
import os
import os.path as osp
import tempfile

import torch


def _atomic(path: str, write) -> None:
    """Call ``write(tmp_path)``, then move the temporary file over ``path``
    (``os.replace`` is atomic on one file system)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix='.' + osp.basename(path),
                                   suffix='.tmp')
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""

    def write(tmp):
        with open(tmp, 'w') as f:
            f.write(text)

    _atomic(path, write)


def atomic_torch_save(obj, path: str) -> None:
    """``torch.save(obj, path)`` atomically."""
    _atomic(path, lambda tmp: torch.save(obj, tmp))
