"""mmpose-mlda: unsupervised domain-adaptive pose estimation for MMPose 1.x.

Importing this package applies the environment fixes in :mod:`.compat` and
registers every component in MMPose's registries, so a config only needs::

    custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)
"""
from . import compat

compat.apply()

from .codecs import *  # noqa: F401,F403,E402
from .datasets import *  # noqa: F401,F403,E402
from .engine import *  # noqa: F401,F403,E402
from .evaluation import *  # noqa: F401,F403,E402
from .models import *  # noqa: F401,F403,E402

__version__ = '0.1.0'
