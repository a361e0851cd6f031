from .validity_msra_heatmap import ValidityMSRAHeatmap

__all__ = ['ValidityMSRAHeatmap']
