# Feature-level alignment as in the authors' code: the per-pixel
# discriminator (3 convs + LeakyReLU(0.2)) on the student's deconv-head
# features instead of the paper's classifier on backbone features. Its
# widths are a quarter of the authors' (256), as the demo's deconv head is a
# quarter of theirs: at 256 this row cost 2.5 s a step, 6x the others.
_base_ = ['./mt_feature.py']
model = dict(
    adversarial_input='head',
    adversarial_loss=dict(
        discriminator=dict(
            _delete_=True, type='PixelDomainDiscriminator', in_channels=64,
            hidden_channels=64)))
