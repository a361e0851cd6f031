"""UnlabeledImageDataset on the inputs real photo folders and detection
files bring: EXIF orientation, truncated and huge images, detections of
other classes or malformed, boxes outside the image, bad options."""
import json
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

from conftest import REPO_ROOT

from mmpose_mlda.datasets.unlabeled_image_dataset import \
    UnlabeledImageDataset

BODY16 = dict(
    from_file=str(REPO_ROOT / 'configs' / '_base_' / 'datasets' / 'body16.py'))


def _photo(path: Path, size=(120, 80), exif_orientation=None):
    """A JPEG stored ``size`` (width, height), with an EXIF orientation."""
    image = Image.fromarray(
        np.random.RandomState(0).randint(0, 255, size[::-1] + (3, ),
                                         dtype=np.uint8))
    exif = Image.Exif()
    if exif_orientation:
        exif[0x0112] = exif_orientation
    image.save(path, exif=exif.tobytes())


def _dataset(folder, **kwargs):
    return UnlabeledImageDataset(data_root=str(folder), metainfo=BODY16,
                                 **kwargs)


def test_exif_orientation_gives_the_box_training_sees(tmp_path):
    _photo(tmp_path / 'phone.jpg', (120, 80), exif_orientation=6)
    _photo(tmp_path / 'plain.jpg', (120, 80))
    dataset = _dataset(tmp_path)
    boxes = {Path(dataset.get_data_info(i)['img_path']).name:
             dataset.get_data_info(i)['bbox'][0].tolist()
             for i in range(len(dataset))}
    # rotated 90 degrees by the decoder: 80 wide, 120 high
    assert boxes == {'phone.jpg': [0, 0, 80, 120],
                     'plain.jpg': [0, 0, 120, 80]}
    # and that is what MMPose's LoadImage decodes
    from mmpose.datasets.transforms import LoadImage
    image = LoadImage()(dict(img_path=str(tmp_path / 'phone.jpg')))['img']
    assert image.shape[:2] == (120, 80)


def test_truncated_jpeg_is_listed_as_unreadable(tmp_path, logged):
    _photo(tmp_path / 'good.jpg')
    data = (tmp_path / 'good.jpg').read_bytes()
    (tmp_path / 'cut.jpg').write_bytes(data[:int(len(data) * 0.9)])
    dataset = _dataset(tmp_path)
    assert [Path(dataset.get_data_info(i)['img_path']).name
            for i in range(len(dataset))] == ['good.jpg']
    assert any("1 of 2 files" in m and 'cut.jpg' in m for m in logged)


