from .domain_adaptation_dataset import DomainAdaptationDataset
from .samplers import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403

__all__ = ['DomainAdaptationDataset']
