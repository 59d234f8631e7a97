from . import relance_letter_tracking, relance_reminder_send
