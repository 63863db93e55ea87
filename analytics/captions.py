"""Ready-to-paste captions and text alternatives for exported charts, written from the exported
frame alone by the rules in data/keterangan.toml.

A ranking frame (analytics.ranking.export_frame, in either language) gets findings: who ranks
first (ties said as ties), who follows, and how many regions have a figure at all. Every figure is
said as the page shows it: with its printed qualifier ("lebih dari 18.000") and, when it covers
part of a year, with its months. Any other frame gets the chart's title and subtitle only: no
sentence claims more than the frame holds. The caption file adds the as-of date, the sources with
their URLs, the chart's notes (the boundary attribution on a map) and, on synthetic data, a
warning first.
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analytics import columns, export, fmt, map_press, metrics, paths
from analytics.export import ExportMeta, dataset_name

RULES_FILE = paths.DATA_DIR / "keterangan.toml"
FOLLOWERS = 2  # regions named after the first
RANKING_COLUMNS = ("peringkat", "wilayah", "nilai", "kualifikasi", "tanggal_data", "catatan")
_MONTHS = re.compile(r"(?:cakupan|covers) (\d+) (?:bulan|months)")


@dataclass(frozen=True)
class Caption:
    headline: str
    findings: tuple[str, ...]

    def text(self) -> str:
        return " ".join([self.headline + ".", *self.findings])


@lru_cache(maxsize=1)
def rules() -> dict:
    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))


def rule(section: str, key: str, lang: str, **values) -> str:
    return rules()[section][key][lang].format(**values)


def ranking_rows(data: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    """The frame with Indonesian headers when it is a ranking export, else None."""
    names = {}
    for name in data.columns:
        column = columns.lookup(name, lang)
        names[name] = column.name if column is not None else name
    frame = data.rename(columns=names)
    return frame if all(c in frame for c in RANKING_COLUMNS) else None


def caption(data: pd.DataFrame, meta: ExportMeta) -> Caption:
    """Headline and findings for the frame an export shows."""
    lang = meta.lang
    frame = ranking_rows(data, lang)
    indicator = metrics.catalogue().get(meta.indicator_id or "")
    if frame is None or indicator is None:
        return Caption(meta.title, (meta.subtitle,) if meta.subtitle else ())
    ranked = frame.loc[pd.to_numeric(frame["peringkat"], errors="coerce").notna()].copy()
    ranked["peringkat"] = pd.to_numeric(ranked["peringkat"]).astype(int)
    ranked = ranked.sort_values(["peringkat", "wilayah"], kind="stable")
    name = indicator.title(lang)
    per = fmt.date(meta.as_of, lang) if meta.as_of else ""
    if ranked.empty:
        return Caption(rule("headline", "none", lang, indikator=name, per=per), ())
    return Caption(_headline(ranked, indicator, lang), _findings(ranked, frame, indicator, lang, per))


def _headline(ranked: pd.DataFrame, indicator: metrics.Indicator, lang: str) -> str:
    first = ranked.loc[ranked["peringkat"] == 1]
    best = "higher" if indicator.lebih_tinggi_lebih_baik else "lower"
    superlative = rule("superlative", best, lang)
    row = first.iloc[0]
    if len(first) == 1:
        return rule(
            "headline",
            "one",
            lang,
            wilayah=row["wilayah"],
            indikator=indicator.title(lang),
            superlatif=superlative,
            nilai=value_text(row, indicator, lang),
            tanggal=_date(row, lang),
        )
    return rule(
        "headline",
        "tie",
        lang,
        daftar=_joined(first["wilayah"].tolist(), lang),
        indikator=indicator.title(lang),
        superlatif=superlative,
        nilai=value_text(row, indicator, lang),
    )


def _findings(
    ranked: pd.DataFrame, frame: pd.DataFrame, indicator: metrics.Indicator, lang: str, per: str
) -> tuple[str, ...]:
    out = []
    after = ranked.loc[ranked["peringkat"] > 1].head(FOLLOWERS)
    if len(after):
        items = [
            rule(
                "finding",
                "item",
                lang,
                wilayah=row["wilayah"],
                nilai=value_text(row, indicator, lang),
                tanggal=_date(row, lang),
            )
            for _, row in after.iterrows()
        ]
        out.append(rule("finding", "followed", lang, daftar=_joined(items, lang)))
    shown = pd.concat([ranked.loc[ranked["peringkat"] == 1], after])
    if any(isinstance(q, str) and q.strip() for q in shown["kualifikasi"]):
        out.append(rule("finding", "qualified", lang))
    total = len(frame)  # every region of the view: ranked first, then those without a figure
    if len(ranked) == total:
        out.append(rule("finding", "coverage_all", lang, total=total))
    else:
        out.append(rule("finding", "coverage", lang, n=len(ranked), total=total, kosong=total - len(ranked), per=per))
    return tuple(out)


def value_text(row, indicator: metrics.Indicator, lang: str) -> str:
    """A figure as the page shows it, with its qualifier and, for part of a year, its months."""
    shown = fmt.value(row["nilai"], indicator.satuan, indicator.desimal, lang)
    if indicator.satuan not in ("rp", "persen"):
        shown = f"{shown} {indicator.unit(lang)}"
    shown = fmt.qualified(shown, row["kualifikasi"] if isinstance(row["kualifikasi"], str) else None, lang)
    months = partial_months(row["catatan"])
    return rule("value", "partial", lang, nilai=shown, bulan=months) if months else shown


def partial_months(note) -> int | None:
    """Months covered when fewer than a year's twelve, from the row's note ('cakupan 10 bulan …')."""
    match = _MONTHS.search(note) if isinstance(note, str) else None
    months = int(match.group(1)) if match else None
    return months if months and months < 12 else None


def _date(row, lang: str) -> str:
    return fmt.date(pd.Timestamp(row["tanggal_data"]).date(), lang) if pd.notna(row["tanggal_data"]) else "–"


def _joined(items: list[str], lang: str) -> str:
    word = rule("labels", "and", lang)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def caption_file(data: pd.DataFrame, meta: ExportMeta) -> str:
    """keterangan.txt: warning on synthetic data, the caption, as-of, sources with URLs, notes."""
    lang = meta.lang
    text = caption(data, meta)
    lines = [rule("labels", "synthetic", lang), ""] if meta.synthetic else []
    lines += [text.headline + ".", ""] + ([" ".join(text.findings), ""] if text.findings else [])
    if meta.as_of:
        lines.append(rule("labels", "as_of", lang, per=fmt.date(meta.as_of, lang)))
    cited = [_source_line(source) for source in export.sources(data, meta)]
    if cited:
        lines += ["", rule("labels", "sources", lang), *cited]
    notes = [_plain(n) for n in (meta.source, *meta.notes) if n]
    if notes:
        lines += ["", rule("labels", "notes", lang), *[f"- {n}" for n in notes]]
    lines += ["", rule("labels", "made", lang, tanggal=fmt.date(meta.export_date, lang), dataset=dataset_name(meta))]
    return "\n".join(lines).rstrip() + "\n"


def _source_line(source: dict) -> str:
    """'- citation — URL', from the data package's source entry."""
    return f"- {source['title']} — {source['path']}" if "path" in source else f"- {source['title']}"


