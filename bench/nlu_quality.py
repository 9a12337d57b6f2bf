"""NLU quality benchmark for FamilyBot (prints figures; never asserted by tests).

What it measures, in one run, offline:

1. Intent F1 per language (en, es) and overall: 5-fold cross-validation, stratified on
   intent x language, of OUR pipeline (config.yml: DIET) side by side with a TF-IDF
   (word 1-2 grams + char_wb 2-5 grams) + LogisticRegression baseline trained on
   exactly the same folds. Macro and weighted F1, accuracy, crisis recall/precision,
   and the margin (ours minus baseline). As in `rasa test nlu`, a FallbackClassifier
   prediction is undone before scoring; how often the fallback fired is reported apart.
2. Barrier-code micro-F1 per language on bench/data/barriers_eval.jsonl (a separate,
   hand-labelled set): bot.core.barriers.code_barriers(text, language) versus a
   one-vs-rest TF-IDF + LogisticRegression baseline cross-validated ON THE EVAL SET
   ITSELF (trained on eval folds, which favours the baseline).
3. Training time of the full NLU model (one timed train_nlu on all of data/nlu) and
   the number of training examples per intent per language.
4. A compact table on stdout; the figures as JSON in bench/results/nlu_quality.json.

The language of a training example is the `metadata: {language: xx}` tag of its intent
block in data/nlu/*.yml.

Usage (from the repository root):
    .venv/bin/python bench/nlu_quality.py                 # everything (slow: DIET x 6)
    .venv/bin/python bench/nlu_quality.py --skip-diet     # baselines + barriers only
    .venv/bin/python bench/nlu_quality.py --epochs 20     # quick, NOT the real config
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import hashlib
import io
import json
import logging
import os
import platform
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from anywhere: the codes come from the product itself
from bot.core.barriers import BARRIER_CODES as _PRODUCT_CODES  # noqa: E402

BARRIER_CODES = list(_PRODUCT_CODES)
LANGS = ["en", "es"]

# Quiet, offline Rasa/TensorFlow. Must be set before rasa/tensorflow are imported.
os.environ.setdefault("LOG_LEVEL", "ERROR")  # also hides DIET's tqdm progress bar
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
# No training cache: otherwise a cached featurizer could make the timed run look faster,
# and the cache would land in the working folder.
os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")


# --------------------------------------------------------------------------- helpers
def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rasa_quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in ("rasa", "tensorflow", "absl", "sanic", "apscheduler", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:  # Rasa 3.6 logs each parsed message through structlog at debug level
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    except ImportError:
        pass


def baseline_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            # \w+ (not sklearn's default \w\w+) so that "8", "y", "k", "q", "u" count.
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - not a password
                    sublinear_tf=True,
                ),
            ),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )


BASELINE_LR = {"C": 10.0, "max_iter": 5000}


def intent_baseline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(baseline_vectorizer(), LogisticRegression(**BASELINE_LR))


def intent_scores(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    out: dict[str, Any] = {
        "n": len(gold),
        "macro_f1": f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
        "weighted_f1": f1_score(gold, pred, labels=labels, average="weighted", zero_division=0),
        "accuracy": accuracy_score(gold, pred),
    }
    if "crisis" in labels:
        out["crisis_recall"] = recall_score(
            gold, pred, labels=["crisis"], average="micro", zero_division=0
        )
        out["crisis_precision"] = precision_score(
            gold, pred, labels=["crisis"], average="micro", zero_division=0
        )
    per_intent = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    out["per_intent_f1"] = {lab: float(x) for lab, x in zip(labels, per_intent, strict=True)}
    return {k: (float(v) if isinstance(v, float) else v) for k, v in out.items()}


# ------------------------------------------------------------------------ NLU data
def load_nlu(nlu_dir: Path):
    """Rasa TrainingData plus (text, intent, language) rows, in the same order."""
    from rasa.shared.nlu.training_data.loading import load_data

    td = load_data(str(nlu_dir))
    rows = []
    for m in td.intent_examples:
        meta = (m.get("metadata") or {}).get("intent") or {}
        rows.append((m.get("text"), m.get("intent"), str(meta.get("language", "unknown"))))
    return td, rows


def counts_table(rows) -> dict[str, dict[str, int]]:
    c: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, intent, lang in rows:
        c[intent][lang] += 1
    return {i: dict(sorted(v.items())) for i, v in sorted(c.items())}


def make_folds(rows, n_folds: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{intent}|{lang}" for _, intent, lang in rows]
    skf = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(skf.split([r[0] for r in rows], strata))


def subset_training_data(td, idx):
    from rasa.shared.nlu.training_data.training_data import TrainingData

    ex = td.intent_examples
    return TrainingData(
        training_examples=[ex[i] for i in idx],
        entity_synonyms=td.entity_synonyms,
        regex_features=td.regex_features,
        lookup_tables=td.lookup_tables,
    )


def train_rasa_nlu(config: Path, td, workdir: Path, name: str) -> tuple[str, float]:
    """Train an NLU model exactly like `rasa train nlu`; returns (model path, seconds)."""
    import rasa.model_training
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    data_file = workdir / f"{name}.yml"
    RasaYAMLWriter().dump(data_file, td)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # Rasa prints a success banner
        model = rasa.model_training.train_nlu(
            str(config), str(data_file), str(workdir), fixed_model_name=name
        )
    secs = time.perf_counter() - t0
    if not model:
        raise RuntimeError("rasa train_nlu returned no model")
    return str(model), secs


def predict_rasa(model_path: str, texts: list[str]) -> tuple[list[str], list[bool], list[float]]:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.nlu.classifiers import fallback_classifier

    agent = Agent.load(model_path)
    processor = agent.processor
    preds, fell_back, conf = [], [], []

    async def run() -> None:
        for t in texts:
            res = await processor.parse_message(UserMessage(text=t), only_output_properties=False)
            fb = fallback_classifier.is_fallback_classifier_prediction(res)
            if fb:
                res = fallback_classifier.undo_fallback_prediction(res)
            intent = res.get("intent") or {}
            preds.append(intent.get("name") or "")
            conf.append(float(intent.get("confidence") or 0.0))
            fell_back.append(bool(fb))

    asyncio.run(run())
    return preds, fell_back, conf


def free_tf() -> None:
    try:
        import tensorflow as tf

        tf.keras.backend.clear_session()
    except Exception as exc:  # noqa: BLE001 - best effort only
        log(f"(could not clear the TensorFlow session: {exc})")
    gc.collect()


def bench_intents(args, td, rows, results: dict[str, Any]) -> None:
    texts = [r[0] for r in rows]
    gold = [r[1] for r in rows]
    langs = [r[2] for r in rows]
    labels = sorted(set(gold))
    folds = make_folds(rows, args.folds, args.seed)

    pred_base = [""] * len(rows)
    pred_ours = [""] * len(rows)
    fell_back = [False] * len(rows)
    fold_secs = []

    t_base = time.perf_counter()
    for train_idx, test_idx in folds:
        clf = intent_baseline().fit([texts[i] for i in train_idx], [gold[i] for i in train_idx])
        for i, p in zip(test_idx, clf.predict([texts[i] for i in test_idx]), strict=True):
            pred_base[i] = p
    t_base = time.perf_counter() - t_base
    log(f"baseline CV done in {t_base:.1f}s")

    config = args.config
    with tempfile.TemporaryDirectory(prefix="fb_nlu_cv_") as tmp:
        tmpdir = Path(tmp)
        if not args.skip_diet:
            for k, (train_idx, test_idx) in enumerate(folds, 1):
                log(f"DIET fold {k}/{len(folds)}: training on {len(train_idx)} examples ...")
                model, secs = train_rasa_nlu(
                    config, subset_training_data(td, train_idx), tmpdir, f"fold{k}"
                )
                fold_secs.append(secs)
                p, fb, _ = predict_rasa(model, [texts[i] for i in test_idx])
                for i, pi, fbi in zip(test_idx, p, fb, strict=True):
                    pred_ours[i] = pi
                    fell_back[i] = fbi
                Path(model).unlink(missing_ok=True)
                free_tf()
                log(f"DIET fold {k}/{len(folds)}: {secs:.0f}s")

        if not args.skip_train_time:
            log("timing one full NLU training on all examples ...")
            model, secs = train_rasa_nlu(config, td, tmpdir, "full")
            results["training"] = {
                "full_model_seconds": round(secs, 1),
                "n_examples": len(rows),
                "model_size_mb": round(Path(model).stat().st_size / 1e6, 1),
            }
            free_tf()

    res: dict[str, Any] = {
        "folds": args.folds,
        "seed": args.seed,
        "stratified_on": "intent x language",
        "baseline": {
            "model": "tfidf word(1,2)+char_wb(2,5) -> LogisticRegression",
            "params": BASELINE_LR,
            "cv_seconds": round(t_base, 1),
        },
        "by_language": {},
    }
    if fold_secs:
        res["ours"] = {
            "config": results["meta"]["config"],
            "fold_train_seconds": [round(s, 1) for s in fold_secs],
        }
    groups = {lang: [i for i, lg in enumerate(langs) if lg == lang] for lang in sorted(set(langs))}
    groups["all"] = list(range(len(rows)))
    for g, idx in groups.items():
        gg = [gold[i] for i in idx]
        entry: dict[str, Any] = {"baseline": intent_scores(gg, [pred_base[i] for i in idx], labels)}
        if fold_secs:
            ours = intent_scores(gg, [pred_ours[i] for i in idx], labels)
            ours["fallback_rate"] = sum(fell_back[i] for i in idx) / len(idx)
            entry["ours"] = ours
            entry["margin"] = {
                m: ours[m] - entry["baseline"][m]
                for m in ("macro_f1", "weighted_f1", "accuracy", "crisis_recall")
            }
        res["by_language"][g] = entry

    # Most frequent confusions, to know where to add data.
    for who, pred in (("ours", pred_ours), ("baseline", pred_base)):
        if who == "ours" and not fold_secs:
            continue
        conf = Counter((gold[i], pred[i]) for i in range(len(rows)) if gold[i] != pred[i])
        res.setdefault("top_confusions", {})[who] = [
            {"gold": a, "pred": b, "count": n} for (a, b), n in conf.most_common(8)
        ]
        res.setdefault("errors", {})[who] = [
            {"text": texts[i], "lang": langs[i], "gold": gold[i], "pred": pred[i]}
            for i in range(len(rows))
            if gold[i] != pred[i]
        ]
    results["intents"] = res


# ------------------------------------------------------------------- barrier coding
def load_barrier_eval(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        bad = [c for c in obj["codes"] if c not in BARRIER_CODES]
        if bad or obj.get("language") not in LANGS:
            raise ValueError(f"{path}:{n}: bad codes {bad} or language {obj.get('language')!r}")
        items.append(obj)
    return items


def multilabel_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.preprocessing import MultiLabelBinarizer

    mlb = MultiLabelBinarizer(classes=BARRIER_CODES)
    y, p = mlb.fit_transform(gold), mlb.transform(pred)
    none_idx = [i for i, g in enumerate(gold) if not g]
    return {
        "n": len(gold),
        "micro_f1": float(f1_score(y, p, average="micro", zero_division=0)),
        "micro_precision": float(precision_score(y, p, average="micro", zero_division=0)),
        "micro_recall": float(recall_score(y, p, average="micro", zero_division=0)),
        "macro_f1": float(f1_score(y, p, average="macro", zero_division=0)),
        "exact_match": sum(set(a) == set(b) for a, b in zip(gold, pred, strict=True)) / len(gold),
        # "Nothing, all good" must give []: share of none-answers coded as [].
        "none_correct": (sum(not pred[i] for i in none_idx) / len(none_idx)) if none_idx else None,
        "per_code_f1": {
            c: float(x)
            for c, x in zip(
                BARRIER_CODES, f1_score(y, p, average=None, zero_division=0), strict=True
            )
        },
    }


def bench_barriers(args, results: dict[str, Any]) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer

    items = load_barrier_eval(args.barriers_eval)
    texts = [it["text"] for it in items]
    gold = [sorted(set(it["codes"])) for it in items]
    langs = [it["language"] for it in items]
    res: dict[str, Any] = {
        "eval_file": str(args.barriers_eval.relative_to(REPO))
        if args.barriers_eval.is_relative_to(REPO)
        else str(args.barriers_eval),
        "n_by_language": dict(Counter(langs)),
        "code_counts": dict(Counter(c for g in gold for c in g)),
        "none_items": sum(1 for g in gold if not g),
    }

    # Baseline: cross-validated on the eval set itself (favours the baseline).
    mlb = MultiLabelBinarizer(classes=BARRIER_CODES)
    y = mlb.fit_transform(gold)
    pred_base: list[list[str]] = [[] for _ in items]
    lr = {"C": 10.0, "max_iter": 5000, "class_weight": "balanced"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # codes absent from a training fold
        for tr, te in KFold(n_splits=args.folds, shuffle=True, random_state=args.seed).split(texts):
            clf = make_pipeline(
                baseline_vectorizer(), OneVsRestClassifier(LogisticRegression(**lr))
            )
            clf.fit([texts[i] for i in tr], y[tr])
            for i, row in zip(te, clf.predict([texts[i] for i in te]), strict=True):
                pred_base[i] = [c for c, v in zip(BARRIER_CODES, row, strict=True) if v]
    res["baseline"] = {
        "model": "one-vs-rest tfidf word(1,2)+char_wb(2,5) -> LogisticRegression",
        "params": lr,
        "note": f"{args.folds}-fold CV on the eval set itself: trained on eval folds, "
        "which favours the baseline",
    }

    # System under test, imported lazily: it may not exist yet.
    sut_status, pred_sut, sut_errors = "ok", None, []
    sys.path.insert(0, str(REPO))
    try:
        from bot.core.barriers import code_barriers
    except Exception as exc:  # noqa: BLE001 - any import problem is reported, not raised
        sut_status = f"NOT AVAILABLE: bot.core.barriers.code_barriers ({type(exc).__name__}: {exc})"
    else:
        pred_sut = []
        t0 = time.perf_counter()
        for it in items:
            try:
                out = code_barriers(it["text"], it["language"])
                codes = sorted(set(out or []))
                unknown = [c for c in codes if c not in BARRIER_CODES]
                if unknown:
                    sut_errors.append({"text": it["text"], "error": f"unknown codes {unknown}"})
                    codes = [c for c in codes if c in BARRIER_CODES]
            except Exception as exc:  # noqa: BLE001
                sut_errors.append({"text": it["text"], "error": f"{type(exc).__name__}: {exc}"})
                codes = []
            pred_sut.append(codes)
        res["ours_ms_per_call"] = round(1000 * (time.perf_counter() - t0) / len(items), 3)
    res["ours_status"] = sut_status
    if sut_errors:
        res["ours_call_errors"] = sut_errors

    res["by_language"] = {}
    groups = {lg: [i for i, x in enumerate(langs) if x == lg] for lg in LANGS}
    groups["all"] = list(range(len(items)))
    for g, idx in groups.items():
        if not idx:
            continue
        entry = {"baseline": multilabel_scores([gold[i] for i in idx], [pred_base[i] for i in idx])}
        if pred_sut is not None:
            entry["ours"] = multilabel_scores([gold[i] for i in idx], [pred_sut[i] for i in idx])
            entry["margin"] = {
                m: entry["ours"][m] - entry["baseline"][m]
                for m in ("micro_f1", "macro_f1", "exact_match")
            }
        res["by_language"][g] = entry
    if pred_sut is not None:
        res["errors"] = [
            {"text": texts[i], "lang": langs[i], "gold": gold[i], "pred": pred_sut[i]}
            for i in range(len(items))
            if set(gold[i]) != set(pred_sut[i])
        ]
    results["barriers"] = res


# -------------------------------------------------------------------------- output
def fmt(x: Any, signed: bool = False) -> str:
    if x is None:
        return "   -  "
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def print_report(results: dict[str, Any]) -> None:
    p = print
    meta = results["meta"]
    p("\n=== FamilyBot NLU quality ===")
    diet = meta["diet"] or {}
    diet_txt = (
        "no DIET"
        if not diet
        else f"DIET epochs {diet.get('epochs')}, transformer layers "
        f"{diet.get('number_of_transformer_layers', 2)} x {diet.get('transformer_size', 256)}"
    )
    p(
        f"rasa {meta['rasa_version']} | {meta['config']} ({meta['config_sha256']}) | {diet_txt}"
        f"{' (EPOCHS OVERRIDDEN: not the production config)' if meta['epochs_overridden'] else ''}"
    )
    p(
        f"{meta['cpu_count']} CPUs, load average at start {meta['loadavg_start']} "
        f"(other jobs on the machine slow the timings down)"
    )

    counts = results["examples"]
    p("\n-- Training examples per intent (data/nlu) --")
    langs = sorted({lg for v in counts.values() for lg in v})
    p(f"{'intent':<18}" + "".join(f"{lg:>6}" for lg in langs) + f"{'total':>7}")
    for intent, v in counts.items():
        p(f"{intent:<18}" + "".join(f"{v.get(lg, 0):>6}" for lg in langs) + f"{sum(v.values()):>7}")
    p(
        f"{'TOTAL':<18}"
        + "".join(f"{sum(v.get(lg, 0) for v in counts.values()):>6}" for lg in langs)
        + f"{sum(sum(v.values()) for v in counts.values()):>7}"
    )

    if "intents" in results:
        r = results["intents"]
        has_ours = "ours" in r
        p(
            f"\n-- Intents: {r['folds']}-fold stratified CV, same folds for both "
            f"(ours = {results['meta']['config']}, fallback undone; base = TF-IDF+LR) --"
        )
        hdr = (
            f"{'lang':<5}{'n':>5} | {'macroF1 ours':>12}{'base':>7}{'margin':>8} | "
            f"{'wF1 ours':>9}{'base':>7}{'margin':>8} | {'crisis rec ours':>15}{'base':>7}"
            f" | {'fallback':>8}"
        )
        p(hdr)
        for g, e in r["by_language"].items():
            b, o = e["baseline"], e.get("ours", {})
            m = e.get("margin", {})
            p(
                f"{g:<5}{b['n']:>5} | {fmt(o.get('macro_f1')):>12}{fmt(b['macro_f1']):>7}"
                f"{fmt(m.get('macro_f1'), True):>8} | {fmt(o.get('weighted_f1')):>9}"
                f"{fmt(b['weighted_f1']):>7}{fmt(m.get('weighted_f1'), True):>8} | "
                f"{fmt(o.get('crisis_recall')):>15}{fmt(b.get('crisis_recall')):>7} | "
                f"{fmt(o.get('fallback_rate')):>8}"
            )
        if not has_ours:
            p("(DIET skipped: --skip-diet)")
        pe = {g: r["by_language"][g] for g in r["by_language"]}
        p("per-intent F1 (ours/base): " + " | ".join(f"{g}" for g in pe))
        for intent in sorted(pe["all"]["baseline"]["per_intent_f1"]):
            cells = []
            for e in pe.values():
                o = e.get("ours", {}).get("per_intent_f1", {}).get(intent)
                cells.append(f"{fmt(o)}/{fmt(e['baseline']['per_intent_f1'][intent])}")
            p(f"  {intent:<17}" + "  ".join(cells))
        for who, conf in r.get("top_confusions", {}).items():
            p(
                f"top confusions {who}: "
                + ", ".join(f"{c['gold']}->{c['pred']} x{c['count']}" for c in conf[:6])
            )
        if has_ours:
            f = r["ours"]["fold_train_seconds"]
            p(f"DIET fold training: {', '.join(f'{s:.0f}s' for s in f)}")

    if "training" in results:
        t = results["training"]
        p(
            f"\n-- Full NLU model: trained in {t['full_model_seconds']:.0f}s on "
            f"{t['n_examples']} examples, {t['model_size_mb']} MB --"
        )

    if "barriers" in results:
        r = results["barriers"]
        p(
            f"\n-- Barrier codes on {r['eval_file']} "
            f"({', '.join(f'{k}={v}' for k, v in sorted(r['n_by_language'].items()))}, "
            f"{r['none_items']} 'none' answers) --"
        )
        p(f"ours = bot.core.barriers.code_barriers: {r['ours_status']}")
        p(f"base = {r['baseline']['note']}")
        p(
            f"{'lang':<5}{'n':>5} | {'microF1 ours':>12}{'base':>7}{'margin':>8} | "
            f"{'exact ours':>10}{'base':>7} | {'none->[] ours':>13}{'base':>7}"
        )
        for g, e in r["by_language"].items():
            b, o, m = e["baseline"], e.get("ours", {}), e.get("margin", {})
            p(
                f"{g:<5}{b['n']:>5} | {fmt(o.get('micro_f1')):>12}{fmt(b['micro_f1']):>7}"
                f"{fmt(m.get('micro_f1'), True):>8} | {fmt(o.get('exact_match')):>10}"
                f"{fmt(b['exact_match']):>7} | {fmt(o.get('none_correct')):>13}"
                f"{fmt(b['none_correct']):>7}"
            )
        if "ours_call_errors" in r:
            p(
                f"code_barriers raised or returned unknown codes on "
                f"{len(r['ours_call_errors'])} items (see JSON)"
            )
    p(f"\nTotal runtime {results['meta']['runtime_seconds']:.0f}s. JSON: {results['meta']['json']}")


# ---------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nlu", type=Path, default=REPO / "data" / "nlu")
    ap.add_argument("--config", type=Path, default=REPO / "config.yml")
    ap.add_argument(
        "--barriers-eval", type=Path, default=REPO / "bench" / "data" / "barriers_eval.jsonl"
    )
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "nlu_quality.json")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="override DIET epochs (quick look; NOT the production config)",
    )
    ap.add_argument("--skip-diet", action="store_true", help="no DIET cross-validation")
    ap.add_argument("--skip-train-time", action="store_true", help="no timed full training")
    ap.add_argument("--skip-barriers", action="store_true")
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    rasa_quiet()
    import rasa
    import yaml

    rasa_quiet()
    # Snapshot the config once: train_nlu re-reads the file for every fold, so an edit
    # made while the benchmark runs would otherwise mix two pipelines in one result.
    config_src = args.config
    cfg_text = config_src.read_text(encoding="utf-8")
    cfg = yaml.safe_load(cfg_text)
    diet: dict[str, Any] = next(
        (c for c in cfg.get("pipeline", []) if c.get("name") == "DIETClassifier"), {}
    )
    if args.epochs is not None:
        diet["epochs"] = args.epochs
        cfg_text = yaml.safe_dump(cfg, sort_keys=False)
    tmp_cfg = tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, encoding="utf-8")
    tmp_cfg.write(cfg_text)
    tmp_cfg.close()
    args.config = Path(tmp_cfg.name)

    results: dict[str, Any] = {
        "meta": {
            "rasa_version": rasa.__version__,
            "config": str(
                config_src.relative_to(REPO) if config_src.is_relative_to(REPO) else config_src
            ),
            "config_sha256": hashlib.sha256(cfg_text.encode()).hexdigest()[:12],
            "diet": {k: v for k, v in diet.items() if k != "name"} or None,
            "diet_epochs": diet.get("epochs"),
            "epochs_overridden": args.epochs is not None,
            "cpu_count": os.cpu_count(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    }
    try:
        td, rows = load_nlu(args.nlu)
        results["examples"] = counts_table(rows)
        if any(r[2] == "unknown" for r in rows):
            log("warning: some intent blocks have no metadata.language tag")
        bench_intents(args, td, rows, results)
        if not args.skip_barriers:
            bench_barriers(args, results)
    finally:
        os.unlink(tmp_cfg.name)

    results["meta"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["runtime_seconds"] = round(time.perf_counter() - t_start, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results["meta"]["json"] = str(
        args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out
    )
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print_report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
