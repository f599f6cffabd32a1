"""政务公开台账 — desktop ledger for a government information-disclosure office."""

__version__ = "0.1.0"
