"""Load and validate the exercise catalogue (docs/coaching.md §7) once per process.

The TOML is our own data; a mistake in it (a duplicate alias, a substitute that does not exist)
would surface as a wrong plan much later, so `load_catalogue` refuses it at load time with a
`CatalogueError` naming the exercise and field.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from bot.core.domain.errors import CatalogueError, UnknownExerciseError
from bot.core.domain.profile import Equipment, Experience, Limitation

__all__ = [
    "Body",
    "Catalogue",
    "Category",
    "Exercise",
    "LoadKind",
    "PlyoLevel",
    "available_equipment",
    "load_catalogue",
    "normalise_name",
]


class Category(StrEnum):
    MOBILITY = "mobility"
    PLYOMETRIC = "plyometric"
    STRENGTH_BILATERAL = "strength_bilateral"
    STRENGTH_UNILATERAL = "strength_unilateral"
    UPPER_PUSH = "upper_push"
    UPPER_PULL = "upper_pull"
    CORE = "core"
    ACCESSORY = "accessory"


class LoadKind(StrEnum):
    """How an exercise is loaded; only barbell lifts get a %1RM (S6: never for bodyweight)."""

    BARBELL = "barbell"
    DUMBBELL = "dumbbell"
    KETTLEBELL = "kettlebell"
    BODYWEIGHT = "bodyweight"
    NONE = "none"


class Body(StrEnum):
    LOWER = "lower"
    UPPER = "upper"
    CORE = "core"
    FULL = "full"


class PlyoLevel(StrEnum):
    """Plyometric intensity; novices stay on `low` for their first block (S5)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


_GYM_HAS = frozenset(Equipment)
"""A gym has dumbbells, kettlebells, boxes, bands and a pull-up bar as well as barbells."""


def available_equipment(equipment: Iterable[Equipment]) -> frozenset[Equipment]:
    """What a runner can use: what they listed, plus their body, and a gym implies the rest."""
    have = set(equipment) | {Equipment.BODYWEIGHT}
    if Equipment.GYM in have:
        return _GYM_HAS
    return frozenset(have)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One catalogue entry. `equipment` lists alternatives: any one of them suffices (S6)."""

    id: str
    name: str
    category: Category
    equipment: frozenset[Equipment]
    load_kind: LoadKind
    body: Body
    cue: str
    aliases: tuple[str, ...] = ()
    per_side: bool = False
    timed: bool = False
    heavy: bool = False
    contacts: int = 0
    level: PlyoLevel | None = None
    novice: str | None = None
    substitutes: tuple[str, ...] = ()
    avoid: frozenset[Limitation] = field(default_factory=frozenset)
    auto: bool = True
    rotation: bool = False
    rep_range: tuple[int, int] | None = None
    kettlebell_name: str | None = None
    """What the exercise is called when a kettlebell is the runner's only weight."""
    dumbbell_name: str | None = None
    """What it is called when dumbbells are (a kettlebell swing done with a dumbbell)."""
    harder: str | None = None
    """L11: the next step up the progression ladder (a harder variation of the pattern)."""
    power: bool = False
    """S11: a power exercise: low reps, full rest, stop when the speed drops, no RIR."""
    hold_max: int | None = None
    """L11: the longest useful hold of a hard variation (an RKC plank is 10–20 s, not 60)."""
    is_plyometric: bool = field(init=False, repr=False, compare=False)
    is_lower_body: bool = field(init=False, repr=False, compare=False)
    """Lower-body or whole-body work: what PH3 keeps away from marathons' last 10 days."""
    is_upper_body: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # read for every slot of every session: worked out once (bench/planner.py)
        object.__setattr__(self, "is_plyometric", self.category is Category.PLYOMETRIC)
        object.__setattr__(self, "is_lower_body", self.body in (Body.LOWER, Body.FULL))
        object.__setattr__(
            self,
            "is_upper_body",
            self.category in (Category.UPPER_PULL, Category.UPPER_PUSH) or self.body is Body.UPPER,
        )

    def name_for(self, available: frozenset[Equipment]) -> str:
        """The name a runner with this kit sees: "Kettlebell row", not "Dumbbell row", for
        someone who owns a kettlebell and no dumbbells (and "Dumbbell swing" the other way)."""
        if (
            self.dumbbell_name is not None
            and Equipment.DUMBBELLS in available
            and Equipment.KETTLEBELL not in available
            and Equipment.GYM not in available
        ):
            return self.dumbbell_name
        if (
            self.kettlebell_name is not None
            and Equipment.KETTLEBELL in available
            and Equipment.DUMBBELLS not in available
        ):
            return self.kettlebell_name
        return self.name

    def usable_with(self, available: frozenset[Equipment]) -> bool:
        """S6: true when any one of the exercise's equipment alternatives is available."""
        return not self.equipment.isdisjoint(available)

    def suits(self, limitations: Iterable[Limitation]) -> bool:
        """X1: false when the runner has a limitation this exercise must avoid."""
        return self.avoid.isdisjoint(limitations)

    def allowed_for(self, experience: Experience, week_no: int) -> bool:
        """S5: depth jumps only after 8 weeks of plyometrics in runlift (every experience);
        power cleans for advanced lifters only; novices only low-level plyometrics in their
        first 8-week block."""
        if self.id == "power_clean" and experience is not Experience.ADVANCED:
            return False
        if self.level is PlyoLevel.HIGH:  # the 8-week gate holds for everyone
            return week_no > 8
        if experience is Experience.NOVICE and week_no <= 8:
            return self.level in (None, PlyoLevel.LOW)
        return True


