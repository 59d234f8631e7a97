from . import relance_collection_wizard, relance_letter_tracking, relance_reminder_send
