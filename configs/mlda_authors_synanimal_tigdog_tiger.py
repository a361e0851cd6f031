# MLDA, SynAnimal -> TigDog tiger, the authors' released recipe (published
# All: 68.4): the horse preset's run (horse and tiger together), scored on
# the tiger test frames.
_base_ = ['./mlda_authors_synanimal_tigdog_horse.py']
# the same run (selected on horse + tiger), tested on the tiger frames
test_dataloader = dict(dataset=dict(animal='tiger'))
