# SURREAL -> LSP datasets, both in the Body16 joint set (docs/formats.md). Paths
# follow docs/datasets.md; override data_root for your copy.
#
# LSP protocol: the peers use all 2000 LSP images both as the unlabelled
# target training set and as the test set (split='all', the default here, to
# compare with the published tables). The standard 1000/1000 split:
#   --cfg-options train_dataloader.dataset.target.split=train \
#       val_dataloader.dataset.split=test test_dataloader.dataset.split=test
source_dataset = dict(
    type='SurrealDataset',
    data_root='data/surreal_processed/',
    split='train',
    convert_to='body16')
target_dataset = dict(
    type='LSPDataset', data_root='data/lsp/', split='all',
    convert_to='body16')
test_dataset = dict(
    type='LSPDataset',
    data_root='data/lsp/',
    split='all',
    convert_to='body16',
    test_mode=True)