_SPACES = re.compile(r"[\s_\-]+")


def normalise_name(text: str) -> str:
    """Lower-case; drop apostrophes and dots; hyphens, underscores and spaces -> one space."""
    text = text.strip().lower().replace("'", "").replace("’", "").replace(".", "")
    return _SPACES.sub(" ", text).strip()


class Catalogue:
    """The validated exercises, looked up by id or by what a runner types."""

    __slots__ = ("_by_id", "_by_name", "_chains")

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        self._by_name: dict[str, Exercise] = {}
        self._chains: dict[str, tuple[Exercise, ...]] = {}
        for exercise in exercises:
            self._add(exercise)
        self._check_references()

    def _add(self, exercise: Exercise) -> None:
        if exercise.id in self._by_id:
            raise CatalogueError(f"exercise {exercise.id!r}: duplicate id")
        self._by_id[exercise.id] = exercise
        keys = {normalise_name(exercise.id), normalise_name(exercise.name)}
        for other_name in (exercise.kettlebell_name, exercise.dumbbell_name):
            if other_name is not None:
                keys.add(normalise_name(other_name))
        for alias in exercise.aliases:
            key = normalise_name(alias)
            if key in keys:
                continue
            keys.add(key)
        for key in keys:
            owner = self._by_name.get(key)
            if owner is not None and owner.id != exercise.id:
                raise CatalogueError(
                    f"exercise {exercise.id!r}: name or alias {key!r} already belongs to "
                    f"{owner.id!r}"
                )
            self._by_name[key] = exercise

    def _check_references(self) -> None:
        for exercise in self._by_id.values():
            refs = (exercise.novice, exercise.harder)
            for ref in (*exercise.substitutes, *(r for r in refs if r)):
                if ref not in self._by_id:
                    raise CatalogueError(
                        f"exercise {exercise.id!r}: substitute {ref!r} is not in the catalogue"
                    )
                if ref == exercise.id:
                    raise CatalogueError(f"exercise {exercise.id!r}: substitutes itself")
            if (
                exercise.is_plyometric
                and exercise.body is not Body.UPPER
                and (exercise.contacts < 1 or exercise.level is None)
            ):
                raise CatalogueError(
                    f"exercise {exercise.id!r}: plyometrics need contacts and a level (S8)"
                )

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id.

        Raises:
            UnknownExerciseError: no exercise has that id.
        """
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise UnknownExerciseError(f"no exercise with id {exercise_id!r}") from None

    def find(self, name_or_alias: str) -> Exercise | None:
        """The exercise a runner means by `name_or_alias` ("squats", "RDL", "pull ups"), or None.

        Exact after normalising case, spacing, hyphens and apostrophes; a trailing plural "s"
        or "es" is tried too. Fuzzy matching of free text belongs to the caller.
        """
        key = normalise_name(name_or_alias)
        if not key:
            return None
        found = self._by_name.get(key)
        if found is None and key.endswith("es"):
            found = self._by_name.get(key[:-2])
        if found is None and key.endswith("s"):
            found = self._by_name.get(key[:-1])
        if found is None:
            found = self._by_name.get(key.replace(" ", ""))
        return found

    def names(self) -> Mapping[str, Exercise]:
        """Every normalised name and alias with its exercise (for fuzzy matching)."""
        return dict(self._by_name)

    def ladder(self, exercise_id: str) -> tuple[Exercise, ...]:
        """L11: the progression ladder from this exercise up, each step once."""
        steps: list[Exercise] = []
        current: str | None = exercise_id
        while current is not None and all(step.id != current for step in steps):
            exercise = self.get(current)
            steps.append(exercise)
            current = exercise.harder
        return tuple(steps)

    def substitution_chain(self, exercise_id: str) -> tuple[Exercise, ...]:
        """The exercise, then its substitutes breadth-first, each once (S6, X1); cached."""
        cached = self._chains.get(exercise_id)
        if cached is not None:
            return cached
        seen: dict[str, Exercise] = {}
        queue = [exercise_id]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            exercise = self.get(current)
            seen[current] = exercise
            queue.extend(exercise.substitutes)
        chain = tuple(seen.values())
        self._chains[exercise_id] = chain
        return chain


_E = TypeVar("_E", bound=StrEnum)

_KNOWN_KEYS = frozenset(
    {
        "id",
        "name",
        "aliases",
        "category",
        "equipment",
        "load_kind",
        "body",
        "cue",
        "per_side",
        "timed",
        "heavy",
        "contacts",
        "level",
        "novice",
        "substitutes",
        "avoid",
        "auto",
        "rotation",
        "rep_range",
        "kettlebell_name",
        "dumbbell_name",
        "harder",
        "power",
        "hold_max",
    }
)


def _enum(kind: type[_E], value: Any, where: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise CatalogueError(f"{where}: {value!r} is not one of {allowed}") from None


def _exercise(raw: Mapping[str, Any]) -> Exercise:
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise CatalogueError(f"exercise {raw.get('name')!r}: missing id")
    where = f"exercise {ident!r}"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("name", "category", "equipment", "load_kind", "body", "cue"):
        if required not in raw:
            raise CatalogueError(f"{where}: missing {required}")
    equipment = frozenset(_enum(Equipment, e, f"{where}.equipment") for e in raw["equipment"])
    if not equipment:
        raise CatalogueError(f"{where}.equipment: list at least one")
    rep_range = raw.get("rep_range")
    level = raw.get("level")
    return Exercise(
        id=ident,
        name=str(raw["name"]),
        category=_enum(Category, raw["category"], f"{where}.category"),
        equipment=equipment,
        load_kind=_enum(LoadKind, raw["load_kind"], f"{where}.load_kind"),
        body=_enum(Body, raw["body"], f"{where}.body"),
        cue=str(raw["cue"]),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        per_side=bool(raw.get("per_side", False)),
        timed=bool(raw.get("timed", False)),
        heavy=bool(raw.get("heavy", False)),
        contacts=int(raw.get("contacts", 0)),
        level=None if level is None else _enum(PlyoLevel, level, f"{where}.level"),
        novice=raw.get("novice"),
        substitutes=tuple(str(s) for s in raw.get("substitutes", ())),
        avoid=frozenset(_enum(Limitation, a, f"{where}.avoid") for a in raw.get("avoid", ())),
        auto=bool(raw.get("auto", True)),
        rotation=bool(raw.get("rotation", False)),
        rep_range=None if rep_range is None else (int(rep_range[0]), int(rep_range[1])),
        kettlebell_name=raw.get("kettlebell_name"),
        dumbbell_name=raw.get("dumbbell_name"),
        harder=raw.get("harder"),
        power=bool(raw.get("power", False)),
        hold_max=None if raw.get("hold_max") is None else int(raw["hold_max"]),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Build a validated `Catalogue` from TOML text.

    Raises:
        CatalogueError: invalid TOML, unknown values, duplicate ids or aliases, or a substitute
            that does not exist.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"exercises.toml: {exc}") from None
    return Catalogue(_exercise(raw) for raw in data.get("exercise", ()))


@cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    """The packaged catalogue (or the one at `path`), parsed and validated once per process."""
    if path is None:
        text = resources.files("bot.core.catalogue").joinpath("exercises.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return parse_catalogue(text)
