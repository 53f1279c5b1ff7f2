"""How big the province is, and how its people are shared among its programs."""

from dataclasses import dataclass

PROVINCE_DOMAIN = "province.example"
PROVINCE_SLUG_PREFIX = "province-"


class SizeError(ValueError):
    """Sizes that cannot make a valid province (said in words for the command line)."""


@dataclass(frozen=True)
class ProvinceSizes:
    """Totals across the province; the largest program holds `largest` supporters and the
    same share of the requests, matches and contacts as of the supporters."""

    programs: int = 10
    supporters: int = 50_000
    largest: int = 10_000
    waiting: int = 2_000
    open_matches: int = 5_000
    contacts: int = 100_000
    # Of the waiting requests, those held by a proposal: a draft, asked, or accepted.
    proposals: int = 300
    coordinators: int = 16  # signing in to the largest program (the load run's)
    # The largest program's waiting requests, when not its share (match everyone's bench).
    largest_waiting: int | None = None
    # History over the last eighteen months (0: none, as the scale issue's province). `requests`
    # counts every request received, the waiting and matched ones among them; the others are
    # closed (their match closed) or withdrawn. `hours_reports` counts the monthly reports.
    requests: int = 0
    hours_reports: int = 0

    @property
    def has_history(self) -> bool:
        return self.requests > 0

    @property
    def past_requests(self) -> int:
        """The requests no longer waiting nor matched: closed or withdrawn."""
        return max(0, self.requests - self.waiting - self.open_matches)

    def check(self) -> None:
        if self.programs < 1:
            raise SizeError("A province needs at least one program.")
        if not 1 <= self.largest <= self.supporters:
            raise SizeError("The largest program needs between 1 and all of the supporters.")
        others = self.supporters - self.largest
        if self.programs == 1 and others:
            raise SizeError("With one program, the largest program holds every supporter.")
        if self.programs > 1 and others // (self.programs - 1) > self.largest:
            raise SizeError("The largest program must be at least as big as each of the others.")
        if self.programs > 1 and others < self.programs - 1:
            raise SizeError("Every program needs at least one supporter.")
        counts = (self.waiting, self.open_matches, self.contacts, self.largest_waiting or 0)
        if min(counts) < 0 or self.coordinators < 1:
            raise SizeError(
                "Counts cannot be negative, and the largest program needs a coordinator."
            )
        if not 0 <= self.proposals <= self.waiting:
            raise SizeError("Proposals hold waiting requests: give at most as many as wait.")
        if self.has_history and self.requests < self.waiting + self.open_matches:
            raise SizeError("The requests in all include the waiting and the matched ones.")
        if self.hours_reports < 0 or (self.hours_reports and not self.has_history):
            raise SizeError("Hours reports over the months need a history: give --requests.")
        if self.open_matches and self.contacts < self.open_matches:
            raise SizeError("Every open match needs a contact: give at least one per match.")
        # About nine in ten supporters are active with two places each: half must stay free.
        if self.open_matches + self.proposals > self.supporters * 9 // 10:
            raise SizeError(
                "Too many open matches and proposals for this many supporters (at most 0.9 each)."
            )

    def supporters_per_program(self) -> list[int]:
        """The largest program first, the others sharing the rest as evenly as they can."""
        if self.programs == 1:
            return [self.supporters]
        others, extra = divmod(self.supporters - self.largest, self.programs - 1)
        return [self.largest] + [
            others + (1 if index < extra else 0) for index in range(self.programs - 1)
        ]

    def shared(self, total: int) -> list[int]:
        """`total` shared in proportion to each program's supporters (what rounding leaves over
        goes to the largest), so the largest program's pages hold its fair share."""
        people = self.supporters_per_program()
        shares = [total * count // self.supporters for count in people]
        shares[0] += total - sum(shares)
        return shares

    def waiting_per_program(self) -> list[int]:
        """Each program's waiting requests, not counting those its proposals hold."""
        shares = self.shared(self.waiting)
        if self.largest_waiting is not None:
            shares[0] = self.largest_waiting
        held = self.shared(self.proposals)
        return [
            max(0, waiting - proposals) for waiting, proposals in zip(shares, held, strict=True)
        ]


# The insight issue's size: a program's health measured over a year and a half of its life.
INSIGHT = ProvinceSizes(
    programs=10,
    supporters=10_000,
    largest=2_000,
    waiting=1_000,
    open_matches=5_000,
    contacts=100_000,
    proposals=300,
    coordinators=4,
    requests=20_000,
    hours_reports=50_000,
)
PRESETS = {"province": ProvinceSizes(), "insight": INSIGHT}
