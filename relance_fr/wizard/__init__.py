from . import (
    relance_call_wizard,
    relance_collection_wizard,
    relance_einvoice_import,
    relance_letter_tracking,
    relance_reminder_send,
    relance_reminder_validate,
)
