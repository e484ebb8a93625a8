"""Check and import the content folder: everything or nothing, versioned by content hash."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from lernpfad.content import validate
from lernpfad.content.loader import ContentError, Problem, load_yaml, plain, split_front_matter
from lernpfad.content.models import ContentDocument, ContentImport, ModuleVersion, summary_text
from lernpfad.content.readability import module_readability
from lernpfad.content.render import render_content
from lernpfad.extensions import db


@dataclass
class Item:
    source: str
    content_hash: str
    data: object
    body: str = ""
    body_line: int = 0


@dataclass
class ContentBundle:
    competencies: Item | None = None
    assessments: dict[str, Item] = field(default_factory=dict)
    paths: dict[str, Item] = field(default_factory=dict)
    modules: dict[str, Item] = field(default_factory=dict)
    exam_pool: Item | None = None
    certification: Item | None = None
    readability: Item | None = None  # thresholds (readability.yaml); figures: content.readability
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ContentInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _read(path: Path, root: Path, bundle: ContentBundle, *, front_matter=False) -> Item | None:
    source = str(path.relative_to(root.parent))
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bundle.problems.append(Problem(source, line, "Die Datei ist nicht in UTF-8 gespeichert"))
        return None
    try:
        if front_matter:
            data, body, body_line = split_front_matter(text, source)
            return Item(source, digest, data, body, body_line)
        return Item(source, digest, load_yaml(text, source))
    except ContentError as error:
        bundle.problems.append(error.problem)
        return None


def read_content(root: str | Path) -> ContentBundle:
    """Read and check the whole content folder; problems are collected, nothing is written."""
    root = Path(root).resolve()
    bundle = ContentBundle()
    if not root.is_dir():
        bundle.problems.append(Problem(str(root), 0, "Inhaltsordner nicht gefunden"))
        return bundle

    dimensions: set[str] = set()
    competencies_file = root / "competencies.yaml"
    if not competencies_file.exists():
        bundle.problems.append(Problem(f"{root.name}/competencies.yaml", 0, "Datei fehlt"))
    else:
        item = _read(competencies_file, root, bundle)
        if item is not None:
            model, problems = validate.check_competencies(item.data, item.source)
            bundle.problems += problems
            if model is not None:
                bundle.competencies = item
                dimensions = {d["key"] for d in model["dimensions"]}

    for path in sorted((root / "modules").glob("*.md")):
        item = _read(path, root, bundle, front_matter=True)
        if item is None:
            continue
        problems = validate.check_module(
            item.data, item.body, item.body_line, item.source, dimensions
        )
        bundle.problems += problems
        module_id = item.data.get("id") if isinstance(item.data, dict) else None
        if not problems and module_id:
            bundle.modules[module_id] = item

    prerequisites = {
        mid: list(item.data.get("prerequisites") or []) for mid, item in bundle.modules.items()
    }
    for module_id, item in bundle.modules.items():
        for needed in prerequisites[module_id]:
            if needed not in bundle.modules:
                bundle.problems.append(
                    Problem(
                        item.source,
                        item.data.line_of("prerequisites"),
                        f"Voraussetzung „{needed}“ gibt es nicht",
                    )
                )
        for line, target in validate.module_links(item.body, item.body_line):
            if target not in bundle.modules:
                bundle.problems.append(
                    Problem(item.source, line, f"Link auf unbekanntes Modul „modul:{target}“")
                )
    cycle = validate.prerequisite_cycle(prerequisites)
    if cycle:
        first = bundle.modules[cycle[0]]
        bundle.problems.append(
            Problem(
                first.source,
                first.data.line_of("prerequisites"),
                "Voraussetzungen im Kreis: " + " → ".join(cycle),
            )
        )

    for path in sorted((root / "assessments").glob("*.yaml")):
        item = _read(path, root, bundle)
        if item is None:
            continue
        problems = validate.check_assessment(item.data, item.source, dimensions)
        bundle.problems += problems
        if not problems:
            bundle.assessments[item.data["id"]] = item

    for path in sorted((root / "paths").glob("*.yaml")):
        item = _read(path, root, bundle)
        if item is None:
            continue
        problems, warnings = validate.check_path(
            item.data, item.source, set(bundle.modules), prerequisites
        )
        bundle.problems += problems
        bundle.warnings += warnings
        if not problems:
            bundle.paths[item.data["role"]] = item

    pool = root / "certification" / "exam-pool.yaml"
    if pool.exists():
        item = _read(pool, root, bundle)
        if item is not None:
            problems = validate.check_exam_pool(item.data, item.source, dimensions)
            bundle.problems += problems
            if not problems:
                bundle.exam_pool = item

    certification = root / "certification" / "champion.yaml"
    if certification.exists():
        item = _read(certification, root, bundle)
        if item is not None:
            problems = validate.check_certification(item.data, item.source, set(bundle.modules))
            bundle.problems += problems
            if not problems:
                bundle.certification = item

    thresholds = root / "readability.yaml"
    if thresholds.exists():
        item = _read(thresholds, root, bundle)
        if item is not None:
            problems = validate.check_readability(item.data, item.source)
            bundle.problems += problems
            if not problems:
                bundle.readability = item

    if not any((root / "assessments").glob("*.yaml")):
        bundle.problems.append(
            Problem(f"{root.name}/assessments", 0, "Keine Selbsteinschätzung vorhanden")
        )
    bundle.problems.sort()
    bundle.warnings.sort()
    return bundle


def _store_document(kind: str, key: str, item: Item, counts: dict) -> None:
    existing = db.session.scalar(
        sa.select(ContentDocument).where(
            ContentDocument.kind == kind,
            ContentDocument.key == key,
            ContentDocument.content_hash == item.content_hash,
        )
    )
    if existing is not None and existing.is_current:
        counts["unchanged"] += 1
        return
    db.session.execute(
        sa.update(ContentDocument)
        .where(ContentDocument.kind == kind, ContentDocument.key == key)
        .values(is_current=False)
    )
    if existing is None:
        db.session.add(
            ContentDocument(
                kind=kind,
                key=key,
                content_hash=item.content_hash,
                source=item.source,
                data=plain(item.data),
            )
        )
    else:
        existing.is_current = True
    counts["changed"].append(f"{kind}:{key}")


def _store_module(module_id: str, item: Item, counts: dict) -> None:
    existing = db.session.scalar(
        sa.select(ModuleVersion).where(
            ModuleVersion.module_id == module_id, ModuleVersion.content_hash == item.content_hash
        )
    )
    if existing is not None and existing.is_current:
        counts["unchanged"] += 1
        return
    db.session.execute(
        sa.update(ModuleVersion)
        .where(ModuleVersion.module_id == module_id)
        .values(is_current=False)
    )
    if existing is not None:
        existing.is_current = True
    else:
        meta = plain(item.data)
        task = meta["task"]
        db.session.add(
            ModuleVersion(
                module_id=module_id,
                content_hash=item.content_hash,
                source=item.source,
                title=meta["title"],
                summary=summary_text(meta),
                dimension=meta["dimension"],
                level=meta["level"],
                roles=meta["roles"],
                duration=meta["duration"],
                prerequisites=meta.get("prerequisites") or [],
                mandatory=bool(meta.get("pflicht", False)),
                body_html=render_content(item.body),
                quiz=meta["quiz"],
                task={
                    "title": task["title"],
                    "instructions_html": render_content(task["instructions"]),
                    "deliverable_html": render_content(task["deliverable"]),
                    "review": task["review"],
                    "criteria": task.get("criteria") or [],
                },
            )
        )
    counts["changed"].append(f"module:{module_id}")


def _store_readability(bundle: ContentBundle, counts: dict) -> None:
    """The readability figures of the modules being imported, with the thresholds, as the
    document ``readability``; its hash covers everything the figures follow from (thresholds,
    paths, modules). Measured here, at import, because it takes seconds (textstat): the
    content page only reads the figures."""
    tree = hashlib.sha256()
    for item in [bundle.readability, *bundle.paths.values(), *bundle.modules.values()]:
        tree.update(f"{item.source}:{item.content_hash}\n".encode())
    current = current_document("readability")
    if current is not None and current.content_hash == tree.hexdigest():
        counts["unchanged"] += 1
        return
    modules = {
        row.module_id: {
            "content_hash": bundle.modules[row.module_id].content_hash,
            "audience": row.audience,
            "minimum": row.minimum,
            "flesch": row.figures.flesch,
            "wstf": row.figures.wstf,
        }
        for row in module_readability(bundle)
    }
    data = {"flesch_minimum": plain(bundle.readability.data)["flesch_minimum"], "modules": modules}
    _store_document(
        "readability",
        "default",
        Item(bundle.readability.source, tree.hexdigest(), data),
        counts,
    )


def sync_content(root: str | Path) -> ContentImport | None:
    """Import the folder if it is free of problems (raises ContentInvalid otherwise).

    Flushes only; the caller commits, so a failure leaves the database as it was.
    Returns the import record, or None when nothing changed.
    """
    bundle = read_content(root)
    if not bundle.ok:
        raise ContentInvalid(bundle.problems)
    counts: dict = {"unchanged": 0, "changed": []}
    _store_document("competencies", "default", bundle.competencies, counts)
    for key, item in bundle.assessments.items():
        _store_document("assessment", key, item, counts)
    for key, item in bundle.paths.items():
        _store_document("path", key, item, counts)
    if bundle.exam_pool is not None:
        _store_document("exam_pool", "default", bundle.exam_pool, counts)
    if bundle.certification is not None:
        _store_document("certification", "default", bundle.certification, counts)
    if bundle.readability is not None:
        _store_readability(bundle, counts)
    for module_id, item in bundle.modules.items():
        _store_module(module_id, item, counts)
    present = set(bundle.modules)
    retired = db.session.scalars(
        sa.select(ModuleVersion).where(
            ModuleVersion.is_current, ModuleVersion.module_id.not_in(present or {""})
        )
    ).all()
    for version in retired:
        version.is_current = False
        counts["changed"].append(f"module-retired:{version.module_id}")
    db.session.flush()
    if not counts["changed"]:
        return None
    tree = hashlib.sha256()
    for item in sorted(
        [
            bundle.competencies,
            *bundle.assessments.values(),
            *bundle.paths.values(),
            *bundle.modules.values(),
        ]
        + ([bundle.exam_pool] if bundle.exam_pool else [])
        + ([bundle.certification] if bundle.certification else []),
        key=lambda i: i.source,
    ):
        tree.update(f"{item.source}:{item.content_hash}\n".encode())
    record = ContentImport(
        tree_hash=tree.hexdigest(),
        summary={"changed": counts["changed"], "unchanged": counts["unchanged"]},
    )
    db.session.add(record)
    db.session.flush()
    return record


def current_document(kind: str, key: str = "default") -> ContentDocument | None:
    return db.session.scalar(
        sa.select(ContentDocument).where(
            ContentDocument.kind == kind, ContentDocument.key == key, ContentDocument.is_current
        )
    )


def current_modules() -> dict[str, ModuleVersion]:
    rows = db.session.scalars(sa.select(ModuleVersion).where(ModuleVersion.is_current))
    return {row.module_id: row for row in rows}


def document_version(kind: str, key: str, content_hash: str) -> ContentDocument | None:
    """A specific (possibly earlier) version of a document."""
    return db.session.scalar(
        sa.select(ContentDocument).where(
            ContentDocument.kind == kind,
            ContentDocument.key == key,
            ContentDocument.content_hash == content_hash,
        )
    )
