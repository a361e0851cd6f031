# MLDA, SynAnimal -> AnimalPose sheep, the authors' released recipe: the dog
# preset's run (dog and sheep together), scored on the sheep test images.
_base_ = ['./mlda_authors_synanimal_animalpose_dog.py']
# the same run (selected on dog + sheep), tested on the sheep images
test_dataloader = dict(dataset=_base_.sheep_test)
