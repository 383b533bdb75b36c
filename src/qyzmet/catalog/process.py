"""The process of a service version as a graph: p.10's procedures and p.5's steps per channel.

The catalogue file lists, for each channel, the procedures of p.10 (``процесс N``,
``условие N``) and the steps of p.5 in the order they happen (``[[process.procedures]]``);
a condition's ``on_failure`` procedures are its refusal branch, which ends the process. The
pools (participants), the lanes of the provider's pool (``[[process.roles]]``, p.7) and the
messages to the e-gov gateway and the certification authority are data too. From this the
BPMN export (:mod:`qyzmet.catalog.bpmn`), the appendices' pages and the handbook are drawn.

:func:`process_issues` holds the rules a file must satisfy for its process to be drawn
(checked by ``qyzmet catalog check``, see :mod:`qyzmet.catalog.validation`);
:func:`channel_process` assumes a valid definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from qyzmet.core.i18n import translate

from .definitions import Localized, Step

PROVIDER = "provider"
APPLICANT = "applicant"
#: Participants drawn as black-box pools (no process of theirs is modelled, messages go to them).
BLACK_BOX_KINDS = ("gateway", "certification_authority")

#: The label p.10 gives a procedure: "процесс 3", "условие 2".
_LABELS = {
    "process": gettext_lazy("процесс {n}"),
    "condition": gettext_lazy("условие {n}"),
}


@dataclass(frozen=True)
class Participant:
    code: str
    kind: str
    name: Localized
    abbreviation: Localized | None
    basis: str
    assumed: bool = False
    note: str = ""

    @property
    def black_box(self) -> bool:
        return self.kind in BLACK_BOX_KINDS

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Participant:
        abbreviation = raw.get("abbreviation")
        return cls(
            code=raw["code"],
            kind=raw["kind"],
            name=Localized.of(raw["name"]),
            abbreviation=Localized.of(abbreviation) if abbreviation else None,
            basis=raw["basis"],
            assumed=bool(raw.get("assumed", False)),
            note=raw.get("note", ""),
        )


@dataclass(frozen=True)
class ProcessRole:
    code: str
    name: Localized
    basis: str

    @classmethod
    def of(cls, raw: dict[str, Any]) -> ProcessRole:
        return cls(code=raw["code"], name=Localized.of(raw["name"]), basis=raw["basis"])


@dataclass(frozen=True)
class Procedure:
    """One procedure of a channel, resolved: a step's procedure has the step's role, norm and
    (unless it names itself, as "процесс 7" does) the step's name."""

    code: str
    kind: str  # process | condition | step
    number: int | None
    participant: str
    role: str | None  # the lane in the provider's pool; None in other pools
    step: Step | None
    name: Localized
    messages: tuple[str, ...]
    decided_at: tuple[str, ...]
    on_failure: tuple[str, ...]
    basis: str
    assumed: bool = False
    note: str = ""
    result: Localized | None = None  # what it yields for the next procedure (p.6)

    @property
    def is_condition(self) -> bool:
        return self.kind == "condition"

    def label(self, language: str | None = None) -> str:
        """ "процесс 3" / "условие 2" as p.10 numbers it; "" for a step of p.5 of its own."""
        if self.number is None or self.kind not in _LABELS:
            return ""
        return translate(_LABELS[self.kind], language, n=self.number)

    def title(self, language: str | None = None) -> str:
        label = self.label(language)
        name = self.name.text(language)
        return f"{label}. {name}" if label else name


@dataclass(frozen=True)
class ChannelProcess:
    """The drawable process of one channel: the main sequence (the successful path), each
    condition's refusal branch, and the participants and provider roles taking part, in the
    order the catalogue declares them."""

    channel: str
    main: tuple[Procedure, ...]
    branches: dict[str, tuple[Procedure, ...]]
    participants: tuple[Participant, ...]
    roles: tuple[ProcessRole, ...]

    def participant(self, code: str) -> Participant:
        return next(p for p in self.participants if p.code == code)

    def procedures(self) -> list[Procedure]:
        """Every procedure once: the main sequence with each refusal branch after its
        condition."""
        result: list[Procedure] = []
        for procedure in self.main:
            result.append(procedure)
            result.extend(self.branches.get(procedure.code, ()))
        return result


def participants(definition: dict[str, Any]) -> list[Participant]:
    return [Participant.of(raw) for raw in definition["process"]["participants"]]


