from .domain_adversarial_loss import DomainAdversarialLoss
from .information_maximization_loss import InformationMaximizationLoss

__all__ = ['DomainAdversarialLoss', 'InformationMaximizationLoss']
