from .cached_dataset import CachedDataset
from .domain_adaptation_dataset import DomainAdaptationDataset
from .animalpose_category_dataset import AnimalPoseCategoryDataset
from .synanimal_dataset import SynAnimalDataset
from .tigdog_dataset import TigDogDataset
from .lsp_dataset import LSPDataset
from .lspet_dataset import LSPetDataset
from .surreal_dataset import SurrealDataset
from .mpi_inf_3dhp_dataset import MpiInf3dhpDataset
from .unlabeled_image_dataset import UnlabeledImageDataset
from .samplers import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403

__all__ = ['CachedDataset', 'DomainAdaptationDataset',
           'AnimalPoseCategoryDataset', 'SynAnimalDataset', 'TigDogDataset',
           'LSPDataset', 'LSPetDataset', 'SurrealDataset', 'MpiInf3dhpDataset',
           'UnlabeledImageDataset']
