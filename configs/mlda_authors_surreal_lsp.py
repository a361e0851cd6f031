# MLDA, SURREAL -> LSP, the authors' released recipe (their README command
# for train_human.py; published All: 84.4 PCK@0.05). Two stages, as theirs:
#   python tools/train.py configs/mlda_authors_surreal_lsp_source_only.py
#   python tools/train.py configs/mlda_authors_surreal_lsp.py --cfg-options \
#       load_from=work_dirs/mlda_authors_surreal_lsp_source_only/best_teacher_hm_pck_All_iter_XXXX.pth
# (add --amp on a GPU: the authors train with autocast).
_base_ = [
    './_base_/mlda_authors_human_256.py', './_base_/tasks/surreal_lsp.py'
]
# their SURREAL crop: the whole stored image resized to 256 (not 1.5x the
# keypoint extent, the peers' rule that configs/mlda_surreal_lsp.py uses)
train_dataloader = dict(
    dataset=dict(
        source=dict(_base_.source_dataset, bbox_mode='image'),
        target=_base_.target_dataset))
val_dataloader = dict(dataset=_base_.test_dataset)
test_dataloader = val_dataloader
