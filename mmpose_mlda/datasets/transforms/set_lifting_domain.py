"""Tag lifting samples with their domain for PoseDA's two-domain batches."""
from mmcv.transforms import BaseTransform

from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class SetLiftingDomain(BaseTransform):
    """Write ``results['domain'] = domain`` ('source' or 'target').

    Put it in each sub-dataset's pipeline of a ``DomainAdaptationDataset``
    and keep ``'domain'`` in ``PackPoseInputs.meta_keys``;
    :class:`PoseDAPoseLifter` splits batches by it.
    """

    def __init__(self, domain: str):
        if domain not in ('source', 'target'):
            raise ValueError(
                f"SetLiftingDomain: domain must be 'source' or 'target', "
                f'got {domain!r}')
        self.domain = domain

    def transform(self, results: dict) -> dict:
        results['domain'] = self.domain
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(domain={self.domain!r})'
