from .two_domain_sampler import TwoDomainSampler

__all__ = ['TwoDomainSampler']