def _plain(text: str) -> str:
    """Chart text (Plotly's small HTML subset) as plain text."""
    text = re.sub(r"<br\s*/?>", " ", text)
    return " ".join(html.unescape(re.sub(r"</?(b|i|sup|sub|span)\b[^>]*>", "", text)).split())


def _kind(fig) -> str:
    """The [alt] rule naming the chart: a map (drawn with scatter shapes), else its first trace's type."""
    if map_press.map_info(fig) is not None:
        return "choropleth"
    kind = fig.data[0].type if getattr(fig, "data", None) else "other"
    return kind if kind in rules()["alt"] else "other"


def alt_text(fig, data: pd.DataFrame, meta: ExportMeta) -> str:
    """What the image shows, for a screen reader: the kind of chart, its title, the findings."""
    lang = meta.lang
    words = [f"{rule('alt', _kind(fig), lang)}: {meta.title}."]
    if meta.subtitle:
        words.append(_plain(meta.subtitle) + ".")
    frame = ranking_rows(data, lang)
    indicator = metrics.catalogue().get(meta.indicator_id or "")
    if frame is not None and indicator is not None:
        n = int(pd.to_numeric(frame["peringkat"], errors="coerce").notna().sum())
        words.append(rule("alt", "ranked", lang, n=n, indikator=indicator.title(lang)))
        words.append(caption(data, meta).text())
    if meta.synthetic:
        words.insert(0, rule("labels", "synthetic", lang))
    return " ".join(words) + "\n"
