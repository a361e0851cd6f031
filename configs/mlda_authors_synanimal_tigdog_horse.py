# MLDA, SynAnimal -> TigDog horse, the authors' released recipe (their README
# command for train_animal.py; published All: 76.3). --train_on_all_cat: one
# run adapts on horse AND tiger (source renders and target frames); this
# config scores the horse test frames, mlda_authors_synanimal_tigdog_tiger.py
# the tiger ones. Two stages:
#   python tools/train.py configs/mlda_authors_synanimal_tigdog_horse_source_only.py
#   python tools/train.py configs/mlda_authors_synanimal_tigdog_horse.py --cfg-options \
#       load_from=work_dirs/mlda_authors_synanimal_tigdog_horse_source_only/best_teacher_hm_pck_All_iter_XXXX.pth
_base_ = [
    './_base_/mlda_authors_animal_256.py', './_base_/tasks/synanimal_tigdog.py'
]
train_dataloader = dict(
    dataset=dict(
        source=dict(_base_.source_dataset, animal=('horse', 'tiger')),
        target=dict(_base_.target_dataset, animal=('horse', 'tiger'))))
# their model selection: the epoch with the best COMBINED horse + tiger PCK
# (teacher/hm_pck/All, what save_best keeps), each category logged beside it
# (teacher/hm_pck/horse/All, .../tiger/All); the test set is this config's
# category
val_dataloader = dict(
    dataset=dict(_base_.test_dataset, animal=('horse', 'tiger')))
val_evaluator = [
    dict(type='HeatmapPCKMetric', joint_groups='tigdog',
         categories=('horse', 'tiger'))
]
test_dataloader = dict(dataset=_base_.test_dataset)
test_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='tigdog')]
