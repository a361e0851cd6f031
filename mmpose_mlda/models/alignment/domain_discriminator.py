"""Domain discriminators for feature-level alignment.

Both take a feature map ``(B, C, H, W)`` and return domain logits (no
sigmoid; ``DomainAdversarialLoss`` applies ``BCEWithLogits``): the paper's
per-sample variant for backbone features and the authors' per-pixel
variant for deconv-head features.
"""
from mmpose.registry import MODELS
from torch import Tensor, nn


def _conv_bn_relu(in_channels: int, out_channels: int,
                  kernel_size: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size,
                  padding=kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


@MODELS.register_module()
class FeatureDomainDiscriminator(nn.Module):
    """Per-sample discriminator with a feature-enhancement block (paper).

    The paper passes the student's encoder features through a "feature
    enhancement model" that suppresses noise before a discriminator
    classifies the domain. Here:

    1. projection: 1x1 conv-BN-ReLU, ``in_channels -> hidden_channels``
       (e.g. 2048 -> 256 for a ResNet-50 backbone);
    2. enhancement: residual block of two 3x3 conv-BN(-ReLU) layers,
       ``relu(x + f(x))``;
    3. global average pooling -> ``(B, hidden_channels)``;
    4. MLP classifier: Linear-ReLU-Dropout-Linear -> ``(B, 1)`` logits.

    The MLP has no BatchNorm, so a batch of one sample works.

    Args:
        in_channels (int): channels C of the input features.
        hidden_channels (int): width of the enhancement block and of the
            MLP hidden layer. Defaults to 256.
        dropout (float): dropout probability in the MLP. Defaults to 0.

    Shape:
        input: ``(B, C, H, W)``; output: ``(B, 1)`` logits (> 0 means
        "target").
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int = 256,
                 dropout: float = 0.0) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.projection = _conv_bn_relu(in_channels, hidden_channels, 1)
        self.enhance = nn.Sequential(
            _conv_bn_relu(hidden_channels, hidden_channels, 3),
            nn.Conv2d(hidden_channels, hidden_channels, 3, padding=1,
                      bias=False),
            nn.BatchNorm2d(hidden_channels))
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(hidden_channels, hidden_channels),
            nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(hidden_channels, 1))

    def forward(self, x: Tensor) -> Tensor:
        x = self.projection(x)
        x = self.relu(x + self.enhance(x))
        return self.classifier(self.pool(x).flatten(1))


@MODELS.register_module()
class PixelDomainDiscriminator(nn.Module):
    """Per-pixel discriminator on deconv-head features (the authors' code).

    3x3 convs (stride 1, padding 1) each followed by LeakyReLU(0.2), then a
    conv classifier giving one domain logit per pixel; the spatial size is
    kept. Meant for the deconv-head features of a SimpleBaseline model (256
    channels at 64x64 heatmap resolution). The authors'
    ``FCDiscriminator_img`` is ``hidden_channels=(256, 128, 128),
    classifier_kernel=3``.

    Args:
        in_channels (int): channels C of the input features. Defaults to
            256.
        hidden_channels (int | tuple[int]): widths of the hidden convs; an
            int means three of that width. Defaults to 256.
        classifier_kernel (int): kernel of the classifier conv (1 or 3).

    Shape:
        input: ``(B, C, H, W)``; output: ``(B, 1, H, W)`` logits.
    """

    def __init__(self, in_channels: int = 256,
                 hidden_channels=256,
                 classifier_kernel: int = 1) -> None:
        super().__init__()
        self.in_channels = in_channels
        if isinstance(hidden_channels, int):
            hidden_channels = (hidden_channels, ) * 3
        layers = []
        channels = in_channels
        for width in hidden_channels:
            layers += [
                nn.Conv2d(channels, width, 3, padding=1),
                nn.LeakyReLU(0.2, inplace=True)
            ]
            channels = width
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Conv2d(channels, 1, classifier_kernel,
                                    padding=classifier_kernel // 2)

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
