# Study: gpa_lpa_adversarial.py with the 3D realism discriminator (AnchorPoseDiscriminator:
# source 3D poses as anchors, bone directions and relative lengths) instead
# of the target-anchored 2D one: realism without target-likeness.
_base_ = ['../gpa_lpa_adversarial.py']
model = dict(discriminator=dict(_delete_=True, type='AnchorPoseDiscriminator'))