def roles(definition: dict[str, Any]) -> list[ProcessRole]:
    return [ProcessRole.of(raw) for raw in definition["process"]["roles"]]


def channel_process(definition: dict[str, Any], channel: str) -> ChannelProcess:
    process = definition["process"]
    steps = {raw["code"]: Step.of(raw) for raw in process["steps"] if channel in raw["channels"]}
    raws = [raw for raw in process["procedures"] if raw["channel"] == channel]
    resolved = {raw["code"]: _resolve(raw, steps) for raw in raws}
    failing = {code for raw in raws for code in raw.get("on_failure", ())}
    main = tuple(resolved[raw["code"]] for raw in raws if raw["code"] not in failing)
    branches = {
        p.code: tuple(resolved[code] for code in p.on_failure) for p in main if p.on_failure
    }
    used_participants = {p.participant for p in resolved.values()} | {
        m for p in resolved.values() for m in p.messages
    }
    used_roles = {p.role for p in resolved.values() if p.role}
    return ChannelProcess(
        channel=channel,
        main=main,
        branches=branches,
        participants=tuple(p for p in participants(definition) if p.code in used_participants),
        roles=tuple(r for r in roles(definition) if r.code in used_roles),
    )


def _resolve(raw: dict[str, Any], steps: dict[str, Step]) -> Procedure:
    step = steps.get(raw["step"]) if "step" in raw else None
    name = Localized.of(raw["name"]) if "name" in raw else step.name if step else None
    assert name is not None, "validated: a procedure has a name or a step"
    return Procedure(
        code=raw["code"],
        kind=raw["kind"],
        number=raw.get("number"),
        participant=raw["participant"],
        role=step.role if step else raw.get("role"),
        step=step,
        name=name,
        messages=tuple(raw.get("messages", ())),
        decided_at=tuple(raw.get("decided_at", ())),
        on_failure=tuple(raw.get("on_failure", ())),
        basis=raw["basis"],
        assumed=bool(raw.get("assumed") or (step and step.assumed)),
        note=raw.get("note", ""),
        result=Localized.of(raw["result"]) if "result" in raw else None,
    )


def process_issues(d: dict[str, Any], known_roles: Iterable[str]) -> list[tuple[str, str]]:
    """(field, message) for every rule the process of a (schema-valid) definition breaks so
    that it cannot be drawn or would be drawn wrong."""
    issues: list[tuple[str, str]] = []

    def add(field: str, message: str) -> None:
        issues.append((field, message))

    process = d["process"]
    channel_codes = [c["code"] for c in d["channels"]]

    known = set(known_roles)
    role_codes: list[str] = []
    for index, role in enumerate(process["roles"]):
        where = f"process.roles[{index}].code"
        if role["code"] in role_codes:
            add(where, f"duplicate role {role['code']!r}")
        elif role["code"] not in known:
            add(where, f"{role['code']!r} is not a known role ({', '.join(sorted(known))})")
        role_codes.append(role["code"])
    for index, step in enumerate(process["steps"]):
        if step["role"] in known and step["role"] not in role_codes:
            add(f"process.steps[{index}].role", f"role {step['role']!r} is not in process.roles")

    kinds: dict[str, str] = {}
    for index, participant in enumerate(process["participants"]):
        if participant["code"] in kinds:
            add(f"process.participants[{index}].code", f"duplicate {participant['code']!r}")
        kinds[participant["code"]] = participant["kind"]
    for kind in (PROVIDER, APPLICANT):
        if list(kinds.values()).count(kind) != 1:
            add("process.participants", f"exactly one participant of kind {kind!r} is required")

    step_channels = {(s["code"], c) for s in process["steps"] for c in s["channels"]}
    by_channel: dict[str, dict[str, tuple[int, dict[str, Any]]]] = {}
    for index, raw in enumerate(process["procedures"]):
        where = f"process.procedures[{index}]"
        channel = raw["channel"]
        if channel not in channel_codes:
            add(f"{where}.channel", f"channel {channel!r} is not declared")
        codes = by_channel.setdefault(channel, {})
        if raw["code"] in codes:
            add(f"{where}.code", f"duplicate code {raw['code']!r} in channel {channel!r}")
        codes[raw["code"]] = (index, raw)
        _procedure_shape_issues(raw, where, kinds, role_codes, step_channels, add)

    for channel in channel_codes:
        procedures = by_channel.get(channel, {})
        if not procedures:
            add("process.procedures", f"no procedure for channel {channel!r}")
            continue
        _channel_graph_issues(channel, procedures, add)
        performed = {raw["step"] for _, raw in procedures.values() if "step" in raw}
        failing = {c for _, raw in procedures.values() for c in raw.get("on_failure", ())}
        for index, step in enumerate(process["steps"]):
            if channel not in step["channels"]:
                continue
            doers = [
                raw["code"] for _, raw in procedures.values() if raw.get("step") == step["code"]
            ]
            if step["code"] not in performed:
                add(
                    f"process.steps[{index}]",
                    f"step {step['code']!r} of channel {channel!r} is not reached: no procedure "
                    "of process.procedures performs it, so the process cannot be drawn",
                )
            elif len(doers) > 1:
                add(
                    f"process.steps[{index}]",
                    f"step {step['code']!r} of channel {channel!r} is performed by more than "
                    f"one procedure ({', '.join(doers)})",
                )
            elif doers[0] in failing:
                add(
                    f"process.steps[{index}]",
                    f"step {step['code']!r} of channel {channel!r} is only on a refusal branch",
                )
    return issues