def test_an_image_over_pils_bomb_limit_is_kept(tmp_path, monkeypatch):
    """PIL refuses images over 2 x MAX_IMAGE_PIXELS (a 200-megapixel
    photo) with DecompressionBombError; the training decoder reads them."""
    _photo(tmp_path / 'large.jpg', (300, 200))
    monkeypatch.setattr(Image, 'MAX_IMAGE_PIXELS', 1000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(tmp_path / 'large.jpg')
    dataset = _dataset(tmp_path)
    assert dataset.get_data_info(0)['bbox'][0].tolist() == [0, 0, 300, 200]


def _detections(tmp_path, entries):
    for name in ('a.jpg', 'b.jpg'):
        _photo(tmp_path / name, (100, 60))
    path = tmp_path / 'dets.json'
    path.write_text(json.dumps(entries))
    return path


def test_detections_of_other_classes_are_dropped_like_mmpose(tmp_path,
                                                             logged):
    path = _detections(tmp_path, [
        dict(image_id='a', category_id=1, bbox=[10, 10, 20, 30], score=0.9),
        dict(image_id='a', category_id=3, bbox=[40, 5, 30, 20], score=0.9),
        dict(image_id='b', bbox=[0, 0, 10, 10], score=0.9),  # no class
    ])
    dataset = _dataset(tmp_path, bbox_file=str(path))
    assert len(dataset) == 2
    assert any('1 detections in' in m and 'other classes' in m
               and 'category_ids' in m for m in logged)
    everything = _dataset(tmp_path, bbox_file=str(path), category_ids=None)
    assert len(everything) == 3


def test_boxes_outside_the_image_are_clipped_or_dropped(tmp_path, logged):
    path = _detections(tmp_path, [
        dict(image_id='a', bbox=[-10, 40, 50, 50], score=0.9),  # clipped
        dict(image_id='b', bbox=[200, 10, 20, 20], score=0.9),  # outside
    ])
    dataset = _dataset(tmp_path, bbox_file=str(path))
    assert len(dataset) == 1
    assert dataset.get_data_info(0)['bbox'][0].tolist() == [0, 40, 40, 60]
    assert any('1 zero-size boxes (after clipping' in m for m in logged)


@pytest.mark.parametrize('entries,message', [
    ({'a': [1, 2, 3, 4]}, r'holds a dict; COCO detection results are a '
                          r'list'),
    ([dict(image_id='a', bbox=[1, 2, 3], score=0.9)],
     r'entry 0: "bbox" must be 4 numbers \[x, y, w, h\], got \[1, 2, 3\]'),
    ([dict(image_id='a', bbox=[1, 2, 3, 4], score='high')],
     r'entry 0: "score" must be a number, got \'high\''),
    ([dict(image_id='a', bbox=[1, 2, 3, 4], score=0.9),
      dict(image_id='b', bbox=[1, 2, 'NaN', 4], score=0.9)],
     r'entry 1: "bbox" must be 4 numbers'),
    ([dict(image_id='a', bbox=[1, 2, float('nan'), 4], score=0.9)],
     r'entry 0: bbox \[1, 2, nan, 4\] / score 0\.9 is not finite'),
    ([dict(image_id='a', bbox=[1, 2, 3, 4], score=float('nan'))],
     r'entry 0: bbox .* / score nan is not finite'),
    (['a.jpg'], r'entry 0 is a str, not an object'),
])
def test_malformed_detection_files_name_the_entry(tmp_path, entries,
                                                  message):
    path = _detections(tmp_path, entries)
    with pytest.raises(ValueError, match=r'bbox_file .*dets\.json.*'
                       + message):
        _dataset(tmp_path, bbox_file=str(path))


@pytest.mark.parametrize('options,message', [
    (dict(score_thr=-1), r'score_thr must be a number in \[0, 1\], got -1'),
    (dict(score_thr='0.3'), r"score_thr must be a number in \[0, 1\], got "
                            r"'0\.3'"),
    (dict(val_every=0, split='train'),
     r'val_every must be an integer in \[2, 1e\+09\], got 0'),
    (dict(val_every=1), r'val_every must be an integer in \[2, .*got 1'),
    (dict(split='test'), r"split must be one of .*got 'test'"),
    (dict(category_ids='person'), r"category_ids are the detection classes "
                                  r"kept, a list of integers .*got 'person'"),
    (dict(bbox_file='.'), r"bbox_file '\.' is a folder, not a json file"),
])
def test_bad_options_are_refused_when_built(tmp_path, options, message):
    _photo(tmp_path / 'a.jpg')
    with pytest.raises((ValueError, FileNotFoundError),
                       match='UnlabeledImageDataset: ' + message):
        _dataset(tmp_path, **options)


def test_a_one_image_folder_says_where_its_image_went(tmp_path):
    _photo(tmp_path / 'only.jpg')
    assert len(_dataset(tmp_path, split='val')) == 1
    with pytest.raises(ValueError, match=r"the 'train' split of .* is empty: "
                       r'of its 1 image files every 10th \(val_every\) is '
                       r"held out .*split='all'"):
        _dataset(tmp_path, split='train')


def test_a_folder_with_nothing_readable(tmp_path):
    (tmp_path / 'a.jpg').write_bytes(b'\xff\xd8 not a jpeg')
    (tmp_path / 'b.png').write_bytes(b'')
    with pytest.raises(FileNotFoundError, match=r"none of the 2 image files "
                       r"of the 'all' split under .* can be read \(e\.g\. "
                       r"\['a\.jpg', 'b\.png'\]\)"):
        _dataset(tmp_path)


def test_images_broken_after_listing_are_skipped_then_stop(tmp_path,
                                                           logged):
    for name in ('a.jpg', 'b.jpg', 'c.jpg'):
        _photo(tmp_path / name)
    dataset = _dataset(tmp_path, pipeline=[dict(type='LoadImage')])
    (tmp_path / 'b.jpg').write_bytes(b'\xff\xd8 gone')
    np.random.seed(0)
    sample = dataset[1]  # b.jpg: another image is drawn
    assert Path(sample['img_path']).name in ('a.jpg', 'c.jpg')
    assert any('b.jpg cannot be read as an image: skipped' in m
               for m in logged)
    for name in ('a.jpg', 'c.jpg'):
        (tmp_path / name).write_bytes(b'')
    with pytest.raises(RuntimeError, match=r'image folder .*: 32 samples in '
                       r'a row have images that cannot be read'):
        dataset[0]


def test_the_held_out_slice_follows_the_training_folder(tmp_path):
    """The folder configs' hooks name the top-level monitor_dataloader and
    leave its data_root unset: both come from the config the runner holds,
    the folder from the training target."""
    from types import SimpleNamespace

    from mmpose_mlda.engine.hooks.label_free_monitor_hook import \
        build_held_out_loader
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs/custom/rtmpose-m_coco_to_folder.py'))
    cfg.train_dataloader.dataset.target.data_root = str(tmp_path)
    cfg.monitor_dataloader.batch_size = 3
    runner = SimpleNamespace(cfg=cfg, build_dataloader=lambda c: c)
    built = build_held_out_loader(runner, 'monitor_dataloader', 'hook')
    assert built['batch_size'] == 3
    assert built['dataset']['data_root'] == str(tmp_path)
    assert built['dataset']['split'] == 'val'
    assert built['dataset']['metainfo'] == \
        cfg.train_dataloader.dataset.target.metainfo
    with pytest.raises(KeyError, match=r"dataloader='monitor' names no "
                       r'top-level key of the config'):
        build_held_out_loader(runner, 'monitor', 'LabelFreeMonitorHook')
    free = Config.fromfile(
        str(REPO_ROOT / 'configs/custom/rtmpose-m_source_free.py'))
    free.train_dataloader.dataset.data_root = str(tmp_path)
    runner = SimpleNamespace(cfg=free, build_dataloader=lambda c: c)
    assert build_held_out_loader(runner, 'monitor_dataloader', 'hook')[
        'dataset']['data_root'] == str(tmp_path)


def test_a_nested_dataset_that_gave_up_is_not_retried_again():
    """The folder inside a DomainAdaptationDataset gives up after its own
    32 draws; the wrapper passes that on instead of multiplying it."""
    from mmpose_mlda.datasets.image_probe import (NothingReadableError,
                                                  load_readable_sample)
    calls = []

    def load(idx):
        calls.append(idx)
        raise NothingReadableError('image folder x: nothing readable')

    with pytest.raises(NothingReadableError, match='nothing readable'):
        load_readable_sample(load, lambda i: f'{i}.jpg', 0, lambda: 1,
                             set(), 'target')
    assert calls == [0]
