"""Errors whose message is shown to the clerk as it is (Chinese, says what and how to fix)."""


class UserError(Exception):
    """Base: str(err) is a complete Chinese sentence for the clerk."""


class DatabaseOpenError(UserError):
    """The file cannot be opened as this program's database."""


class DamagedDatabaseError(DatabaseOpenError):
    """The file failed quick_check or a test query: offer the newest good backup."""

    def __init__(self, message: str, path=None) -> None:
        super().__init__(message)
        self.path = path


class DatabaseLockedError(DatabaseOpenError):
    """Another copy of the program has the file open (core/file_lock.py)."""


class NewerDatabaseError(DatabaseOpenError):
    """The file comes from a newer version of the program; it was not changed."""


class ValidationError(UserError):
    """Input that cannot be saved; nothing was written."""


class WorkflowError(ValidationError):
    """A step that the seven-step procedure does not allow."""


class Cancelled(UserError):
    """The clerk pressed Cancel; nothing was written."""
