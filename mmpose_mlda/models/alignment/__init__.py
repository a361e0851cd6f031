from .domain_discriminator import (FeatureDomainDiscriminator,
                                   PixelDomainDiscriminator)
from .gradient_reversal import GradientReversalFunction, GradientReversalLayer

__all__ = [
    'GradientReversalFunction', 'GradientReversalLayer',
    'FeatureDomainDiscriminator', 'PixelDomainDiscriminator'
]
