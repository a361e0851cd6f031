from .domain_adaptation_data_preprocessor import \
    DomainAdaptationDataPreprocessor

__all__ = ['DomainAdaptationDataPreprocessor']
