"""What a procedure step raises when it is not allowed now; the message is for the user."""


class ProcedureError(Exception):
    """A step the procedure does not allow now; the message says why, for the user."""


class NotPermitted(ProcedureError):
    """The acting user's role does not allow this step (views answer 403 before it gets here)."""


class AttachmentRefused(ProcedureError):
    """The complaint cannot take this file: it is closed, or its attachment limits are reached."""
