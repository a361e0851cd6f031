# Table 6 ablation: mean teacher + image-level alignment. The built-in
# benchmark uses the weight-free Fourier style transfer (FDA); with the
# pytorch-AdaIN files use
#   style_transfer=dict(type='AdaINStyleTransfer',
#       encoder_weights='checkpoints/vgg_normalised.pth',
#       decoder_weights='checkpoints/decoder.pth', alpha=(0.0, 1.0), prob=0.5)
_base_ = ['./mlda.py']
model = dict(
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.01,
                            prob=0.5)))
