"""Errors whose message is shown to the clerk as it is (Chinese, says what and how to fix)."""


class UserError(Exception):
    """Base: str(err) is a complete Chinese sentence for the clerk."""


class DatabaseOpenError(UserError):
    """The file cannot be opened as this program's database."""


class ValidationError(UserError):
    """Input that cannot be saved; nothing was written."""


class WorkflowError(ValidationError):
    """A step that the seven-step procedure does not allow."""


class Cancelled(UserError):
    """The clerk pressed Cancel; nothing was written."""