def _procedure_shape_issues(raw, where, kinds, role_codes, step_channels, add) -> None:
    kind = raw["kind"]
    participant_kind = kinds.get(raw["participant"])
    if participant_kind is None:
        add(f"{where}.participant", f"participant {raw['participant']!r} is not declared")
    elif participant_kind in BLACK_BOX_KINDS:
        add(
            f"{where}.participant",
            f"{raw['participant']!r} is a {participant_kind}: messages go to it, it does no "
            "procedure",
        )
    for message in raw.get("messages", ()):
        if message not in kinds:
            add(f"{where}.messages", f"participant {message!r} is not declared")
        elif message == raw["participant"]:
            add(f"{where}.messages", f"{message!r} is the procedure's own participant")
    if kind in ("process", "condition"):
        for key in ("number", "name"):
            if key not in raw:
                add(f"{where}.{key}", f"required when kind = {kind!r}")
    if kind == "step":
        for key in ("number", "name"):
            if key in raw:
                add(f"{where}.{key}", "not allowed when kind = 'step' (the step's own is used)")
        if "step" not in raw:
            add(f"{where}.step", "required when kind = 'step'")
    if kind == "condition":
        if "on_failure" not in raw:
            add(f"{where}.on_failure", "required when kind = 'condition'")
        if "step" in raw:
            add(f"{where}.step", "not allowed when kind = 'condition'")
    else:
        for key in ("on_failure", "decided_at"):
            if key in raw:
                add(f"{where}.{key}", "allowed only when kind = 'condition'")
    if "step" in raw:
        if (raw["step"], raw["channel"]) not in step_channels:
            add(f"{where}.step", f"{raw['step']!r} is not a step of channel {raw['channel']!r}")
        if participant_kind is not None and participant_kind != PROVIDER:
            add(f"{where}.participant", "a step of p.5 is done by the provider")
        if "role" in raw:
            add(f"{where}.role", "not allowed with a step (the step's role is used)")
    elif participant_kind == PROVIDER:
        if "role" not in raw:
            add(f"{where}.role", "required for a procedure of the provider (its lane)")
        elif raw["role"] not in role_codes:
            add(f"{where}.role", f"role {raw['role']!r} is not in process.roles")
    elif "role" in raw:
        add(f"{where}.role", "allowed only for a procedure of the provider")
    for stage in raw.get("decided_at", ()):
        if (stage, raw["channel"]) not in step_channels:
            add(f"{where}.decided_at", f"{stage!r} is not a step of channel {raw['channel']!r}")


def _channel_graph_issues(channel, procedures, add) -> None:
    targeted: dict[str, str] = {}
    for code, (index, raw) in procedures.items():
        for target in raw.get("on_failure", ()):
            where = f"process.procedures[{index}].on_failure"
            if target not in procedures:
                add(where, f"{target!r} is not a procedure of channel {channel!r}")
                continue
            target_raw = procedures[target][1]
            if target_raw["kind"] != "process" or "step" in target_raw:
                add(where, f"{target!r}: a refusal branch holds processes of p.10 only")
            if target in targeted:
                add(where, f"{target!r} is already on the refusal branch of {targeted[target]!r}")
            targeted[target] = code
    if len(targeted) == len(procedures):
        add("process.procedures", f"channel {channel!r} has no procedure outside refusal branches")
