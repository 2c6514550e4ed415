"""The one exception tree of keytrace.

Every error a user can see derives from :class:`KeytraceError` and renders as one sentence.
The command line maps :class:`UsageError` to exit status 2 and every other ``KeytraceError`` to 1.

    KeytraceError
    ├── UsageError                 wrong use of a command (exit 2)
    │   ├── AccountMismatch        the file's own rows name another account than the one given
    │   └── EvidenceOfAnotherAccount  a file without a UID is already another account's evidence
    ├── ConfigError                bad configuration or key material
    ├── Quarantined                a claimant's upload was held for review (nothing of it was stored)
    ├── InputError                 bad input; names file, row and column where known
    │   ├── UnknownFormatError     a file keytrace cannot recognise (lists the known formats)
    │   ├── ValidationError        rows that fail validation (carries every problem)
    │   ├── UnsafeFileError        zip bombs, path tricks, oversize uploads
    │   └── SecretRefusedError     an API secret, private key or seed phrase was offered
    ├── EvidenceError
    │   └── EvidenceTamperedError  stored evidence no longer matches its hash
    ├── AuditChainBroken           the audit trail was edited, deleted or reordered
    ├── DatabaseBusyError          another process holds the database for writing
    ├── AccessDenied               the actor's role may not do this
    ├── DetectionError             detection could not finish (the previous findings are kept)
    ├── NotFound                   a claim, user or file that does not exist (or is not yours)
    └── RpcError
        ├── RetriableRpcError      429, 5xx, timeouts, dropped connections, "too many results"
        └── FatalRpcError          everything a retry cannot fix
"""

from __future__ import annotations

from dataclasses import dataclass


class KeytraceError(Exception):
    """Base of every error keytrace raises on purpose."""

    def __str__(self) -> str:  # one sentence, always
        return " ".join(str(self.args[0]).split()) if self.args else self.__class__.__name__


class UsageError(KeytraceError):
    pass


class ConfigError(KeytraceError):
    pass


class AccountMismatch(UsageError):
    """The file's own rows name another account than the one it is filed for."""

    def __init__(self, message: str, *, found: tuple[str, ...], given: str) -> None:
        self.found = found
        self.given = given
        super().__init__(message)


class EvidenceOfAnotherAccount(UsageError):
    """A file without a UID is already the evidence of another account: it cannot be evidence of two."""

    def __init__(self, message: str, *, holders: tuple[str, ...]) -> None:
        self.holders = holders
        super().__init__(message)


class Quarantined(KeytraceError):
    """An upload's screen found signals: nothing was stored (the merge was rolled back)."""

    def __init__(self, signals: list[tuple[str, str]]) -> None:
        self.signals = signals
        super().__init__("the upload was held for review: " + "; ".join(d for _s, d in signals))


@dataclass(frozen=True)
class Problem:
    """One reason a row was refused."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def sentence(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"


class InputError(KeytraceError):
    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = message
        if file is not None:
            message = Problem(file, row, column, message).sentence()
        super().__init__(message)


class UnknownFormatError(InputError):
    pass


class ValidationError(InputError):
    def __init__(self, problems: list[Problem], total_bad: int | None = None) -> None:
        self.problems = problems
        self.total_bad = total_bad if total_bad is not None else len(problems)
        first = problems[0]
        more = self.total_bad - 1
        suffix = f" ({more} more bad row{'s' if more != 1 else ''}; nothing was stored)" if more > 0 else \
            " (nothing was stored)"
        super().__init__(first.reason + suffix, file=first.file, row=first.row, column=first.column)


class UnsafeFileError(InputError):
    pass


class SecretRefusedError(InputError):
    pass


class EvidenceError(KeytraceError):
    pass


class EvidenceTamperedError(EvidenceError):
    pass


class AuditChainBroken(KeytraceError):
    def __init__(self, seq: int, reason: str) -> None:
        self.seq = seq
        super().__init__(f"audit trail broken at entry {seq}: {reason}")


class DatabaseBusyError(KeytraceError):
    pass


class AccessDenied(KeytraceError):
    pass


class DetectionError(KeytraceError):
    """Detection could not finish; the previous findings are kept (the run is one transaction)."""


class NotFound(KeytraceError):
    pass


class RpcError(KeytraceError):
    pass


class RetriableRpcError(RpcError):
    pass


class FatalRpcError(RpcError):
    pass
