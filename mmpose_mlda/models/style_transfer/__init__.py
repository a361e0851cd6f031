"""Image-level alignment: style transfer of source images to the target
style (AdaIN with the pytorch-AdaIN weights, or weight-free FDA)."""
from .adain import (AdaINStyleTransfer, adaptive_instance_norm,
                    build_adain_decoder, build_adain_encoder,
                    calc_mean_std)
from .fourier import (FourierStyleTransfer, fda_amplitude_swap,
                      low_frequency_mask)

__all__ = [
    'AdaINStyleTransfer', 'adaptive_instance_norm', 'calc_mean_std',
    'build_adain_encoder', 'build_adain_decoder', 'FourierStyleTransfer', 'fda_amplitude_swap',
    'low_frequency_mask'
]
