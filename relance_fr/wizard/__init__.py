from . import relance_reminder_send
