from .alignment import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .estimators import *  # noqa: F401,F403
from .lifting import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .pseudo_labels import *  # noqa: F401,F403
from .style_transfer import *  # noqa: F401,F403
