class DomainError(Exception):
    """A rule of the program refused an action; `message` is written for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
