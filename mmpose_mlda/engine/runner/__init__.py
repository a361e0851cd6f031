from .adaptation_train_loop import AdaptationTrainLoop
from .teacher_student_val_loop import TeacherStudentValLoop

__all__ = ['AdaptationTrainLoop', 'TeacherStudentValLoop']
